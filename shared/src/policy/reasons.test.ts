import { describe, expect, it } from 'vitest';
import { describeReason, isReasonCode, LANGS, langOf, REASON_CODES, REASON_TEXTS, reasonText } from './reasons';
import { describeReason as fromIndex, reasonText as reasonTextFromIndex } from './index';

describe('reason texts, defined once', () => {
  it.each(REASON_CODES.flatMap((c) => LANGS.map((l) => [c, l] as const)))('%s has plain words in %s', (code, lang) => {
    const text = describeReason(code, lang);
    expect(text).toBe(REASON_TEXTS[lang][code]);
    expect(text.length).toBeGreaterThan(2);
    expect(text).not.toMatch(/undefined|\{|\}/);
    if (lang === 'zh') expect(text).toMatch(/[\u4e00-\u9fff]/);
    else expect(text).not.toMatch(/[\u4e00-\u9fff]/);
  });
  it('gives each code its own words', () => {
    for (const lang of LANGS) expect(new Set(REASON_CODES.map((c) => describeReason(c, lang))).size).toBe(REASON_CODES.length);
  });
  it('has words for exactly the codes the engine gives', () => {
    for (const lang of LANGS) expect(Object.keys(REASON_TEXTS[lang]).sort()).toEqual([...REASON_CODES].sort());
  });
  it('names the meal when it knows it', () => {
    expect(describeReason('limit_meal_period', 'zh', { mealPeriod: 'lunch' })).toBe('今天午餐的补贴已经用过了');
    expect(describeReason('limit_meal_period', 'en', { mealPeriod: 'lunch' })).toBe("You have already had today's subsidised lunch");
    expect(describeReason('meal_period', 'zh', { mealPeriod: 'breakfast' })).toBe('早餐没有补贴');
    expect(describeReason('meal_period', 'en', { mealPeriod: 'breakfast' })).toBe('Breakfast is not subsidised');
    expect(describeReason('meal_period', 'zh', { mealPeriod: null })).toBe('这一餐没有补贴');
  });
  it('reasonText takes what the wire carries: a known code, an unknown one, or nothing', () => {
    expect(reasonText('limit_day', 'zh')).toBe('今天的补贴次数已经用完了');
    expect(reasonText('allowance_day', 'en')).toBe("Today's subsidy money is used up");
    expect(reasonText('limit_meal_period', 'zh', { mealPeriod: 'dinner' })).toBe('今天晚餐的补贴已经用过了');
    expect(reasonText('from_the_future', 'zh')).toBe('请问工作人员（from_the_future）');
    expect(reasonText(null, 'en')).toBe('Please ask staff (-)');
    expect(reasonText(undefined, 'zh')).toBe('请问工作人员（-）');
    expect(isReasonCode('toString')).toBe(false);
  });
  it('langOf maps an i18n language to zh or en', () => {
    expect(langOf('en')).toBe('en');
    expect(langOf('en-GB')).toBe('en');
    expect(langOf('zh-CN')).toBe('zh');
    expect(langOf('yue')).toBe('zh');
    expect(langOf(undefined)).toBe('zh');
  });
  it('is exported from the package entry the apps import', () => {
    expect(fromIndex).toBe(describeReason);
    expect(reasonTextFromIndex).toBe(reasonText);
  });
});
