import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@yishi/shared/schemas';
import { subsidyWords } from './format';
import { hasMessage, messageKeys, translate } from './i18n';

/** The kiosk's source files (not tests), as text. */
const sources = import.meta.glob<string>(['./**/*.ts', './**/*.tsx', '!./**/*.test.ts', '!./test/**'], { query: '?raw', import: 'default', eager: true });

describe('kiosk words', () => {
  it('every key written in the code exists in Chinese and English', () => {
    const used = new Set<string>();
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z]+\.[a-zA-Z_.]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\bkey: '([a-zA-Z]+\.[a-zA-Z_.]+)'/g)) used.add(m[1]!);
      // keys chosen in a ternary: t(x ? 'a.b' : 'a.c')
      for (const m of text.matchAll(/(?:\?|\s:)\s*'([a-z]+\.[a-zA-Z_]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(80);
    const missing = [...used].filter((k) => !hasMessage('zh-CN', k) || !hasMessage('en', k));
    expect(missing).toEqual([]);
  });
  it('an elder never reads an error code: the ones a kiosk meets have words, any other says the generic error', () => {
    // What the server answers a kiosk's tap, quote, order, rating or pairing with.
    const kioskCodes = ['quote_changed', 'quote_expired', 'quote_used', 'quote_invalid', 'sold_out', 'insufficient_balance', 'wallet_closed', 'overloaded'];
    for (const code of kioskCodes) for (const lang of ['zh-CN', 'en'] as const) expect(hasMessage(lang, `error.${code}`), `${lang} ${code}`).toBe(true);
    for (const code of ERROR_CODES)
      for (const lang of ['zh-CN', 'en'] as const) {
        const text = translate(lang, `error.${code}`);
        expect(text, `${lang} ${code}`).not.toContain(code);
        expect(text).not.toMatch(/^error\./);
      }
    expect(translate('zh-CN', 'error.login_failed')).toBe(translate('zh-CN', 'error.generic'));
  });
  it('both languages have the same keys', () => {
    expect(messageKeys('en').sort()).toEqual(messageKeys('zh-CN').sort());
  });
  it('fills in names and falls back to Chinese, then to the key', () => {
    expect(translate('zh-CN', 'menu.justSoldOut', { name: '红烧鱼' })).toBe('红烧鱼刚卖完，已经从您选的菜里拿掉了');
    expect(translate('en', 'common.pending', { count: 2 })).toBe('Orders waiting to be sent when the network is back: 2');
    expect(translate('en', 'no.such')).toBe('no.such');
  });
});

describe('a subsidy line in the language on screen', () => {
  const line = { layerName: '就餐补贴', payer: '广州市民政局', layerNameEn: 'Meal subsidy', payerEn: 'Guangzhou Civil Affairs Bureau' };
  it('in English, the policy’s English names; in Chinese, the Chinese', () => {
    expect(translate('en', 'confirm.subsidy', subsidyWords(line, 'en'))).toBe('Meal subsidy (paid by Guangzhou Civil Affairs Bureau)');
    expect(translate('zh-CN', 'confirm.subsidy', subsidyWords(line, 'zh-CN'))).toBe('就餐补贴（由广州市民政局支付）');
  });
  it('a policy without English names (or an order from before them) shows the Chinese in English too', () => {
    expect(subsidyWords({ layerName: '就餐补贴', payer: '广州市民政局' }, 'en')).toEqual({ name: '就餐补贴', payer: '广州市民政局' });
    expect(subsidyWords({ ...line, layerNameEn: null, payerEn: null }, 'en')).toEqual({ name: '就餐补贴', payer: '广州市民政局' });
  });
});
