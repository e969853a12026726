import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { PDF_MAX_ROWS, writePdf, type PdfDoc } from './pdf';
import { ExportError, table, type ExportMeta } from './table';
import { readPdf } from './testing';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-pdf-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const meta: ExportMeta = { exportedBy: '黄志强（天河区民政局）', scope: '天河区 · 2026年11月', exportedAt: new Date('2026-12-01T01:30:00Z') };

interface ClaimLine {
  category: string;
  period: string;
  kind: string;
  meals: number;
  subsidyFen: number;
}

const categories = ['特困供养', '低保', '低收入', '高龄独居', '失能', '一般长者'];
const periods = ['早餐', '午餐', '晚餐'];
const kinds = ['餐费补贴', '配送补贴', '运营补贴'];

function claimLines(n: number): ClaimLine[] {
  return Array.from({ length: n }, (_, i) => ({
    category: categories[i % 6]!,
    period: periods[i % 3]!,
    kind: kinds[i % 3]!,
    meals: 10 + (i % 17),
    subsidyFen: 350 * (10 + (i % 17)) + (i % 7),
  }));
}

function claimDoc(lines: ClaimLine[], over: Partial<PdfDoc> = {}): PdfDoc {
  return {
    title: '2026年11月 长者助餐补贴申领表',
    subtitle: '天河区 · 石牌街道 · 颐康长者饭堂 · 2026-11-01 至 2026-11-30',
    fields: [
      ['申领单位', '颐康长者饭堂'],
      ['付款方', '天河区民政局'],
      ['申领期间', '2026-11-01 至 2026-11-30'],
      ['申领编号', 'CL-202611-0042'],
      ['状态', '待区审批'],
    ],
    content: [
      '说明：本表由系统根据订单的补贴分摊生成，每一行可追溯到订单。',
      table<ClaimLine>({
        title: '申领明细（按类别、餐次、补贴类型）',
        columns: [
          { header: '类别', value: 'category' },
          { header: '餐次', value: 'period' },
          { header: '补贴类型', value: 'kind' },
          { header: '份数', value: 'meals', kind: 'int', total: true },
          { header: '补贴（元）', value: 'subsidyFen', kind: 'money', total: true },
        ],
        rows: lines,
        totals: true,
      }),
    ],
    meta,
    ...over,
  };
}

async function render(name: string, doc: PdfDoc): Promise<{ pdf: Buffer; pages: number }> {
  const file = path.join(dir, name);
  const { pages } = await writePdf(fs.createWriteStream(file), doc);
  return { pdf: fs.readFileSync(file), pages };
}

