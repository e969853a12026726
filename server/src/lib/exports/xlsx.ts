/**
 * Styled Excel workbooks, streamed (exceljs's WorkbookWriter): each table is one sheet with a title row, the
 * scope / exporter / time line, bold filled Chinese headers (frozen, with an autofilter), numbers as numbers
 * (money as yuan with a ¥#,##0.00 format, divided once from integer fen), an optional totals row summed in
 * integer fen, and print settings (A4, fit to width, header row on every page, page numbers in the footer).
 *
 * Rows are written and committed as they come, so 100,000 rows are never held; column widths are measured
 * on the first WIDTH_SAMPLE rows (a sheet's columns must be written before its rows).
 */
import ExcelJS from 'exceljs';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import {
  DEFAULT_TIME_ZONE,
  ExportError,
  Totals,
  batches,
  displayWidth,
  exportedAt,
  localDateTime,
  metaLine,
  prepareCell,
  writable,
  type Cell,
  type ExportMeta,
  type PreparedColumn,
  type Table,
} from './table';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Rows measured for column widths before the sheet's columns are written. */
export const WIDTH_SAMPLE = 500;
/** Rows written between two yields to the event loop. */
const BATCH = 1000;
const MIN_WIDTH = 6;
const MAX_WIDTH = 50;

export const MONEY_FORMAT = '¥#,##0.00';
export const INT_FORMAT = '#,##0';

const GRID = { style: 'thin', color: { argb: 'FFBFBFBF' } } as const;
const BORDER: Partial<ExcelJS.Borders> = { top: GRID, left: GRID, bottom: GRID, right: GRID };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const TOTAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

/**
 * Write a workbook with one sheet per table to `out`, and end `out`. Resolves when the last byte is written;
 * rejects (and stops reading the rows) if `out` is closed early, e.g. the browser went away.
 */
export async function writeXlsx(out: Writable, tables: readonly Table[], meta: ExportMeta): Promise<void> {
  if (tables.length === 0) throw new ExportError('a workbook needs at least one table');
  const at = exportedAt(meta);
  const tz = meta.timeZone ?? DEFAULT_TIME_ZONE;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  // Document properties (File → Info in Excel); the typings omit some that the writer does write.
  Object.assign(wb, {
    created: at,
    modified: at,
    creator: meta.exportedBy,
    lastModifiedBy: meta.exportedBy,
    title: tables[0]!.title,
    subject: meta.scope,
    description: metaLine({ ...meta, exportedAt: at }),
  });
  // If the reader goes away, stop: exceljs would otherwise wait for a 'finish' that never comes.
  const outClosed = finished(out).then(
    () => null,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  );
  const names = new Set<string>();
  for (const t of tables) {
    await writeSheet(wb, t, sheetName(t.sheetName ?? t.title, names), { ...meta, exportedAt: at, timeZone: tz }, out);
  }
  const done = await Promise.race([wb.commit().then(() => null), outClosed]);
  if (done) throw done;
}

