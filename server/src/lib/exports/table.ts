/**
 * The one description of an exported list, shared by the xlsx, csv and pdf writers: columns with a kind
 * (how a value is written), rows (an iterable, possibly async and lazy), an optional totals row, and the
 * export's metadata (who, when, scope). Cells are prepared here once, so the three formats agree.
 */
import type { Writable } from 'node:stream';

export type CellValue = string | number | Date | null | undefined;

/**
 * How a column's values are written.
 * - `text`: a string (numbers are written as their digits); formula-like text is neutralised.
 * - `int`: a safe integer (counts); a number in xlsx, digits in csv.
 * - `money`: integer fen; yuan in every format (a `¥#,##0.00` number in xlsx, '12.50' in csv).
 * - `number`: any finite number (averages, ratings), shown with `decimals` (default 2).
 * - `percent`: a ratio (0.616 → 61.6%), shown with `decimals` (default 1).
 * - `date`: a local date 'YYYY-MM-DD' (or a Date, taken in the export's time zone); written as that text.
 * - `datetime`: an instant (Date or ISO string), written as 'YYYY-MM-DD HH:MM' in the export's time zone.
 */
export type ColumnKind = 'text' | 'int' | 'money' | 'number' | 'percent' | 'date' | 'datetime';

export interface Column<Row> {
  /** The column header people read (zh-CN). Say the unit for money in PDFs, e.g. '补贴（元）'. */
  header: string;
  /** A key of the row, or a function of it. */
  value: (keyof Row & string) | ((row: Row) => CellValue);
  /** Default `text`. */
  kind?: ColumnKind;
  /** Sum this column in the totals row (int, money, number). */
  total?: boolean;
  /** Digits after the point for `number` and `percent`. */
  decimals?: number;
  /** Width in characters (xlsx; relative in pdf); default from the content (CJK counts double). */
  width?: number;
}

export interface TableSpec<Row> {
  /** The table's title: the title row of its sheet, the heading of its PDF table. */
  title: string;
  /** The sheet tab's name (xlsx, 31 characters at most); default: the title. */
  sheetName?: string;
  /** A line under the title (xlsx), e.g. '石牌街道 · 2026-11-01 至 2026-11-30'. */
  subtitle?: string;
  columns: readonly Column<Row>[];
  rows: Iterable<Row> | AsyncIterable<Row>;
  /** Add a totals row: `true` labels it '合计', a string labels it so. */
  totals?: boolean | string;
}

/** A table whose row type has been checked against its columns (made by `table()`). */
export interface Table {
  readonly title: string;
  readonly sheetName: string | undefined;
  readonly subtitle: string | undefined;
  readonly columns: readonly PreparedColumn[];
  readonly rows: Iterable<unknown> | AsyncIterable<unknown>;
  readonly totalsLabel: string | null;
}

export interface PreparedColumn {
  readonly header: string;
  readonly kind: ColumnKind;
  readonly total: boolean;
  readonly decimals: number;
  readonly width: number | undefined;
  readonly get: (row: unknown) => CellValue;
}

/** Who exported what, when: shown on every sheet, in the PDF footer and in the file's properties. */
export interface ExportMeta {
  /** The person, as they are known in the console, e.g. '李敏（石牌街道）'. */
  exportedBy: string;
  /** What the export covers, e.g. '天河区 · 2026年11月'. */
  scope: string;
  /** Default: now (the real time: a printed document says when it was printed). */
  exportedAt?: Date;
  /** For `datetime` / `date` columns and the export time; default 'Asia/Shanghai'. */
  timeZone?: string;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const TOTALS_LABEL = '合计';

/** Check a table's columns against its row type once, and erase the row type so tables can be listed together. */
export function table<Row>(spec: TableSpec<Row>): Table {
  if (spec.columns.length === 0) throw new ExportError(`table "${spec.title}" has no columns`);
  const columns = spec.columns.map((c): PreparedColumn => {
    const kind = c.kind ?? 'text';
    if (c.total && !(kind === 'int' || kind === 'money' || kind === 'number')) {
      throw new ExportError(`column "${c.header}": only int, money and number columns can be totalled`);
    }
    const decimals = c.decimals ?? (kind === 'percent' ? 1 : kind === 'number' ? 2 : 0);
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) {
      throw new ExportError(`column "${c.header}": decimals must be 0–6`);
    }
    const v = c.value;
    const get = typeof v === 'function' ? (row: unknown) => v(row as Row) : (row: unknown) => (row as Record<string, unknown>)[v] as CellValue;
    return { header: c.header, kind, total: c.total ?? false, decimals, width: c.width, get };
  });
  return {
    title: spec.title,
    sheetName: spec.sheetName,
    subtitle: spec.subtitle,
    columns,
    rows: spec.rows as Iterable<unknown> | AsyncIterable<unknown>,
    totalsLabel: spec.totals ? (typeof spec.totals === 'string' ? spec.totals : TOTALS_LABEL) : null,
  };
}

