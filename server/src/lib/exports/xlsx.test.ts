import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { ExportError, table, type ExportMeta } from './table';
import { HOSTILE } from './testing';
import { MONEY_FORMAT, writeXlsx } from './xlsx';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-xlsx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const meta: ExportMeta = { exportedBy: '李敏（石牌街道）', scope: '石牌街道 · 2026年11月', exportedAt: new Date('2026-12-01T01:30:00Z') };

interface Line {
  date: string;
  name: string;
  category: string;
  meals: number;
  subsidyFen: number;
  placedAt: string;
}

function lines(n: number): Line[] {
  const names = ['王银好', '陈伯', '李阿姨', '张桂英'];
  return Array.from({ length: n }, (_, i) => ({
    date: `2026-11-${String((i % 30) + 1).padStart(2, '0')}`,
    name: names[i % 4]!,
    category: i % 2 ? '低保' : '特困供养',
    meals: (i % 3) + 1,
    subsidyFen: 350 * ((i % 3) + 1),
    placedAt: new Date(Date.UTC(2026, 10, (i % 30) + 1, 3, 45)).toISOString(),
  }));
}

const claimLines = (rows: Iterable<Line> | AsyncIterable<Line>, title = '2026年11月 补贴明细') =>
  table<Line>({
    title,
    subtitle: '天河区 · 石牌街道 · 颐康长者饭堂',
    columns: [
      { header: '服务日期', value: 'date', kind: 'date' },
      { header: '长者', value: 'name' },
      { header: '类别', value: 'category' },
      { header: '份数', value: 'meals', kind: 'int', total: true },
      { header: '补贴', value: 'subsidyFen', kind: 'money', total: true },
      { header: '下单时间', value: 'placedAt', kind: 'datetime' },
    ],
    rows,
    totals: true,
  });

