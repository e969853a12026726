/**
 * Reads a roster file (Excel .xlsx or CSV) off the page's thread and keeps it here: a 20,000-row roster is parsed,
 * held and cut into upload chunks in this worker, so the page only ever holds the headers, three sample rows and
 * the chunk it is sending (moving 20,000 rows to the page at once cost it main-thread tasks of 300 ms).
 * Every cell is text (dates as YYYY-MM-DD), first sheet only, with progress while reading.
 * CSV files from street offices are often GBK: a file that is not valid UTF-8 is read as GBK.
 *
 * Page → worker: { type: 'read', file }, then { type: 'chunk', id, mapping, start, size } as often as it likes.
 * Worker → page: progress…, then 'parsed' (or 'error'); one 'chunk' answer per chunk asked for.
 */
import Papa from 'papaparse';
import { findHeaderRow, type RosterField } from '@yishi/shared/domain';
import type { RosterRowInput } from '@yishi/shared/schemas';

/** A data row with its number as the spreadsheet shows it (blank rows are left out). */
export interface RosterFileRow {
  rowNumber: number;
  cells: string[];
}

export type RosterFileRequest = { type: 'read'; file: File } | { type: 'chunk'; id: number; mapping: (RosterField | null)[]; start: number; size: number };

export type RosterFileMessage =
  | { type: 'progress'; fraction: number }
  | { type: 'parsed'; headers: string[]; rowCount: number; sample: RosterFileRow[] }
  | { type: 'chunk'; id: number; rows: RosterRowInput[] }
  | { type: 'error'; reason: 'unreadable' | 'empty'; message: string };

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

/** The header row (rosters often open with a title row), and the non-blank rows under it. */
export function parseRoster(all: string[][]): { headers: string[]; rows: RosterFileRow[] } {
  const h = findHeaderRow(all);
  let width = 0;
  for (const r of all) width = Math.max(width, r.length);
  const headers = Array.from({ length: width }, (_, i) => all[h]?.[i]?.trim() ?? '');
  const rows: RosterFileRow[] = [];
  for (let i = h + 1; i < all.length; i++) {
    const cells = all[i]!;
    if (cells.some((c) => c.trim() !== '')) rows.push({ rowNumber: i + 1, cells });
  }
  return { headers, rows };
}

/** Cells are sent as text of at most 1000 characters (a longer one is refused by the server as too long anyway). */
const cellOf = (s: string | undefined) => (s ?? '').slice(0, 1000);

/** Rows as the server takes them: each mapped column's text under its field. */
export function chunkOf(rows: RosterFileRow[], mapping: (RosterField | null)[], start: number, size: number): RosterRowInput[] {
  return rows.slice(start, start + size).map((r) => {
    const input: RosterRowInput = { rowNumber: r.rowNumber };
    mapping.forEach((f, i) => {
      if (f) input[f] = cellOf(r.cells[i]);
    });
    return input;
  });
}

let held: RosterFileRow[] = [];

self.onmessage = async (ev: MessageEvent<RosterFileRequest>) => {
  const m = ev.data;
  if (m.type === 'chunk') {
    post({ type: 'chunk', id: m.id, rows: chunkOf(held, m.mapping, m.start, m.size) });
    return;
  }
  try {
    const all = /\.csv$/i.test(m.file.name) ? await readCsv(m.file) : await readXlsx(m.file);
    if (all.every((r) => r.every((c) => c.trim() === ''))) {
      post({ type: 'error', reason: 'empty', message: 'no rows' });
      return;
    }
    const { headers, rows } = parseRoster(all);
    held = rows;
    post({ type: 'parsed', headers, rowCount: rows.length, sample: rows.slice(0, 3) });
  } catch (e) {
    post({ type: 'error', reason: 'unreadable', message: e instanceof Error ? e.message : String(e) });
  }
};
