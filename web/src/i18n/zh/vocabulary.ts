import { BASE_DISH_TAG_LABELS } from '@yishi/shared/policy';
import { CATEGORY_LABELS } from '@yishi/shared/domain';
/** Labels of the shared vocabulary (shared/src/domain/enums.ts): one entry per code. */
const vocabulary = {
  roles: { operator: '运营机构', street: '街道', district: '区民政', city: '市民政', admin: '平台管理员' },
  mealPeriods: { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' },
  supplyModes: {
    own_kitchen: '自主供给',
    unit_canteen: '单位食堂专区',
    catered: '集体用餐配送',
    restaurant: '餐饮门店',
    care_institution: '养老机构辐射',
    neighbour_help: '邻里互助',
  },
  canteenStatus: { open: '营业', suspended: '暂停', closed: '关闭' },
  orderStates: { awaiting_payment: '待付款', paid: '已付款', ready: '待取餐', completed: '已完成', cancelled: '已取消', refunded: '已退款' },
  paymentMethods: { wallet: '钱包', cash: '现金', external: '外部支付' },
  identifyMethods: { card: '刷卡', qr: '二维码', phone_pin: '手机+密码', staff: '工作人员代录', guest: '散客' },
  fulfilments: { dine_in: '堂食', delivery: '送餐' },
  staffReasons: { forgot_card: '忘带卡', card_damaged: '卡损坏', on_behalf: '代办', other: '其他' },
  categoryStates: { pending: '待审核', approved: '已批准', rejected: '已驳回' },
  categories: CATEGORY_LABELS.zh,
  residentStatus: { active: '在册', deceased: '已故', moved: '已迁出', institutionalised: '入住机构' },
  disability: { none: '无', light: '轻度', moderate: '中度', severe: '重度' },
  gender: { female: '女', male: '男' },
  dietNeeds: { diabetes: '糖尿病饮食', hypertension: '高血压（低盐）', soft_food: '软食', vegetarian: '素食', low_fat: '低脂' },
  disabilityGrades: { 0: '无残疾证', 1: '一级', 2: '二级', 3: '三级', 4: '四级' },
  dishTags: BASE_DISH_TAG_LABELS.zh,
  allergens: { peanut: '花生', tree_nut: '坚果', milk: '奶', egg: '蛋', fish: '鱼', shellfish: '贝类/甲壳类', soy: '大豆', wheat: '小麦', sesame: '芝麻' },
  cardKinds: { ss_card: '社保卡', senior_card: '老年优待卡', qr: '二维码' },
  payoutMethods: { cash: '现金', transfer: '转账' },
  walletKinds: { topup: '充值', payment: '消费', refund: '退款', adjustment: '调整', payout: '余额退付' },
  weekdays: { 1: '周一', 2: '周二', 3: '周三', 4: '周四', 5: '周五', 6: '周六', 7: '周日' },
};

export default vocabulary;
