/**
 * Registering an elder in the console as an operator would: ID number with its check digit, 户籍 and residence,
 * a 低保 category with evidence and a card; the elder then taps that card at a kiosk and pays the 低保 price.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/seed';
import { shot, startE2E, type E2E } from './harness';

let e: E2E;
let page: Page;
const CANTEEN = 'ct-shipai-huashi';
const ID = '440106195005060028'; // born 1950-05-06, check digit 8

/** antd's cascader animates its menus open: let each settle before clicking. */
async function pickCascader(testid: string, path: string[]) {
  await page.getByTestId(testid).click();
  await page.waitForTimeout(400);
  for (const p of path) {
    await page.locator('.ant-cascader-dropdown:visible .ant-cascader-menu-item', { hasText: p }).first().click();
    await page.waitForTimeout(200);
  }
  await page.waitForTimeout(300);
}

beforeAll(async () => {
  e = await startE2E();
  page = await (await e.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' })).newPage();
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

describe('registering an elder', () => {
  it('an operator registers an elder with a category and a card; the card works at the kiosk', async () => {
    await page.goto(`${e.base}/login`);
    await page.getByTestId('login-username').fill('yikang');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/canteens\//);
    await page.goto(`${e.base}/canteens/${CANTEEN}/residents`);
    await page.getByTestId('resident-create').click();
    await page.getByTestId('resident-form').waitFor();

    // A wrong check digit is caught before anything is sent.
    await page.getByTestId('rf-idnumber').fill(ID.slice(0, 17) + '9');
    await page.getByTestId('rf-idnumber').blur();
    await page.locator('.ant-form-item-explain-error', { hasText: '校验位' }).first().waitFor();
    await page.getByTestId('rf-idnumber').fill(ID);
    await page.getByTestId('rf-idnumber').blur();
    await page.waitForFunction(() => document.querySelector('[data-testid="rf-birthdate"]')?.getAttribute('data-value') === '1950-05-06');
    await page.getByTestId('rf-name').fill('邓美玲');
    await pickCascader('rf-hukou', ['天河区', '石牌街']);
    await pickCascader('rf-residence', ['天河区', '石牌街', '华师社区']);
    await page.getByTestId('rf-address').fill('石牌东路12号3栋501');
    await page.getByTestId('rf-cat-add').click();
    await page.getByTestId('rf-cat-code-0').click();
    await page.waitForTimeout(300);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '低保' }).first().click();
    const from = page.getByTestId('rf-cat-from-0');
    await from.click();
    await from.fill('2026-11-01');
    await from.press('Enter');
    await page.getByTestId('rf-cat-evidence-0').fill('低保证 穗天民低字第2026-0412号');
    // A card already linked to another elder is refused on the field while it is typed, before 登记 is pressed.
    const checks: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/cards/check')) checks.push(r.postData() ?? '');
    });
    await page.getByTestId('rf-card').pressSequentially('4401100001', { delay: 30 });
    await page.locator('.ant-form-item-explain-error', { hasText: '这张卡已绑定给' }).first().waitFor();
    // Debounced: one check for the number as typed, not one per key.
    expect(checks.length).toBe(1);
    expect(JSON.parse(checks[0]!)).toEqual({ kind: 'ss_card', number: '4401100001' });
    await shot(page, 'console-08a-card-in-use');
    expect(e.ctx.db.writer.prepare("SELECT count(*) AS n FROM residents WHERE name = '邓美玲'").get()).toEqual({ n: 0 });
    await page.getByTestId('rf-card').fill('4401999001');
    await page.locator('.ant-form-item-explain-error', { hasText: '这张卡已绑定给' }).waitFor({ state: 'detached' });
    await shot(page, 'console-08-register-elder');
    await page.getByTestId('rf-submit').click();
    await page.getByTestId('resident-detail').waitFor();
    await page.getByTestId('resident-categories').filter({ hasText: '低保' }).waitFor();
    await shot(page, 'console-09-registered');
    // In the drawer, the card it already holds is named as its own before 添加 is pressed.
    await page.getByTestId('card-number').fill('4401999001');
    await page.locator('.ant-form-item-explain-error', { hasText: '这位长者已绑定这张卡' }).waitFor();

    const row = e.ctx.db.writer
      .prepare("SELECT id, hukou_area_code, residence_area_code, id_number_last4, id_number_enc FROM residents WHERE name = '邓美玲'")
      .get() as Record<string, string>;
    expect(row).toMatchObject({ hukou_area_code: '440106004', residence_area_code: '440106004001', id_number_last4: '0028' });
    expect(row.id_number_enc).not.toContain(ID);

    // The operator only proposed it: the category waits for the street office, and the card pays the ordinary price.
    const cat = e.ctx.db.writer.prepare("SELECT id, state FROM resident_categories WHERE resident_id = ? AND code = 'dibao'").get(row.id) as {
      id: string;
      state: string;
    };
    expect(cat.state).toBe('pending');
    expect(await page.getByTestId(`cat-state-${cat.id}`).getAttribute('data-state')).toBe('pending');
    const paired = await e.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: await pairingCode() } });
    const device = `yishi_device=${paired.cookies.find((c) => c.name === 'yishi_device')!.value}`;
    const diabeticSet = async () => {
      const tap = await e.app.inject({
        method: 'POST',
        url: '/api/v1/kiosk/identify',
        payload: { method: 'card', cardNumber: '4401999001' },
        headers: { cookie: device, origin: 'http://localhost:80' },
      });
      expect(tap.statusCode, tap.body).toBe(200);
      expect(tap.json().resident.name).toBe('邓美玲');
      const quote = await e.app.inject({
        method: 'POST',
        url: '/api/v1/quotes',
        payload: { residentTicket: tap.json().ticket, lines: [{ dishId: `${CANTEEN}__set-diabetic`, quantity: 1 }] },
        headers: { cookie: device, origin: 'http://localhost:80' },
      });
      expect(quote.statusCode, quote.body).toBe(200);
      return quote.json().elderPaysFen as number;
    };
    expect(await diabeticSet()).toBeGreaterThan(100);

    // 石牌街道 sees the proposal in its queue with the evidence, and approves it saying what was checked.
    const street = await (await e.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' })).newPage();
    await street.goto(`${e.base}/login`);
    await street.getByTestId('login-username').fill('shipai');
    await street.getByTestId('login-password').fill(DEMO_PASSWORD);
    await street.getByTestId('login-submit').click();
    await street.getByTestId('side-nav').getByText('类别审核').click();
    await street.getByTestId(`approval-row-${cat.id}`).waitFor();
    expect(await street.getByTestId(`approval-row-${cat.id}`).textContent()).toContain('邓美玲');
    expect(await street.getByTestId(`approval-evidence-${cat.id}`).textContent()).toBe('低保证 穗天民低字第2026-0412号');
    await shot(street, 'console-10-approval-queue');
    await street.getByTestId(`approval-approve-${cat.id}`).click();
    expect(await street.getByTestId('approval-modal-evidence').textContent()).toBe('低保证 穗天民低字第2026-0412号');
    await street.getByTestId('approval-text').fill('已核对低保证原件');
    await shot(street, 'console-11-approve');
    await street.getByTestId('approval-confirm').click();
    await street.getByTestId(`approval-row-${cat.id}`).waitFor({ state: 'detached' });
    expect(e.ctx.db.writer.prepare('SELECT state, decided_by, decision_note FROM resident_categories WHERE id = ?').get(cat.id)).toEqual({
      state: 'approved',
      decided_by: 'user-shipai',
      decision_note: '已核对低保证原件',
    });

    // Now the card pays the 低保 price: in Tianhe at most ¥1 for the ¥12 set.
    expect(await diabeticSet()).toBe(100);
    // The operator's resident page says who approved it.
    await page.reload();
    await page.getByTestId(`cat-state-${cat.id}`).waitFor();
    expect(await page.getByTestId(`cat-state-${cat.id}`).getAttribute('data-state')).toBe('approved');
    expect(await page.getByTestId(`cat-state-${cat.id}`).textContent()).toContain('石牌街道 何干事');
  });
});

async function pairingCode(): Promise<string> {
  const { createPairing } = await import('../server/src/modules/kiosk/kiosk.service');
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
  return (await createPairing(e.ctx, operator, CANTEEN, '登记测试机')).code;
}
