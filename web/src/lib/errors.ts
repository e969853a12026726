import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { fmtTime } from './format';

function lockTime(details: Record<string, unknown>): string | null {
  for (const k of ['lockedUntil', 'until', 'locked_until']) {
    const v = details[k];
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) return fmtTime(v);
  }
  return null;
}

function lockMinutes(details: Record<string, unknown>): number | null {
  for (const k of ['retryAfterSeconds', 'retryAfter', 'seconds']) {
    const v = details[k];
    if (typeof v === 'number' && v > 0) return Math.max(1, Math.ceil(v / 60));
  }
  return null;
}

/** A person-readable message for any error, translated from the stable error code. */
export function errorText(t: TFunction, err: unknown): string {
  if (!(err instanceof ApiError)) return t('errors.unknown');
  if (err.network) return t('errors.network');
  if (err.details.contract) return t('errors.contract');
  if (err.code === 'account_locked') {
    const time = lockTime(err.details);
    if (time) return t('login.lockedUntil', { time });
    const minutes = lockMinutes(err.details);
    if (minutes) return t('login.lockedFor', { minutes });
  }
  if (err.code === 'login_failed') {
    const left = err.details.remainingAttempts ?? err.details.attemptsLeft;
    if (typeof left === 'number' && left > 0 && left <= 3) return `${t('errors.login_failed')} ${t('login.attemptsLeft', { count: left })}`;
  }
  if (err.code === 'date_beyond_horizon' && typeof err.details.latest === 'string' && typeof err.details.horizonDays === 'number') {
    return t('errors.dateBeyondHorizon', { latest: err.details.latest, days: err.details.horizonDays });
  }
  return t(`errors.${err.code}`, { defaultValue: t('errors.unknown') });
}
