/**
 * Reads a roster file (Excel .xlsx or CSV) off the page's thread: a 20,000-row roster is parsed here while the
 * page keeps answering. Every cell comes back as text (dates as YYYY-MM-DD), first sheet only, with progress.
 * CSV files from street offices are often GBK: a file that is not valid UTF-8 is read as GBK.
 */
import Papa from 'papaparse';

export type RosterFileMessage =
  { type: 'progress'; fraction: number } | { type: 'done'; rows: string[][] } | { type: 'error'; reason: 'unreadable' | 'empty'; message: string };

const post = (m: RosterFileMessage) => (self as unknown as Worker).postMessage(m);

function decode(buf: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return new TextDecoder('gbk').decode(buf);
  }
}

async function readCsv(file: File): Promise<string[][]> {
  const text = decode(await file.arrayBuffer()).replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(text, {
      skipEmptyLines: false,
      step: (r) => {
        rows.push(r.data.map((c) => String(c)));
        if (rows.length % 2000 === 0) post({ type: 'progress', fraction: r.meta.cursor / text.length });
      },
      complete: () => resolve(),
      error: (e: Error) => reject(e),
    });
  });
  return rows;
}

type Cell = null | undefined | string | number | boolean | Date | Record<string, unknown>;

function cellText(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if (Array.isArray(v.richText)) return (v.richText as { text: string }[]).map((r) => r.text).join('');
    if ('result' in v) return cellText(v.result as Cell);
    if ('text' in v) return String(v.text as string);
    return '';
  }
  return String(v);
}

async function readXlsx(file: File): Promise<string[][]> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await file.arrayBuffer());
  const sheet = wb.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  const total = sheet.rowCount || 1;
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const values = row.values as Cell[]; // 1-based
    const out: string[] = [];
    for (let i = 1; i < values.length; i++) out.push(cellText(values[i]).trim());
    while (rows.length < n - 1) rows.push([]);
    rows.push(out);
    if (n % 2000 === 0) post({ type: 'progress', fraction: n / total });
  });
  return rows;
}

self.onmessage = async (ev: MessageEvent<{ file: File }>) => {
  const { file } = ev.data;
  try {
    const rows = /\.csv$/i.test(file.name) ? await readCsv(file) : await readXlsx(file);
    if (rows.every((r) => r.every((c) => c.trim() === ''))) post({ type: 'error', reason: 'empty', message: 'no rows' });
    else post({ type: 'done', rows });
  } catch (e) {
    post({ type: 'error', reason: 'unreadable', message: e instanceof Error ? e.message : String(e) });
  }
};
