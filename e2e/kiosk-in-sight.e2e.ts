/**
 * What an elder must see without scrolling (elders do not scroll), at the three screens the kiosk runs on: a
 * portrait kiosk (1080 × 1920), a landscape one (1280 × 800) and a small tablet (800 × 1280).
 * - The confirm screen with a full basket (set meals and dishes), in Chinese and English: every action (钱包支付,
 *   到柜台付现金, 其他支付 and its field, 返回改菜) and 您需支付 are on the screen. On the tablet 其他支付 and 返回改菜
 *   were 52–168 px below its edge.
 * - The landscape menu: after each dish added, its line in the basket, the basket's total and 下一步 are in sight
 *   (the side column needed a swipe).
 * - The phone + PIN screen: beside the grey 下一步 it says why (还差 1 位数字), as each digit is typed, and says it
 *   aloud when the grey button is tapped.
 * - Pairing (staff): the code, the keypad and 配对 on a landscape screen (配对 was 259 px below its edge).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import path from 'node:path';
import { shot, SHOTS, startE2E, type E2E } from './harness';
import { basketPriced, CANTEEN, clearSpoken, pairKiosk, recordSpeech, spoken } from './kioskDriver';

let e: E2E;
let ctx: BrowserContext;
let page: Page;
const SIZES = [
  { width: 1080, height: 1920, name: 'portrait' },
  { width: 1280, height: 800, name: 'landscape' },
  { width: 800, height: 1280, name: 'tablet' },
] as const;
/** Two set meals and five dishes: the longest bill a lunch here makes, with the longest English names. */
const FULL_BASKET = ['set-a', 'set-big', 'paigu', 'huajiao-ji', 'qiezi', 'zicai-tang', 'mifan'].map((d) => `${CANTEEN}__${d}`);

beforeAll(async () => {
  e = await startE2E();
  ctx = await e.newContext({ viewport: { width: 800, height: 1280 }, locale: 'zh-CN', hasTouch: true });
  await recordSpeech(ctx);
  page = await ctx.newPage();
  await pairKiosk(page, e, '看得见自助机');
});
afterAll(async () => {
  const problems = e?.problems ?? [];
  await e?.close();
  expect(problems, 'page errors or CSP violations in the browser').toEqual([]);
});

/**
 * Each element wholly inside the band [top, bottom] of the screen as it is (no scrolling), at least 60 × 60 when it
 * is a button, and a finger at its middle lands on it (nothing pinned over it). Returns what is wrong, one line each.
 */
async function outOfSight(ids: string[], band?: { top?: string; bottom?: string }): Promise<string[]> {
  return page.evaluate(
    ({ ids, band }) => {
      const top = band?.top ? document.querySelector(band.top)!.getBoundingClientRect().bottom : 0;
      const bottom = band?.bottom ? document.querySelector(band.bottom)!.getBoundingClientRect().top : window.innerHeight;
      const wrong: string[] = [];
      for (const id of ids) {
        const el = document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
        if (!el) {
          wrong.push(`${id}: not on the screen`);
          continue;
        }
        const r = el.getBoundingClientRect();
        if (r.top < top - 0.5 || r.bottom > bottom + 0.5)
          wrong.push(`${id}: ${Math.round(r.top)}–${Math.round(r.bottom)} outside ${Math.round(top)}–${Math.round(bottom)}`);
        if (el.tagName === 'BUTTON' && Math.min(r.width, r.height) < 60) wrong.push(`${id}: ${Math.round(r.width)} × ${Math.round(r.height)}`);
        const at = document.elementFromPoint(r.left + r.width / 2, Math.min(r.top + r.height / 2, bottom - 1));
        if (!at || !(at === el || el.contains(at))) wrong.push(`${id}: covered by ${at?.className ?? 'nothing'}`);
      }
      return wrong;
    },
    { ids, band },
  );
}

