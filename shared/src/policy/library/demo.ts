import { yuan } from '../../money';
import { definePolicy } from '../schema';

/**
 * Demo district policies (not published rules) that show the rule kinds added for issue 14, each with its
 * amounts stated here so the tests and docs/policy.md can check them to the fen. They stack on
 * guangzhou2024 like any district policy.
 */

/**
 * 海珠区 (demo): breakfast ¥2 a meal, lunch and dinner ¥4 a meal, at most ¥6 per elder per day in all
 * (one daily allowance the three meal layers draw from, summed from the elder's own history). For elders
 * with Guangzhou 户籍 OR living in Haizhu (常住 / 居住证): someone who is both is paid once. At any canteen
 * in Haizhu.
 */
export const haizhuDailyAllowance = definePolicy({
  name: '海珠区长者助餐每日补贴（示例）',
  level: 'district',
  areaCode: '440105',
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
  layers: [
    {
      id: 'breakfast',
      name: '早餐补贴',
      payer: '海珠区民政局',
      kind: 'meal',
      who: { hukou: 'city', residence: 'issuer_area', hukouOrResidence: true, minAge: 60 },
      pays: { type: 'fixed', amountFen: yuan(2) },
      when: { mealPeriods: ['breakfast'] },
      limits: { allowance: { period: 'day', amountFen: yuan(6), pool: 'daily' }, minMealPriceFen: yuan(3) },
    },
    {
      id: 'lunch-dinner',
      name: '午晚餐补贴',
      payer: '海珠区民政局',
      kind: 'meal',
      who: { hukou: 'city', residence: 'issuer_area', hukouOrResidence: true, minAge: 60 },
      pays: { type: 'fixed', amountFen: yuan(4) },
      when: { mealPeriods: ['lunch', 'dinner'] },
      limits: { allowance: { period: 'day', amountFen: yuan(6), pool: 'daily' }, minMealPriceFen: yuan(5) },
    },
  ],
});

/**
 * 白云区 (demo): diet meals and basic set meals. Dishes are tagged from the base list plus two tags this
 * policy declares: 基本套餐 (basic_set) and 加点菜品 (extra, dishes ordered on top of a set).
 * - 慢病膳食补贴: ¥5 on low-sugar or low-salt dishes that are not extras; when it pays, it takes the place
 *   of the basic subsidy for that meal instead of stacking with it.
 * - 基本套餐补贴: half the price of the basic sets in the meal, at most ¥4; extras never count (not in
 *   the base, not towards the ¥6 minimum).
 */
export const baiyunDietMeals = definePolicy({
  name: '白云区长者膳食补贴（示例）',
  level: 'district',
  areaCode: '440111',
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
  dishTags: [
    { code: 'basic_set', zh: '基本套餐', en: 'basic set meal' },
    { code: 'extra', zh: '加点菜品', en: 'extra dish' },
  ],
  layers: [
    {
      id: 'diet',
      name: '慢病膳食补贴',
      payer: '白云区民政局',
      kind: 'meal',
      who: { hukou: 'issuer_area', minAge: 60 },
      pays: { type: 'fixed', amountFen: yuan(5) },
      when: { mealPeriods: ['lunch', 'dinner'], dishTagsAny: ['low_sugar', 'low_salt'], dishTagsNone: ['extra'] },
      replaces: ['basic'],
    },
    {
      id: 'basic',
      name: '基本套餐补贴',
      payer: '白云区民政局',
      kind: 'meal',
      who: { hukou: 'issuer_area', minAge: 60 },
      pays: { type: 'fraction', numerator: 1, denominator: 2, capFen: yuan(4) },
      when: { mealPeriods: ['lunch', 'dinner'], dishTagsAny: ['basic_set'], dishTagsNone: ['extra'] },
      limits: { minMealPriceFen: yuan(6) },
    },
  ],
});

/**
 * 荔湾区 (demo): "the district pays ¥5 and the elder pays at most ¥8" for 低保 and 特困 elders, stated for
 * every price: the two meet at ¥13 (after the city's share). Below it the district still pays ¥5 and the
 * elder pays less; above it the district pays the rest so the elder never pays more than ¥8.
 */
export const liwanCap = definePolicy({
  name: '荔湾区困难长者助餐补贴（示例）',
  level: 'district',
  areaCode: '440103',
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
  layers: [
    {
      id: 'needy',
      name: '困难长者助餐补贴',
      payer: '荔湾区民政局',
      kind: 'meal',
      who: { hukou: 'issuer_area', minAge: 60, categoriesAny: ['dibao', 'tekun'] },
      pays: { type: 'amount_and_elder_cap', amountFen: yuan(5), elderPaysAtMostFen: yuan(8), belowMeet: 'elder_pays_less', aboveMeet: 'layer_pays_more' },
      when: { mealPeriods: ['lunch', 'dinner'] },
      where: 'own_district',
      limits: { minMealPriceFen: yuan(5) },
    },
  ],
});
