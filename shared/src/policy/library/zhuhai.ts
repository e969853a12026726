import { yuan } from '../../money';
import { definePolicy } from '../schema';

/**
 * Zhuhai: subsidy only if the meal costs at least ¥10; city ¥3 + district ¥3, at most once a day.
 * Both shares are layers of one document so every district's share applies wherever the canteen is;
 * the district layer's payer is "the canteen's district". Eligibility (户籍 60+) and dates are assumptions.
 */
export const zhuhai = definePolicy({
  name: '珠海市长者饭堂助餐补贴',
  level: 'city',
  areaCode: '4404',
  effectiveFrom: '2024-01-01',
  effectiveTo: null,
  layers: [
    {
      id: 'city-meal',
      name: '市级助餐补贴',
      payer: '珠海市民政局',
      kind: 'meal',
      who: { hukou: 'issuer_area', minAge: 60 },
      pays: { type: 'fixed', amountFen: yuan(3) },
      limits: { perDay: 1, minMealPriceFen: yuan(10) },
    },
    {
      id: 'district-meal',
      name: '区级助餐补贴',
      payer: '饭堂所在区民政局',
      kind: 'meal',
      who: { hukou: 'issuer_area', minAge: 60 },
      pays: { type: 'fixed', amountFen: yuan(3) },
      limits: { perDay: 1, minMealPriceFen: yuan(10) },
    },
  ],
});
