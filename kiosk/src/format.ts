import type { Lang } from './i18n';

/** "6月3日 星期二" for a service date written YYYY-MM-DD (a calendar date, no time zone games). */
export function formatServiceDate(date: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'UTC',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
  }).format(d);
}

/** "10:30" from either "10:30" or an ISO instant (shown in the canteen's zone, Asia/Shanghai). */
export function formatOpens(opens: string, timeZone = 'Asia/Shanghai'): string {
  if (/^\d{1,2}:\d{2}$/.test(opens)) return opens;
  const t = Date.parse(opens);
  if (Number.isNaN(t)) return opens;
  return new Intl.DateTimeFormat('zh-CN', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(t));
}

export function formatClock(now: Date, timeZone = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(now);
}

/** A subsidy line's layer and payer in the language on screen: the policy's English names in English where it gives them. */
export function subsidyWords(s: { layerName: string; payer: string; layerNameEn?: string | null; payerEn?: string | null }, lang: Lang) {
  return lang === 'en' ? { name: s.layerNameEn || s.layerName, payer: s.payerEn || s.payer } : { name: s.layerName, payer: s.payer };
}
