import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { BOM, writeCsv } from './csv';
import { ExportError, table } from './table';
import { HOSTILE } from './testing';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-csv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Entry {
  at: string;
  resident: string;
  kind: string;
  amountFen: number;
  balanceFen: number;
  note: string | null;
}

const entries = (rows: Iterable<Entry> | AsyncIterable<Entry>) =>
  table<Entry>({
    title: '钱包流水',
    columns: [
      { header: '时间', value: 'at', kind: 'datetime' },
      { header: '长者', value: 'resident' },
      { header: '类型', value: 'kind' },
      { header: '金额（元）', value: 'amountFen', kind: 'money' },
      { header: '余额（元）', value: 'balanceFen', kind: 'money' },
      { header: '备注', value: 'note' },
    ],
    rows,
    totals: true, // ignored by CSV: a CSV stays a plain table
  });

async function writeAndRead(name: string, rows: Iterable<Entry> | AsyncIterable<Entry>): Promise<{ raw: Buffer; text: string; records: string[][] }> {
  const file = path.join(dir, name);
  await writeCsv(fs.createWriteStream(file), entries(rows));
  const raw = fs.readFileSync(file);
  const text = raw.toString('utf8');
  const parsed = Papa.parse<string[]>(text.slice(1), { newline: '\r\n' });
  expect(parsed.errors).toEqual([]);
  return { raw, text, records: parsed.data.filter((r) => r.length > 1 || r[0] !== '') };
}

const sample: Entry[] = [
  { at: '2026-11-23T03:58:00.000Z', resident: '王银好', kind: '充值', amountFen: 10000, balanceFen: 12350, note: '家属代充，"现金"' },
  { at: '2026-11-23T04:05:00.000Z', resident: '王银好', kind: '消费', amountFen: -350, balanceFen: 12000, note: null },
  { at: '2026-11-23T04:20:00.000Z', resident: '陈伯', kind: '退款', amountFen: 350, balanceFen: 700, note: '多行\r\n备注, 含逗号' },
];

describe('writeCsv', () => {
  it('writes UTF-8 with a BOM, CRLF line ends and Chinese headers, and reads back as written', async () => {
    const { raw, text, records } = await writeAndRead('wallet.csv', sample);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.startsWith(BOM + '时间,长者,类型,金额（元）,余额（元）,备注\r\n')).toBe(true);
    // every record ends with CRLF; the only bare LF is inside the quoted note
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
    expect(records).toEqual([
      ['时间', '长者', '类型', '金额（元）', '余额（元）', '备注'],
      ['2026-11-23 11:58', '王银好', '充值', '100.00', '123.50', '家属代充，"现金"'],
      ['2026-11-23 12:05', '王银好', '消费', '-3.50', '120.00', ''],
      ['2026-11-23 12:20', '陈伯', '退款', '3.50', '7.00', '多行\r\n备注, 含逗号'],
    ]);
  });

  it('neutralises formula-like text; a negative amount stays a plain number', async () => {
    const rows = HOSTILE.map((h, i): Entry => ({
      at: '2026-11-23T04:05:00.000Z',
      resident: h,
      kind: '消费',
      amountFen: -350 * (i + 1),
      balanceFen: 0,
      note: h,
    }));
    const { records } = await writeAndRead('hostile.csv', rows);
    HOSTILE.forEach((h, i) => {
      const record = records[i + 1]!;
      expect(record[1]).toBe(`'${h}`);
      expect(record[5]).toBe(`'${h}`);
      expect(record[3]).toBe(`-${(3.5 * (i + 1)).toFixed(2)}`);
    });
    // no cell of the file, as a spreadsheet splits it, starts with a formula character
    for (const record of records) for (const cell of record) expect(cell).not.toMatch(/^[=+@\t\r]/);
  });

  it('streams a large list in batches and ends with every row', async () => {
    const total = 25_000;
    let read = 0;
    let bytes = 0;
    let bytesWhenHalfway = -1;
    async function* source(): AsyncGenerator<Entry> {
      for (let i = 0; i < total; i++) {
        read++;
        if (i === total / 2) bytesWhenHalfway = bytes;
        yield { ...sample[i % 3]!, amountFen: i };
      }
    }
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => {
      bytes += c.length;
      chunks.push(c);
    });
    await writeCsv(out, entries(source()));
    expect(read).toBe(total);
    expect(bytesWhenHalfway).toBeGreaterThan(0);
    const records = Papa.parse<string[]>(Buffer.concat(chunks).toString('utf8').slice(1), { newline: '\r\n', skipEmptyLines: true }).data;
    expect(records).toHaveLength(total + 1);
    expect(records[total]![3]).toBe('249.99');
  });

  it('stops reading rows when the reader goes away', async () => {
    let closed = false;
    async function* endless(): AsyncGenerator<Entry> {
      try {
        for (;;) yield sample[0]!;
      } finally {
        closed = true;
      }
    }
    const out = new PassThrough();
    out.on('data', () => out.destroy());
    await expect(writeCsv(out, entries(endless()))).rejects.toThrow(ExportError);
    expect(closed).toBe(true);
  });
});
