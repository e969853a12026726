/**
 * The console in English at month end, in Chromium against the real server (the demo city, its clock on 1 December
 * 2026): a district's and the city's staff scan November's anomalies and read each explanation in English, then go
 * through claims, reports, the clearing, the policies and the audit log. Names people entered (canteens, elders,
 * areas, dishes, staff, policy titles) are data and stay as entered; any other Chinese on those pages is a UI string
 * the English console is missing, and the test lists it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { as, login } from '../server/test/helpers';
import { consoleLogin, shot, startE2E, type E2E } from './harness';

let e: E2E;
let data: string[] = [];

beforeAll(async () => {
  e = await startE2E({ at: '2026-12-01T10:00:00+08:00' });
  const all = (sql: string) => (e.ctx.db.writer.prepare(sql).all() as { n: string }[]).map((r) => r.n);
  // What people entered, longest first (a short name inside a long one is taken out after it).
  data = [
    ...all('SELECT name AS n FROM canteens UNION SELECT short_name FROM canteens'),
    ...all('SELECT name AS n FROM residents'),
    ...all('SELECT name AS n FROM areas UNION SELECT name FROM organisations'),
    ...all('SELECT name AS n FROM dishes'),
    ...all('SELECT display_name AS n FROM users'),
    ...all('SELECT name AS n FROM policy_versions'),
    // Payers as recorded (the audit log's details keep the Chinese name a claim was made under).
    ...all(`SELECT DISTINCT json_extract(l.value, '$.payer') AS n FROM policy_versions, json_each(document, '$.layers') AS l`),
    // The product's own name beside its logo.
    '颐食',
    '颐',
  ].sort((a, b) => b.length - a.length);
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;

/** The text on the page that is Chinese once the data is taken out: what the English console failed to translate. */
async function chineseOn(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('[aria-hidden="true"], script, style') || !el.checkVisibility()) continue;
      const t = (n.textContent ?? '').trim();
      if (t) out.push(t);
    }
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('[placeholder], [title], [aria-label]')))
      for (const a of ['placeholder', 'title', 'aria-label']) {
        const v = el.getAttribute(a);
        if (v) out.push(v);
      }
    return out;
  });
  const left = texts.map((t) => data.reduce((s, d) => s.split(d).join(' '), t)).filter((t) => CJK.test(t));
  return [...new Set(left)];
}

async function english(): Promise<BrowserContext> {
  const ctx = await e.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-GB' });
  await ctx.addInitScript(() => {
    try {
      localStorage.setItem('yishi.console.lang', 'en');
    } catch {
      /* about:blank has no storage */
    }
  });
  return ctx;
}

