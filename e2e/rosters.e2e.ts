/**
 * A canteen operator imports a street office's roster: first an Excel file with a bad row (every problem shown in
 * Chinese, nothing written), then the corrected roster as CSV (confirmed, every row written); then the residents
 * list is exported to Excel and the orders of the day to CSV, and both files are read back.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/seed';
import { randomUUID } from 'node:crypto';
import { ExcelJS, Papa } from '../server/test/files';
import { shot, startE2E, type E2E } from './harness';

let e: E2E;
let page: Page;
let dir: string;
const CANTEEN = 'ct-shipai-huashi';

function idFor(birth: string, seq: number): string {
  const body = `440106${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i]!;
  return body + '10X98765432'[sum % 11]!;
}

const HEADERS = ['序号', '姓名', '身份证号码', '性别', '户籍所在地', '居住社区', '联系电话', '人员类别', '认定依据', '类别起止日期', '是否独居'];
const people = [1, 2, 3, 4].map((n) => [
  String(n),
  `名册长者${n}`,
  idFor(`1947-0${n}-1${n}`, 300 + n * 2),
  '女',
  '广州市天河区石牌街道',
  '华师社区',
  `1390000${String(n).padStart(4, '0')}`,
  '低保',
  `穗天民低字第2026-${n}号`,
  '2026-01-01至2026-12-31',
  '否',
]);
const count = (sql: string, ...args: unknown[]) => (e.ctx.db.readerConn.prepare(sql).get(...args) as { n: number }).n;
const imported = () => count("SELECT count(*) AS n FROM residents WHERE name LIKE '名册长者%'");

beforeAll(async () => {
  e = await startE2E();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-roster-'));
  page = await (await e.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', acceptDownloads: true })).newPage();
  await page.goto(`${e.base}/login`);
  await page.getByTestId('login-username').fill('yikang');
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/canteens\//);
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

describe('rosters in bulk', () => {
  it('a roster with a bad row is shown row by row and writes nothing; corrected, it is imported whole', async () => {
    // The Excel roster as street offices keep it: a title row above the headers, row 4's check digit wrong.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(['石牌街道2026年长者助餐资格名册']);
    ws.addRow(HEADERS);
    const bad = people.map((p, i) => (i === 2 ? p.map((c, j) => (j === 2 ? c.slice(0, 17) + (c[17] === '1' ? '2' : '1') : c)) : p));
    for (const p of bad) ws.addRow(p);
    const badFile = path.join(dir, '石牌街道名册.xlsx');
    await wb.xlsx.writeFile(badFile);

    await page.goto(`${e.base}/canteens/${CANTEEN}/roster-import`);
    await page.locator('input[type=file]').setInputFiles(badFile);
    await page.getByTestId('roster-mapping').waitFor();
    expect(await page.getByTestId('roster-row-count').textContent()).toBe('4');
    await shot(page, 'roster-mapping');
    await page.getByTestId('roster-check').click();
    await page.getByTestId('roster-errors').waitFor();
    // Row 5 of the sheet (title, headers, then rows 3–6): its check digit, in Chinese.
    const errors = page.getByTestId('roster-errors');
    await errors.getByText('身份证号校验位不对，请核对').waitFor();
    expect(await errors.locator('tbody tr').count()).toBe(1);
    expect(await errors.locator('tbody tr td').first().textContent()).toBe('5');
    await expect.poll(() => page.getByTestId('roster-confirm').count()).toBe(0);
    await shot(page, 'roster-bad-row');
    expect(imported()).toBe(0);

    // The corrected roster, as CSV with a BOM (Excel's "CSV UTF-8").
    await page.getByTestId('roster-start-over').click();
    const csv = '\uFEFF' + [HEADERS, ...people].map((r) => r.join(',')).join('\r\n') + '\r\n';
    const goodFile = path.join(dir, '石牌街道名册（改正）.csv');
    fs.writeFileSync(goodFile, csv);
    await page.locator('input[type=file]').setInputFiles(goodFile);
    await page.getByTestId('roster-mapping').waitFor();
    await page.getByTestId('roster-check').click();
    await page.getByTestId('roster-ok').waitFor();
    expect(imported()).toBe(0); // checked, not yet written
    await page.getByTestId('roster-confirm').click();
    await page.getByTestId('roster-confirm-ok').click();
    await page.getByTestId('roster-done').waitFor();
    await page.locator('.ant-modal-confirm').waitFor({ state: 'hidden' }); // the confirmation closes once it is written
    await shot(page, 'roster-done');
    expect(imported()).toBe(4);
    expect(
      count("SELECT count(*) AS n FROM resident_categories c JOIN residents r ON r.id = c.resident_id WHERE r.name LIKE '名册长者%' AND c.code = 'dibao'"),
    ).toBe(4);
  });

  it('the residents list exports to Excel masked, and the orders of the day to CSV; both read back', async () => {
    await page.goto(`${e.base}/canteens/${CANTEEN}/residents`);
    await page.getByTestId('resident-search').fill('名册长者');
    await page.getByTestId('resident-search').press('Enter');
    await page.getByText('名册长者1').first().waitFor();
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-residents-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const xlsxPath = path.join(dir, 'residents.xlsx');
    await xlsx.saveAs(xlsxPath);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(xlsxPath);
    const sheet = book.worksheets[0]!;
    const text: string[] = [];
    sheet.eachRow((r) => text.push((r.values as unknown[]).map((v) => String(v ?? '')).join('|')));
    const rows = text.filter((l) => /名册长者\d/.test(l)); // (the sheet's heading also names the search)
    expect(rows).toHaveLength(4);
    for (const p of people) {
      const line = rows.find((l) => l.includes(p[1]!))!;
      expect(line).toBeDefined();
      expect(line).not.toContain(p[2]); // the ID number never leaves in full…
      expect(line).toContain(p[2]!.slice(-4)); // …only its last 4
      expect(line).not.toContain(p[6]);
    }

    // The last served day before today (the demo history), picked on the list's date.
    const day = (
      e.ctx.db.readerConn.prepare("SELECT max(service_date) AS d FROM orders WHERE canteen_id = ? AND service_date < '2026-11-23'").get(CANTEEN) as {
        d: string;
      }
    ).d;
    await page.goto(`${e.base}/canteens/${CANTEEN}/orders`);
    await page.getByTestId('orders-table').waitFor();
    const picker = page.locator('.toolbar .ant-picker input').first();
    await picker.click();
    await picker.fill(day);
    await picker.press('Enter');
    await page.locator('.ant-picker-dropdown').first().waitFor({ state: 'hidden' });
    await page.getByTestId('orders-table').locator('tbody tr.ant-table-row').first().waitFor();
    const [csvDl, asked] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForRequest(/\/orders\/export/),
      page.getByTestId('export-orders-csv').click(),
    ]);
    // The filters on screen went with it: that day, and the meal shown (the current meal period by default).
    const q = new URL(asked.url()).searchParams;
    expect(q.get('from')).toBe(day);
    expect(q.get('to')).toBe(day);
    expect(csvDl.suggestedFilename()).toMatch(/\.csv$/);
    const csvPath = path.join(dir, 'orders.csv');
    await csvDl.saveAs(csvPath);
    const body = fs.readFileSync(csvPath, 'utf8');
    expect(body.startsWith('\uFEFF')).toBe(true);
    const table = Papa.parse<string[]>(body.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    const h = table.findIndex((r) => r.includes('取餐号'));
    expect(h).toBeGreaterThanOrEqual(0);
    const meal = q.get('mealPeriod');
    const stored = count(
      'SELECT count(*) AS n FROM orders WHERE canteen_id = ? AND service_date = ? AND (? IS NULL OR meal_period = ?)',
      CANTEEN,
      day,
      meal,
      meal,
    );
    expect(stored).toBeGreaterThan(0);
    // Every order of the list on screen, one line each.
    expect(table.slice(h + 1).filter((r) => r[0] !== '合计')).toHaveLength(stored);
  });
  it('in the drawer of an imported resident: a top-up is confirmed first, then its receipt shows; orders and history are there', async () => {
    await page.goto(`${e.base}/canteens/${CANTEEN}/residents`);
    await page.getByTestId('resident-search').fill('名册长者2');
    await page.getByTestId('resident-search').press('Enter');
    await page.locator('[data-testid^="resident-row-"]', { hasText: '名册长者2' }).first().click();
    await page.getByTestId('wallet-entries').waitFor();
    await page.getByTestId('resident-orders').waitFor();
    const id = (e.ctx.db.readerConn.prepare("SELECT id FROM residents WHERE name = '名册长者2'").get() as { id: string }).id;
    const entries = () => count('SELECT count(*) AS n FROM wallet_entries WHERE resident_id = ?', id);
    await page.getByTestId('topup-amount').fill('50');
    await page.getByTestId('topup-submit').click();
    await page.getByTestId('topup-confirm-ok').waitFor();
    expect(entries()).toBe(0); // nothing until the amount is confirmed
    await page.getByText('¥50.00').first().waitFor();
    await page.getByTestId('topup-confirm-ok').click();
    await page.getByTestId('receipt').waitFor();
    expect(entries()).toBe(1);
    const stored = e.ctx.db.readerConn.prepare('SELECT receipt_no AS no, amount_fen AS fen FROM wallet_entries WHERE resident_id = ?').get(id) as {
      no: string;
      fen: number;
    };
    expect(stored.fen).toBe(5000);
    expect(await page.getByTestId('receipt-no').textContent()).toBe(stored.no);
    expect(await page.getByTestId('receipt-amount').textContent()).toBe('¥50.00');
    await shot(page, 'resident-topup-receipt');

    // 打印收据 prints the receipt alone: the page, the drawer and the dialog are off the paper (not merely hidden:
    // out of the layout, so no blank pages follow), and the receipt fits one 80 mm slip.
    await page.evaluate(() => {
      const w = window as unknown as { printed: number };
      w.printed = 0;
      window.print = () => void w.printed++;
    });
    await page.getByTestId('receipt-print').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    const onPaper = await page.evaluate(() =>
      Array.from(document.body.children)
        .filter((el) => getComputedStyle(el).display !== 'none')
        .map((el) => el.getAttribute('data-testid') ?? el.id ?? el.tagName),
    );
    expect(onPaper).toEqual(['receipt-sheet']);
    const sheet = (await page.getByTestId('receipt-sheet').textContent()) ?? '';
    for (const want of [stored.no, '名册长者2', '¥50.00', '充值收据']) expect(sheet).toContain(want);
    await shot(page, 'resident-topup-receipt-print');
    const pdf = await page.pdf({ preferCSSPageSize: true });
    fs.writeFileSync(path.join(dir, 'receipt.pdf'), pdf);
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    // On the 80 mm roll: the page is 80 mm wide and as long as the receipt (not A4 or Letter).
    const box = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
    expect(box, 'the PDF names its page size').not.toBeNull();
    const [wMm, hMm] = [Number(box![1]) / 2.8346, Number(box![2]) / 2.8346];
    expect(Math.round(wMm)).toBe(80);
    expect(hMm).toBeGreaterThan(40);
    expect(hMm).toBeLessThan(200);
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
    expect(await page.evaluate(() => document.body.className)).not.toContain('print-sheet-only');
  });

  it("a deceased resident's balance is paid out to a named daughter: a recorded entry, the balance 0, the wallet closed", async () => {
    const id = (e.ctx.db.readerConn.prepare("SELECT id FROM residents WHERE name = '名册长者3'").get() as { id: string }).id;
    const cookie = `yishi_session=${(await page.context().cookies()).find((c) => c.name === 'yishi_session')!.value}`;
    const call = (method: 'POST' | 'PATCH', url: string, payload: object) =>
      e.app.inject({ method, url, payload, headers: { cookie, origin: 'http://localhost:80' } });
    const topup = await call('POST', '/api/v1/wallet/topups', { id: randomUUID(), residentId: id, canteenId: CANTEEN, amountFen: 3650, method: 'cash' });
    expect(topup.statusCode, topup.body).toBe(200);
    const died = await call('PATCH', `/api/v1/residents/${id}`, { status: 'deceased', statusSince: '2026-11-20' });
    expect(died.statusCode, died.body).toBe(200);

    await page.goto(`${e.base}/canteens/${CANTEEN}/residents`);
    await page.getByTestId('resident-search').fill('名册长者3');
    await page.getByTestId('resident-search').press('Enter');
    await page.locator('[data-testid^="resident-row-"]', { hasText: '名册长者3' }).first().click();
    await expect.poll(() => page.getByTestId('wallet-balance').textContent()).toBe('¥36.50');
    await page.getByTestId('payout-open').click();
    await page.getByTestId('payout-form').waitFor();
    // Who receives it must be named, with an ID tail or a phone.
    await page.getByTestId('payout-submit').click();
    await page.locator('.ant-form-item-explain-error').first().waitFor();
    await page.getByTestId('payout-name').fill('名册家属');
    await page.getByTestId('payout-relation').fill('女儿');
    await page.getByTestId('payout-id4').fill('302x');
    await shot(page, 'resident-payout-dialog');
    await page.getByTestId('payout-submit').click();
    await page.getByTestId('payout-confirm-ok').click();
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt-amount').textContent()).toBe('¥36.50');
    expect(await page.getByTestId('receipt').textContent()).toContain('名册家属（女儿） ****302X');
    await shot(page, 'resident-payout-receipt');
    await page.locator('.ant-modal-footer button', { hasText: /关\s*闭/ }).click();
    await page.getByTestId('wallet-closed').waitFor();
    expect(await page.getByTestId('wallet-balance').textContent()).toBe('¥0.00');
    await expect.poll(() => page.getByTestId('payout-open').count()).toBe(0);

    const entries = e.ctx.db.readerConn.prepare('SELECT kind, amount_fen AS fen FROM wallet_entries WHERE resident_id = ? ORDER BY created_at, rowid').all(id);
    expect(entries).toEqual([
      { kind: 'topup', fen: 3650 },
      { kind: 'payout', fen: -3650 },
    ]);
    expect(count("SELECT count(*) AS n FROM audit_log WHERE action = 'wallet.payout' AND entity_id = ?", id)).toBe(1);
  });
});
