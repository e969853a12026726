import { yuan } from '../../money';
import { definePolicy } from '../schema';

/**
 * Hefei: diet meals (diabetes → low-sugar dishes, hypertension → low-salt dishes) carry their own subsidy.
 * Expressed with when.dishTagsAny: the layer covers only lines tagged low_sugar or low_salt, and its
 * amount is clamped to what is left of those lines. The ¥2 amount, 60+ condition and dates are
 * illustrative; "family members order and pay remotely" is an ordering/payment feature, not policy.
 */
export const hefeiDietMeals = definePolicy({
  name: '合肥市老年助餐慢病膳食补贴（示例）',
  level: 'city',
  areaCode: '3401',
  effectiveFrom: '2024-01-01',
  effectiveTo: null,
  layers: [
    {
      id: 'diet-meal',
      name: '慢病膳食补贴',
      payer: '合肥市民政局',
      kind: 'meal',
      who: { hukou: 'any', minAge: 60 },
      pays: { type: 'fixed', amountFen: yuan(2) },
      when: { dishTagsAny: ['low_sugar', 'low_salt'] },
    },
  ],
});
