/**
 * CSV for Excel and for other programs: UTF-8 with a byte-order mark (so Excel on Windows reads the Chinese),
 * CRLF line ends, one header row in Chinese, then the rows as they come (streamed in batches, never all held).
 * Money is yuan text without a symbol ('12.50'), counts are digits, dates are 'YYYY-MM-DD'; formula-like text
 * is neutralised with a leading quote. No title, metadata or totals rows: a CSV stays a plain table.
 */
import { stringify } from 'csv-stringify/sync';
import type { Writable } from 'node:stream';
import { DEFAULT_TIME_ZONE, batches, prepareCell, writable, type Table } from './table';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
export const BOM = '\uFEFF';
const BATCH = 1000;

/** Write `t` as CSV to `out`, and end `out`. Rejects (and stops reading the rows) if `out` is closed early. */
export async function writeCsv(out: Writable, t: Table, opts: { timeZone?: string } = {}): Promise<void> {
  const tz = opts.timeZone ?? DEFAULT_TIME_ZONE;
  const it = batches(t.rows, BATCH)[Symbol.asyncIterator]();
  try {
    await writable(out);
    out.write(BOM + line([t.columns.map((c) => c.header)]), 'utf8');
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      const records = next.value.map((row) => t.columns.map((c) => prepareCell(c, c.get(row), tz).plain));
      await writable(out);
      out.write(line(records), 'utf8');
    }
    await writable(out);
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
  } finally {
    await it.return?.(undefined);
  }
}

function line(records: string[][]): string {
  return stringify(records, { record_delimiter: 'windows' });
}
