/** Reference data for the demo city: a Guangzhou-like city with three districts. Names are realistic, people are not real. */
import type { MealPeriodHours, SupplyMode } from '@yishi/shared';

export const CITY = { code: '4401', name: '广州市' };

export const DISTRICTS = [
  { code: '440106', name: '天河区' },
  { code: '440104', name: '越秀区' },
  { code: '440105', name: '海珠区' },
];

/** The rest of Guangzhou's districts: no demo canteens, but elders with 户籍 there can be registered. */
export const OTHER_DISTRICTS = [
  { code: '440103', name: '荔湾区' },
  { code: '440111', name: '白云区' },
  { code: '440112', name: '黄埔区' },
  { code: '440113', name: '番禺区' },
  { code: '440114', name: '花都区' },
  { code: '440115', name: '南沙区' },
  { code: '440117', name: '从化区' },
  { code: '440118', name: '增城区' },
];

export const STREETS = [
  { code: '440106004', district: '440106', name: '石牌街', communities: ['华师社区', '龙口西社区'] },
  { code: '440106008', district: '440106', name: '员村街', communities: ['员村一横路社区', '程介社区'] },
  { code: '440106012', district: '440106', name: '车陂街', communities: ['车陂北社区', '东圃社区'] },
  { code: '440104001', district: '440104', name: '北京街', communities: ['盐运西社区', '西湖社区'] },
  { code: '440104010', district: '440104', name: '东山街', communities: ['新河浦社区', '龟岗社区'] },
  { code: '440104015', district: '440104', name: '农林街', communities: ['竹丝岗社区', '执信社区'] },
  { code: '440105001', district: '440105', name: '滨江街', communities: ['江南大道社区', '晓港湾社区'] },
  { code: '440105011', district: '440105', name: '南华西街', communities: ['同庆社区', '洪德社区'] },
];

export function communityCode(streetCode: string, index: number): string {
  return `${streetCode}${String(index + 1).padStart(3, '0')}`;
}

export const OPERATORS = [
  { id: 'org-yikang', name: '广州市颐康社会工作服务中心' },
  { id: 'org-lingnan', name: '广州岭南长者服务中心' },
  { id: 'org-jiajia', name: '广州家家乐餐饮管理有限公司' },
  { id: 'org-huicheng', name: '广州市惠城养老院' },
];

const WEEKDAYS = [1, 2, 3, 4, 5];
const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];

export const LUNCH: Omit<MealPeriodHours, 'days'> = { period: 'lunch', opens: '10:30', closes: '13:30' };
export const DINNER: Omit<MealPeriodHours, 'days'> = { period: 'dinner', opens: '17:00', closes: '19:00' };
export const BREAKFAST: Omit<MealPeriodHours, 'days'> = { period: 'breakfast', opens: '07:00', closes: '09:00' };

export interface CanteenSeed {
  id: string;
  code: string;
  street: string;
  community: number;
  shortName: string;
  supplyMode: SupplyMode;
  operator: string;
  seats: number;
  address: string;
  phone: string;
  hours: MealPeriodHours[];
  /** Typical lunch diners a day (drives history volume). */
  lunchDiners: number;
}

