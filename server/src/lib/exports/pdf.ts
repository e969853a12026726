/**
 * PDF documents for signing (claims, disallowances, anomaly lists, indicators): pdfmake 0.3 with Noto Sans SC
 * embedded (a subset of the glyphs used, so the file is small and opens on a machine without Chinese fonts).
 *
 * A document is: title, subtitle, a key-value block, then tables and paragraphs in order; every table
 * repeats its heading and column headers on each page and may end with a totals row; then signature lines
 * (经办人 / 审核人 / 负责人 with 签字 and 日期 blanks, or your own). Every page has the exporter and export time
 * and '第 N 页 / 共 M 页' in its footer, and the title at the top from page 2 on.
 *
 * Layout runs in a worker thread (see pdf.worker.mjs), at most PDF_CONCURRENCY at a time, so the server keeps
 * answering while a long document is made. Rows are read here (the whole document is laid out at once, so
 * a PDF is for what people sign and read: at most PDF_MAX_ROWS rows; lists go to xlsx/csv).
 */
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import {
  DEFAULT_TIME_ZONE,
  ExportError,
  Totals,
  batches,
  exportedAt,
  localDateTime,
  prepareCell,
  yieldToEventLoop,
  type Cell,
  type ExportMeta,
  type PreparedColumn,
  type Table,
} from './table';

export const PDF_CONTENT_TYPE = 'application/pdf';
export const DEFAULT_SIGNATURES: readonly string[] = ['经办人', '审核人', '负责人'];
/** More rows than this is a list, not a document to sign: export it as xlsx or csv. */
export const PDF_MAX_ROWS = 20_000;
/** PDFs rendered at the same time (each worker holds the font, ~150 MB); later ones wait their turn. */
export const PDF_CONCURRENCY = 2;

export interface PdfDoc {
  /** e.g. '2026年11月 长者助餐补贴申领表'. */
  title: string;
  /** e.g. '石牌街道 · 颐康长者饭堂 · 2026-11-01 至 2026-11-30'. */
  subtitle?: string;
  /** The key-value block under the title, two pairs a line: [['申领单位', '颐康长者饭堂'], ['付款方', '天河区民政局'], …]. */
  fields?: ReadonlyArray<readonly [label: string, value: string]>;
  /** Tables (from `table()`) and paragraphs, in order. */
  content: ReadonlyArray<Table | string>;
  /** Who signs, in order; default 经办人 / 审核人 / 负责人. `[]` for none. */
  signatures?: readonly string[];
  /** Default: landscape when a table has more than 7 columns. */
  orientation?: 'portrait' | 'landscape';
  meta: ExportMeta;
}

const require = createRequire(import.meta.url);
const FONTS = {
  normal: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
};
const WORKER = new URL('./pdf.worker.mjs', import.meta.url);

const HEADER_FILL = '#DDEBF7';
const HEADING_FILL = '#F2F2F2';
const TOTAL_FILL = '#F2F2F2';

/** Render `doc` to `out` and end `out`; resolves with the number of pages. */
export async function writePdf(out: Writable, doc: PdfDoc): Promise<{ pages: number }> {
  const definition = await pdfDefinition(doc);
  const when = localDateTime(exportedAt(doc.meta), doc.meta.timeZone ?? DEFAULT_TIME_ZONE);
  const release = await slot();
  try {
    return await render(out, {
      definition,
      fonts: FONTS,
      runningTitle: doc.title,
      footerLeft: `${doc.meta.scope} ｜ 导出人：${doc.meta.exportedBy} ｜ 导出时间：${when}`,
    });
  } finally {
    release();
  }
}

/** The pdfmake document definition: plain data (the worker adds the running header and footer). */
async function pdfDefinition(doc: PdfDoc): Promise<Record<string, unknown>> {
  const tz = doc.meta.timeZone ?? DEFAULT_TIME_ZONE;
  const at = exportedAt(doc.meta);
  const wide = doc.content.some((c) => typeof c !== 'string' && c.columns.length > 7);
  const content: unknown[] = [{ text: doc.title, style: 'title' }];
  if (doc.subtitle) content.push({ text: doc.subtitle, style: 'subtitle' });
  if (doc.fields && doc.fields.length > 0) content.push(fieldsBlock(doc.fields));
  let rows = 0;
  for (const block of doc.content) {
    if (typeof block === 'string') {
      content.push({ text: block, style: 'paragraph' });
      continue;
    }
    const cells: Cell[][] = [];
    const totals = block.totalsLabel !== null ? new Totals(block.columns) : null;
    for await (const batch of batches(block.rows, 1000)) {
      rows += batch.length;
      if (rows > PDF_MAX_ROWS)
        throw new ExportError(`一份 PDF 最多 ${PDF_MAX_ROWS} 行，请缩小范围或导出为 Excel / CSV (a PDF holds at most ${PDF_MAX_ROWS} rows)`, 400);
      for (const row of batch) {
        const c = block.columns.map((col) => prepareCell(col, col.get(row), tz));
        totals?.add(c);
        cells.push(c);
      }
      await yieldToEventLoop();
    }
    content.push(tableBlock(block, cells, totals && block.totalsLabel !== null ? totals.cells(block.totalsLabel) : null));
  }
  const signatures = doc.signatures ?? DEFAULT_SIGNATURES;
  if (signatures.length > 0) content.push(signatureBlock(signatures));
  return {
    pageSize: 'A4',
    pageOrientation: doc.orientation ?? (wide ? 'landscape' : 'portrait'),
    pageMargins: [40, 40, 40, 40],
    info: { title: doc.title, author: doc.meta.exportedBy, subject: doc.meta.scope, creator: '颐食 Yishi', producer: '颐食 Yishi', creationDate: at },
    language: 'zh-CN',
    content,
    defaultStyle: { font: 'NotoSansSC', fontSize: 9, lineHeight: 1.15 },
    styles: {
      title: { fontSize: 16, bold: true, alignment: 'center', margin: [0, 0, 0, 4] },
      subtitle: { fontSize: 11, alignment: 'center', color: '#333333', margin: [0, 0, 0, 10] },
      paragraph: { fontSize: 10, margin: [0, 6, 0, 6] },
      label: { bold: true, color: '#333333' },
    },
  };
}