describe('the console in English at month end', () => {
  it('November’s anomalies are explained in English; the scan wrote the Chinese, which an older row still shows', async () => {
    const ctx = await english();
    const page = await ctx.newPage();
    await consoleLogin(page, e, 'city');
    await page.goto(`${e.base}/anomalies?month=2026-11`);
    await page.getByTestId('anomalies-scan').click();
    await page.locator('[data-testid^="anomaly-row-"]').first().waitFor();
    const rows = page.locator('[data-testid^="anomaly-row-"]');
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    const stored = e.ctx.db.writer.prepare(`SELECT id, kind, explanation FROM anomalies WHERE period_from = '2026-11-01'`).all() as {
      id: string;
      kind: string;
      explanation: string;
    }[];
    for (const a of stored) {
      const text = (await page.getByTestId(`anomaly-row-${a.id}`).textContent()) ?? '';
      expect(text, a.kind).not.toContain(a.explanation);
      const words = data.reduce((s, d) => s.split(d).join(' '), text);
      expect(words, `${a.kind}: ${text}`).not.toMatch(CJK);
    }
    await shot(page, 'english-01-anomalies');
    expect(await chineseOn(page), 'Chinese on the anomalies page besides data').toEqual([]);

    // One anomaly: the explanation and its figures in English.
    const late = stored.find((a) => a.kind === 'outside_hours')!;
    await page.goto(`${e.base}/anomalies/${late.id}`);
    const said = (await page.getByTestId('anomaly-explanation').textContent()) ?? '';
    expect(said).toMatch(/subsidised orders at .* were placed outside serving hours \(.*Lunch 10:30–13:30.*\), e\.g\. /);
    await page.getByTestId('anomaly-figures').waitFor();
    await shot(page, 'english-02-anomaly');
    expect(await chineseOn(page), 'Chinese on the anomaly page besides data').toEqual([]);

    // An anomaly scanned before the figures carried every part: the stored sentence, as before.
    e.ctx.db.writer.prepare(`UPDATE anomalies SET figures = json_set(figures, '$.examples', json('["2026-11-17晚餐于21:42下单"]')) WHERE id = ?`).run(late.id);
    await page.reload();
    expect(await page.getByTestId('anomaly-explanation').textContent()).toBe(late.explanation);
    await ctx.close();
  });

  it('claims, reports, the clearing, the policies and the audit log name payers and layers in English; what else is Chinese is data', async () => {
    const ctx = await english();
    const page = await ctx.newPage();
    await consoleLogin(page, e, 'city');
    const found: Record<string, string[]> = {};

    // November's claims, drafted by the administrator for every canteen (operators draft their own the same way).
    const admin = as(e.app, await login(e.app, 'admin'));
    const gen = await admin.post('/api/v1/claims/generate', { month: '2026-11' });
    expect(gen.statusCode, gen.body).toBe(200);
    await page.goto(`${e.base}/claims?month=2026-11`);
    await page.locator('[data-testid^="claim-link-"]').first().waitFor();
    const claimRow = (await page.locator('[data-testid^="claim-link-"]').first().locator('xpath=ancestor::tr').textContent()) ?? '';
    expect(claimRow).toMatch(/Guangzhou Civil Affairs Bureau|Tianhe District Civil Affairs Bureau/);
    await shot(page, 'english-03-claims');
    found.claims = await chineseOn(page);

    await page.locator('[data-testid^="claim-link-"]').first().click();
    await page.getByTestId('claim-detail').waitFor();
    await shot(page, 'english-04-claim');
    found.claim = await chineseOn(page);

    await page.goto(`${e.base}/reports?from=2026-11-01&to=2026-11-30`);
    await page.getByTestId('report-payers').locator('tbody tr:not(.ant-table-placeholder)').first().waitFor();
    expect(await page.getByTestId('report-payers').textContent()).toContain('Guangzhou Civil Affairs Bureau');
    await shot(page, 'english-05-reports');
    found.reports = await chineseOn(page);

    await page.goto(`${e.base}/clearing?year=2026`);
    await page.getByTestId('clearing-page').waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, 'english-06-clearing');
    found.clearing = await chineseOn(page);

    await page.goto(`${e.base}/policy`);
    await page.waitForLoadState('networkidle');
    found.policies = await chineseOn(page);
    await page.goto(`${e.base}/policy/pv-guangzhou-2024-v1`);
    await page.getByTestId('policy-layer-meal').waitFor();
    const layer = (await page.getByTestId('policy-layer-meal').textContent()) ?? '';
    expect(layer).toContain('Meal subsidy');
    expect(layer).toContain('Guangzhou Civil Affairs Bureau');
    await shot(page, 'english-07-policy');
    found.policy = await chineseOn(page);

    await page.goto(`${e.base}/indicators`);
    await page.getByTestId('kpis').waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, 'english-09-indicators');
    found.indicators = await chineseOn(page);

    await page.goto(`${e.base}/late-orders`);
    await page.waitForLoadState('networkidle');
    await shot(page, 'english-10-late-orders');
    found.lateOrders = await chineseOn(page);

    await page.goto(`${e.base}/audit`);
    await page.getByTestId('audit-page').waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, 'english-08-audit');
    found.audit = await chineseOn(page);

    console.log(JSON.stringify(found, null, 1));
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
    await ctx.close();
  });

  it('staff give a layer and its payer English names in the policy editor; cleared, the layer goes back to its Chinese name', async () => {
    const city = as(e.app, await login(e.app, 'city'));
    const draft = await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' });
    expect(draft.statusCode, draft.body).toBe(201);
    const id = (draft.json() as { id: string }).id;
    const ctx = await english();
    const page = await ctx.newPage();
    await consoleLogin(page, e, 'city');
    await page.goto(`${e.base}/policy/${id}`);
    const nameEn = page.getByTestId('policy-field-layer-0-nameEn');
    await nameEn.waitFor();
    expect(await nameEn.inputValue()).toBe('Meal subsidy'); // the demo's, carried into the new version
    await nameEn.fill('City meal subsidy');
    await page.getByTestId('policy-field-layer-0-payerEn').fill('');
    await page.waitForFunction(() => document.querySelector('[data-testid="policy-preview-meal"]')?.textContent?.includes('City meal subsidy'));
    await shot(page, 'english-11-policy-editor');
    await page.getByTestId('policy-save').click();
    await page.waitForFunction(() => (document.querySelector('[data-testid="policy-save"]') as HTMLButtonElement | null)?.disabled === true);
    const saved = (await city.get(`/api/v1/policies/${id}`)).json() as { document: { layers: { nameEn?: string; payerEn?: string }[] } };
    expect(saved.document.layers[0]!.nameEn).toBe('City meal subsidy');
    expect(saved.document.layers[0]).not.toHaveProperty('payerEn');
    await page.reload();
    await page.getByTestId('policy-field-layer-0-nameEn').waitFor();
    expect(await page.getByTestId('policy-field-layer-0-payerEn').inputValue()).toBe('');
    await ctx.close();
  });
});