async function writeSheet(
  wb: ExcelJS.stream.xlsx.WorkbookWriter,
  t: Table,
  name: string,
  meta: Required<Pick<ExportMeta, 'timeZone' | 'exportedAt'>> & ExportMeta,
  out: Writable,
): Promise<void> {
  const n = t.columns.length;
  const lastCol = columnLetter(n);
  const titleRows = 2 + (t.subtitle ? 1 : 0);
  const headerRow = titleRows + 1;
  const when = localDateTime(meta.exportedAt, meta.timeZone);

  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: n > 7 ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${headerRow}:${headerRow}`,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: `&L${footerText(`${meta.exportedBy} ${when}`)}&C第 &P 页 / 共 &N 页&R${footerText(t.title)}` },
  });

  const totals = t.totalsLabel !== null ? new Totals(t.columns) : null;
  const it = batches(t.rows, BATCH)[Symbol.asyncIterator]();
  try {
    // Measure widths on the first rows, then write the columns (they precede the rows in the file).
    const sample: Cell[][] = [];
    let done = false;
    while (!done && sample.length < WIDTH_SAMPLE) {
      const next = await it.next();
      if (next.done) done = true;
      else for (const row of next.value) sample.push(cellsOf(t.columns, row, meta.timeZone));
    }

    ws.columns = t.columns.map((c, i) => ({ width: c.width ?? measure(c, i, sample, t.totalsLabel) }));
    const dataStyles = t.columns.map(dataStyle);

    const title = ws.getRow(1);
    title.getCell(1).value = t.title;
    title.getCell(1).style = { font: { bold: true, size: 14 }, alignment: { horizontal: 'center', vertical: 'middle' } };
    title.height = 26;
    if (n > 1) ws.mergeCells(`A1:${lastCol}1`);
    title.commit();
    let r = 2;
    if (t.subtitle) {
      const sub = ws.getRow(r);
      sub.getCell(1).value = t.subtitle;
      sub.getCell(1).style = { font: { size: 11 }, alignment: { horizontal: 'center' } };
      if (n > 1) ws.mergeCells(`A${r}:${lastCol}${r}`);
      sub.commit();
      r++;
    }
    const metaRow = ws.getRow(r);
    metaRow.getCell(1).value = metaLine(meta);
    metaRow.getCell(1).style = { font: { size: 9, color: { argb: 'FF595959' } }, alignment: { horizontal: 'left' } };
    if (n > 1) ws.mergeCells(`A${r}:${lastCol}${r}`);
    metaRow.commit();

    const header = ws.getRow(headerRow);
    t.columns.forEach((c, i) => {
      const cell = header.getCell(i + 1);
      cell.value = c.header;
      cell.style = { font: { bold: true }, fill: HEADER_FILL, border: BORDER, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } };
    });
    header.height = 20;
    header.commit();

    let rowNo = headerRow;
    const writeRow = (cells: readonly Cell[]): void => {
      rowNo++;
      const row = ws.getRow(rowNo);
      cells.forEach((cell, i) => {
        const c = row.getCell(i + 1);
        c.value = cell.number ?? (cell.plain === '' ? null : cell.plain);
        c.style = dataStyles[i]!;
      });
      row.commit();
      totals?.add(cells);
    };

    for (const cells of sample) writeRow(cells);
    await writable(out);
    while (!done) {
      const next = await it.next();
      if (next.done) break;
      for (const row of next.value) writeRow(cellsOf(t.columns, row, meta.timeZone));
      await writable(out);
    }
    const lastDataRow = rowNo;

    if (totals && t.totalsLabel !== null) {
      rowNo++;
      const row = ws.getRow(rowNo);
      totals.cells(t.totalsLabel).forEach((cell, i) => {
        const c = row.getCell(i + 1);
        c.value = cell.number ?? (cell.plain === '' ? null : cell.plain);
        c.style = totalStyle(t.columns[i]!);
      });
      row.commit();
    }

    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: Math.max(headerRow, lastDataRow), column: n } };
    ws.commit();
  } finally {
    await it.return?.(undefined);
  }
}

function cellsOf(columns: readonly PreparedColumn[], row: unknown, tz: string): Cell[] {
  return columns.map((c) => prepareCell(c, c.get(row), tz));
}

function numFmt(c: PreparedColumn): string | undefined {
  switch (c.kind) {
    case 'money':
      return MONEY_FORMAT;
    case 'int':
      return INT_FORMAT;
    case 'number':
      return c.decimals > 0 ? `#,##0.${'0'.repeat(c.decimals)}` : INT_FORMAT;
    case 'percent':
      return c.decimals > 0 ? `0.${'0'.repeat(c.decimals)}%` : '0%';
    default:
      return undefined;
  }
}

function isNumeric(c: PreparedColumn): boolean {
  return c.kind === 'money' || c.kind === 'int' || c.kind === 'number' || c.kind === 'percent';
}

function dataStyle(c: PreparedColumn): Partial<ExcelJS.Style> {
  const fmt = numFmt(c);
  return {
    ...(fmt ? { numFmt: fmt } : {}),
    border: BORDER,
    alignment: isNumeric(c) ? { horizontal: 'right', vertical: 'middle' } : { horizontal: 'left', vertical: 'middle' },
  };
}

function totalStyle(c: PreparedColumn): Partial<ExcelJS.Style> {
  return { ...dataStyle(c), font: { bold: true }, fill: TOTAL_FILL, border: { ...BORDER, top: { style: 'medium', color: { argb: 'FF808080' } } } };
}

/** Width in Excel characters: the widest of the header and the sampled cells as shown (CJK double), plus padding. */
function measure(c: PreparedColumn, i: number, sample: readonly Cell[][], totalsLabel: string | null): number {
  let w = displayWidth(c.header);
  for (const cells of sample) w = Math.max(w, displayWidth(cells[i]!.display) + (c.kind === 'money' ? 1 : 0));
  if (i === 0 && totalsLabel) w = Math.max(w, displayWidth(totalsLabel));
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w + 2));
}

/** A valid, unique sheet name: 31 characters at most, none of : \ / ? * [ ]. */
export function sheetName(wanted: string, taken: Set<string>): string {
  const base =
    wanted
      .replace(/[:\\/?*[\]]/g, ' ')
      .replace(/^'+|'+$/g, '')
      .trim()
      .slice(0, 31) || 'Sheet';
  let name = base;
  for (let k = 2; taken.has(name.toLowerCase()); k++) name = `${base.slice(0, 31 - String(k).length - 1)}-${k}`;
  taken.add(name.toLowerCase());
  return name;
}

/** Header/footer codes start with '&'; a literal ampersand is written '&&'. */
function footerText(text: string): string {
  return text.replace(/&/g, '&&');
}

export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}
