import { yuan } from '../../money';
import { definePolicy } from '../schema';

/** Tianjin: ¥3 a meal, at most 5 times a week. Eligibility (户籍 60+) and dates are assumptions. */
export const tianjin = definePolicy({
  name: '天津市老年助餐补贴',
  level: 'city',
  areaCode: '1201',
  effectiveFrom: '2024-01-01',
  effectiveTo: null,
  layers: [
    {
      id: 'meal',
      name: '助餐补贴',
      payer: '天津市民政局',
      kind: 'meal',
      who: { hukou: 'issuer_area', minAge: 60 },
      pays: { type: 'fixed', amountFen: yuan(3) },
      limits: { perWeek: 5 },
    },
  ],
});
