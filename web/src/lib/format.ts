import { formatYuan } from '@yishi/shared/money';
import { localParts } from '@yishi/shared/domain';
import { serverNow } from './serverClock';

export const yuan = (fen: number): string => formatYuan(fen);

/** Instants are shown in the canteens' time zone (China), whatever this computer's zone is. */
let displayZone = 'Asia/Shanghai';
export function setDisplayZone(tz: string | undefined): void {
  if (!tz) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    displayZone = tz;
  } catch {
    /* keep the previous zone */
  }
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleTimeString('zh-CN', { timeZone: displayZone, hour: '2-digit', minute: '2-digit', hour12: false });
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString('zh-CN', {
    timeZone: displayZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

export function fmtClock(ms: number): string {
  return new Date(ms).toLocaleTimeString('zh-CN', { timeZone: displayZone, hour: '2-digit', minute: '2-digit', hour12: false });
}

/** Today's date and time of day in a canteen's time zone. */
export function nowIn(timeZone: string | undefined): { date: string; time: string; isoWeekday: number } {
  try {
    return localParts(new Date(serverNow()), timeZone || 'Asia/Shanghai');
  } catch {
    return localParts(new Date(serverNow()), 'Asia/Shanghai');
  }
}

export function minutesSince(iso: string | null | undefined, now: number = serverNow()): number {
  if (!iso) return 0;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.floor((now - t) / 60000));
}

/** A uuid for a client-made id; crypto.randomUUID exists in every secure context the console runs in. */
export function clientId(): string {
  return crypto.randomUUID();
}
