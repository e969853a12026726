/**
 * Reports and indicators in Chromium against the real server (the demo city with 60 days of history): district
 * staff open the indicators for November, drill down from the district to a street to a canteen, read a chart as a
 * table, and export to Excel (the file is read back and its figures checked against the stored orders); a kiosk
 * elder rates a meal with one tap on the ticket screen and the rating is stored once, from that kiosk.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatYuan } from '../shared/src/money';
import type { Page } from 'playwright-core';
import { shot, startE2E, type E2E, consoleLogin } from './harness';
import { basketPriced, CANTEEN, pairKiosk, TODAY } from './kioskDriver';

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

function one<T>(sql: string, ...args: unknown[]): T {
  return e.ctx.db.writer.prepare(sql).get(...args) as T;
}
const meals = (where: string, ...args: unknown[]) =>
  one<{ n: number }>(`SELECT count(*) AS n FROM orders WHERE ${where} AND state NOT IN ('cancelled', 'refunded')`, ...args).n;
const number = async (page: Page, testId: string) =>
  Number(((await page.getByTestId(testId).locator('.ant-statistic-content').textContent()) ?? '').replace(/[^\d.]/g, ''));

describe('indicators, as district staff', () => {
  it('November for the district, down to a canteen, a chart as a table, and an Excel export read back', async () => {
    const ctx = await e.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', acceptDownloads: true });
    // The export's progress as the page shows it: the most bytes it said it had received.
    await ctx.addInitScript(() => {
      const w = window as unknown as { __exportBytes: number };
      w.__exportBytes = 0;
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="indicators-export-progress"]');
        if (el) w.__exportBytes = Math.max(w.__exportBytes, Number(el.getAttribute('data-bytes') ?? 0));
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-bytes'] });
    });
    const page = await ctx.newPage();
    await consoleLogin(page, e, 'tianhe');
    await page.getByTestId('nav-indicators').click();
    await page.getByTestId('kpis').waitFor();

    // This month by the server's clock: November 2026, the whole 天河区.
    const nov = ['2026-11-01', '2026-11-30'];
    expect(await page.getByTestId('crumb-440106').textContent()).toBe('天河区');
    const district = meals("canteen_id IN (SELECT id FROM canteens WHERE district_code = '440106') AND service_date BETWEEN ? AND ?", ...nov);
    expect(district).toBeGreaterThan(1000);
    expect(await number(page, 'kpi-meals')).toBe(district);
    // Each figure says what it means.
    await page.getByTestId('kpi-coverage-help').hover();
    await page.locator('.ant-tooltip', { hasText: '特困、低保、低保边缘' }).waitFor();
    await shot(page, 'reports-01-district-indicators');

    // Down: the district → 石牌街 → 华师社区长者饭堂.
    await page.getByTestId('drill-440106004').click();
    await page.getByTestId('crumb-440106004').waitFor();
    await page.getByTestId('rollup-table').getByTestId(`drill-${CANTEEN}`).waitFor();
    expect(await number(page, 'kpi-meals')).toBe(meals("canteen_id IN ('ct-shipai-huashi', 'ct-shipai-longkou') AND service_date BETWEEN ? AND ?", ...nov));
    await page.getByTestId('rollup-table').getByTestId(`drill-${CANTEEN}`).click();
    await page.getByTestId('crumb-canteen').waitFor();
    expect(await page.getByTestId('crumb-canteen').textContent()).toBe('华师社区长者饭堂');
    const canteen = meals('canteen_id = ? AND service_date BETWEEN ? AND ?', CANTEEN, ...nov);
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="kpi-meals"] .ant-statistic-content')?.textContent?.replace(/\D/g, '') === String(n),
      canteen,
    );
    await shot(page, 'reports-02-canteen-indicators');

    // The meals-per-day chart as a table: the same figures, readable without the picture.
    await page.getByTestId('chart-daily-as-table').click();
    const table = page.getByTestId('chart-daily-table');
    await table.waitFor();
    const row = table.locator('tr', { hasText: '2026-11-20' });
    const cells = await row.locator('td').allTextContents();
    expect(Number(cells[1]), cells.join('|')).toBe(meals("canteen_id = ? AND service_date = '2026-11-20'", CANTEEN));
    await shot(page, 'reports-03-daily-as-table');

    // Export to Excel: the download arrives with its Chinese name; the workbook holds the same figures as numbers.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('indicators-export-xlsx').click()]);
    expect(download.suggestedFilename()).toBe('华师社区长者饭堂 长者饭堂评价指标_2026-11-01_2026-11-30.xlsx');
    const file = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.getWorksheet('指标汇总')!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const header = rows.findIndex((r) => r[0] === '名称');
    const total = rows.find((r) => r[0] === '华师社区长者饭堂（合计）')!;
    expect(total[(rows[header] as string[]).indexOf('用餐人次')]).toBe(canteen);
    const bytes = await page.evaluate(() => (window as unknown as { __exportBytes: number }).__exportBytes);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(fs.statSync(file).size);
    await page.locator('.ant-message', { hasText: '已下载' }).waitFor();
    await shot(page, 'reports-04-exported');
    await ctx.close();
  });

  it('reports over a range: by category for the district, the totals as the stored orders', async () => {
    const ctx = await e.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    const page = await ctx.newPage();
    await consoleLogin(page, e, 'tianhe');
    await page.goto(`${e.base}/reports?from=2026-10-01&to=2026-11-22&groupBy=category`);
    await page.getByTestId('report-table').locator('tr', { hasText: '低保' }).first().waitFor();
    const expected = one<{ n: number; fen: number }>(
      `SELECT count(*) AS n, sum(elder_subsidy_fen) AS fen FROM orders WHERE canteen_id IN (SELECT id FROM canteens WHERE district_code = '440106')
       AND service_date BETWEEN '2026-10-01' AND '2026-11-22' AND state NOT IN ('cancelled', 'refunded')`,
    );
    expect(Number((await page.getByTestId('report-sum-meals').textContent())?.replace(/\D/g, ''))).toBe(expected.n);
    expect(await page.getByTestId('report-sum-elderSubsidyFen').textContent()).toBe(formatYuan(expected.fen));
    await shot(page, 'reports-05-by-category');
    await ctx.close();
  });
});

describe('the kiosk’s one-tap rating', () => {
  it('after ordering, the elder taps 满意 on the ticket; it is stored once, from this kiosk', async () => {
    const ctx = await e.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', deviceScaleFactor: 0.5 });
    const page = await ctx.newPage();
    await pairKiosk(page, e, '评价测试机', '?ticketMs=60000');
    await page.keyboard.type('4401100002');
    await page.keyboard.press('Enter');
    await page.getByTestId('menu-screen').waitFor();
    await page.getByTestId(`add-${CANTEEN}__set-soft`).click();
    await basketPriced(page);
    await page.getByTestId('to-confirm').click();
    await page.getByTestId('confirm-screen').waitFor();
    await page.getByTestId('pay-wallet').click();
    await page.getByTestId('ticket-screen').waitFor();
    await page.getByTestId('rate-meal').waitFor();
    // Big enough for an unsteady finger (60 × 60 at least).
    for (const r of ['satisfied', 'neutral', 'unsatisfied']) {
      const box = (await page.getByTestId(`rate-${r}`).boundingBox())!;
      expect(box.width).toBeGreaterThanOrEqual(60);
      expect(box.height).toBeGreaterThanOrEqual(60);
    }
    await shot(page, 'reports-06-kiosk-rate');
    await page.getByTestId('rate-satisfied').click();
    await page.getByTestId('rate-thanks').waitFor();
    await page.waitForSelector('[data-testid="rate-meal"][data-status="sent"]');
    await shot(page, 'reports-07-kiosk-rated');

    const order = one<{ id: string; device_id: string }>(
      "SELECT id, device_id FROM orders WHERE canteen_id = ? AND service_date = ? AND resident_id = 'rs-0002' ORDER BY created_at DESC LIMIT 1",
      CANTEEN,
      TODAY,
    );
    const rating = one<{ rating: string; device_id: string; n: number }>(
      'SELECT rating, device_id, count(*) OVER () AS n FROM meal_ratings WHERE order_id = ?',
      order.id,
    );
    expect(rating).toEqual({ rating: 'satisfied', device_id: order.device_id, n: 1 });
    expect(order.device_id).toBeTruthy();
    await ctx.close();
  });
});
