import type { Lang, Translate } from './i18n';
import { sentences } from './speech';
import type { HelpStatus } from './store/help';

/**
 * What the 呼叫工作人员 overlay shows and says for the call's state. The screen counts the attempts; the voice does
 * not: it says once that the call has not got through yet and to wave to the counter, then speaks again only when
 * the state changes (reached staff, acknowledged, given up). Read with every attempt, it repeated itself every few
 * seconds ("…正在再试（第 2 次）", "（第 3 次）", …) and never said to wave.
 */
export function staffWords(t: Translate, lang: Lang, status: HelpStatus, attempts: number): { title: string; sub: string | null; spoken: string | null } {
  switch (status) {
    case 'idle':
    case 'sent':
      return { title: t('staff.sent'), sub: t('staff.sentSub'), spoken: t('staff.sent') };
    case 'sending':
      return { title: t('staff.sending'), sub: null, spoken: null };
    case 'retrying':
      return {
        title: t('staff.retrying', { n: attempts }),
        sub: t('staff.retryingSub'),
        spoken: sentences(lang, t('staff.retryingSpoken'), t('staff.retryingSub')),
      };
    case 'failed':
      return { title: t('staff.failed'), sub: null, spoken: t('staff.failed') };
    case 'acknowledged':
      return { title: t('staff.acknowledged'), sub: t('staff.sentSub'), spoken: t('staff.acknowledged') };
  }
}
