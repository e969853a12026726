import type { FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';
import { fmtTime } from './format';

function lockTime(details: Record<string, unknown>): string | null {
  for (const k of ['lockedUntil', 'until', 'locked_until']) {
    const v = details[k];
    if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) {
      return fmtTime(v);
    }
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
  if (err instanceof ApiError) {
    if (err.status === 0) return t('errors.network');
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
    return t(`errors.${err.code}`, { defaultValue: t('errors.unknown') });
  }
  return t('errors.unknown');
}

/**
 * Put the server's field-level issues (details.issues) on an antd form. `fieldMap` renames wire fields to form
 * fields (e.g. priceFen → price). Returns the issues that could not be placed on a field.
 */
export function applyFieldErrors(form: FormInstance, err: unknown, fieldMap: Record<string, string> = {}): string[] {
  if (!(err instanceof ApiError)) return [];
  const known = new Set(Object.keys(form.getFieldsValue(true) as Record<string, unknown>));
  const left: string[] = [];
  const byField = new Map<string, string[]>();
  for (const issue of err.issues) {
    // The path may be prefixed (['body', 'priceFen']); use the first segment that names a form field.
    let field = '';
    for (const seg of issue.path) {
      if (typeof seg !== 'string') continue;
      const mapped = fieldMap[seg] ?? seg;
      if (known.has(mapped)) {
        field = mapped;
        break;
      }
    }
    if (field) {
      const list = byField.get(field) ?? [];
      list.push(issue.message);
      byField.set(field, list);
    } else {
      left.push(issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
    }
  }
  form.setFields([...byField.entries()].map(([name, errors]) => ({ name, errors })));
  return left;
}