/**
 * An export that cannot be written. Mostly a programming error (a float in a money column, a bad date: a 500,
 * never a wrong figure); with a `statusCode` of 400 when the request asked for too much (a PDF of 50,000 rows),
 * which the app's error handler answers as `bad_request` with this message.
 */
export class ExportError extends Error {
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

// ---------------------------------------------------------------------------------------------- text

/** Integer fen as yuan text: 1250 → '12.50', -5 → '-0.05'; `grouping` adds thousands separators ('1,234.50'). */
export function yuan(fen: number, opts: { grouping?: boolean } = {}): string {
  if (!Number.isSafeInteger(fen)) throw new ExportError(`not an integer amount of fen: ${fen}`);
  const abs = Math.abs(fen);
  const whole = String(Math.floor(abs / 100));
  const cents = String(abs % 100).padStart(2, '0');
  return `${fen < 0 ? '-' : ''}${opts.grouping ? group(whole) : whole}.${cents}`;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * OWASP CSV injection: text that a spreadsheet could take for a formula (= + - @, or a leading tab or
 * carriage return, also after leading spaces) gets a single quote in front, so it is shown as the text it is.
 */
export function neutralise(text: string): string {
  return /^[\t\r]|^\s*[=+\-@]/.test(text) ? `'${text}` : text;
}

/** Display width in character cells: CJK and full-width characters count double. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += WIDE.test(ch) ? 2 : 1;
  return w;
}
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff01-\uff60\uffe0-\uffe6]/u;

/** An instant as people read it in a time zone: '2026-12-01 09:30'. */
export function localDateTime(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = partsIn(instant, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The local date of an instant in a time zone: 'YYYY-MM-DD'. */
export function localDate(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = partsIn(instant, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

// Same rule as shared localParts(), with one formatter per time zone kept: making an Intl.DateTimeFormat per
// cell is most of the cost of a 100,000-row export.
const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(instant: Date, timeZone: string): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** The line every format carries: '范围：… ｜ 导出人：… ｜ 导出时间：…'. */
export function metaLine(meta: ExportMeta): string {
  return `范围：${meta.scope} ｜ 导出人：${meta.exportedBy} ｜ 导出时间：${localDateTime(exportedAt(meta), meta.timeZone)}`;
}

export function exportedAt(meta: ExportMeta): Date {
  return meta.exportedAt ?? new Date();
}

// ---------------------------------------------------------------------------------------------- cells

/** One prepared cell: the number a spreadsheet stores (or null for text), and the text a reader sees. */
export interface Cell {
  /** For int/money/number/percent: the spreadsheet number (yuan for money). Otherwise null. */
  readonly number: number | null;
  /** Money only: the exact integer fen (totals are summed from this, never from `number`). */
  readonly fen: number | null;
  /** Text for spreadsheets (csv; xlsx text cells): no grouping, formula-like text neutralised. */
  readonly plain: string;
  /** Text for reading (pdf; width estimates): grouped thousands, text as it is (a PDF runs no formulas). */
  readonly display: string;
}

const EMPTY: Cell = { number: null, fen: null, plain: '', display: '' };
const LOCAL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function prepareCell(col: PreparedColumn, raw: CellValue, timeZone: string): Cell {
  if (raw === null || raw === undefined || raw === '') return EMPTY;
  if (raw === 0) raw = 0; // -0 is 0
  switch (col.kind) {
    case 'text': {
      if (typeof raw === 'number') {
        if (!Number.isFinite(raw)) throw bad(col, raw);
        return { number: null, fen: null, plain: String(raw), display: String(raw) };
      }
      if (typeof raw !== 'string') throw bad(col, raw);
      return { number: null, fen: null, plain: neutralise(raw), display: raw };
    }
    case 'int': {
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) throw bad(col, raw);
      return { number: raw, fen: null, plain: String(raw), display: (raw < 0 ? '-' : '') + group(String(Math.abs(raw))) };
    }
    case 'money': {
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) throw bad(col, raw);
      return { number: raw / 100, fen: raw, plain: yuan(raw), display: yuan(raw, { grouping: true }) };
    }
    case 'number':
    case 'percent': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) throw bad(col, raw);
      const shown = col.kind === 'percent' ? `${(raw * 100).toFixed(col.decimals)}%` : raw.toFixed(col.decimals);
      return { number: raw, fen: null, plain: shown, display: shown };
    }
    case 'date': {
      let text: string;
      if (raw instanceof Date) text = localDate(validDate(col, raw), timeZone);
      else if (typeof raw === 'string' && LOCAL_DATE.test(raw)) text = raw;
      else throw bad(col, raw);
      return { number: null, fen: null, plain: text, display: text };
    }
    case 'datetime': {
      const d = raw instanceof Date ? raw : typeof raw === 'string' ? new Date(raw) : null;
      if (!d) throw bad(col, raw);
      const text = localDateTime(validDate(col, d), timeZone);
      return { number: null, fen: null, plain: text, display: text };
    }
  }
}

function validDate(col: PreparedColumn, d: Date): Date {
  if (Number.isNaN(d.getTime())) throw bad(col, d);
  return d;
}

function bad(col: PreparedColumn, raw: unknown): ExportError {
  const what = col.kind === 'money' ? 'integer fen' : col.kind === 'int' ? 'a safe integer' : col.kind === 'date' ? "'YYYY-MM-DD' or a Date" : col.kind;
  return new ExportError(`column "${col.header}" (${col.kind}) expects ${what}, got ${typeof raw} ${String(raw)}`);
}

/** Running totals of a table's totalled columns: money and int in exact integers, number as a float. */
export class Totals {
  private readonly sums: number[];
  constructor(private readonly columns: readonly PreparedColumn[]) {
    this.sums = columns.map(() => 0);
  }
  add(cells: readonly Cell[]): void {
    this.columns.forEach((c, i) => {
      if (!c.total) return;
      const cell = cells[i]!;
      const v = c.kind === 'money' ? cell.fen : cell.number;
      if (v === null) return;
      const s = this.sums[i]! + v;
      if (c.kind !== 'number' && !Number.isSafeInteger(s)) throw new ExportError(`column "${c.header}": total overflows`);
      this.sums[i] = s;
    });
  }
  /** The totals row as cells (the label in the first column that is not totalled). */
  cells(label: string): Cell[] {
    const labelAt = Math.max(
      0,
      this.columns.findIndex((c) => !c.total),
    );
    return this.columns.map((c, i) => {
      if (c.total) return prepareCell(c, this.sums[i], DEFAULT_TIME_ZONE);
      return i === labelAt ? { number: null, fen: null, plain: label, display: label } : EMPTY;
    });
  }
}

// ---------------------------------------------------------------------------------------------- rows

/** Iterate any row source in batches (sync or async), so writers can yield to the event loop between them. */
export async function* batches<T>(rows: Iterable<T> | AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Rows from a repo, page by page with a keyset (`WHERE key > ? ORDER BY key LIMIT ?`): an export of
 * 100,000 rows never holds them all, and never keeps a better-sqlite3 iterator open across an `await`
 * (the read connection is shared; an open iterator makes every other read fail with "connection is busy").
 */
export async function* keysetPages<Row, Key>(
  fetchPage: (after: Key | undefined, limit: number) => readonly Row[] | Promise<readonly Row[]>,
  keyOf: (row: Row) => Key,
  pageSize = 1000,
): AsyncGenerator<Row> {
  let after: Key | undefined;
  for (;;) {
    const page = await fetchPage(after, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    after = keyOf(page[page.length - 1]!);
  }
}

/**
 * Between batches: fail if the reader went away (closed download), wait while it is behind (backpressure),
 * then let other requests run (a long export must not hold the event loop).
 */
export async function writable(out: Writable): Promise<void> {
  if (out.destroyed || out.writableEnded) throw new ExportError(CLOSED);
  if (out.writableNeedDrain) {
    await new Promise<void>((resolve, reject) => {
      const ok = () => (cleanup(), resolve());
      const fail = () => (cleanup(), reject(new ExportError(CLOSED)));
      const cleanup = () => (out.off('drain', ok), out.off('close', fail));
      out.on('drain', ok).on('close', fail);
    });
  }
  await yieldToEventLoop();
}
const CLOSED = 'the export was closed before it was written';

/** Let other requests run (a long export must not hold the event loop). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
