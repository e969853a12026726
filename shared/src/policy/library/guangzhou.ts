import { yuan } from '../../money';
import { definePolicy } from '../schema';

/**
 * The smallest meal any Guangzhou city layer subsidises: ¥5. A design choice, not a published figure (see
 * docs/policy.md, "Minimum price"): below ¥4 the city's money for a meal (a quarter of the price plus the ¥3
 * operating subsidy) would exceed the meal itself, so a ¥0 or nominal dish keyed for a resident must earn
 * nothing. ¥5 is the first whole yuan clear of that, and the smallest real lunch (rice with one dish, a bowl
 * of congee) still qualifies.
 */
export const GUANGZHOU_MIN_MEAL_PRICE_FEN = yuan(5);

/**
 * Guangzhou city rules, 穗民规字〔2024〕3号, in force 2024-04-01 for five years.
 * Lunch and dinner only, one count per person per meal period (the default limit). Every layer (meal,
 * delivery, operating) needs a meal of at least GUANGZHOU_MIN_MEAL_PRICE_FEN.
 */
export const guangzhou2024 = definePolicy({
  name: '广州市长者助餐配餐补贴（穗民规字〔2024〕3号）',
  level: 'city',
  areaCode: '4401',
  effectiveFrom: '2024-04-01',
  effectiveTo: '2029-03-31',
  layers: [
    {
      id: 'meal',
      name: '就餐补贴',
      payer: '广州市民政局',
      kind: 'meal',
      who: { hukou: 'issuer_area', minAge: 60 },
      pays: { type: 'fraction', numerator: 1, denominator: 4, capFen: yuan(3) },
      when: { mealPeriods: ['lunch', 'dinner'] },
      limits: { minMealPriceFen: GUANGZHOU_MIN_MEAL_PRICE_FEN },
    },
    {
      id: 'delivery',
      name: '送餐补贴',
      payer: '广州市民政局',
      kind: 'delivery',
      who: { hukou: 'issuer_area', minAge: 60, careLevels: [1, 2, 3, 4, 5] },
      pays: {
        type: 'by_care_level',
        amounts: [
          { minLevel: 1, maxLevel: 2, amountFen: yuan(2) },
          { minLevel: 3, maxLevel: 5, amountFen: yuan(4) },
        ],
      },
      when: { mealPeriods: ['lunch', 'dinner'], fulfilment: ['delivery'] },
      limits: { minMealPriceFen: GUANGZHOU_MIN_MEAL_PRICE_FEN },
    },
    {
      id: 'operating',
      name: '运营补贴',
      payer: '广州市民政局',
      kind: 'operating',
      who: { hukou: 'issuer_area', minAge: 60 },
      pays: {
        type: 'by_supply_mode',
        amounts: {
          own_kitchen: yuan(3),
          unit_canteen: yuan(1.5),
          catered: yuan(1.5),
          restaurant: yuan(1.5),
          care_institution: yuan(1.5),
          neighbour_help: yuan(0),
        },
      },
      when: { mealPeriods: ['lunch', 'dinner'] },
      limits: { minMealPriceFen: GUANGZHOU_MIN_MEAL_PRICE_FEN },
    },
  ],
});

/**
 * Demo district top-up for 天河区 (not a published rule): 特困/低保 pay at most ¥1; other Tianhe 户籍
 * elders aged 80+ get a further ¥2. Only at canteens in the elder's own (户籍) district, and, like the city's
 * layers, only for a meal of at least GUANGZHOU_MIN_MEAL_PRICE_FEN (a ¥1 dish keyed for an 80-year-old earns
 * nothing).
 */
export const tianheTopUp = definePolicy({
  name: '天河区长者助餐补贴提标（示例）',
  level: 'district',
  areaCode: '440106',
  effectiveFrom: '2024-04-01',
  effectiveTo: null,
  layers: [
    {
      id: 'top-up',
      name: '天河区助餐提标补贴',
      payer: '天河区民政局',
      kind: 'meal',
      who: { hukou: 'issuer_area', minAge: 60 },
      tiers: [
        { label: '特困/低保', who: { categoriesAny: ['tekun', 'dibao'] }, pays: { type: 'elder_pays_at_most', amountFen: yuan(1) } },
        { label: '80岁及以上', who: { minAge: 80 }, pays: { type: 'fixed', amountFen: yuan(2) } },
      ],
      when: { mealPeriods: ['lunch', 'dinner'] },
      where: 'own_district',
      limits: { minMealPriceFen: GUANGZHOU_MIN_MEAL_PRICE_FEN },
    },
  ],
});