export const CANTEENS: CanteenSeed[] = [
  {
    id: 'ct-shipai-huashi',
    code: 'TH-2019-004',
    street: '440106004',
    community: 0,
    shortName: '华师社区长者饭堂',
    supplyMode: 'own_kitchen',
    operator: 'org-yikang',
    seats: 60,
    address: '天河区石牌街华师社区中山大道西55号首层',
    phone: '020-85211234',
    hours: [
      { ...BREAKFAST, days: ALL_DAYS },
      { ...LUNCH, days: ALL_DAYS },
      { ...DINNER, days: ALL_DAYS },
    ],
    lunchDiners: 40,
  },
  {
    id: 'ct-shipai-longkou',
    code: 'TH-2020-011',
    street: '440106004',
    community: 1,
    shortName: '龙口西社区长者饭堂',
    supplyMode: 'catered',
    operator: 'org-jiajia',
    seats: 24,
    address: '天河区龙口西路212号',
    phone: '020-38841020',
    hours: [{ ...LUNCH, days: WEEKDAYS }],
    lunchDiners: 18,
  },
  {
    id: 'ct-yuancun',
    code: 'TH-2020-015',
    street: '440106008',
    community: 0,
    shortName: '员村长者饭堂',
    supplyMode: 'restaurant',
    operator: 'org-jiajia',
    seats: 40,
    address: '天河区员村一横路9号',
    phone: '020-85560321',
    hours: [
      { ...LUNCH, days: ALL_DAYS },
      { ...DINNER, days: WEEKDAYS },
    ],
    lunchDiners: 30,
  },
  {
    id: 'ct-chebei',
    code: 'TH-2021-023',
    street: '440106012',
    community: 0,
    shortName: '车陂北长者饭堂',
    supplyMode: 'unit_canteen',
    operator: 'org-lingnan',
    seats: 30,
    address: '天河区车陂路北街38号（街道机关食堂专区）',
    phone: '020-82306677',
    hours: [{ ...LUNCH, days: WEEKDAYS }],
    lunchDiners: 22,
  },
  {
    id: 'ct-dongpu-help',
    code: 'TH-2022-031',
    street: '440106012',
    community: 1,
    shortName: '东圃邻里互助餐点',
    supplyMode: 'neighbour_help',
    operator: 'org-lingnan',
    seats: 12,
    address: '天河区东圃大马路17号',
    phone: '020-82301188',
    hours: [{ ...LUNCH, days: WEEKDAYS }],
    lunchDiners: 10,
  },
  {
    id: 'ct-beijing',
    code: 'YX-2018-002',
    street: '440104001',
    community: 0,
    shortName: '盐运西长者饭堂',
    supplyMode: 'own_kitchen',
    operator: 'org-yikang',
    seats: 50,
    address: '越秀区盐运西路24号',
    phone: '020-83331902',
    hours: [
      { ...LUNCH, days: ALL_DAYS },
      { ...DINNER, days: ALL_DAYS },
    ],
    lunchDiners: 35,
  },
  {
    id: 'ct-dongshan',
    code: 'YX-2019-007',
    street: '440104010',
    community: 0,
    shortName: '新河浦长者饭堂',
    supplyMode: 'care_institution',
    operator: 'org-huicheng',
    seats: 36,
    address: '越秀区新河浦路22号惠城养老院一楼',
    phone: '020-87765432',
    hours: [
      { ...BREAKFAST, days: ALL_DAYS },
      { ...LUNCH, days: ALL_DAYS },
      { ...DINNER, days: ALL_DAYS },
    ],
    lunchDiners: 28,
  },
  {
    id: 'ct-nonglin',
    code: 'YX-2020-012',
    street: '440104015',
    community: 0,
    shortName: '竹丝岗长者饭堂',
    supplyMode: 'catered',
    operator: 'org-jiajia',
    seats: 20,
    address: '越秀区竹丝岗二马路5号',
    phone: '020-87301456',
    hours: [{ ...LUNCH, days: WEEKDAYS }],
    lunchDiners: 16,
  },
  {
    id: 'ct-binjiang',
    code: 'HZ-2019-003',
    street: '440105001',
    community: 0,
    shortName: '江南大道长者饭堂',
    supplyMode: 'own_kitchen',
    operator: 'org-lingnan',
    seats: 45,
    address: '海珠区江南大道中128号',
    phone: '020-84412345',
    hours: [
      { ...LUNCH, days: ALL_DAYS },
      { ...DINNER, days: ALL_DAYS },
    ],
    lunchDiners: 32,
  },
  {
    id: 'ct-xiaogang',
    code: 'HZ-2020-009',
    street: '440105001',
    community: 1,
    shortName: '晓港湾长者饭堂',
    supplyMode: 'restaurant',
    operator: 'org-jiajia',
    seats: 30,
    address: '海珠区晓港东路66号',
    phone: '020-84290870',
    hours: [{ ...LUNCH, days: WEEKDAYS }],
    lunchDiners: 20,
  },
  {
    id: 'ct-nanhuaxi',
    code: 'HZ-2018-001',
    street: '440105011',
    community: 0,
    shortName: '同庆长者饭堂',
    supplyMode: 'own_kitchen',
    operator: 'org-yikang',
    seats: 40,
    address: '海珠区同庆路3号',
    phone: '020-84441200',
    hours: [
      { ...LUNCH, days: ALL_DAYS },
      { ...DINNER, days: WEEKDAYS },
    ],
    lunchDiners: 26,
  },
  {
    id: 'ct-hongde',
    code: 'HZ-2021-018',
    street: '440105011',
    community: 1,
    shortName: '洪德长者饭堂',
    supplyMode: 'unit_canteen',
    operator: 'org-huicheng',
    seats: 25,
    address: '海珠区洪德路112号',
    phone: '020-84453377',
    hours: [{ ...LUNCH, days: WEEKDAYS }],
    lunchDiners: 15,
  },
];

