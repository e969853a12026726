/**
 * A district official writes a new district policy alone, in the structured editor (no JSON typed): 天河区民政
 * (`tianhe`) creates it, sets a daily allowance (¥4 a meal, at most ¥6 a day) and a diet-meal layer that replaces
 * it (¥5 on low-sugar dishes), moves the diet layer above the one it replaces, reads the rule back in plain words,
 * sees a refusal in words on its field, simulates it against the published policy, publishes it after reading its
 * real effect, and the next kiosk order is priced under it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shot, startE2E, type E2E, consoleLogin } from './harness';
import { basketPriced, CANTEEN, fen, pairKiosk, TODAY } from './kioskDriver';

let e: E2E;
let page: Page;
/** The policy the official writes and publishes in the first test. */
let versionId = '';
const DIABETIC_SET = `${CANTEEN}__set-diabetic`; // ¥12, tagged low_sugar
const TOP_UP = 'pv-tianhe-top-up-v1'; // 天河区's published top-up

beforeAll(async () => {
  e = await startE2E();
  const ctx = await e.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
  page = await ctx.newPage();
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

/** The editor's check has the document as it is now (it checks on every change). */
async function valid(ok: boolean) {
  await page.waitForFunction((want) => document.querySelector('[data-testid="policy-validation"]')?.getAttribute('data-ok') === String(want), ok);
}

/** Pick an option of an antd select by its visible text. */
async function choose(testId: string, text: string) {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: text }).first().click();
  await page.keyboard.press('Escape');
}