async function writeFile(name: string, build: (out: Writable) => Promise<void>): Promise<ExcelJS.Workbook> {
  const file = path.join(dir, name);
  await build(fs.createWriteStream(file));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

describe('writeXlsx', () => {
  it('writes a styled sheet a reviewer can read, filter and print', async () => {
    const wb = await writeFile('claim.xlsx', (out) => writeXlsx(out, [claimLines(lines(40))], meta));
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe('2026年11月 补贴明细');

    // title, subtitle, then who / when / what
    expect(ws.getCell('A1').value).toBe('2026年11月 补贴明细');
    expect(ws.getCell('A1').font.bold).toBe(true);
    expect(ws.model.merges).toEqual(expect.arrayContaining(['A1:F1', 'A2:F2', 'A3:F3']));
    expect(ws.getCell('A2').value).toBe('天河区 · 石牌街道 · 颐康长者饭堂');
    expect(ws.getCell('A3').value).toBe('范围：石牌街道 · 2026年11月 ｜ 导出人：李敏（石牌街道） ｜ 导出时间：2026-12-01 09:30');

    // Chinese headers: bold, filled, frozen under them, with an autofilter over the data
    const header = ws.getRow(4);
    expect(header.values).toEqual([undefined, '服务日期', '长者', '类别', '份数', '补贴', '下单时间']);
    for (let c = 1; c <= 6; c++) {
      expect(header.getCell(c).font.bold).toBe(true);
      expect(header.getCell(c).fill).toMatchObject({ type: 'pattern', pattern: 'solid' });
    }
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(ws.autoFilter).toBe('A4:F44');

    // numbers as numbers, money as yuan with the ¥ format, dates as text
    const first = ws.getRow(5);
    expect(first.getCell(1).value).toBe('2026-11-01');
    expect(first.getCell(4).value).toBe(1);
    expect(first.getCell(4).type).toBe(ExcelJS.ValueType.Number);
    expect(first.getCell(5).value).toBe(3.5);
    expect(first.getCell(5).numFmt).toBe(MONEY_FORMAT);
    expect(first.getCell(6).value).toBe('2026-11-01 11:45');

    // totals row, summed from integer fen
    const totals = ws.getRow(45);
    expect(totals.getCell(1).value).toBe('合计');
    expect(totals.getCell(1).font.bold).toBe(true);
    const expected = lines(40).reduce((s, l) => s + l.subsidyFen, 0);
    expect(totals.getCell(5).value).toBe(expected / 100);
    expect(totals.getCell(4).value).toBe(lines(40).reduce((s, l) => s + l.meals, 0));
    expect(ws.rowCount).toBe(45);

    // printing: A4, header row on every page, page numbers in the footer; document properties
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '4:4' });
    expect(ws.headerFooter.oddFooter).toContain('第 &P 页 / 共 &N 页');
    expect(ws.headerFooter.oddFooter).toContain('李敏（石牌街道）');
    expect(wb.creator).toBe('李敏（石牌街道）');
    expect(wb.subject).toBe('石牌街道 · 2026年11月');
  });

  it('sums money in integer fen, so the total is the exact yuan figure (0.10 + 0.20 = 0.30, not 0.30000000000000004)', async () => {
    const rows = [{ fen: 10 }, { fen: 20 }, { fen: 1 }, { fen: 2 }, { fen: 100_000_000_07 }];
    const wb = await writeFile('cents.xlsx', (out) =>
      writeXlsx(out, [table({ title: '零钱', columns: [{ header: '金额', value: 'fen', kind: 'money', total: true }], rows, totals: '总计' })], meta),
    );
    const ws = wb.worksheets[0]!;
    // no subtitle: title, meta line, headers in row 3, data from row 4
    const values = [4, 5, 6, 7, 8].map((r) => ws.getCell(`A${r}`).value);
    expect(values).toEqual([0.1, 0.2, 0.01, 0.02, 100_000_000.07]);
    const float = values.reduce((s: number, v) => s + (v as number), 0);
    expect(float).not.toBe(100_000_000.4); // what adding floats gives …
    expect(ws.getCell('A9').value).toBe(100_000_000.4); // … and what the sheet says: (10+20+1+2+10000000007) / 100
    // a one-column sheet has no merges, and the totals label does not overwrite the figure
    expect(ws.model.merges).toEqual([]);
  });

  it('neutralises formula-like text and keeps numbers numbers (a negative amount too)', async () => {
    const rows = HOSTILE.map((h, i) => ({ note: h, fen: i % 2 ? -350 : 350, n: -(i + 1) }));
    const wb = await writeFile('hostile.xlsx', (out) =>
      writeXlsx(
        out,
        [
          table({
            title: '备注',
            columns: [
              { header: '备注', value: 'note' },
              { header: '金额', value: 'fen', kind: 'money' },
              { header: '次数', value: 'n', kind: 'int' },
            ],
            rows,
          }),
        ],
        meta,
      ),
    );
    const ws = wb.worksheets[0]!;
    HOSTILE.forEach((h, i) => {
      const row = ws.getRow(3 + 1 + i);
      expect(row.getCell(1).type).toBe(ExcelJS.ValueType.String);
      // (XML reads a raw carriage return back as a line feed; the quote in front is what matters)
      expect(row.getCell(1).value).toBe(`'${h}`.replace(/\r/g, '\n'));
      expect(row.getCell(2).type).toBe(ExcelJS.ValueType.Number);
      expect(row.getCell(2).value).toBe(i % 2 ? -3.5 : 3.5);
      expect(row.getCell(3).value).toBe(-(i + 1));
    });
    // and nothing in the file is a formula
    ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('sizes columns from their content, counting Chinese characters double', async () => {
    const rows = [{ zh: '广州市天河区石牌街道颐康长者饭堂', en: 'Yikang Canteen, Shipai Street AB', n: 7 }];
    const wb = await writeFile('widths.xlsx', (out) =>
      writeXlsx(
        out,
        [
          table({
            title: '宽度',
            columns: [
              { header: '名称', value: 'zh' },
              { header: 'name', value: 'en' },
              { header: '份', value: 'n', kind: 'int' },
              { header: '备注', value: 'zh', width: 12 },
            ],
            rows,
          }),
        ],
        meta,
      ),
    );
    const [zh, en, n, fixed] = wb.worksheets[0]!.columns.map((c) => c.width!);
    expect(zh).toBe(16 * 2 + 2); // 16 CJK characters
    expect(en).toBe(32 + 2);
    expect(n).toBe(6); // the minimum
    expect(fixed).toBe(12);
  });

  it('puts several tables in one workbook, one sheet each, with valid unique names', async () => {
    const wb = await writeFile('many.xlsx', (out) =>
      writeXlsx(
        out,
        [
          claimLines(lines(3), '申领汇总'),
          claimLines(lines(5), '核减明细 [2026/11]'),
          claimLines(lines(2), '申领汇总'),
          claimLines([], '异常清单：这是一个非常非常非常非常非常非常非常非常长的标题，超过三十一个字'),
        ],
        meta,
      ),
    );
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '申领汇总',
      '核减明细  2026 11',
      '申领汇总-2',
      '异常清单：这是一个非常非常非常非常非常非常非常非常长的标题，超',
    ]);
    expect(wb.worksheets.map((w) => w.rowCount)).toEqual([4 + 3 + 1, 4 + 5 + 1, 4 + 2 + 1, 4 + 1]);
    // an empty table still has its headers and a zero total
    const empty = wb.worksheets[3]!;
    expect(empty.getRow(4).getCell(2).value).toBe('长者');
    expect(empty.getRow(5).getCell(5).value).toBe(0);
  });

  it('streams a large list: bytes leave before the rows are all read, and rows are never all held', async () => {
    const total = 12_000;
    let produced = 0;
    let bytesWhenHalfway = -1;
    let bytes = 0;
    async function* source(): AsyncGenerator<Line> {
      const pattern = lines(30);
      for (let i = 0; i < total; i++) {
        produced++;
        if (i === total / 2) bytesWhenHalfway = bytes;
        yield pattern[i % 30]!;
      }
    }
    const file = path.join(dir, 'large.xlsx');
    const disk = fs.createWriteStream(file);
    const counter = new PassThrough();
    counter.on('data', (chunk: Buffer) => (bytes += chunk.length));
    counter.pipe(disk);
    await writeXlsx(counter, [claimLines(source())], meta);
    await new Promise<void>((resolve) => disk.once('close', () => resolve()));

    expect(produced).toBe(total);
    expect(bytesWhenHalfway).toBeGreaterThan(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(4 + total + 1);
    expect(ws.getRow(4 + total).getCell(2).value).toBe(lines(30)[(total - 1) % 30]!.name);
    expect(ws.getRow(4 + total + 1).getCell(5).value).toBe((lines(30).reduce((s, l) => s + l.subsidyFen, 0) * (total / 30)) / 100);
  });

  it('stops reading rows when the reader goes away, and says so', async () => {
    let read = 0;
    let closed = false;
    async function* endless(): AsyncGenerator<Line> {
      try {
        for (;;) {
          read++;
          yield lines(1)[0]!;
        }
      } finally {
        closed = true;
      }
    }
    const out = new PassThrough();
    let seen = 0;
    out.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > 20_000) out.destroy();
    });
    await expect(writeXlsx(out, [claimLines(endless())], meta)).rejects.toThrow(ExportError);
    expect(closed).toBe(true);
    expect(read).toBeGreaterThan(0);
  });

  it('refuses a wrong figure before writing it', async () => {
    const out = new PassThrough();
    out.resume();
    const bad = table({ title: 't', columns: [{ header: '补贴', value: 'fen', kind: 'money' }], rows: [{ fen: 3.5 }] });
    await expect(writeXlsx(out, [bad], meta)).rejects.toThrow(/补贴.*integer fen/);
  });
});