function fieldsBlock(fields: ReadonlyArray<readonly [string, string]>): unknown {
  const body: unknown[][] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const a = fields[i]!;
    const b = fields[i + 1];
    body.push([
      { text: a[0], style: 'label', fillColor: HEADING_FILL },
      { text: a[1] },
      b ? { text: b[0], style: 'label', fillColor: HEADING_FILL } : { text: '' },
      b ? { text: b[1] } : { text: '' },
    ]);
  }
  return { table: { widths: ['auto', '*', 'auto', '*'], body }, layout: 'yishiFields', fontSize: 10, margin: [0, 0, 0, 12] };
}

function isNumeric(c: PreparedColumn): boolean {
  return c.kind === 'money' || c.kind === 'int' || c.kind === 'number' || c.kind === 'percent';
}

function tableBlock(t: Table, rows: readonly Cell[][], totals: Cell[] | null): unknown {
  const n = t.columns.length;
  const span = (text: string, extra: Record<string, unknown>) => [{ text, colSpan: n, ...extra }, ...Array.from({ length: n - 1 }, () => ({}))];
  const body: unknown[][] = [
    span(t.title, { bold: true, fontSize: 10, fillColor: HEADING_FILL }),
    t.columns.map((c) => ({ text: c.header, bold: true, alignment: 'center', fillColor: HEADER_FILL })),
  ];
  for (const cells of rows) body.push(cells.map((cell, i) => bodyCell(t.columns[i]!, cell)));
  if (rows.length === 0) body.push(span('（无记录）', { alignment: 'center', color: '#666666' }));
  if (totals) body.push(totals.map((cell, i) => ({ ...bodyCell(t.columns[i]!, cell), bold: true, fillColor: TOTAL_FILL })));
  return {
    table: {
      headerRows: 2,
      keepWithHeaderRows: 1,
      dontBreakRows: true,
      widths: t.columns.map((c) => (c.width ? c.width * 5 : isNumeric(c) || c.kind === 'date' || c.kind === 'datetime' ? 'auto' : '*')),
      body,
    },
    totalsRow: totals !== null,
    layout: 'yishiGrid',
    margin: [0, 4, 0, 12],
  };
}

function bodyCell(c: PreparedColumn, cell: Cell): Record<string, unknown> {
  if (isNumeric(c)) return { text: cell.display, alignment: 'right', noWrap: true };
  if (c.kind === 'date' || c.kind === 'datetime') return { text: cell.display, noWrap: true };
  return { text: cell.display };
}

function signatureBlock(roles: readonly string[]): unknown {
  const none = [false, false, false, false];
  const blank = { text: '', border: [false, false, false, true] };
  return {
    unbreakable: true,
    margin: [0, 24, 0, 0],
    fontSize: 11,
    table: {
      widths: ['auto', '*', 'auto', 120],
      body: roles.map((role) => [{ text: `${role}（签字）：`, border: none }, blank, { text: '日期：', border: none }, blank]),
    },
    layout: 'yishiSignatures',
  };
}

// ---------------------------------------------------------------------------------------------- the worker

interface Job {
  definition: Record<string, unknown>;
  fonts: { normal: string; bold: string };
  runningTitle: string;
  footerLeft: string;
}

type WorkerMessage = { type: 'chunk'; data: Uint8Array } | { type: 'end'; pages: number } | { type: 'error'; message: string };

function render(out: Writable, job: Job): Promise<{ pages: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, { workerData: job });
    let settled = false;
    const finish = (err: Error | null, pages = 0) => {
      if (settled) return;
      settled = true;
      out.off('close', onClose);
      void worker.terminate();
      if (err) reject(err);
      else out.end(() => resolve({ pages }));
    };
    const onClose = () => finish(new ExportError('the export was closed before it was written'));
    out.on('close', onClose);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'chunk') out.write(m.data);
      else if (m.type === 'end') finish(null, m.pages);
      else finish(new ExportError(`PDF rendering failed: ${m.message}`));
    });
    worker.on('error', (err) => finish(err));
    worker.on('exit', (code) => finish(new ExportError(`PDF worker stopped (exit ${code}) before the document was written`)));
  });
}

let running = 0;
const waiting: (() => void)[] = [];

/** Wait for one of PDF_CONCURRENCY rendering slots; returns its release. */
async function slot(): Promise<() => void> {
  if (running >= PDF_CONCURRENCY) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}