describe('writePdf', () => {
  it('makes a multi-page document for signing, in Chinese, with the font embedded and the text extractable', async () => {
    const lines = claimLines(900);
    const { pdf, pages } = await render('claim.pdf', claimDoc(lines));
    const read = readPdf(pdf);

    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages).toBeGreaterThan(10);
    expect(read.pages).toHaveLength(pages);

    // Noto Sans SC is embedded as a subset (FontFile2, a tagged name), not 10 MB
    expect(read.embeddedFonts).toBe(2);
    expect(read.fonts).toEqual(
      expect.arrayContaining([expect.stringMatching(/^[A-Z]{6}\+NotoSansSC-Regular$/), expect.stringMatching(/^[A-Z]{6}\+NotoSansSC-Bold$/)]),
    );
    expect(pdf.length).toBeLessThan(1_000_000);
    expect(read.info).toMatchObject({ Title: '2026年11月 长者助餐补贴申领表', Author: '黄志强（天河区民政局）', Subject: '天河区 · 2026年11月' });

    const first = read.pages[0]!;
    expect(first).toContain('2026年11月 长者助餐补贴申领表');
    expect(first).toContain('天河区 · 石牌街道 · 颐康长者饭堂 · 2026-11-01 至 2026-11-30');
    expect(first).toContain('申领单位颐康长者饭堂付款方天河区民政局');
    expect(first).toContain('说明：本表由系统根据订单的补贴分摊生成');

    read.pages.forEach((text, i) => {
      // every page: the table's heading and column headers again, the page number out of the total, who and when
      const lines = text.split('\n');
      expect(lines).toContain('申领明细（按类别、餐次、补贴类型）');
      expect(lines).toContain('类别餐次补贴类型份数补贴（元）');
      expect(text).toContain(`第 ${i + 1} 页 / 共 ${pages} 页`);
      expect(text).toContain('导出人：黄志强（天河区民政局） ｜ 导出时间：2026-12-01 09:30');
      if (i > 0) expect(lines).toContain('2026年11月 长者助餐补贴申领表'); // the running title
    });

    // every line is there once, in order, and the totals are the integer sums
    const body = read.pages.join('\n');
    const expectedFen = lines.reduce((s, l) => s + l.subsidyFen, 0);
    const expectedMeals = lines.reduce((s, l) => s + l.meals, 0);
    const totalLine = body.split('\n').find((l) => l.startsWith('合计'))!;
    expect(totalLine).toBe(`合计${expectedMeals.toLocaleString('en-US')}${(expectedFen / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    const dataLines = body.split('\n').filter((l) => /^(特困供养|低保|低收入|高龄独居|失能|一般长者)(早餐|午餐|晚餐)/.test(l));
    expect(dataLines).toHaveLength(900);
    expect(dataLines[899]).toBe(
      `${lines[899]!.category}${lines[899]!.period}${lines[899]!.kind}${lines[899]!.meals}${(lines[899]!.subsidyFen / 100).toFixed(2)}`,
    );

    // the signature lines close the document
    const last = read.pages[pages - 1]!;
    for (const role of ['经办人', '审核人', '负责人']) expect(last).toContain(`${role}（签字）：日期：`);
    expect(last.indexOf('负责人（签字）')).toBeGreaterThan(last.indexOf('合计'));
  });

  it('takes other signers, several tables, an empty one, and landscape for wide tables', async () => {
    const wide = table({
      title: '指标',
      columns: Array.from({ length: 9 }, (_, i) => ({ header: `指标${i + 1}`, value: (r: { v: number }) => r.v + i, kind: 'int' as const })),
      rows: [{ v: 1 }],
    });
    const none = table({ title: '核减明细', columns: [{ header: '订单', value: (r: { id: string }) => r.id }], rows: [] });
    const { pdf, pages } = await render('other.pdf', claimDoc([], { content: [wide, none], signatures: ['街道经办人', '区民政审核人', '单位（盖章）'] }));
    expect(pages).toBe(1);
    const text = readPdf(pdf).pages[0]!;
    expect(text).toContain('指标1指标2');
    expect(text).toContain('核减明细');
    expect(text).toContain('（无记录）');
    expect(text).toContain('单位（盖章）（签字）：日期：');
    expect(text).not.toContain('负责人');
    // A4 landscape
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
  });

  it('needs no signature lines when told so', async () => {
    const { pdf } = await render('nosign.pdf', claimDoc(claimLines(3), { signatures: [] }));
    expect(readPdf(pdf).pages[0]).not.toContain('签字');
  });

  it('fails before writing anything on a wrong figure, or on a list too long to sign', async () => {
    const out = new PassThrough();
    let written = 0;
    out.on('data', (c: Buffer) => (written += c.length));
    const bad = table({ title: 't', columns: [{ header: '补贴', value: 'fen', kind: 'money' }], rows: [{ fen: 0.5 }] });
    await expect(writePdf(out, claimDoc([], { content: [bad] }))).rejects.toThrow(/补贴.*integer fen/);
    function* many() {
      for (let i = 0; i <= PDF_MAX_ROWS; i++) yield { fen: i };
    }
    const long = table({ title: 't', columns: [{ header: '补贴', value: 'fen', kind: 'money' }], rows: many() });
    await expect(writePdf(out, claimDoc([], { content: [long] }))).rejects.toThrow(ExportError);
    expect(written).toBe(0);
  });

  it('renders several documents at once, each whole', async () => {
    const results = await Promise.all([1, 2, 3].map((k) => render(`parallel-${k}.pdf`, claimDoc(claimLines(60 * k)))));
    results.forEach(({ pdf, pages }, i) => {
      const read = readPdf(pdf);
      expect(read.pages).toHaveLength(pages);
      const dataLines = read.pages
        .join('\n')
        .split('\n')
        .filter((l) => /^(特困供养|低保|低收入|高龄独居|失能|一般长者)(早餐|午餐|晚餐)/.test(l));
      expect(dataLines).toHaveLength(60 * (i + 1));
    });
  });
});