async function setLang(lang: 'zh-CN' | 'en'): Promise<void> {
  if ((await page.evaluate(() => document.documentElement.lang)) !== lang) await page.getByTestId('lang-toggle').tap();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

async function tapCard(card: string): Promise<void> {
  await page.getByTestId('start-screen').waitFor();
  await page.keyboard.type(card);
  await page.keyboard.press('Enter');
  await page.getByTestId('menu-screen').waitFor();
}

/** Back to the start screen from wherever the last test left the kiosk (so one failure does not fail the next). */
async function backToStart(): Promise<void> {
  for (let i = 0; i < 4 && (await page.getByTestId('start-screen').count()) === 0; i++) {
    for (const id of ['confirm-back', 'menu-back', 'keypad-back']) {
      const b = page.getByTestId(id);
      if ((await b.count()) > 0) {
        await b.tap();
        break;
      }
    }
    await page.waitForTimeout(200);
  }
}

async function axe(where: string): Promise<string[]> {
  const res = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return res.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${where}: ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('kiosk actions in sight without scrolling', () => {
  it('the confirm screen with a full basket: every action and 您需支付 in sight, 其他支付 open or not, Chinese and English, at each size', async () => {
    const problems: string[] = [];
    const bad: string[] = [];
    // 李美华 has too little in her wallet for this basket (a reason under 钱包支付); 黄伯坚 has two subsidy lines.
    for (const card of ['4401100003', '4401100002']) {
      for (const size of SIZES) {
        for (const lang of ['zh-CN', 'en'] as const) {
          const where = `${size.name} ${lang} ${card}`;
          await page.setViewportSize(size);
          await tapCard(card);
          await setLang(lang);
          for (const id of FULL_BASKET) await page.getByTestId(`add-${id}`).tap();
          await basketPriced(page);
          await page.getByTestId('to-confirm').tap();
          await page.waitForFunction(() => !!document.querySelector('[data-testid="confirm-pay-amount"]'));
          await page.getByTestId(`confirm-line-${FULL_BASKET.at(-1)}`).waitFor();
          const actions = ['pay-wallet', 'pay-counter', 'pay-external', 'confirm-back'];
          bad.push(...(await outOfSight([...actions, 'confirm-pay-amount'])).map((w) => `${where}: ${w}`));
          const tall = await page.evaluate(() => document.documentElement.scrollHeight);
          if (tall > size.height) bad.push(`${where}: the page is ${tall} px tall`);
          if (card === '4401100003' && size.name === 'tablet') {
            problems.push(...(await axe(`confirm ${where}`)));
            await shot(page, `kiosk-in-sight-confirm-tablet-${lang}`);
          }
          await page.getByTestId('pay-external').tap();
          await page.getByTestId('external-ref-input').waitFor();
          await page.waitForTimeout(400); // the field is brought into view smoothly where it must be
          bad.push(...(await outOfSight([...actions, 'external-ref-input', 'pay-external-submit'])).map((w) => `${where}, 其他支付 open: ${w}`));
          await shot(page, `kiosk-in-sight-confirm-external-${size.name}-${lang}-${card}`);
          await page.getByTestId('confirm-back').tap();
          await page.getByTestId('menu-back').tap();
        }
      }
    }
    expect(bad).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('landscape menu: after each dish added, its basket line, the total and 下一步 are in sight without a swipe', async () => {
    await backToStart();
    await page.setViewportSize({ width: 1280, height: 800 });
    const bad: string[] = [];
    // 陈秀英 has 和上次一样 and 送餐到家 above her basket: the longest side column.
    for (const lang of ['zh-CN', 'en'] as const) {
      await tapCard('4401100001');
      await setLang(lang);
      for (const id of [...FULL_BASKET, FULL_BASKET[0]!]) {
        await page.getByTestId(`add-${id}`).tap();
        await basketPriced(page);
        const qty = Number((await page.getByTestId(`qty-${id}`).textContent())?.replace(/\D/g, ''));
        await page.waitForFunction(([id, qty]) => document.querySelector(`[data-testid="basket-line-${id}"]`)?.textContent?.includes(`× ${qty}`), [
          id,
          qty,
        ] as const);
        await page.waitForTimeout(200);
        const band = { top: '.topbar', bottom: '.cartbar' };
        bad.push(...(await outOfSight([`basket-line-${id}`, 'basket-total'], band)).map((w) => `${lang} after ${id}: ${w}`));
        // … and inside the side column's own window (not scrolled out of it).
        const inColumn = await page.evaluate((id) => {
          const col = document.querySelector('.menu-side')!.getBoundingClientRect();
          return [`basket-line-${id}`, 'basket-total'].every((t) => {
            const r = document.querySelector(`[data-testid="${t}"]`)!.getBoundingClientRect();
            return r.top >= col.top - 0.5 && r.bottom <= col.bottom + 0.5;
          });
        }, id);
        if (!inColumn) bad.push(`${lang} after ${id}: outside the side column's window`);
        bad.push(...(await outOfSight(['to-confirm', 'cart-total'])).map((w) => `${lang} after ${id}: ${w}`));
      }
      // The screen as the elder sees it (a full-page picture would show the long dish list, not the column).
      await page.screenshot({ path: path.join(SHOTS, `kiosk-in-sight-landscape-basket-${lang}.png`) });
      await page.getByTestId('menu-back').tap();
    }
    expect(bad).toEqual([]);
  });

  it('phone number: beside the grey 下一步 it says how many digits are missing, updating as they are typed, and says it aloud on a tap', async () => {
    await backToStart();
    const bad: string[] = [];
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.getByTestId('start-screen').waitFor();
      await page.getByTestId('phone-pin-button').tap();
      await page.getByTestId('phone-screen').waitFor();
      const hint = page.getByTestId('entry-hint');
      expect(await hint.textContent()).toBe('还差 11 位数字');
      for (const d of '138001380') await page.getByTestId(`keypad-digit-${d}`).tap();
      expect(await hint.textContent()).toBe('还差 2 位数字');
      await page.getByTestId('keypad-digit-0').tap();
      // 10 of 11 digits: the button is grey and the reason is beside it, large.
      expect(await hint.textContent()).toBe('还差 1 位数字');
      expect(await page.getByTestId('keypad-ok').getAttribute('aria-disabled')).toBe('true');
      bad.push(...(await outOfSight(['entry-hint', 'keypad-ok', 'keypad-back', 'phone-input'])).map((w) => `${size.name}: ${w}`));
      const look = await page.evaluate(() => {
        const h = document.querySelector('[data-testid="entry-hint"]')!;
        const b = document.querySelector('[data-testid="keypad-ok"]')!.getBoundingClientRect();
        const r = h.getBoundingClientRect();
        return {
          font: parseFloat(getComputedStyle(h).fontSize),
          gap: b.top - r.bottom,
          described: document.querySelector('[data-testid="keypad-ok"]')!.getAttribute('aria-describedby'),
        };
      });
      expect(look.font, size.name).toBeGreaterThanOrEqual(30); // the largest size, not body text
      expect(look.gap, `${size.name}: right above the button`).toBeGreaterThanOrEqual(0);
      expect(look.gap, `${size.name}: right above the button`).toBeLessThanOrEqual(40);
      expect(look.described).toBe('entry-hint');
      if (size.name === 'tablet') {
        expect(await axe('phone 10 digits')).toEqual([]);
        await shot(page, 'kiosk-in-sight-phone-10-digits');
      }
      // A tap on the grey button: nothing moves on, and the reason is said aloud.
      await clearSpoken(page);
      await page.getByTestId('keypad-ok').tap({ force: true });
      await page.waitForFunction(() => (window as unknown as { __spoken: { text: string }[] }).__spoken.length > 0);
      expect((await spoken(page)).map((s) => s.text)).toEqual(['还差 1 位数字']);
      expect(await page.getByTestId('phone-input').count()).toBe(1);
      // English: the same reason in English words.
      await setLang('en');
      expect(await hint.textContent()).toBe('1 more digit needed');
      await clearSpoken(page);
      await page.getByTestId('keypad-ok').tap({ force: true });
      await page.waitForFunction(() => (window as unknown as { __spoken: { text: string }[] }).__spoken.length > 0);
      expect((await spoken(page)).map((s) => s.text)).toEqual(['1 more digit needed']);
      await setLang('zh-CN');
      // The 11th digit: the button goes on, and says so.
      await page.getByTestId('keypad-digit-1').tap();
      expect(await page.getByTestId('keypad-ok').getAttribute('aria-disabled')).toBe('false');
      expect(await hint.textContent()).toContain('下一步');
      await page.getByTestId('keypad-ok').tap();
      await page.getByTestId('pin-input').waitFor();
      expect(await hint.textContent()).toBe('还差 6 位数字');
      bad.push(...(await outOfSight(['entry-hint', 'keypad-ok', 'keypad-back'])).map((w) => `${size.name} PIN: ${w}`));
      await page.getByTestId('keypad-back').tap();
      await page.getByTestId('keypad-back').tap();
    }
    expect(bad).toEqual([]);
  });

  it('pairing a new kiosk: the code, every key and 配对 in sight at each size, in Chinese and English', async () => {
    const fresh = await e.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', hasTouch: true });
    const was = page;
    page = await fresh.newPage();
    try {
      await page.goto(`${e.base}/kiosk/`);
      await page.getByTestId('pairing-screen').waitFor();
      const bad: string[] = [];
      const keys = ['pairing-code-input', 'pair-submit', 'keypad-clear', 'keypad-digit-0', 'keypad-delete', 'keypad-digit-1'];
      for (const lang of ['zh-CN', 'en'] as const) {
        await setLang(lang);
        for (const size of SIZES) {
          await page.setViewportSize(size);
          // In one column on a landscape screen 配对 was 259 px below the edge, the bottom row of keys 143 px.
          bad.push(...(await outOfSight(keys)).map((w) => `${size.name} ${lang}: ${w}`));
          const tall = await page.evaluate(() => document.documentElement.scrollHeight);
          if (tall > size.height) bad.push(`${size.name} ${lang}: the page is ${tall} px tall`);
        }
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      await shot(page, 'kiosk-in-sight-pairing-landscape');
      expect(bad).toEqual([]);
    } finally {
      await page.close();
      page = was;
      await fresh.close();
    }
  });
});
