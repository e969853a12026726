/**
 * Sending an export from a route: the right Content-Type, a download name that keeps its Chinese
 * (RFC 5987/6266 `filename*`), `Cache-Control: no-store`, and the file streamed as it is written.
 */
import type { FastifyReply } from 'fastify';
import { Transform, type Writable } from 'node:stream';
import { EXPORT_FORMATS } from '@yishi/shared/schemas';
import { CSV_CONTENT_TYPE, writeCsv } from './csv';
import { PDF_CONTENT_TYPE } from './pdf';
import type { ExportMeta, Table } from './table';
import { XLSX_CONTENT_TYPE, writeXlsx } from './xlsx';

export type ExportFormat = 'xlsx' | 'csv' | 'pdf';
/** The formats a list can be exported in (for a route's querystring enum): shared's vocabulary. */
export const LIST_FORMATS = EXPORT_FORMATS;
export type ListFormat = (typeof LIST_FORMATS)[number];

export const CONTENT_TYPES: Record<ExportFormat, string> = { xlsx: XLSX_CONTENT_TYPE, csv: CSV_CONTENT_TYPE, pdf: PDF_CONTENT_TYPE };

export interface SendExportOptions {
  /** The download's name, Chinese welcome ('订单_颐康长者饭堂_2026-11'); the extension is added when missing. */
  filename: string;
  format: ExportFormat;
  /** Writes the whole file to `out` and ends it (writeXlsx / writeCsv / writePdf, or listExport(...)). */
  build: (out: Writable) => Promise<unknown>;
}

/**
 * Stream an export as the reply. Nothing is sent until `build` has written its first bytes: if it fails
 * before that (a scope check, a bad id, an ExportError), the error propagates to the route like any other and
 * the client gets a normal error answer. A failure after that aborts the download (the browser shows it as
 * failed, never as a complete file) and is logged.
 */
export async function sendExport(reply: FastifyReply, opts: SendExportOptions): Promise<FastifyReply> {
  let started!: () => void;
  const firstBytes = new Promise<'started'>((resolve) => (started = () => resolve('started')));
  const body = new Transform({
    transform(chunk, _enc, cb) {
      started();
      cb(null, chunk);
    },
  });
  const building = opts.build(body).then(() => {
    if (!body.writableEnded) body.end();
    return 'done' as const;
  });
  await Promise.race([firstBytes, building]); // a failure before the first byte throws here
  building.catch((err: unknown) => {
    if (body.destroyed) {
      reply.log.info({ err }, `export ${opts.filename} stopped: the client went away`);
      return;
    }
    reply.log.error({ err }, `export ${opts.filename} failed after it started`);
    body.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return reply
    .header('Content-Type', CONTENT_TYPES[opts.format])
    .header('Content-Disposition', contentDisposition(withExtension(opts.filename, opts.format)))
    .header('Cache-Control', 'no-store')
    .header('X-Content-Type-Options', 'nosniff')
    .send(body);
}

/** `build` for a list: one table as a one-sheet workbook, or as CSV. */
export function listExport(format: ListFormat, t: Table, meta: ExportMeta): (out: Writable) => Promise<void> {
  return format === 'xlsx' ? (out) => writeXlsx(out, [t], meta) : (out) => writeCsv(out, t, { timeZone: meta.timeZone });
}

function withExtension(name: string, format: ExportFormat): string {
  return name.toLowerCase().endsWith(`.${format}`) ? name : `${name}.${format}`;
}

/**
 * `attachment; filename="2026-11.xlsx"; filename*=UTF-8''%E8%AE%A2%E5%8D%95_2026-11.xlsx`: browsers use the
 * UTF-8 name (RFC 5987); the ASCII one is for old clients. Path separators, quotes and control characters
 * become '_'.
 */
// Control characters, quotes, path separators and what Windows refuses in a file name.
// eslint-disable-next-line no-control-regex
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f"\\/:*?<>|]/g;

export function contentDisposition(filename: string): string {
  const safe = filename.replace(UNSAFE_IN_NAME, '_').trim().slice(0, 180) || 'export';
  const dot = safe.lastIndexOf('.');
  const ext = dot > 0 ? safe.slice(dot) : '';
  const base = (dot > 0 ? safe.slice(0, dot) : safe)
    .replace(/[^\x20-\x7e]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[_\s.-]+|[_\s.-]+$/g, '');
  const ascii = `${base || 'export'}${ext.replace(/[^\x20-\x7e]/g, '')}`;
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