export interface DishSeed {
  key: string;
  name: string;
  nameEn: string;
  category: string;
  priceFen: number;
  kcal: number;
  proteinG: number;
  fatG: number;
  carbG: number;
  sodiumMg: number;
  sugarG: number;
  tags: string[];
  allergens: string[];
  set?: string[];
}

// prettier-ignore
export const DISHES: DishSeed[] = [
  { key: 'set-a', name: '营养套餐A（两荤一素）', nameEn: 'Set A: two meat, one veg', category: '套餐', priceFen: 1200, kcal: 720, proteinG: 34, fatG: 24, carbG: 92, sodiumMg: 1450, sugarG: 8, tags: ['high_protein'], allergens: ['soy'], set: ['baiqie-ji', 'zhengrou-bing', 'chao-caixin', 'mifan'] },
  { key: 'set-b', name: '营养套餐B（一荤两素）', nameEn: 'Set B: one meat, two veg', category: '套餐', priceFen: 1000, kcal: 610, proteinG: 22, fatG: 18, carbG: 88, sodiumMg: 1200, sugarG: 7, tags: [], allergens: ['egg'], set: ['fanqie-chaodan', 'suanrong-xilanhua', 'mapo-doufu', 'mifan'] },
  { key: 'set-soft', name: '软食套餐', nameEn: 'Soft-food set', category: '套餐', priceFen: 1000, kcal: 520, proteinG: 24, fatG: 14, carbG: 70, sodiumMg: 900, sugarG: 5, tags: ['soft', 'low_salt'], allergens: ['egg', 'fish'], set: ['zhengshuidan', 'yurong-zhou', 'dungua'] },
  { key: 'set-diabetic', name: '控糖套餐', nameEn: 'Low-sugar set', category: '套餐', priceFen: 1200, kcal: 540, proteinG: 30, fatG: 16, carbG: 58, sodiumMg: 1000, sugarG: 3, tags: ['low_sugar', 'high_protein'], allergens: ['fish'], set: ['qingzheng-luyu', 'chao-caixin', 'zaliang-fan'] },
  { key: 'set-veg', name: '素食套餐', nameEn: 'Vegetarian set', category: '套餐', priceFen: 900, kcal: 560, proteinG: 18, fatG: 15, carbG: 86, sodiumMg: 1100, sugarG: 6, tags: ['vegetarian'], allergens: ['soy'], set: ['mapo-doufu', 'chao-caixin', 'mifan'] },
  { key: 'set-big', name: '丰盛套餐（三荤一素）', nameEn: 'Hearty set: three meat, one veg', category: '套餐', priceFen: 1500, kcal: 880, proteinG: 44, fatG: 32, carbG: 96, sodiumMg: 1700, sugarG: 10, tags: ['high_protein'], allergens: ['soy', 'fish'], set: ['baiqie-ji', 'qingzheng-luyu', 'kong-rou', 'chao-caixin', 'mifan'] },
  { key: 'baiqie-ji', name: '白切鸡', nameEn: 'White-cut chicken', category: '荤菜', priceFen: 800, kcal: 260, proteinG: 26, fatG: 16, carbG: 1, sodiumMg: 420, sugarG: 0, tags: ['high_protein'], allergens: [] },
  { key: 'qingzheng-luyu', name: '清蒸鲈鱼', nameEn: 'Steamed sea bass', category: '荤菜', priceFen: 1000, kcal: 180, proteinG: 28, fatG: 6, carbG: 2, sodiumMg: 380, sugarG: 1, tags: ['low_fat', 'low_sugar', 'high_protein'], allergens: ['fish'] },
  { key: 'zhengrou-bing', name: '咸鱼蒸肉饼', nameEn: 'Steamed pork patty with salted fish', category: '荤菜', priceFen: 600, kcal: 240, proteinG: 16, fatG: 17, carbG: 4, sodiumMg: 780, sugarG: 1, tags: ['soft'], allergens: ['fish'] },
  { key: 'kong-rou', name: '梅菜扣肉', nameEn: 'Braised pork belly with preserved greens', category: '荤菜', priceFen: 900, kcal: 420, proteinG: 14, fatG: 36, carbG: 10, sodiumMg: 980, sugarG: 6, tags: [], allergens: ['soy'] },
  { key: 'paigu', name: '豉汁蒸排骨', nameEn: 'Steamed spare ribs in black bean sauce', category: '荤菜', priceFen: 900, kcal: 320, proteinG: 20, fatG: 24, carbG: 5, sodiumMg: 860, sugarG: 2, tags: [], allergens: ['soy'] },
  { key: 'tudou-niurou', name: '土豆炆牛腩', nameEn: 'Beef brisket stewed with potato', category: '荤菜', priceFen: 1000, kcal: 360, proteinG: 24, fatG: 20, carbG: 18, sodiumMg: 820, sugarG: 3, tags: ['soft', 'high_protein'], allergens: ['soy'] },
  { key: 'huajiao-ji', name: '冬菇蒸滑鸡', nameEn: 'Steamed chicken with shiitake', category: '荤菜', priceFen: 800, kcal: 230, proteinG: 24, fatG: 12, carbG: 4, sodiumMg: 560, sugarG: 1, tags: ['soft', 'high_protein'], allergens: ['soy'] },
  { key: 'xiaren-zhengdan', name: '虾仁蒸水蛋', nameEn: 'Steamed egg custard with shrimp', category: '荤菜', priceFen: 700, kcal: 160, proteinG: 15, fatG: 9, carbG: 2, sodiumMg: 420, sugarG: 0, tags: ['soft', 'low_sugar'], allergens: ['egg', 'shellfish'] },
  { key: 'hongshao-yu', name: '红烧鱼块', nameEn: 'Braised fish', category: '荤菜', priceFen: 800, kcal: 240, proteinG: 22, fatG: 12, carbG: 8, sodiumMg: 720, sugarG: 5, tags: [], allergens: ['fish', 'soy'] },
  { key: 'fanqie-chaodan', name: '番茄炒蛋', nameEn: 'Tomato and egg stir-fry', category: '素菜', priceFen: 400, kcal: 180, proteinG: 10, fatG: 12, carbG: 8, sodiumMg: 450, sugarG: 5, tags: ['soft', 'vegetarian'], allergens: ['egg'] },
  { key: 'zhengshuidan', name: '蒸水蛋', nameEn: 'Steamed egg custard', category: '素菜', priceFen: 300, kcal: 120, proteinG: 9, fatG: 8, carbG: 1, sodiumMg: 300, sugarG: 0, tags: ['soft', 'vegetarian', 'low_sugar'], allergens: ['egg'] },
  { key: 'chao-caixin', name: '蒜蓉炒菜心', nameEn: 'Choy sum with garlic', category: '素菜', priceFen: 300, kcal: 90, proteinG: 3, fatG: 6, carbG: 7, sodiumMg: 320, sugarG: 2, tags: ['vegetarian', 'low_sugar', 'low_fat'], allergens: [] },
  { key: 'suanrong-xilanhua', name: '清炒西兰花', nameEn: 'Stir-fried broccoli', category: '素菜', priceFen: 400, kcal: 80, proteinG: 4, fatG: 5, carbG: 7, sodiumMg: 260, sugarG: 2, tags: ['vegetarian', 'low_sugar', 'low_salt', 'low_fat'], allergens: [] },
  { key: 'mapo-doufu', name: '家常豆腐', nameEn: 'Home-style tofu', category: '素菜', priceFen: 400, kcal: 190, proteinG: 12, fatG: 12, carbG: 8, sodiumMg: 640, sugarG: 2, tags: ['soft', 'vegetarian'], allergens: ['soy'] },
  { key: 'dungua', name: '上汤冬瓜', nameEn: 'Winter melon in broth', category: '素菜', priceFen: 300, kcal: 60, proteinG: 2, fatG: 3, carbG: 7, sodiumMg: 380, sugarG: 3, tags: ['soft', 'low_fat', 'low_sugar'], allergens: [] },
  { key: 'qiezi', name: '鱼香茄子', nameEn: 'Fish-fragrant aubergine', category: '素菜', priceFen: 400, kcal: 210, proteinG: 3, fatG: 15, carbG: 16, sodiumMg: 690, sugarG: 8, tags: ['soft', 'vegetarian'], allergens: ['soy'] },
  { key: 'huanggua', name: '凉拌黄瓜', nameEn: 'Smashed cucumber salad', category: '素菜', priceFen: 300, kcal: 50, proteinG: 1, fatG: 3, carbG: 5, sodiumMg: 420, sugarG: 2, tags: ['vegetarian', 'low_fat', 'low_sugar'], allergens: ['sesame'] },
  { key: 'nangua', name: '蒸南瓜', nameEn: 'Steamed pumpkin', category: '素菜', priceFen: 300, kcal: 90, proteinG: 2, fatG: 0, carbG: 20, sodiumMg: 10, sugarG: 8, tags: ['soft', 'vegetarian', 'low_salt', 'low_fat'], allergens: [] },
  { key: 'doujiao', name: '干煸豆角', nameEn: 'Dry-fried green beans', category: '素菜', priceFen: 400, kcal: 150, proteinG: 4, fatG: 10, carbG: 11, sodiumMg: 520, sugarG: 3, tags: ['vegetarian'], allergens: [] },
  { key: 'laohuotang', name: '老火靓汤（玉米胡萝卜猪骨汤）', nameEn: 'Slow-cooked pork bone soup', category: '汤品', priceFen: 300, kcal: 110, proteinG: 6, fatG: 5, carbG: 9, sodiumMg: 480, sugarG: 4, tags: ['soft'], allergens: [] },
  { key: 'dongguatang', name: '冬瓜薏米汤', nameEn: 'Winter melon and barley soup', category: '汤品', priceFen: 300, kcal: 70, proteinG: 2, fatG: 1, carbG: 13, sodiumMg: 320, sugarG: 2, tags: ['soft', 'low_fat', 'low_salt'], allergens: [] },
  { key: 'zicai-tang', name: '紫菜蛋花汤', nameEn: 'Seaweed and egg drop soup', category: '汤品', priceFen: 200, kcal: 60, proteinG: 4, fatG: 3, carbG: 3, sodiumMg: 520, sugarG: 1, tags: ['soft'], allergens: ['egg'] },
  { key: 'yurong-zhou', name: '鱼片粥', nameEn: 'Fish congee', category: '主食', priceFen: 500, kcal: 230, proteinG: 14, fatG: 4, carbG: 34, sodiumMg: 520, sugarG: 1, tags: ['soft', 'low_fat'], allergens: ['fish'] },
  { key: 'shourou-zhou', name: '皮蛋瘦肉粥', nameEn: 'Century egg and pork congee', category: '主食', priceFen: 500, kcal: 250, proteinG: 13, fatG: 6, carbG: 35, sodiumMg: 640, sugarG: 1, tags: ['soft'], allergens: ['egg'] },
  { key: 'mifan', name: '白米饭', nameEn: 'Steamed rice', category: '主食', priceFen: 100, kcal: 230, proteinG: 4, fatG: 0, carbG: 52, sodiumMg: 2, sugarG: 0, tags: ['vegetarian', 'low_salt', 'low_fat'], allergens: [] },
  { key: 'zaliang-fan', name: '杂粮饭', nameEn: 'Mixed-grain rice', category: '主食', priceFen: 200, kcal: 210, proteinG: 6, fatG: 1, carbG: 44, sodiumMg: 4, sugarG: 0, tags: ['vegetarian', 'low_sugar', 'low_salt'], allergens: [] },
  { key: 'mantou', name: '全麦馒头', nameEn: 'Wholemeal steamed bun', category: '主食', priceFen: 100, kcal: 180, proteinG: 6, fatG: 1, carbG: 36, sodiumMg: 180, sugarG: 2, tags: ['vegetarian', 'soft'], allergens: ['wheat'] },
  { key: 'changfen', name: '鲜虾肠粉', nameEn: 'Shrimp rice-noodle roll', category: '早点', priceFen: 600, kcal: 260, proteinG: 12, fatG: 6, carbG: 38, sodiumMg: 720, sugarG: 3, tags: ['soft'], allergens: ['shellfish', 'soy'] },
  { key: 'shaomai', name: '干蒸烧卖（3个）', nameEn: 'Siu mai (3)', category: '早点', priceFen: 500, kcal: 210, proteinG: 10, fatG: 11, carbG: 16, sodiumMg: 540, sugarG: 2, tags: [], allergens: ['wheat', 'shellfish'] },
  { key: 'doujiang', name: '无糖豆浆', nameEn: 'Unsweetened soy milk', category: '早点', priceFen: 200, kcal: 80, proteinG: 7, fatG: 4, carbG: 4, sodiumMg: 20, sugarG: 1, tags: ['vegetarian', 'low_sugar', 'low_salt'], allergens: ['soy'] },
  { key: 'jidan', name: '水煮蛋', nameEn: 'Boiled egg', category: '早点', priceFen: 150, kcal: 70, proteinG: 6, fatG: 5, carbG: 0, sodiumMg: 60, sugarG: 0, tags: ['low_sugar', 'high_protein'], allergens: ['egg'] },
  { key: 'niunai', name: '高钙牛奶', nameEn: 'High-calcium milk', category: '早点', priceFen: 300, kcal: 130, proteinG: 7, fatG: 7, carbG: 10, sodiumMg: 100, sugarG: 10, tags: [], allergens: ['milk'] },
  { key: 'xiangjiao', name: '时令水果（香蕉）', nameEn: 'Seasonal fruit (banana)', category: '水果', priceFen: 200, kcal: 100, proteinG: 1, fatG: 0, carbG: 26, sodiumMg: 1, sugarG: 14, tags: ['vegetarian', 'soft', 'low_salt', 'low_fat'], allergens: [] },
  { key: 'pingguo', name: '时令水果（苹果）', nameEn: 'Seasonal fruit (apple)', category: '水果', priceFen: 200, kcal: 80, proteinG: 0, fatG: 0, carbG: 21, sodiumMg: 1, sugarG: 16, tags: ['vegetarian', 'low_salt', 'low_fat'], allergens: [] },
];

