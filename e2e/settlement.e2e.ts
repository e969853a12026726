/**
 * Settlement from the console: at month end the operator of 华师 has submitted November's claim to the city and
 * the street office has checked it; a district reviewer opens the anomalies, confirms the meals eaten "after death",
 * follows them to the claim (the orders are disallowed, the total drops), disallows one more order with a reason,
 * and downloads the claim as a PDF for signing that carries both disallowances. The audit log shows the steps.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { localParts } from '../shared/src/domain/time';
import { readPdf } from '../server/src/lib/exports/testing';
import { as, login } from '../server/test/helpers';
import { consoleAxe, shot, startE2E, type E2E, consoleLogin } from './harness';

let e: E2E;
let page: Page;
const MONTH_END = '2026-12-01T10:00:00+08:00';
const CANTEEN = 'ct-shipai-huashi'; // where 王银好, recorded dead late, went on eating
const CITY = '广州市民政局';
let claimId = '';
let otherPayerClaimId = '';

beforeAll(async () => {
  e = await startE2E();
  e.clock.set(new Date(MONTH_END));
  // The operator drafts and submits November; the street office checks it (their own screens are the same page).
  const op = as(e.app, await login(e.app, 'yikang'));
  const gen = await op.post('/api/v1/claims/generate', { month: '2026-11', canteenId: CANTEEN });
  expect(gen.statusCode, gen.body).toBe(200);
  const drafted = (gen.json() as { items: { id: string; payer: string }[] }).items;
  claimId = drafted.find((c) => c.payer === CITY)!.id;
  otherPayerClaimId = drafted.find((c) => c.payer !== CITY)!.id;
  const sub = await op.post(`/api/v1/claims/${claimId}/submit`, {});
  expect(sub.statusCode, sub.body).toBe(200);
  const street = as(e.app, await login(e.app, 'shipai'));
  const chk = await street.post(`/api/v1/claims/${claimId}/check`, { note: '台账与系统一致' });
  expect(chk.json().state).toBe('checked');

  const ctx = await e.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', acceptDownloads: true });
  page = await ctx.newPage();
}, 300_000);
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

const axe = (where: string) => consoleAxe(page, where);

const text = async (testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

describe('a district reviewer settles a claim', () => {
  it('goes from an anomaly to the disallowed orders to the signed PDF', async () => {
    await consoleLogin(page, e, 'tianhe');

    // The anomalies of November, from the menu; the month due is the default.
    await page.getByTestId('nav-anomalies').click();
    await page.getByTestId('anomalies-page').waitFor();
    await page.locator('[data-kind="after_death"]').first().waitFor();
    expect(await text('anomalies-counts')).toMatch(/待处理 \d+/);
    await shot(page, 'settlement-01-anomalies');

    // The meals after death at 龙口西: read it, confirm it.
    const row = page.locator(`tr[data-kind="after_death"]`).filter({ hasText: '华师' }).first();
    await row.locator('a').first().click();
    await page.getByTestId('anomaly-detail').waitFor();
    expect(await page.getByTestId('anomaly-detail').getAttribute('data-status')).toBe('open');
    expect(await text('anomaly-explanation')).toContain('去世');
    // The figures behind it in words and yuan, not keys and fen.
    const figures = await text('anomaly-figures');
    expect(figures).toContain('登记状态已故');
    expect(figures).toMatch(/补贴合计¥\d+\.\d{2}/);
    expect(figures).not.toMatch(/subsidyFen|status=|deceased/);
    const orderRows = page.locator('[data-testid^="anomaly-order-"]');
    await orderRows.first().waitFor();
    const deadOrders = await orderRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.replace('anomaly-order-', '')));
    expect(deadOrders.length).toBeGreaterThan(0);
    const a11y = await axe('anomaly');
    await page.getByTestId('anomaly-confirm').click();
    await page.getByTestId('anomaly-note').waitFor();
    a11y.push(...(await axe('anomaly-confirm-dialog')));
    await page.getByTestId('anomaly-note').fill('民政系统死亡登记在先，之后的就餐为冒用');
    // A double click sends one request: the dialog closes on its success, with no error from a second one.
    await page.getByTestId('anomaly-resolve-ok').dblclick();
    await page.waitForFunction(() => document.querySelector('[data-testid="anomaly-detail"]')?.getAttribute('data-status') === 'confirmed');
    await page.getByTestId('anomaly-note').waitFor({ state: 'hidden' });
    expect(await page.locator('.ant-message-error').count()).toBe(0);
    expect(await text('anomaly-resolution')).toContain('区民政');
    await shot(page, 'settlement-02-anomaly-confirmed');

    // On to the city's claim for the period: the orders are disallowed, by the anomaly.
    await page.getByTestId(`anomaly-claim-${claimId}`).click();
    await page.getByTestId('claim-detail').waitFor();
    expect(await page.getByTestId('claim-detail').getAttribute('data-state')).toBe('checked');
    const byAnomaly = await page
      .locator('[data-testid^="claim-disallowance-"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.replace('claim-disallowance-', '')));
    // Only the dead resident's orders this payer subsidised are in the claim: every one of them is disallowed.
    expect(byAnomaly.length).toBeGreaterThan(0);
    for (const id of byAnomaly) expect(deadOrders).toContain(id);
    expect(await text('claim-disallowances')).toContain('去世后仍有补贴');
    const totalBefore = await text('claim-total');

    // One more order disallowed by hand, with the reason the operator will read.
    const counted = page.locator('[data-testid^="claim-disallow-"]').first();
    await counted.waitFor();
    const victim = (await counted.getAttribute('data-testid'))!.replace('claim-disallow-', '');
    a11y.push(...(await axe('claim')));
    await counted.click();
    await page.getByTestId('claim-ask-text').waitFor();
    a11y.push(...(await axe('claim-disallow-dialog')));
    // Without a reason the dialog says so on the field and sends nothing (no error in the page: afterAll checks).
    await page.getByTestId('claim-ask-ok').click();
    await page.locator('.ant-form-item-explain-error').first().waitFor();
    await page.getByTestId('claim-ask-text').fill('该长者当日住院，签到表上没有该长者');
    await page.getByTestId('claim-ask-ok').dblclick();
    await page.getByTestId(`claim-disallowance-${victim}`).waitFor();
    await page.getByTestId('claim-ask-text').waitFor({ state: 'hidden' });
    expect(await page.locator('.ant-message-error').count()).toBe(0);
    expect(await text(`claim-disallowance-${victim}`)).toContain('签到表上没有该长者');
    expect(await text('claim-total')).not.toBe(totalBefore);
    await shot(page, 'settlement-03-claim-disallowed');

    // The claim for signing: a PDF with the disallowances and the signature blocks.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('claim-export-pdf').click()]);
    const file = await download.path();
    const pdf = fs.readFileSync(file);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const doc = readPdf(pdf).pages.join('\n');
    expect(doc).toContain('长者助餐补贴申报表');
    expect(doc).toContain('签到表上没有该长者');
    expect(doc).toContain('去世后仍有补贴');
    expect(doc).toContain('区民政审批');

    // The audit log has the reviewer's steps, under their name.
    await page.goto(`${e.base}/audit?entityId=${claimId}`);
    await page.getByTestId('audit-page').waitFor();
    await page.locator('[data-action="claim.disallowed"]').first().waitFor();
    expect(await page.locator('[data-action="claim.disallowed_by_anomaly"]').count()).toBe(1);
    expect(await page.locator('[data-action="claim.checked"]').count()).toBe(1);
    await shot(page, 'settlement-04-audit');
    expect(a11y).toEqual([]);
  }, 300_000);

  it('the operator opens a claim the street sent back and reads why first; a draft whose period runs is not offered for submission', async () => {
    // The district's claim of 华师 for November, submitted and sent back by the street office.
    const op = as(e.app, await login(e.app, 'yikang'));
    const district = { id: otherPayerClaimId };
    expect((await op.post(`/api/v1/claims/${district.id}/submit`, {})).statusCode).toBe(200);
    const street = as(e.app, await login(e.app, 'shipai'));
    expect((await street.post(`/api/v1/claims/${district.id}/return`, { reason: '缺少11月份留样记录，请补充' })).statusCode).toBe(200);

    const ctx = await e.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const p = await ctx.newPage();
    await consoleLogin(p, e, 'yikang');
    await p.goto(`${e.base}/claims/${district.id}`);
    await p.getByTestId('claim-sent-back').waitFor();
    const why = (await p.getByTestId('claim-sent-back').textContent()) ?? '';
    expect(why).toContain('退回修改');
    expect(why).toContain('缺少11月份留样记录，请补充');
    expect(await p.getByTestId('claim-submit').isVisible()).toBe(true);
    await shot(p, 'settlement-05-claim-sent-back');

    // On the last day of November, 北京路's November draft can be read, not yet submitted.
    e.clock.set(new Date('2026-11-30T12:00:00+08:00'));
    const dec = (await op.post('/api/v1/claims/generate', { month: '2026-11', canteenId: 'ct-beijing' }))
      .json()
      .items.find((c: { payer: string }) => c.payer === CITY);
    await p.goto(`${e.base}/claims/${dec.id}`);
    await p.getByTestId('claim-period-open').waitFor();
    expect(await p.getByTestId('claim-period-open').textContent()).toContain('2026-12-01 起可以提交');
    expect(await p.getByTestId('claim-submit').count()).toBe(0);

    // From far down the page to another entry of the side menu: the new page opens at its top.
    await p.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    expect(await p.evaluate(() => window.scrollY)).toBeGreaterThan(100);
    await p.getByTestId('nav-claims').click();
    await p.waitForURL(/\/claims(\?|$)/);
    await p.waitForFunction(() => window.scrollY === 0);
    await ctx.close();
    e.clock.set(new Date(MONTH_END));
  }, 300_000);

  it('the city records the payment of the whole claim, dated today as the server counts it; a date it cannot have is not taken', async () => {
    const district = as(e.app, await login(e.app, 'tianhe'));
    const open = (await district.get(`/api/v1/claims/${claimId}`)).json() as { totalFen: number; anomalies: { id: string; status: string }[] };
    for (const a of open.anomalies.filter((x) => x.status === 'open')) {
      expect((await district.post(`/api/v1/anomalies/${a.id}/explain`, { note: '已核对签到表' })).statusCode).toBe(200);
    }
    const approved = await district.post(`/api/v1/claims/${claimId}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);

    const ctx = await e.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    const p = await ctx.newPage();
    await consoleLogin(p, e, 'city');
    await p.goto(`${e.base}/claims/${claimId}`);
    await p.getByTestId('claim-pay').click();
    // The amount is the claim's total, shown, not typed.
    const amount = p.getByTestId('claim-pay-amount');
    expect(await amount.getAttribute('readonly')).not.toBeNull();
    expect(await amount.inputValue()).toBe((open.totalFen / 100).toFixed(2));
    // The date starts at today as the server counts it (not the browser's calendar), and a date it cannot have (after
    // today) is not taken: the picker offers only the approval's day to today, as the server allows.
    const today = localParts(e.clock.now(), 'Asia/Shanghai').date;
    expect(await p.getByLabel('拨付日期').inputValue()).toBe(today);
    await p.getByLabel('拨付日期').fill('2099-01-01');
    await p.getByLabel('拨付日期').press('Enter');
    await p.getByLabel('凭证号').fill('GK2026120100456');
    await p.getByTestId('claim-ask-ok').click();
    await p.waitForFunction(() => document.querySelector('[data-testid="claim-detail"]')?.getAttribute('data-state') === 'paid');
    expect((await district.get(`/api/v1/claims/${claimId}`)).json()).toMatchObject({ state: 'paid', paidOn: today });
    await shot(p, 'settlement-06-claim-paid');
    await ctx.close();
  }, 300_000);
});
