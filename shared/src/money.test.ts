import { describe, expect, it } from 'vitest';
import { test as ftest, fc } from '@fast-check/vitest';
import { add, allocate, bps, fen, formatYuan, MoneyError, parseYuan, ratio, speakYuanZh, yuan } from './money';

describe('money', () => {
  it('refuses floats and out-of-range values', () => {
    expect(() => fen(1.5)).toThrow(MoneyError);
    expect(() => fen(Number.NaN)).toThrow(MoneyError);
    expect(() => fen(2e12)).toThrow(MoneyError);
    expect(fen(300)).toBe(300);
  });
  it('rounds ratios half away from zero, once', () => {
    expect(ratio(1200, 1, 4)).toBe(300);
    expect(ratio(1000, 1, 4)).toBe(250);
    expect(ratio(1001, 1, 4)).toBe(250); // 250.25
    expect(ratio(1002, 1, 4)).toBe(251); // 250.5
    expect(ratio(-1002, 1, 4)).toBe(-251);
    expect(bps(1200, 2000)).toBe(240);
    expect(yuan(12.5)).toBe(1250);
  });
  it('formats and speaks yuan', () => {
    expect(formatYuan(1250)).toBe('¥12.50');
    expect(formatYuan(-5)).toBe('-¥0.05');
    expect(formatYuan(12345678)).toBe('¥123,456.78');
    expect(formatYuan(-1200)).toBe('-¥12.00');
    expect(formatYuan(-123456789)).toBe('-¥1,234,567.89');
    expect(formatYuan(99999)).toBe('¥999.99');
    expect(formatYuan(100000)).toBe('¥1,000.00');
    expect(formatYuan(12345678, { symbol: false })).toBe('123,456.78');
    expect(formatYuan(12345678, { symbol: false, grouping: false })).toBe('123456.78');
    expect(speakYuanZh(1250)).toBe('12元5角');
    expect(speakYuanZh(300)).toBe('3元');
    expect(speakYuanZh(0)).toBe('0元');
  });
  it('parses typed yuan exactly', () => {
    expect(parseYuan('12')).toBe(1200);
    expect(parseYuan('12.5')).toBe(1250);
    expect(parseYuan('0.07')).toBe(7);
    expect(parseYuan('12.555')).toBeNull();
    expect(parseYuan('abc')).toBeNull();
  });
  it('allocates with largest remainder', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
    expect(() => allocate(5, [0, 0])).toThrow(MoneyError);
  });
  ftest.prop([fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 })])(
    'allocate: parts sum to the total and each is within one fen of its exact share',
    (total, weights) => {
      const sum = weights.reduce((s, w) => s + w, 0);
      fc.pre(sum > 0);
      const parts = allocate(total, weights);
      expect(add(...parts)).toBe(total);
      parts.forEach((p, i) => {
        const exact = (total * weights[i]!) / sum;
        expect(Math.abs(p - exact)).toBeLessThan(1);
      });
    },
  );
  ftest.prop([fc.integer({ min: 0, max: 10_000_000 })])('format/parse round-trip (the text of an input: no symbol, no grouping)', (amount) => {
    expect(parseYuan(formatYuan(amount, { symbol: false, grouping: false }))).toBe(amount);
  });
});
