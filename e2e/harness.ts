/**
 * Browser-test harness: the real server (built console and kiosk, a copy of a freshly seeded demo city,
 * a clock set to Monday lunch in Guangzhou) listening on 127.0.0.1, and Debian's Chromium via playwright-core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../server/src/app';
import { openDb } from '../server/src/db/client';
import { DEMO_PASSWORD, seedIfEmpty } from '../server/src/seed';
import { TestClock } from '../server/src/lib/clock';
import { createContext, type Ctx } from '../server/src/lib/context';
import { testConfig, LUNCH_MONDAY } from '../server/test/helpers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHOTS = path.join(root, 'e2e/screenshots');

export interface E2E {
  base: string;
  app: Awaited<ReturnType<typeof buildApp>>['app'];
  ctx: Ctx;
  clock: TestClock;
  browser: Browser;
  /** A browser context whose pages report script errors and Content-Security-Policy violations into `problems`. */
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
  /** Page errors and CSP violations seen so far: every browser test expects none. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * `at`: the server's business clock (default: Monday lunch 2026-11-23). The browser keeps the real time: cookie
 * lifetimes are durations, so any server clock must work (see time.e2e.ts).
 */
export async function startE2E(opts: { at?: string } = {}): Promise<E2E> {
  for (const d of ['web/dist/index.html', 'kiosk/dist/index.html']) {
    if (!fs.existsSync(path.join(root, d))) throw new Error(`${d} is missing: run pnpm build first (pnpm test:e2e does)`);
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-e2e-'));
  const clock = new TestClock(new Date(opts.at ?? LUNCH_MONDAY));
  // As main.ts does: open, migrate, seed the demo city (60 days of history), then build the app.
  const config = testConfig(path.join(dir, 'yishi.db'), clock, {
    webDist: path.join(root, 'web/dist'),
    kioskDist: path.join(root, 'kiosk/dist'),
    logLevel: 'warn',
  });
  const db = openDb(config.dbPath);
  db.migrate();
  const ctx = createContext(db, config);
  await seedIfEmpty(ctx);
  const { app } = await buildApp(ctx);
  const base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('[::1]', '127.0.0.1');
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
  const problems: string[] = [];
  const newContext = async (options?: Parameters<Browser['newContext']>[0]) => {
    const context = await browser.newContext(options);
    context.on('page', (page) => {
      page.on('pageerror', (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(msg.text())) problems.push(`CSP on ${page.url()}: ${msg.text()}`);
      });
    });
    return context;
  };
  return {
    base,
    app,
    ctx,
    clock,
    browser,
    newContext,
    problems,
    close: async () => {
      await browser.close();
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sign in to the console as a demo user, the way a person does, and wait for the side menu. */
export async function consoleLogin(page: Page, e: Pick<E2E, 'base'>, username: string): Promise<void> {
  await page.goto(`${e.base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('side-nav').waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/**
 * Serious and critical axe violations on the console page as it is now, one line each (empty when it passes).
 * Waits first for every finite animation to end (a toast fading out, a drawer sliding in): axe must judge the
 * colours people read, not a frame of a fade.
 */
export async function consoleAxe(page: Page, where: string): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  await settled(page);
  const result = await new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Resolves when no finite CSS animation or transition is running and no antd toast is on screen. */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.ant-message-notice').length === 0 &&
      document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
    undefined,
    { timeout: 10_000, polling: 100 },
  );
}
