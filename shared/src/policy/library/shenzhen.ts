import { yuan } from '../../money';
import { definePolicy, type PolicyDocumentInput } from '../schema';

type LayerInput = PolicyDocumentInput['layers'][number];

/** Key protected groups (重点保障对象) and 户籍 70–99, as tiers shared by all Shenzhen layers. */
const KEY_GROUPS = ['tekun', 'dibao', 'dibao_edge', 'jisheng_special', 'centenarian'] as const;

const common = {
  who: { hukou: 'issuer_area' },
  when: { mealPeriods: ['lunch'], workingDaysOnly: true },
  where: 'own_district',
} satisfies Partial<LayerInput>;

/**
 * Shenzhen: key protected groups (特困, 低保, 低保边缘, bereaved only-child families, 100+) up to ¥15 of
 * actual spend per meal; 户籍 70–99 up to ¥5; working-day lunch only; only in the elder's own 户籍
 * district; ¥2 delivery and ¥2 operating subsidy to the operator. Dates are illustrative.
 *
 * Futian's "operator advances the subsidy and claims quarterly" is a settlement rule, not pricing: it
 * belongs to the claims configuration, not to this document (see docs/policy.md).
 */
export const shenzhen = definePolicy({
  name: '深圳市长者助餐服务补贴',
  level: 'city',
  areaCode: '4403',
  effectiveFrom: '2024-01-01',
  effectiveTo: null,
  layers: [
    {
      id: 'meal',
      name: '助餐补贴',
      payer: '深圳市民政局',
      kind: 'meal',
      ...common,
      tiers: [
        { label: '重点保障对象', who: { minAge: 60, categoriesAny: [...KEY_GROUPS] }, pays: { type: 'actual_spend_up_to', amountFen: yuan(15) } },
        { label: '百岁老人', who: { minAge: 100 }, pays: { type: 'actual_spend_up_to', amountFen: yuan(15) } },
        { label: '70至99岁户籍长者', who: { minAge: 70, maxAge: 99 }, pays: { type: 'actual_spend_up_to', amountFen: yuan(5) } },
      ],
    },
    {
      id: 'delivery',
      name: '送餐补贴',
      payer: '深圳市民政局',
      kind: 'delivery',
      ...common,
      tiers: [
        { label: '重点保障对象', who: { minAge: 60, categoriesAny: [...KEY_GROUPS] }, pays: { type: 'fixed', amountFen: yuan(2) } },
        { label: '70岁及以上户籍长者', who: { minAge: 70 }, pays: { type: 'fixed', amountFen: yuan(2) } },
      ],
    },
    {
      id: 'operating',
      name: '运营补贴',
      payer: '深圳市民政局',
      kind: 'operating',
      ...common,
      tiers: [
        { label: '重点保障对象', who: { minAge: 60, categoriesAny: [...KEY_GROUPS] }, pays: { type: 'fixed', amountFen: yuan(2) } },
        { label: '70岁及以上户籍长者', who: { minAge: 70 }, pays: { type: 'fixed', amountFen: yuan(2) } },
      ],
    },
  ],
});
