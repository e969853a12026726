import { describe, expect, it } from 'vitest';
import { CATEGORY_PRIORITY, orderCategoryOn } from './categories';
import { RESIDENT_CATEGORIES } from './enums';

describe('orderCategoryOn', () => {
  it('ranks every resident category once', () => {
    expect([...CATEGORY_PRIORITY].sort()).toEqual([...RESIDENT_CATEGORIES].sort());
  });
  it('takes the most needy category valid on the date, else ordinary', () => {
    const cats = [
      { code: 'lives_alone', validFrom: '2020-01-01', validTo: null },
      { code: 'dibao', validFrom: '2026-01-01', validTo: '2026-06-30' },
    ];
    expect(orderCategoryOn(cats, '2026-03-01')).toBe('dibao');
    expect(orderCategoryOn(cats, '2026-07-01')).toBe('lives_alone');
    expect(orderCategoryOn(cats, '2019-12-31')).toBe('ordinary');
    expect(orderCategoryOn([], '2026-03-01')).toBe('ordinary');
  });
});
