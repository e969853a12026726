import { describe, expect, it } from 'vitest';
import { lastOrderMissing, lastOrderSummary, sameAsLast } from './menuLogic';
import { item, resident } from './test/kit';

describe('和上次一样', () => {
  const items = [
    item('set-a', 1200, {}, { name: '丰盛套餐（三荤一素）', nameEn: 'Set A: two meat, one veg' }),
    item('rice', 100, {}, { name: '米饭', nameEn: null }),
  ];
  const who = {
    ...resident,
    lastOrder: {
      serviceDate: '2026-11-20',
      mealPeriod: 'lunch' as const,
      lines: [
        { dishId: 'set-a', name: '丰盛套餐（三荤一素）', quantity: 1 },
        { dishId: 'rice', name: '米饭', quantity: 2 },
        { dishId: 'gone', name: '红烧鱼', quantity: 1 },
      ],
    },
  };

  it('names the last order in Chinese as it was stored', () => {
    expect(lastOrderSummary(who, items, 'zh-CN')).toBe('丰盛套餐（三荤一素）×1、米饭×2、红烧鱼×1');
  });

  it('in English, names dishes on today’s menu by their English name (the walk-through saw "Last time: 丰盛套餐（三荤一素）×1")', () => {
    expect(lastOrderSummary(who, items, 'en')).toBe('Set A: two meat, one veg×1, 米饭×2, 红烧鱼×1');
  });

  it('is empty for a guest or a first visit', () => {
    expect(lastOrderSummary(null, items, 'en')).toBe('');
    expect(lastOrderSummary({ ...resident, lastOrder: null }, items, 'en')).toBe('');
  });

  it('says which dishes it cannot add today (sold out, or not on the menu) instead of leaving them out quietly', () => {
    // The walk-through: 清炒西兰花 sold out; the button still read 控糖套餐×1、清炒西兰花×4 and added the set alone.
    const today = [
      item('set-a', 1200, {}, { name: '丰盛套餐（三荤一素）', nameEn: 'Set A: two meat, one veg' }),
      item('rice', 100, { soldOut: true }, { name: '米饭', nameEn: 'Steamed rice' }),
    ];
    expect(sameAsLast(who, today)).toEqual([{ dishId: 'set-a', quantity: 1 }]);
    expect(lastOrderMissing(who, today, 'zh-CN')).toBe('米饭、红烧鱼');
    expect(lastOrderMissing(who, today, 'en')).toBe('Steamed rice, 红烧鱼');
    expect(lastOrderMissing(who, [...items, item('gone', 900)], 'zh-CN')).toBe('');
  });
});
