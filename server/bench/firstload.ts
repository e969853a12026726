/**
 * First load of the kiosk and the console in Chromium (/usr/bin/chromium via playwright-core), served by the
 * server process: JavaScript bytes over the wire (compressed as served), and time from navigation until the
 * first screen is usable — with the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate), and over a 1 Mbit/s
 * link with 100 ms of latency (CDP Network.emulateNetworkConditions). Cold cache, fresh browser context, median
 * of three loads.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startServer, SERVER_DIR } from '../test/process';
import { DEMO_PASSWORD } from '../src/seed';
import { Conn, loginConn } from './client';
import { serverEnv } from './server-env';
import type { Report } from './report';

const ROOT = path.resolve(SERVER_DIR, '..');

interface Load {
  ms: number;
  jsBytes: number;
  jsRawBytes: number;
  allBytes: number;
}

type Conditions = { cpu?: number; network?: { latency: number; down: number; up: number } };

async function load(browser: Browser, url: string, ready: string, cookie: { name: string; value: string } | null, cond: Conditions): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  if (cookie) await context.addCookies([{ ...cookie, url: new URL(url).origin }]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (cond.cpu) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cond.cpu });
  if (cond.network) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: cond.network.latency,
      downloadThroughput: cond.network.down,
      uploadThroughput: cond.network.up,
    });
  }
  // What the first screen needed: the requests sent before it was usable (scripts prefetched for the next screens
  // after that moment are not counted, however soon they arrive), summed once each has finished.
  const types = new Map<string, { type: string; raw: number; encoded: number | null; needed: boolean; url: string }>();
  let usable = false;
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!types.has(e.requestId)) types.set(e.requestId, { type: e.type ?? '', raw: 0, encoded: null, needed: !usable, url: e.request.url });
  });
  cdp.on('Network.responseReceived', (e) => {
    const t = types.get(e.requestId);
    if (t) t.type = e.type;
  });
  cdp.on('Network.dataReceived', (e) => {
    const t = types.get(e.requestId);
    if (t) t.raw += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const t = types.get(e.requestId);
    if (t) t.encoded = e.encodedDataLength;
  });
  cdp.on('Network.loadingFailed', (e) => {
    const t = types.get(e.requestId);
    if (t) t.encoded = 0;
  });
  await page.goto(url, { waitUntil: 'commit' });
  await page.getByTestId(ready).waitFor({ timeout: 60_000 });
  usable = true;
  const ms = await page.evaluate(() => performance.now());
  const needed = () => [...types.values()].filter((t) => t.needed);
  for (let waited = 0; waited < 10_000 && needed().some((t) => t.encoded === null); waited += 50) await new Promise((r) => setTimeout(r, 50));
  const done = needed().filter((t) => t.encoded !== null);
  const scripts = done.filter((t) => t.type === 'Script');
  const jsBytes = scripts.reduce((a, t) => a + t.encoded!, 0);
  const jsRawBytes = scripts.reduce((a, t) => a + t.raw, 0);
  const allBytes = done.reduce((a, t) => a + t.encoded!, 0);
  if (process.env.BENCH_VERBOSE === '1') for (const t of scripts) console.log(`  needed before usable: ${t.url} ${t.encoded} B`);
  await context.close();
  return { ms, jsBytes, jsRawBytes, allBytes };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function firstLoadPart(report: Report, dir: string) {
  for (const d of ['web/dist/index.html', 'kiosk/dist/index.html']) {
    if (!fs.existsSync(path.join(ROOT, d))) {
      console.log('building the console and the kiosk (pnpm build) …');
      const b = spawnSync('pnpm', ['build'], { cwd: ROOT, stdio: 'inherit' });
      if (b.status !== 0) throw new Error('pnpm build failed');
      break;
    }
  }
  const server = await startServer({ dbPath: path.join(dir, 'firstload.db'), env: serverEnv(), timeoutMs: 120_000 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  try {
    const base = new URL(server.base);
    const admin = await loginConn(base, 'admin', DEMO_PASSWORD);
    const code = await admin.post<{ code: string }>('/api/v1/devices/pairing', { canteenId: 'ct-shipai-huashi', name: '首次加载' });
    const pair = await new Conn(base).post<{ credential: string }>('/api/v1/kiosk/pair', { code: code.body.code });
    admin.close();
    const device = { name: 'yishi_device', value: pair.body.credential };
    const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
    const oneMbit: Conditions['network'] = { latency: 100, down: 1_000_000 / 8, up: 500_000 / 8 };
    const runs = async (url: string, ready: string, cookie: typeof device | null, cond: Conditions) => {
      const ls: Load[] = [];
      for (let i = 0; i < 3; i++) ls.push(await load(browser, url, ready, cookie, cond));
      return { ms: median(ls.map((l) => l.ms)), jsBytes: ls[0]!.jsBytes, jsRawBytes: ls[0]!.jsRawBytes, allBytes: ls[0]!.allBytes };
    };
    const s = 'first load (Chromium, cold cache)';
    const kioskUrl = `${server.base}/kiosk/`;
    const kFast = await runs(kioskUrl, 'start-screen', device, {});
    report.row(
      s,
      'kiosk: JavaScript the start screen needed (requested before it was usable; brotli, as served)',
      `${kb(kFast.jsBytes)} (${kb(kFast.jsRawBytes)} uncompressed); everything ${kb(kFast.allBytes)}`,
      '< 150 KB',
      kFast.jsBytes < 150 * 1024,
    );
    report.row(s, 'kiosk: start screen usable, no throttling', `${(kFast.ms / 1000).toFixed(2)} s`, '');
    const kCpu = await runs(kioskUrl, 'start-screen', device, { cpu: 4 });
    report.row(s, 'kiosk: start screen usable, CPU throttled 4×', `${(kCpu.ms / 1000).toFixed(2)} s`, '< 1.5 s', kCpu.ms < 1500);
    const kNet = await runs(kioskUrl, 'start-screen', device, { network: oneMbit });
    report.row(s, 'kiosk: start screen usable over 1 Mbit/s, 100 ms latency', `${(kNet.ms / 1000).toFixed(2)} s`, '< 3 s', kNet.ms < 3000);
    const consoleUrl = `${server.base}/login`;
    const cFast = await runs(consoleUrl, 'login-username', null, {});
    report.row(
      s,
      'console: JavaScript over the wire for the login page',
      `${kb(cFast.jsBytes)} (${kb(cFast.jsRawBytes)} uncompressed); everything ${kb(cFast.allBytes)}`,
      '',
    );
    report.row(s, 'console: login page usable, no throttling', `${(cFast.ms / 1000).toFixed(2)} s`, '');
    const cCpu = await runs(consoleUrl, 'login-username', null, { cpu: 4 });
    report.row(s, 'console: login page usable, CPU throttled 4×', `${(cCpu.ms / 1000).toFixed(2)} s`, '');
    const cNet = await runs(consoleUrl, 'login-username', null, { network: oneMbit });
    report.row(s, 'console: login page usable over 1 Mbit/s, 100 ms latency', `${(cNet.ms / 1000).toFixed(2)} s`, '');
  } finally {
    await browser.close();
    await server.stop();
  }
}
