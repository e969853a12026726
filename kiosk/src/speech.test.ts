import { describe, expect, it } from 'vitest';
import { pickVoice, sentences } from './speech';

const voices = [
  { name: 'Google 普通话（中国大陆）', lang: 'zh-CN' },
  { name: 'Google 粤語（香港）', lang: 'zh-HK' },
  { name: 'Google US English', lang: 'en-US' },
];

describe('voice for the kiosk', () => {
  it('speaks Cantonese where the kiosk is set to it and the device has a voice for it', () => {
    expect(pickVoice(voices, 'zh-CN', 'cantonese')).toMatchObject({ dialect: 'cantonese', lang: 'zh-HK', voice: { name: 'Google 粤語（香港）' } });
    expect(pickVoice([{ name: 'Sin-ji', lang: 'yue_HK' }], 'zh-CN', 'cantonese')).toMatchObject({ dialect: 'cantonese', lang: 'yue-HK' });
  });
  it('falls back to Mandarin without a Cantonese voice, and never picks Cantonese for Mandarin', () => {
    expect(pickVoice([voices[0]!, voices[2]!], 'zh-CN', 'cantonese')).toMatchObject({ dialect: 'mandarin', lang: 'zh-CN', voice: { lang: 'zh-CN' } });
    expect(pickVoice([voices[1]!, voices[0]!], 'zh-CN', 'mandarin')).toMatchObject({ dialect: 'mandarin', voice: { lang: 'zh-CN' } });
    expect(pickVoice([], 'zh-CN', 'cantonese')).toEqual({ voice: null, lang: 'zh-CN', dialect: 'mandarin' });
  });
  it('English is English whatever the dialect setting', () => {
    expect(pickVoice(voices, 'en', 'cantonese')).toMatchObject({ dialect: 'english', lang: 'en-US', voice: { lang: 'en-US' } });
  });
});

describe('sentences read aloud as one text', () => {
  it('English gets English full stops (the start screen said "Please tap your card。Now serving: Lunch")', () => {
    expect(sentences('en', 'Please tap your card', 'Now serving: Lunch')).toBe('Please tap your card. Now serving: Lunch');
    expect(sentences('en', 'Hello. Please choose your dishes.', null, 'You have already ordered lunch')).toBe(
      'Hello. Please choose your dishes. You have already ordered lunch',
    );
  });
  it('Chinese gets 。, once', () => {
    expect(sentences('zh-CN', '请刷卡', '现在供应：午餐')).toBe('请刷卡。现在供应：午餐');
    expect(sentences('zh-CN', '陈阿姨，您好，请选菜', '饭堂今天休息。')).toBe('陈阿姨，您好，请选菜。饭堂今天休息。');
    expect(sentences('zh-CN', '今天暂停营业。', '请刷卡')).toBe('今天暂停营业。请刷卡');
  });
});
