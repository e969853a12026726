import { yuan } from '../../money';
import { definePolicy } from '../schema';

/**
 * The Zengcheng town example from domain.md (a ¥12 meal, before 2024): city ¥3 + district ¥3 + town the
 * rest, so that needy elders pay ¥1, 80+ pay ¥3 and 60–79 pay ¥5. Stacked on `guangzhou2024` for the
 * city part. Eating outside one's own district loses the district layer; outside one's own town loses
 * the town layer. The town code and amounts are illustrative.
 */
export const ZENGCHENG_DISTRICT = '440118';
export const ZENGCHENG_DEMO_TOWN = '440118100';

export const zengchengDistrict = definePolicy({
  name: '增城区长者饭堂区级补贴（示例）',
  level: 'district',
  areaCode: ZENGCHENG_DISTRICT,
  effectiveFrom: '2024-04-01',
  effectiveTo: null,
  layers: [
    {
      id: 'district-meal',
      name: '区级就餐补贴',
      payer: '增城区民政局',
      kind: 'meal',
      who: { hukou: 'issuer_area', minAge: 60 },
      pays: { type: 'fixed', amountFen: yuan(3) },
      when: { mealPeriods: ['lunch', 'dinner'] },
      where: 'own_district',
    },
  ],
});

export const zengchengTown = definePolicy({
  name: '增城区示例镇长者饭堂镇级补贴（示例）',
  level: 'street',
  areaCode: ZENGCHENG_DEMO_TOWN,
  effectiveFrom: '2024-04-01',
  effectiveTo: null,
  layers: [
    {
      id: 'town-meal',
      name: '镇级就餐补贴（补足差额）',
      payer: '示例镇人民政府',
      kind: 'meal',
      who: { hukou: 'issuer_area', minAge: 60 },
      tiers: [
        { label: '困难长者', who: { categoriesAny: ['tekun', 'dibao', 'dibao_edge'] }, pays: { type: 'elder_pays_at_most', amountFen: yuan(1) } },
        { label: '80岁及以上', who: { minAge: 80 }, pays: { type: 'elder_pays_at_most', amountFen: yuan(3) } },
        { label: '60至79岁', who: { minAge: 60, maxAge: 79 }, pays: { type: 'elder_pays_at_most', amountFen: yuan(5) } },
      ],
      when: { mealPeriods: ['lunch', 'dinner'] },
      where: 'own_street',
    },
  ],
});
