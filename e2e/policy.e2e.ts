/**
 * Subsidy policy from the console: city staff make a new version of the Guangzhou rules (1/3 of the meal price,
 * at most ¥4, from today), see it validated and described in plain words, simulate last month, publish it,
 * and the next kiosk order is priced under it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createPairing } from '../server/src/modules/kiosk/kiosk.service';
import { DEMO_PASSWORD } from '../server/src/seed';
import { shot, startE2E, type E2E } from './harness';

let e: E2E;
let page: Page;
const GZ = 'pv-guangzhou-2024-v1';
const CANTEEN = 'ct-shipai-huashi';
const DIABETIC_SET = `${CANTEEN}__set-diabetic`; // ¥12

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

async function validOk() {
  await page.waitForFunction(() => {
    const el = document.querySelector('[data-testid="policy-validation"]');
    return el?.getAttribute('data-ok') === 'true' && el.getAttribute('data-pending') !== 'true';
  });
}

describe('policy in the console', () => {
  it('city staff publish a new version that prices the next kiosk order', async () => {
    await page.goto(`${e.base}/login`);
    await page.getByTestId('login-username').fill('city');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('canteen-table').waitFor();
    await page.goto(`${e.base}/policy`);
    await page.getByTestId('policy-list').waitFor();
    await shot(page, 'policy-01-list');

    await page.getByTestId(`policy-new-version-${GZ}`).click();
    await page.waitForURL((u) => /\/policy\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith(GZ));
    await validOk();
    await page.getByTestId('policy-field-layer-0-pays-numerator').fill('1');
    await page.getByTestId('policy-field-layer-0-pays-denominator').fill('3');
    await page.getByTestId('policy-field-layer-0-pays-capYuan').fill('4');
    // New versions start tomorrow by default; this one starts today, so the next order is priced under it.
    await page.getByTestId('policy-field-effectiveFrom').click();
    await page.getByTestId('policy-field-effectiveFrom').fill('2026-11-23');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (document.querySelector('[data-testid="policy-field-effectiveFrom"]') as HTMLInputElement | null)?.value === '2026-11-23');
    await validOk();
    expect(await page.getByTestId('policy-preview-meal').textContent()).toContain('4元');
    // A bad value is refused with a message, and saving is blocked.
    await page.getByTestId('policy-field-layer-0-pays-denominator').fill('0');
    await page.waitForFunction(() => {
      const el = document.querySelector('[data-testid="policy-validation"]');
      return el?.getAttribute('data-ok') === 'false' && el.getAttribute('data-pending') !== 'true';
    });
    expect(await page.getByTestId('policy-save').isDisabled()).toBe(true);
    await shot(page, 'policy-02-invalid');
    await page.getByTestId('policy-field-layer-0-pays-denominator').fill('3');
    await validOk();
    await page.getByTestId('policy-save').click();
    // Simulation works on the saved version: it is enabled once nothing is left unsaved.
    await page.waitForFunction(() => (document.querySelector('[data-testid="policy-simulate"]') as HTMLButtonElement | null)?.disabled === false);

    await page.getByTestId('policy-simulate-month').click();
    await page.getByTestId('policy-simulate-month').fill('2026-11');
    await page.keyboard.press('Enter');
    await page.getByTestId('policy-simulate').click();
    await page.getByTestId('policy-simulation').waitFor({ timeout: 60_000 });
    await page.getByTestId('policy-simulation-chart').waitFor();
    await shot(page, 'policy-03-simulation');

    await page.getByTestId('policy-publish').click();
    // As staff do: read what publishing changes (last month re-priced under it), then confirm.
    await page.waitForFunction(() => document.querySelector('[data-testid="policy-publish-effect"]')?.getAttribute('data-ready') === 'true', undefined, {
      timeout: 60_000,
    });
    const [published] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/policies\/[^/]+\/publish$/.test(new URL(r.url()).pathname)),
      page.getByTestId('policy-publish-confirm').click(),
    ]);
    expect(published.status()).toBe(200);
    await page.waitForFunction(() => document.querySelector('[data-testid="policy-status"]')?.getAttribute('data-status') === 'published');
    await shot(page, 'policy-04-published');
    const versionId = new URL(page.url()).pathname.split('/').pop()!;

    // The next order at a kiosk: ¥12 × 1/3 = ¥4 subsidy under the new version.
    const operator = {
      kind: 'user' as const,
      sessionId: 'e2e',
      user: {
        id: 'user-yikang',
        username: 'yikang',
        displayName: 'e2e',
        role: 'operator' as const,
        scopeAreaCode: null,
        canteenIds: [CANTEEN],
        canSeeIdNumbers: false,
        mustChangePassword: false,
      },
    };
    const { code } = await createPairing(e.ctx, operator, CANTEEN, '1号自助机');
    const kiosk = await (await e.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'zh-CN', deviceScaleFactor: 0.5 })).newPage();
    await kiosk.goto(`${e.base}/kiosk/`);
    await kiosk.getByTestId('pairing-screen').waitFor();
    for (const d of code) await kiosk.getByTestId(`keypad-digit-${d}`).click();
    await kiosk.getByTestId('pair-submit').click();
    await kiosk.getByTestId('start-screen').waitFor();
    await kiosk.keyboard.type('4401100001');
    await kiosk.keyboard.press('Enter');
    await kiosk.getByTestId('menu-screen').waitFor();
    await kiosk.getByTestId(`add-${DIABETIC_SET}`).click();
    await kiosk.waitForFunction(() => !!document.querySelector('[data-testid="cart-total"]')?.getAttribute('data-fen'));
    expect(await kiosk.getByTestId('basket-total').getAttribute('data-fen')).toBe('800');
    await kiosk.getByTestId('to-confirm').click();
    await kiosk.waitForFunction(() => !!document.querySelector('[data-testid="confirm-pay-amount"]')?.getAttribute('data-fen'));
    expect(await kiosk.getByTestId('confirm-subsidy').getAttribute('data-fen')).toBe('400');
    await kiosk.getByTestId('pay-wallet').click();
    await kiosk.getByTestId('ticket-screen').waitFor();
    await shot(kiosk, 'policy-05-kiosk-priced-under-new-version');
    const stored = e.ctx.db.writer
      .prepare("SELECT elder_subsidy_fen, elder_pays_fen, policy_version_ids FROM orders WHERE resident_id = 'rs-0001' AND service_date = '2026-11-23'")
      .get() as {
      elder_subsidy_fen: number;
      elder_pays_fen: number;
      policy_version_ids: string;
    };
    expect(stored).toMatchObject({ elder_subsidy_fen: 400, elder_pays_fen: 800 });
    expect(JSON.parse(stored.policy_version_ids)).toContain(versionId);
    expect(JSON.parse(stored.policy_version_ids)).not.toContain(GZ);
  });
});
