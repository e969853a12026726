import { definePolicy } from '../schema';

/**
 * Hangzhou: 60–79 get 20% off each meal, more for older bands. domain.md gives only the 60–79 figure;
 * the 80+ band below (30% off) is a placeholder to be confirmed against the city's current notice.
 */
export const hangzhou = definePolicy({
  name: '杭州市老年人助餐服务补助',
  level: 'city',
  areaCode: '3301',
  effectiveFrom: '2024-01-01',
  effectiveTo: null,
  layers: [
    {
      id: 'meal',
      name: '助餐折扣补助',
      payer: '杭州市民政局',
      kind: 'meal',
      who: { hukou: 'any', minAge: 60 },
      tiers: [
        { label: '80岁及以上（示例值）', who: { minAge: 80 }, pays: { type: 'percent_off', basisPoints: 3000 } },
        { label: '60至79岁', who: { minAge: 60, maxAge: 79 }, pays: { type: 'percent_off', basisPoints: 2000 } },
      ],
    },
  ],
});
