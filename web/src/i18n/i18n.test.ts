import { ERROR_CODES } from '@yishi/shared/schemas';
import {
  ALLERGENS,
  CANTEEN_STATUSES,
  CATEGORY_STATES,
  DIET_NEEDS,
  DISH_TAGS,
  MEAL_PERIODS,
  ORDER_STATES,
  RESIDENT_CATEGORIES,
  ROLES,
  STAFF_REASONS,
  SUPPLY_MODES,
} from '@yishi/shared/domain';
import i18n from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { errorText } from '../lib/errors';
import { areaFiles, en, merge, zh } from './resources';

type Tree = { [k: string]: string | Tree };
const leaves = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leaves(v, `${prefix}${k}.`)));

describe('the dictionaries', () => {
  it('one file per area, the same areas and the same keys in both languages', () => {
    expect(areaFiles.en.sort()).toEqual(areaFiles.zh.sort());
    expect(areaFiles.zh).toContain('orders.ts');
    expect(leaves(en).sort()).toEqual(leaves(zh).sort());
  });

  it('no text is empty', () => {
    for (const [name, dict] of [
      ['zh', zh],
      ['en', en],
    ] as const) {
      const empty = leaves(dict).filter(
        (k) =>
          !i18n
            .getFixedT(name === 'zh' ? 'zh-CN' : 'en')(k)
            .trim(),
      );
      expect(empty, name).toEqual([]);
    }
  });

  it('every stable error code has Chinese and English text', () => {
    const zhT = i18n.getFixedT('zh-CN');
    const enT = i18n.getFixedT('en');
    for (const code of ERROR_CODES) {
      expect(zhT(`errors.${code}`, { defaultValue: '' }), code).not.toBe('');
      expect(enT(`errors.${code}`, { defaultValue: '' }), code).not.toBe('');
      expect(errorText(zhT, new ApiError(400, code, 'x')), code).toBe(zhT(`errors.${code}`));
    }
  });

  it('every code of the shared vocabulary has a label', () => {
    const zhT = i18n.getFixedT('zh-CN');
    const lists: [string, readonly string[]][] = [
      ['roles', ROLES],
      ['mealPeriods', MEAL_PERIODS],
      ['supplyModes', SUPPLY_MODES],
      ['canteenStatus', CANTEEN_STATUSES],
      ['orderStates', ORDER_STATES],
      ['categories', RESIDENT_CATEGORIES],
      ['dietNeeds', DIET_NEEDS],
      ['dishTags', DISH_TAGS],
      ['allergens', ALLERGENS],
      ['staffReasons', STAFF_REASONS],
      ['categoryStates', CATEGORY_STATES],
    ];
    for (const [ns, codes] of lists) for (const c of codes) expect(zhT(`${ns}.${c}`, { defaultValue: '' }), `${ns}.${c}`).not.toBe('');
  });

  it('two areas claiming one key is refused, not silently overwritten', () => {
    expect(() => merge({ './zh/a.ts': { default: { orders: { x: '1' } } }, './zh/b.ts': { default: { orders: { y: '2' } } } })).toThrow(/orders/);
  });
});

describe('error texts', () => {
  const t = i18n.getFixedT('zh-CN');
  it('say what happened, not the code', () => {
    expect(errorText(t, new ApiError(0, 'internal', 'network error', { network: true }))).toBe('网络连接失败，请检查网络后重试。');
    expect(errorText(t, new ApiError(200, 'internal', 'x', { contract: { path: '/orders' } }))).toContain('约定');
    expect(errorText(t, new ApiError(429, 'account_locked', 'x', { retryAfterSeconds: 600 }))).toContain('10 分钟');
    expect(errorText(t, new Error('boom'))).toBe('出错了。');
  });
});