/** Which dishes a slot's menu offers, rotating by day. */
export const LUNCH_ROTATION: string[][] = [
  ['set-a', 'set-b', 'set-soft', 'set-diabetic', 'baiqie-ji', 'qingzheng-luyu', 'fanqie-chaodan', 'chao-caixin', 'laohuotang', 'mifan', 'xiangjiao'],
  ['set-a', 'set-b', 'set-soft', 'set-veg', 'tudou-niurou', 'zhengrou-bing', 'mapo-doufu', 'dungua', 'dongguatang', 'mifan', 'zaliang-fan'],
  ['set-a', 'set-big', 'set-soft', 'set-diabetic', 'paigu', 'huajiao-ji', 'qiezi', 'suanrong-xilanhua', 'zicai-tang', 'mifan', 'pingguo'],
  ['set-a', 'set-b', 'set-soft', 'set-veg', 'kong-rou', 'hongshao-yu', 'zhengshuidan', 'nangua', 'laohuotang', 'mifan', 'mantou'],
  ['set-a', 'set-b', 'set-diabetic', 'set-big', 'xiaren-zhengdan', 'baiqie-ji', 'doujiao', 'huanggua', 'dongguatang', 'mifan', 'xiangjiao'],
];
export const DINNER_ROTATION: string[][] = [
  ['set-a', 'set-soft', 'yurong-zhou', 'shourou-zhou', 'zhengshuidan', 'chao-caixin', 'mifan'],
  ['set-b', 'set-soft', 'set-veg', 'yurong-zhou', 'dungua', 'nangua', 'mifan'],
];
export const BREAKFAST_MENU = ['changfen', 'shaomai', 'doujiang', 'jidan', 'niunai', 'shourou-zhou', 'mantou'];

