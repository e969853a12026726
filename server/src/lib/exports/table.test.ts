import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { HOSTILE } from './testing';
import { ExportError, displayWidth, keysetPages, neutralise, prepareCell, table, yuan, type Column } from './table';

describe('yuan', () => {
  it('formats integer fen as yuan text, with optional grouping', () => {
    expect(yuan(1250)).toBe('12.50');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(-5)).toBe('-0.05');
    expect(yuan(0)).toBe('0.00');
    expect(yuan(123456789)).toBe('1234567.89');
    expect(yuan(123456789, { grouping: true })).toBe('1,234,567.89');
    expect(yuan(-100000, { grouping: true })).toBe('-1,000.00');
  });

  it('refuses anything that is not an integer amount of fen', () => {
    expect(() => yuan(12.5)).toThrow(ExportError);
    expect(() => yuan(Number.NaN)).toThrow(ExportError);
    expect(() => yuan(2 ** 60)).toThrow(ExportError);
  });

  test.prop([fc.maxSafeInteger().map((n) => n % 10 ** 15)])('reads back to the same fen for any amount (a year of a city too)', (fen) => {
    const text = yuan(fen, { grouping: true });
    expect(/^-?\d{1,3}(,\d{3})*\.\d\d$/.test(text)).toBe(true);
    expect(Number(text.replace(/[,.]/g, ''))).toBe(fen);
  });
});

describe('neutralise', () => {
  it('puts a quote before every text a spreadsheet would take for a formula', () => {
    for (const h of HOSTILE) expect(neutralise(h)).toBe(`'${h}`);
  });

  it('leaves ordinary text alone', () => {
    for (const s of ['王银好', '配送，独居', '138-0000-0000', 'A=B', '3.50', '', '（空）']) expect(neutralise(s)).toBe(s);
  });
});

describe('displayWidth', () => {
  it('counts CJK and full-width characters double', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('长者饭堂')).toBe(8);
    expect(displayWidth('补贴（元）')).toBe(10);
    expect(displayWidth('A区3号')).toBe(6);
  });
});

describe('cells', () => {
  const col = <R>(c: Column<R>) => table<R>({ title: 't', columns: [c], rows: [] }).columns[0]!;
  const tz = 'Asia/Shanghai';

  it('writes each kind as a person expects', () => {
    expect(prepareCell(col({ header: 'm', value: 'x', kind: 'money' }), 123456, tz)).toEqual({
      number: 1234.56,
      fen: 123456,
      plain: '1234.56',
      display: '1,234.56',
    });
    expect(prepareCell(col({ header: 'n', value: 'x', kind: 'int' }), -12345, tz)).toEqual({ number: -12345, fen: null, plain: '-12345', display: '-12,345' });
    expect(prepareCell(col({ header: 'p', value: 'x', kind: 'percent' }), 0.616, tz).plain).toBe('61.6%');
    expect(prepareCell(col({ header: 'r', value: 'x', kind: 'number', decimals: 1 }), 4.25, tz).plain).toBe('4.3');
    expect(prepareCell(col({ header: 'd', value: 'x', kind: 'date' }), '2026-11-23', tz).plain).toBe('2026-11-23');
    // 2026-11-22 16:30 UTC is already the 23rd in Guangzhou
    expect(prepareCell(col({ header: 'd', value: 'x', kind: 'date' }), new Date('2026-11-22T16:30:00Z'), tz).plain).toBe('2026-11-23');
    expect(prepareCell(col({ header: 't', value: 'x', kind: 'datetime' }), '2026-11-23T04:05:00.000Z', tz).plain).toBe('2026-11-23 12:05');
    expect(prepareCell(col({ header: 't', value: 'x', kind: 'datetime' }), '2026-11-23T04:05:00.000Z', 'Asia/Urumqi').plain).toBe('2026-11-23 10:05');
    expect(prepareCell(col({ header: 's', value: 'x' }), '=1+1', tz)).toEqual({ number: null, fen: null, plain: "'=1+1", display: '=1+1' });
    expect(prepareCell(col({ header: 's', value: 'x' }), null, tz).plain).toBe('');
  });

  it('fails loudly on a value that does not fit its column, naming the column', () => {
    expect(() => prepareCell(col({ header: '补贴', value: 'x', kind: 'money' }), 12.5, tz)).toThrow(/补贴.*integer fen/);
    expect(() => prepareCell(col({ header: '份数', value: 'x', kind: 'int' }), 1.5, tz)).toThrow(ExportError);
    expect(() => prepareCell(col({ header: '日期', value: 'x', kind: 'date' }), '23/11/2026', tz)).toThrow(ExportError);
    expect(() => prepareCell(col({ header: '时间', value: 'x', kind: 'datetime' }), 'soon', tz)).toThrow(ExportError);
    expect(() => prepareCell(col({ header: '姓名', value: 'x' }), { name: 'x' } as unknown as string, tz)).toThrow(ExportError);
    expect(() => table({ title: 't', columns: [{ header: '姓名', value: 'x', total: true }], rows: [] })).toThrow(/only int, money and number/);
  });
});

describe('keysetPages', () => {
  it('reads a source page by page after the last key, and stops on a short page', async () => {
    const ids = Array.from({ length: 2501 }, (_, i) => i + 1);
    const calls: (number | undefined)[] = [];
    const rows: number[] = [];
    for await (const id of keysetPages(
      (after: number | undefined, limit) => {
        calls.push(after);
        return ids.filter((i) => i > (after ?? 0)).slice(0, limit);
      },
      (id) => id,
      1000,
    ))
      rows.push(id);
    expect(rows).toEqual(ids);
    expect(calls).toEqual([undefined, 1000, 2000]);
  });
});
