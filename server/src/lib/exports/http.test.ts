import ExcelJS from 'exceljs';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { contentDisposition, listExport, sendExport, type ListFormat } from './http';
import { PDF_MAX_ROWS, writePdf } from './pdf';
import { table, type ExportMeta } from './table';
import { readPdf } from './testing';

const meta: ExportMeta = { exportedBy: '张经理（颐康长者饭堂）', scope: '颐康长者饭堂 · 2026-11-23', exportedAt: new Date('2026-11-23T08:00:00Z') };

interface Order {
  no: string;
  resident: string;
  chargedFen: number;
}
const orders: Order[] = [
  { no: 'A-001', resident: '王银好', chargedFen: 350 },
  { no: 'A-002', resident: '=1+1', chargedFen: 1200 },
];
const ordersTable = (rows: Iterable<Order> | AsyncIterable<Order> = orders) =>
  table<Order>({
    title: '订单明细',
    columns: [
      { header: '取餐号', value: 'no' },
      { header: '长者', value: 'resident' },
      { header: '实收', value: 'chargedFen', kind: 'money', total: true },
    ],
    rows,
    totals: true,
  });

let app: FastifyInstance;
afterEach(async () => {
  await app?.close();
});

/** A bare server with the routes a module would write (the app's own routes come with their modules). */
async function server(register: (app: FastifyInstance) => void): Promise<FastifyInstance> {
  // (close drops open sockets: an aborted fetch can leave its keep-alive connection to the server)
  app = Fastify({ logger: false, forceCloseConnections: true });
  register(app);
  await app.ready();
  return app;
}

describe('sendExport', () => {
  it('answers a list as xlsx or csv with the headers a browser needs to save it under its Chinese name', async () => {
    await server((a) =>
      a.get<{ Querystring: { format: ListFormat } }>('/orders/export', async (req, reply) =>
        sendExport(reply, { filename: '订单_颐康长者饭堂_2026-11-23', format: req.query.format, build: listExport(req.query.format, ordersTable(), meta) }),
      ),
    );
    const xlsx = await app.inject({ method: 'GET', url: '/orders/export?format=xlsx' });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toBe(contentDisposition('订单_颐康长者饭堂_2026-11-23.xlsx'));
    expect(xlsx.headers['cache-control']).toBe('no-store');
    expect(xlsx.headers['x-content-type-options']).toBe('nosniff');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(3).values).toEqual([undefined, '取餐号', '长者', '实收']);
    expect(ws.getRow(5).values).toEqual([undefined, 'A-002', "'=1+1", 12]);
    expect(ws.getRow(6).values).toEqual([undefined, '合计', undefined, 15.5]);

    const csv = await app.inject({ method: 'GET', url: '/orders/export?format=csv' });
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('订单_颐康长者饭堂_2026-11-23.csv')}`);
    expect(csv.body).toBe("\uFEFF取餐号,长者,实收\r\nA-001,王银好,3.50\r\nA-002,'=1+1,12.00\r\n");
  });

  it('streams a signed PDF over real HTTP', async () => {
    await server((a) =>
      a.get('/claims/1/pdf', async (_req, reply) =>
        sendExport(reply, {
          filename: '补贴申领表_2026-11.pdf',
          format: 'pdf',
          build: (out) => writePdf(out, { title: '2026年11月 长者助餐补贴申领表', content: [ordersTable()], meta }),
        }),
      ),
    );
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${base}/claims/1/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    const name = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition')!)![1]!;
    expect(decodeURIComponent(name)).toBe('补贴申领表_2026-11.pdf');
    const pdf = readPdf(Buffer.from(await res.arrayBuffer()));
    expect(pdf.pages[0]).toContain('2026年11月 长者助餐补贴申领表');
    expect(pdf.pages[0]).toContain('=1+1'); // a PDF runs no formulas: shown as typed
  });

  it('answers a normal error when the export fails before its first byte', async () => {
    await server((a) =>
      a.get('/orders/export', async (_req, reply) =>
        sendExport(reply, {
          filename: '订单',
          format: 'xlsx',
          build: async () => {
            throw Object.assign(new Error('no such canteen'), { statusCode: 404 });
          },
        }),
      ),
    );
    const res = await app.inject({ method: 'GET', url: '/orders/export' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-disposition']).toBeUndefined();
    expect(res.json()).toMatchObject({ message: 'no such canteen' });
  });

  it('refuses a PDF too long to sign with a 400 that says what to do', async () => {
    function* many(): Generator<Order> {
      for (let i = 0; i <= PDF_MAX_ROWS; i++) yield orders[0]!;
    }
    await server((a) =>
      a.get('/orders/pdf', async (_req, reply) =>
        sendExport(reply, { filename: '订单', format: 'pdf', build: (out) => writePdf(out, { title: '订单', content: [ordersTable(many())], meta }) }),
      ),
    );
    const res = await app.inject({ method: 'GET', url: '/orders/pdf' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain(`最多 ${PDF_MAX_ROWS} 行`);
  });

  it('aborts the download when the export fails half way, so no one keeps a cut-off file as complete', async () => {
    async function* failing(): AsyncGenerator<Order> {
      for (let i = 0; i < 5000; i++) yield orders[0]!;
      throw new Error('database went away');
    }
    await server((a) =>
      a.get('/orders/export', async (_req, reply) =>
        sendExport(reply, { filename: '订单', format: 'csv', build: listExport('csv', ordersTable(failing()), meta) }),
      ),
    );
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${base}/orders/export`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });

  it('stops reading rows when the browser goes away', async () => {
    let stopped!: () => void;
    const closed = new Promise<void>((resolve) => (stopped = resolve));
    let read = 0;
    async function* endless(): AsyncGenerator<Order> {
      try {
        for (;;) {
          read++;
          yield orders[0]!;
        }
      } finally {
        stopped();
      }
    }
    await server((a) =>
      a.get('/orders/export', async (_req, reply) =>
        sendExport(reply, { filename: '订单', format: 'xlsx', build: listExport('xlsx', ordersTable(endless()), meta) }),
      ),
    );
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    const res = await fetch(`${base}/orders/export`, { signal: abort.signal });
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    await closed;
    const at = read;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(read).toBe(at);
  });
});

describe('contentDisposition', () => {
  it('carries the Chinese name as RFC 5987 UTF-8, with an ASCII fallback', () => {
    const h = contentDisposition('订单_颐康长者饭堂_2026-11.xlsx');
    expect(h).toBe(`attachment; filename="2026-11.xlsx"; filename*=UTF-8''${encodeURIComponent('订单_颐康长者饭堂_2026-11.xlsx')}`);
    const star = /filename\*=UTF-8''(.+)$/.exec(h)![1]!;
    expect(decodeURIComponent(star)).toBe('订单_颐康长者饭堂_2026-11.xlsx');
  });

  it('keeps path separators, quotes and control characters out of the name', () => {
    const h = contentDisposition('../../etc/"passwd"\r\n.csv');
    expect(h).not.toMatch(/[\r\n]/);
    expect(h).toMatch(/^attachment; filename="[^"/\\]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+$/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(h)![1]!)).toBe('.._.._etc__passwd___.csv');
    expect(contentDisposition('补贴.pdf')).toContain('filename="export.pdf"');
  });
});