export const SURNAMES = [
  '陈',
  '李',
  '黄',
  '张',
  '梁',
  '林',
  '刘',
  '吴',
  '罗',
  '何',
  '郑',
  '王',
  '周',
  '梁',
  '谢',
  '冯',
  '邓',
  '曾',
  '彭',
  '麦',
  '苏',
  '叶',
  '卢',
  '蔡',
  '钟',
  '潘',
  '杨',
  '许',
  '朱',
  '郭',
];
export const FEMALE_GIVEN = [
  '秀英',
  '桂芳',
  '玉珍',
  '淑贞',
  '美华',
  '丽娟',
  '惠芬',
  '月娥',
  '凤仪',
  '翠兰',
  '婉仪',
  '少珍',
  '碧霞',
  '金凤',
  '彩云',
  '瑞卿',
  '秀琼',
  '佩玲',
  '妙英',
  '玉兰',
  '素芬',
  '雪梅',
  '銮英',
  '银好',
  '燕芳',
];
export const MALE_GIVEN = [
  '国强',
  '志明',
  '建华',
  '伟雄',
  '炳坤',
  '永年',
  '锦培',
  '德光',
  '汉民',
  '卓文',
  '耀祖',
  '振邦',
  '家驹',
  '伯坚',
  '启明',
  '树德',
  '广荣',
  '润生',
  '达明',
  '景龙',
  '文彬',
  '泽民',
  '冠雄',
  '少华',
  '福全',
];
export const STREET_NAMES: Record<string, string[]> = {
  '440106004': ['石牌东路', '华师西门', '龙口西路', '石牌西路'],
  '440106008': ['员村一横路', '员村二横路', '程界东路'],
  '440106012': ['车陂路', '东圃大马路', '车陂北街'],
  '440104001': ['盐运西路', '北京路', '西湖路'],
  '440104010': ['新河浦路', '寺右新马路', '龟岗大马路'],
  '440104015': ['竹丝岗二马路', '执信南路', '农林下路'],
  '440105001': ['江南大道中', '晓港东路', '滨江东路'],
  '440105011': ['同庆路', '洪德路', '南华西路'],
};
