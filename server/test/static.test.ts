/**
 * The built console and kiosk over real HTTP: compressed copies made by the build step go to clients that
 * accept them, the original to those that do not; hashed assets are cached for good, the rest re-checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { makeApp, type TestApp } from './helpers';
import { precompressDir } from '../scripts/precompress';

let t: TestApp;
let base: string;
let dir: string;
const bigJs = `export const menu = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ id: `dish-${i}`, name: `红烧鱼 ${i}`, priceFen: 1200 + i })))};\n`;
const kioskIndex = `<!doctype html><html lang="zh-CN"><head><script type="module" src="/kiosk/assets/index-AbCd1234.js"></script></head><body>${'<!-- 颐食 -->'.repeat(200)}</body></html>`;

function get(url: string, acceptEncoding?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${url}`, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-static-'));
  const web = path.join(dir, 'web');
  const kiosk = path.join(dir, 'kiosk');
  for (const d of [path.join(web, 'assets'), path.join(kiosk, 'assets')]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(web, 'index.html'), kioskIndex.replace(/\/kiosk/g, ''));
  fs.writeFileSync(path.join(web, 'assets', 'antd-DivQpIp9.js'), bigJs);
  fs.writeFileSync(path.join(kiosk, 'index.html'), kioskIndex);
  fs.writeFileSync(path.join(kiosk, 'assets', 'index-AbCd1234.js'), bigJs);
  fs.writeFileSync(path.join(kiosk, 'assets', 'tiny-Zz9Yy8Xx.css'), 'body{margin:0}');
  fs.writeFileSync(path.join(kiosk, 'sw.js'), `self.addEventListener('fetch', () => {});\n${'// cache\n'.repeat(200)}`);
  fs.writeFileSync(path.join(kiosk, 'manifest.webmanifest'), JSON.stringify({ name: '颐食自助点餐', start_url: '/kiosk/' }));
  // The same step the vite builds run.
  const made = precompressDir(web).concat(precompressDir(kiosk));
  expect(made.map((f) => f.file).sort()).toEqual(['assets/antd-DivQpIp9.js', 'assets/index-AbCd1234.js', 'index.html', 'index.html', 'sw.js']);
  t = await makeApp({ config: { webDist: web, kioskDist: kiosk } });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('built files over HTTP', () => {
  it('sends brotli, gzip or the original by Accept-Encoding, always the same bytes, and says it varies', async () => {
    const url = '/kiosk/assets/index-AbCd1234.js';
    const br = await get(url, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(bigJs.length / 3);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(bigJs);

    const gz = await get(url, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(bigJs);

    for (const none of [undefined, 'identity']) {
      const plain = await get(url, none);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toMatch(/accept-encoding/i);
      expect(plain.body.toString()).toBe(bigJs);
    }
  });

  it('caches hashed assets for a year as immutable; index.html, sw.js and the manifest are re-checked every load', async () => {
    for (const url of ['/kiosk/assets/index-AbCd1234.js', '/assets/antd-DivQpIp9.js', '/kiosk/assets/tiny-Zz9Yy8Xx.css']) {
      expect((await get(url, 'br')).headers['cache-control'], url).toBe('public, max-age=31536000, immutable');
    }
    for (const url of ['/kiosk/sw.js', '/kiosk/manifest.webmanifest', '/kiosk/', '/', '/index.html']) {
      const res = await get(url, 'br');
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    // A file too small to be worth compressing goes as it is.
    expect((await get('/kiosk/assets/tiny-Zz9Yy8Xx.css', 'br')).headers['content-encoding']).toBeUndefined();
  });

  it('pages of the single-page apps get their index.html, compressed and never cached stale', async () => {
    const page = await get('/kiosk/order/confirm', 'br');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(page.body).toString()).toBe(kioskIndex);
    const consolePage = await get('/residents/rs-0001', 'gzip');
    expect(zlib.gunzipSync(consolePage.body).toString()).toContain('/assets/index-AbCd1234.js');
    expect(consolePage.headers['cache-control']).toBe('no-cache');
  });

  it('does not serve the compressed copies under their own names, nor old assets as pages', async () => {
    expect((await get('/kiosk/assets/index-AbCd1234.js.br')).status).toBe(404);
    expect((await get('/assets/antd-DivQpIp9.js.gz')).status).toBe(404);
    const gone = await get('/kiosk/assets/index-OldHash1.js', 'br');
    expect(gone.status).toBe(404);
    expect(JSON.parse(gone.body.toString()).error.code).toBe('not_found');
  });
});
