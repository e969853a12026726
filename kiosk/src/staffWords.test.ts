import { describe, expect, it } from 'vitest';
import { translate, type Lang } from './i18n';
import { staffWords } from './staffWords';

const words = (lang: Lang, status: Parameters<typeof staffWords>[2], attempts = 1) => staffWords((k, p) => translate(lang, k, p), lang, status, attempts);

describe('呼叫工作人员: what is shown and said', () => {
  it('while retrying, the screen counts attempts but the voice says the same words each time, with "wave to the counter"', () => {
    const spoken = [2, 3, 4, 5].map((n) => words('zh-CN', 'retrying', n).spoken);
    expect(new Set(spoken).size).toBe(1); // useSpeak speaks a text once: the same text is not read again
    expect(spoken[0]).toBe('暂时没联系上工作人员，正在再试。也可以向柜台招手，请工作人员过来。');
    expect(words('zh-CN', 'retrying', 3).title).toContain('第 3 次');
    expect(words('en', 'retrying', 3).spoken).toBe('Could not reach staff yet; trying again. You can also wave to the counter for help.');
  });

  it('says when the call reached staff, was seen, or failed; nothing while it is first being sent', () => {
    expect(words('zh-CN', 'sending').spoken).toBeNull();
    expect(words('zh-CN', 'sent').spoken).toBe('已通知工作人员，请稍候');
    expect(words('zh-CN', 'acknowledged').spoken).toBe('工作人员已经收到，马上过来');
    expect(words('zh-CN', 'failed').spoken).toBe('没能联系上工作人员，请向柜台招手，请工作人员过来。');
  });
});
