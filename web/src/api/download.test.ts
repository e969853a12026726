import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReportExportQuery } from '@yishi/shared/schemas';
import { ApiError, download, filenameOf } from './client';

const fetchMock = vi.fn<typeof fetch>();
beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

/** A streamed body that arrives in the given chunks. */
function streamed(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const x of chunks) c.enqueue(x);
      c.close();
    },
  });
}

describe('downloading an export', () => {
  it('reports the bytes as they arrive and keeps the server’s Chinese file name', async () => {
    const name = '天河区 助餐报表（按日）_2026-11-01_2026-11-30.xlsx';
    fetchMock.mockResolvedValueOnce(
      new Response(streamed([new Uint8Array(1000), new Uint8Array(2500), new Uint8Array(40)]), {
        status: 200,
        headers: {
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'content-disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        },
      }),
    );
    const seen: number[] = [];
    const file = await download('/reports/export', {
      query: { month: '2026-11', groupBy: 'day', format: 'xlsx' },
      request: ReportExportQuery,
      onProgress: (n) => seen.push(n),
    });
    expect(seen).toEqual([0, 1000, 3500, 3540]);
    expect(file.blob.size).toBe(3540);
    expect(file.filename).toBe(name);
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/reports/export?month=2026-11&groupBy=day&format=xlsx');
  });

  it('refuses a bad query before asking, and turns a refusal into an ApiError', async () => {
    await expect(download('/reports/export', { query: { month: '2026-11', format: 'doc' }, request: ReportExportQuery })).rejects.toMatchObject({
      code: 'bad_request',
    });
    expect(fetchMock).not.toHaveBeenCalled();
    fetchMock.mockResolvedValueOnce(new Response(JSON.stringify({ error: { code: 'not_found', message: 'no such area' } }), { status: 404 }));
    const err = await download('/reports/export', { query: { month: '2026-11', areaCode: '440105', format: 'xlsx' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('reads a plain file name when there is no UTF-8 one', () => {
    expect(filenameOf('attachment; filename="report.pdf"', 'x')).toBe('report.pdf');
    expect(filenameOf(null, 'fallback')).toBe('fallback');
  });
});
