import { definePolicy } from '../schema';

/**
 * Zhongshan (香山长者饭堂): a ¥13 set meal for ordinary elders (that is the price, no subsidy);
 * free for 低保 and 低保边缘 households. Dates and the 60+ condition are assumptions.
 */
export const zhongshan = definePolicy({
  name: '中山市香山长者饭堂助餐补贴',
  level: 'city',
  areaCode: '4420',
  effectiveFrom: '2024-01-01',
  effectiveTo: null,
  layers: [
    {
      id: 'needy-free',
      name: '低保及低保边缘长者免费就餐',
      payer: '中山市民政局',
      kind: 'meal',
      who: { hukou: 'issuer_area', minAge: 60, categoriesAny: ['dibao', 'dibao_edge'] },
      pays: { type: 'elder_pays_at_most', amountFen: 0 },
    },
  ],
});
