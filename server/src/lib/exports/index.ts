/**
 * Exports: lists to Excel (xlsx) and CSV, documents for signing to PDF. One description of a table serves
 * all three, so a list reads the same in each.
 *
 *   table<Row>({ title, columns, rows, totals?, subtitle?, sheetName? }): Table
 *       columns: { header, value: key | (row) => value, kind?, total?, decimals?, width? }
 *       kind: 'text' (default) | 'int' | 'money' (integer fen) | 'number' | 'percent' (a ratio) | 'date' | 'datetime'
 *       rows: any iterable or async iterable, read once, lazily (use keysetPages for a repo)
 *   writeXlsx(out, tables[], meta): Promise<void>       one styled sheet per table, streamed
 *   writeCsv(out, table, { timeZone? }): Promise<void>  UTF-8 BOM, CRLF, Chinese headers, streamed
 *   writePdf(out, { title, subtitle?, fields?, content: (Table | string)[], signatures?, orientation?, meta }): Promise<{ pages }>
 *   listExport(format: 'xlsx' | 'csv', table, meta): build      the usual `build` for a list
 *   sendExport(reply, { filename, format, build }): Promise<FastifyReply>
 *   keysetPages(fetchPage(after, limit), keyOf, pageSize = 1000): AsyncGenerator<Row>
 *   yuan(fen, { grouping? }): string        1250 → '12.50' (grouping: 123456 → '1,234.56')
 *   meta: { exportedBy, scope, exportedAt? (default now), timeZone? (default Asia/Shanghai) }
 *
 * What every format does:
 * - Money is integer fen in, yuan out: a number with the `¥#,##0.00` format in xlsx (fen / 100 once, per
 *   cell), '12.50' in csv, '1,234.50' in pdf; totals are summed in integer fen. A float in a money column, a
 *   non-integer count or a malformed date throws ExportError: never a wrong figure in a signed document.
 * - Text a spreadsheet could take for a formula (= + - @, a leading tab or CR) is written with a leading
 *   quote (OWASP CSV injection), in xlsx and csv alike; numbers stay numbers, negative ones too.
 * - Dates are text 'YYYY-MM-DD', instants 'YYYY-MM-DD HH:MM' in `meta.timeZone`, in every format.
 * - Rows are read in batches of 1000 with a turn of the event loop between them, and the writers stop (and
 *   close the row source) when the reader goes away. A PDF renders in a worker thread (2 at a time) and
 *   holds at most PDF_MAX_ROWS rows; lists belong in xlsx/csv.
 *
 * A module's route exports its list like this (scope is checked in the service, as for every read; the
 * service returns the rows lazily, its repo reads them page by page):
 *
 *   r.get('/orders/export', {
 *     schema: { tags: ['orders'], querystring: OrderExportQuery },   // format: z.enum(LIST_FORMATS), filters …
 *     config: { access: { roles: ['operator', 'admin'] } },
 *   }, async (req, reply) => {
 *     const { canteen, rows } = await orders.exportList(ctx, req.actor!, req.query);   // throws 404 out of scope
 *     const list = table<OrderRow>({
 *       title: `订单明细 ${canteen.name}`,
 *       columns: [
 *         { header: '下单时间', value: 'createdAt', kind: 'datetime' },
 *         { header: '取餐号', value: 'pickupNo' },
 *         { header: '长者', value: (o) => o.residentName ?? '散客' },
 *         { header: '份数', value: 'quantity', kind: 'int', total: true },
 *         { header: '实收', value: 'chargedFen', kind: 'money', total: true },
 *       ],
 *       rows,                                   // e.g. keysetPages((after, limit) => repo.page(…, after, limit), (o) => o.id)
 *       totals: true,
 *     });
 *     const meta = { exportedBy: requireUser(req.actor).user.displayName, scope: `${canteen.name} · ${req.query.from} 至 ${req.query.to}`, timeZone: canteen.timeZone };
 *     return sendExport(reply, { filename: `订单_${canteen.name}_${req.query.from}`, format: req.query.format, build: listExport(req.query.format, list, meta) });
 *   });
 *
 * A signed claim is the same with `format: 'pdf'` and `build: (out) => writePdf(out, { title, subtitle, fields,
 * content: [linesTable, '说明：…'], meta })`.
 *
 * What a route author must know:
 * - Check scope BEFORE sendExport (or inside build before the first write): an error before the first byte is
 *   an ordinary error answer (404 out of scope, 400 for a PDF over PDF_MAX_ROWS); after it, the download is
 *   aborted and logged. A programming error (a float in a money column) is an ExportError → 500.
 * - Never hand an export a better-sqlite3 `.iterate()`: the writers await between batches and the read
 *   connection is shared, so every other read would fail while it is open. Use keysetPages over a repo query
 *   (`WHERE id > ? ORDER BY id LIMIT ?`), or an array when the list is small.
 * - The exporter writes whatever a column gives it: residents go out masked (name, last 4 of the ID number)
 *   unless the caller holds the audited permission; say the unit in money headers for PDFs ('补贴（元）').
 * - `exportedAt` defaults to the real time (a printout says when it was printed); tests pass a fixed one.
 *   File names should name the business period ('订单_颐康长者饭堂_2026-11'), not the clock.
 * - The route declares `config.access` and goes into server/test/security/access-table.ts like any other;
 *   its querystring takes `format: z.enum(LIST_FORMATS)`; the 200 body is a file (no JSON schema to serialise).
 * - Tests read files back: ExcelJS `wb.xlsx.load(res.rawPayload)`, papaparse for CSV, `readPdf()` from
 *   ./testing for the pages' text, fonts and document info (no outside tool needed).
 */
export { table, keysetPages, yuan, neutralise, displayWidth, localDateTime, ExportError, TOTALS_LABEL, DEFAULT_TIME_ZONE } from './table';
export type { Column, ColumnKind, CellValue, ExportMeta, Table, TableSpec } from './table';
export { writeXlsx, XLSX_CONTENT_TYPE, MONEY_FORMAT, INT_FORMAT } from './xlsx';
export { writeCsv, CSV_CONTENT_TYPE } from './csv';
export { writePdf, PDF_CONTENT_TYPE, PDF_MAX_ROWS, DEFAULT_SIGNATURES } from './pdf';
export type { PdfDoc } from './pdf';
export { sendExport, listExport, contentDisposition, LIST_FORMATS, CONTENT_TYPES } from './http';
export type { ExportFormat, ListFormat, SendExportOptions } from './http';