describe('a district official writes a new policy in the structured editor', () => {
  it('creates, edits, simulates and publishes it; the next kiosk order is priced under it', async () => {
    await consoleLogin(page, e, 'tianhe');
    await page.goto(`${e.base}/policy`);
    await page.getByTestId('policy-list').waitFor();

    // A new district policy for 天河区 (the level and area default to the official's own).
    await page.getByTestId('policy-create').click();
    await page.getByTestId('policy-create-dialog').waitFor();
    await page.getByTestId('policy-create-name').fill('天河区营养餐与每日助餐补贴');
    await shot(page, 'policy-editor-01-create');
    await page.getByTestId('policy-create-ok').click();
    await page.waitForURL((u) => /\/policy\/[^/]+$/.test(u.pathname));
    await page.getByTestId('policy-edit-layer-0').waitFor();
    versionId = new URL(page.url()).pathname.split('/').pop()!;
    // Every default is on screen, not silently applied.
    expect(await page.getByTestId('policy-field-layer-0-perMealPeriod').inputValue()).toBe('1');
    expect(await page.getByTestId('policy-edit-layer-0').textContent()).toContain('仅限登记的长者');
    expect(await page.getByTestId('policy-edit-layer-0').textContent()).toContain('天河区户籍');
    expect(await page.getByTestId('policy-preview-meal').textContent()).toContain('每个餐次限1次');
    expect(await page.getByTestId('policy-field-effectiveFrom').inputValue()).toBe('2026-11-24'); // tomorrow

    // Layer 1: ¥4 a meal, at most ¥6 a day per elder.
    await page.getByTestId('policy-field-layer-0-name').fill('每日助餐补贴');
    await page.getByTestId('policy-field-layer-0-pays-amountYuan').fill('4');
    await page.getByTestId('policy-field-layer-0-allowance').click();
    await page.getByTestId('policy-field-layer-0-allowanceYuan').fill('6');
    await valid(true);
    expect(await page.getByTestId('policy-preview-meal').textContent()).toContain('每天最多补贴6元');

    // A refusal in words on its field: an amount that is not money.
    await page.getByTestId('policy-field-layer-0-allowanceYuan').fill('六元');
    await valid(false);
    expect(await page.locator('.ant-form-item-explain-error', { hasText: '请输入金额' }).count()).toBeGreaterThan(0);
    await page.getByTestId('policy-field-layer-0-allowanceYuan').fill('6');
    await valid(true);

    // Layer 2: the diet meal, ¥5 on low-sugar dishes, taking the place of the daily subsidy.
    await page.getByTestId('policy-add-layer').click();
    await page.getByTestId('policy-add-layer-meal').click();
    await page.getByTestId('policy-edit-layer-1').waitFor();
    await page.getByTestId('policy-field-layer-1-name').fill('营养餐补贴');
    await page.getByTestId('policy-field-layer-1-pays-amountYuan').fill('5');
    await choose('policy-field-layer-1-dishTagsAny', '低糖');
    // A layer replaces only layers below it: the editor says so on the field until the diet layer moves up.
    await page.getByTestId('policy-field-layer-1-item-up').click();
    await page.getByTestId('policy-edit-layer-1').waitFor();
    expect(await page.getByTestId('policy-field-layer-0-name').inputValue()).toBe('营养餐补贴');
    await choose('policy-field-layer-0-replaces', '每日助餐补贴');
    await valid(true);
    expect(await page.getByTestId('policy-preview-meal-2').textContent()).toContain('代替“每日助餐补贴”');
    expect(await page.getByTestId('policy-preview-meal-2').textContent()).toContain('标注为低糖的餐品');

    // Starting today (the default is tomorrow), so the next order is priced under it.
    await page.getByTestId('policy-field-effectiveFrom').click();
    await page.getByTestId('policy-field-effectiveFrom').fill(TODAY);
    await page.keyboard.press('Enter');
    await page.waitForFunction((d) => (document.querySelector('[data-testid="policy-field-effectiveFrom"]') as HTMLInputElement | null)?.value === d, TODAY);
    await valid(true);
    await shot(page, 'policy-editor-02-edited');
    await page.getByTestId('policy-save').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="policy-save"]') as HTMLButtonElement | null)?.disabled === true);
    await page.waitForFunction(() => (document.querySelector('[data-testid="policy-simulate"]') as HTMLButtonElement | null)?.disabled === false);

    // Simulated against the published policy, on November's real orders.
    await page.getByTestId('policy-simulate-month').click();
    await page.getByTestId('policy-simulate-month').fill('2026-11');
    await page.keyboard.press('Enter');
    await page.getByTestId('policy-simulate').click();
    await page.getByTestId('policy-simulation').waitFor({ timeout: 60_000 });
    await page.getByTestId('policy-simulation-chart').waitFor();
    expect(await page.getByTestId('policy-simulation-payers').textContent()).toContain('天河区民政局');
    const less = await page.getByTestId('policy-simulation-less').textContent();
    expect(Number(/\d+/.exec(less ?? '')?.[0])).toBeGreaterThan(0);
    await shot(page, 'policy-editor-03-simulated');

    // The publish dialog states the real effect before anything is published.
    await page.getByTestId('policy-publish').click();
    await page.getByTestId('policy-publish-dialog').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="policy-publish-effect"]')?.getAttribute('data-ready') === 'true', undefined, {
      timeout: 60_000,
    });
    expect(await page.getByTestId('policy-publish-payers').textContent()).toMatch(
      /天河区民政局（就餐补贴）：每月 ¥[\d,]+\.\d\d → ¥[\d,]+\.\d\d，全年约 ¥[\d,]+\.\d\d（\+¥/,
    );
    expect(await page.getByTestId('policy-publish-people').textContent()).toMatch(/位长者会少付/);
    await shot(page, 'policy-editor-04-publish-dialog');
    await page.getByTestId('policy-publish-confirm').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="policy-status"]')?.getAttribute('data-status') === 'published');
    await shot(page, 'policy-editor-05-published');

    // The next kiosk order: 陈秀英 (78, 天河户籍) orders the low-sugar set (¥12): the city's ¥3 and the diet meal's ¥5.
    const kioskCtx = await e.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', deviceScaleFactor: 0.5 });
    const kiosk = await kioskCtx.newPage();
    await pairKiosk(kiosk, e, '1号自助机');
    await kiosk.keyboard.type('4401100001');
    await kiosk.keyboard.press('Enter');
    await kiosk.getByTestId('menu-screen').waitFor();
    await kiosk.getByTestId(`add-${DIABETIC_SET}`).click();
    await basketPriced(kiosk);
    expect(await fen(kiosk, 'basket-total')).toBe(400);
    await kiosk.getByTestId('to-confirm').click();
    await kiosk.waitForFunction(() => !!document.querySelector('[data-testid="confirm-pay-amount"]')?.getAttribute('data-fen'));
    expect(await fen(kiosk, 'confirm-subsidy')).toBe(800);
    await kiosk.getByTestId('pay-wallet').click();
    await kiosk.getByTestId('ticket-screen').waitFor();
    await shot(kiosk, 'policy-editor-06-kiosk-order');
    const stored = e.ctx.db.writer
      .prepare("SELECT id, elder_subsidy_fen, elder_pays_fen, policy_version_ids FROM orders WHERE resident_id = 'rs-0001' AND service_date = ?")
      .get(TODAY) as { id: string; elder_subsidy_fen: number; elder_pays_fen: number; policy_version_ids: string };
    expect(stored).toMatchObject({ elder_subsidy_fen: 800, elder_pays_fen: 400 });
    expect(JSON.parse(stored.policy_version_ids)).toContain(versionId);
    const split = e.ctx.db.writer
      .prepare('SELECT layer_id, amount_fen, reason FROM order_subsidies WHERE order_id = ? AND policy_version_id = ? ORDER BY id')
      .all(stored.id, versionId);
    expect(split).toEqual([
      { layer_id: 'meal-2', amount_fen: 500, reason: 'applied' },
      { layer_id: 'meal', amount_fen: 0, reason: 'replaced' },
    ]);
  });

  it('compares two drafts side by side against the published policies, a year per payer, and exports the workbook', async () => {
    // Draft A: a new version of 天河区's published top-up, ¥1 instead of ¥2 for those 80 and over.
    await page.goto(`${e.base}/policy/${TOP_UP}`);
    await page.getByTestId(`policy-new-version-${TOP_UP}`).click();
    await page.waitForURL((u) => /\/policy\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith(TOP_UP));
    const draftA = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByTestId('policy-field-layer-0-tier-1-pays-amountYuan').fill('1');
    await valid(true);
    await page.getByTestId('policy-save').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="policy-save"]') as HTMLButtonElement | null)?.disabled === true);

    // Draft B: a new version of the policy just published, the daily subsidy lowered from ¥4 to ¥3 a meal.
    await page.goto(`${e.base}/policy/${versionId}`);
    await page.getByTestId(`policy-new-version-${versionId}`).click();
    await page.waitForURL((u) => /\/policy\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith(versionId));
    const draftB = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByTestId('policy-edit-layer-1').waitFor();
    await page.getByTestId('policy-field-layer-1-pays-amountYuan').fill('3');
    await valid(true);
    expect(await page.getByTestId('policy-preview-meal').textContent()).toContain('每餐补贴3元');
    await page.getByTestId('policy-save').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="policy-save"]') as HTMLButtonElement | null)?.disabled === true);

    // A beside B, on November's orders.
    await page.goto(`${e.base}/policy/${draftA}`);
    await page.getByTestId('policy-simulate').waitFor();
    await choose('policy-simulate-compare', '天河区营养餐与每日助餐补贴');
    await page.getByTestId('policy-simulate-month').click();
    await page.getByTestId('policy-simulate-month').fill('2026-11');
    await page.keyboard.press('Enter');
    await page.getByTestId('policy-simulate').click();
    await page.getByTestId('policy-simulation-draft-1').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('policy-simulation-draft-0').textContent()).toContain('A · 天河区长者助餐补贴提标');
    expect(await page.getByTestId('policy-simulation-draft-1').textContent()).toContain('B · 天河区营养餐与每日助餐补贴');
    // A lowers the top-up (some pay more than under the published policies); B only adds to them before today (nobody pays more).
    expect(Number(/\d+/.exec((await page.getByTestId('policy-simulation-more').textContent()) ?? '')?.[0])).toBeGreaterThan(0);
    expect(Number(/\d+/.exec((await page.getByTestId('policy-simulation-more-1').textContent()) ?? '')?.[0])).toBe(0);
    expect(Number(/\d+/.exec((await page.getByTestId('policy-simulation-less-1').textContent()) ?? '')?.[0])).toBeGreaterThan(0);
    // A year per payer, for each draft.
    const header = await page.getByTestId('policy-simulation-payers').locator('thead').textContent();
    expect(header).toContain('A · 草稿（全年估算）');
    expect(header).toContain('B · 草稿（全年估算）');
    const yearA = await page.getByTestId('year-0-天河区民政局|meal').textContent();
    const yearB = await page.getByTestId('year-1-天河区民政局|meal').textContent();
    expect(yearA).toMatch(/^¥[\d,]+\.\d\d$/);
    expect(yearB).not.toBe(yearA);
    // Who pays more under A, and why: the layer and its amounts, by name.
    await page.getByRole('tab', { name: /^A · 多付/ }).click();
    const why = await page.getByTestId('policy-simulation-paying-more-0').textContent();
    expect(why).toContain('天河区助餐提标补贴');
    await shot(page, 'policy-editor-07-compare');

    // The whole simulation as an Excel workbook, as the export button downloads it.
    const href = await page.getByTestId('policy-simulation-export').getAttribute('href');
    expect(href).toContain(`compareWith=${draftB}`);
    const res = await page.request.get(new URL(href!, e.base).toString());
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(res.headers()['content-disposition'] ?? '')).toContain('补贴模拟_');
    const body = await res.body();
    expect(body.subarray(0, 2).toString()).toBe('PK');
    expect(body.length).toBeGreaterThan(5_000);
  });
});
