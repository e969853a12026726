import { describe, expect, it } from 'vitest';
import { translate } from './i18n';
import { entryHint } from './phoneEntry';

const words = (lang: 'zh-CN' | 'en', step: 'phone' | 'pin', value: string) => {
  const h = entryHint(step, value);
  return translate(lang, h.key, h.params);
};

describe('the reason beside 下一步 on the phone + PIN screen', () => {
  it('at 10 of 11 digits says one more digit is needed, in Chinese and English', () => {
    expect(entryHint('phone', '1380013800')).toMatchObject({ ready: false });
    expect(words('zh-CN', 'phone', '1380013800')).toBe('还差 1 位数字');
    expect(words('en', 'phone', '1380013800')).toBe('1 more digit needed');
  });
  it('counts down as digits are typed, from the first', () => {
    expect(words('zh-CN', 'phone', '')).toBe('还差 11 位数字');
    expect(words('en', 'phone', '138')).toBe('8 more digits needed');
    expect(words('zh-CN', 'pin', '2468')).toBe('还差 2 位数字');
    expect(words('en', 'pin', '24681')).toBe('1 more digit needed');
  });
  it('11 digits not starting with 1 is not a mobile number, and says so', () => {
    expect(entryHint('phone', '23800138001').ready).toBe(false);
    expect(words('zh-CN', 'phone', '23800138001')).toContain('1 开头');
    expect(words('en', 'phone', '23800138001')).toContain('starts with 1');
  });
  it('says which button to press once the number or PIN is complete', () => {
    expect(entryHint('phone', '13800138001').ready).toBe(true);
    expect(words('zh-CN', 'phone', '13800138001')).toContain('下一步');
    expect(words('en', 'phone', '13800138001')).toContain('Next');
    expect(entryHint('pin', '246810').ready).toBe(true);
    expect(words('zh-CN', 'pin', '246810')).toContain('确定');
  });
});
