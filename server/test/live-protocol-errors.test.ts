/**
 * A client that breaks the WebSocket protocol on /api/v1/live (a frame over the 64 KB limit, invalid UTF-8) is cut
 * off; that is the client's fault, not the server's: it is logged as a warning, never as an error with a stack
 * (which is what an operator's alerting watches).
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeApp, ORIGIN, type TestApp } from './helpers';

let t: TestApp;
const lines: { level: number; msg?: string }[] = [];

beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  t = await makeApp({ logStream, config: { logLevel: 'info' } });
});
afterAll(async () => t?.close());

describe('WebSocket protocol errors from a client', () => {
  it('an oversized frame closes the socket and is logged as a warning, not an error', async () => {
    const cookie = await login(t.app, 'yikang');
    const ws = await t.app.injectWS('/api/v1/live', { headers: { host: 'localhost:80', cookie, origin: ORIGIN } });
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send(Buffer.alloc(70 * 1024));
    const code = await closed;
    expect(code).not.toBe(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([]);
    expect(lines.some((l) => l.level === 40 && /payload/i.test(l.msg ?? ''))).toBe(true);
    // The server is unharmed.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
  });
});
