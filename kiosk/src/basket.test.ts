import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate } from '@yishi/shared/money';
import type { Quote } from '@yishi/shared/schemas';
import { billFromQuote, listBill } from './basket';
import { item, kioskState } from './test/kit';

function quoteOf(lines: { price: number; qty: number }[], subsidy: number): Quote {
  const totals = lines.map((l) => l.price * l.qty);
  const meal = totals.reduce((a, b) => a + b, 0);
  const s = Math.min(subsidy, meal);
  const shares = meal === 0 ? totals.map(() => 0) : allocate(s, totals);
  return {
    canteenId: 'c1',
    residentId: 'r1',
    serviceDate: '2026-11-23',
    mealPeriod: 'lunch',
    fulfilment: 'dine_in',
    mealPriceFen: meal,
    elderSubsidyFen: s,
    elderPaysFen: meal - s,
    operatorSubsidyFen: 0,
    lines: lines.map((l, i) => ({
      dishId: `d${i}`,
      name: `d${i}`,
      unitPriceFen: l.price,
      quantity: l.qty,
      lineTotalFen: totals[i]!,
      elderSubsidyFen: shares[i]!,
    })),
    subsidies: [],
    balanceFen: null,
    balanceAfterFen: null,
    policyVersionIds: [],
    quoteId: 'q-test',
  };
}

describe('the bill shown in the basket and on the confirm screen', () => {
  it('per-line figures always add up to what is charged (any basket, any subsidy)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ price: fc.integer({ min: 0, max: 5000 }), qty: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 20_000 }),
        (lines, subsidy) => {
          const q = quoteOf(lines, subsidy);
          const bill = billFromQuote(q);
          expect(bill.lines.every((l) => l.paysFen !== null)).toBe(true);
          expect(bill.lines.reduce((n, l) => n + l.paysFen!, 0)).toBe(q.elderPaysFen);
          expect(bill.elderPaysFen).toBe(q.elderPaysFen);
        },
      ),
    );
  });

  it('黄伯坚 pays ¥1 for two dishes: the lines show ¥1 between them, not ¥1 each', () => {
    const q = quoteOf(
      [
        { price: 1200, qty: 1 },
        { price: 300, qty: 1 },
      ],
      1400,
    );
    const bill = billFromQuote(q);
    expect(bill.lines.map((l) => l.paysFen)).toEqual([80, 20]);
    expect(bill.elderPaysFen).toBe(100);
  });

  it('shows no per-line figure if the server split did not add up', () => {
    const q = quoteOf([{ price: 1200, qty: 1 }], 300);
    const broken = { ...q, lines: q.lines.map((l) => ({ ...l, elderSubsidyFen: l.elderSubsidyFen + 1 })) };
    expect(billFromQuote(broken).lines.map((l) => l.paysFen)).toEqual([null]);
  });

  it("a guest's bill at list prices when the server cannot be reached", () => {
    const menu = kioskState([item('fish', 800), item('rice', 100)]).menu;
    const bill = listBill(
      [
        { dishId: 'fish', quantity: 2, name: 'fish', nameEn: null },
        { dishId: 'rice', quantity: 1, name: 'rice', nameEn: null },
      ],
      menu,
    );
    expect(bill).toMatchObject({ source: 'list', mealPriceFen: 1700, elderPaysFen: 1700, elderSubsidyFen: 0 });
    expect(listBill([{ dishId: 'gone', quantity: 1, name: 'x', nameEn: null }], menu)).toBeNull();
  });
});
