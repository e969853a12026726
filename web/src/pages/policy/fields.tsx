import { formatYuan, parseYuan } from '@yishi/shared/money';
import { DatePicker, Form, Input } from 'antd';
import dayjs from 'dayjs';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldIssues } from './issues';

/** What every field of the editor needs from the page: the issues per path, and a way to say its text is not a value. */
export interface EditorFieldsContext {
  issues: FieldIssues;
  /** Reports text that is not a valid value (so the document cannot be saved as shown). */
  onBad: (path: string, bad: boolean) => void;
  /** Read-only: show, do not edit (a published version). */
  readOnly: boolean;
}

export const FieldsContext = createContext<EditorFieldsContext>({ issues: new Map(), onBad: () => undefined, readOnly: false });
export const useFields = () => useContext(FieldsContext);

export interface FieldProps {
  label: ReactNode;
  /** Dotted path into the document: the key of the issues for this field. */
  path: string;
  /** data-testid of the input, also its id (so the label names it). */
  testId: string;
  extra?: ReactNode;
  width?: number | string;
}

/** A labelled field that shows the problems found at its path (in words), under it. */
export function FieldItem({
  label,
  path,
  extra,
  localError,
  maxWidth,
  htmlFor,
  children,
}: {
  label: ReactNode;
  path: string;
  extra?: ReactNode;
  localError?: string | null;
  maxWidth?: number;
  htmlFor?: string;
  children: ReactNode;
}) {
  const { issues } = useFields();
  const errs = [...(localError ? [localError] : []), ...(issues.get(path) ?? [])];
  return (
    <Form.Item
      label={label}
      htmlFor={htmlFor}
      validateStatus={errs.length ? 'error' : undefined}
      help={errs.length ? <span data-testid={`issue-${path}`}>{errs.join('；')}</span> : undefined}
      extra={extra}
      style={{ marginBottom: 12, maxWidth }}
    >
      {children}
    </Form.Item>
  );
}

/** Inline fields keep their width when a long message shows under them (it wraps instead). */
const inlineMax = (width: number | string) => (typeof width === 'number' ? Math.max(width, 200) : undefined);

/**
 * A text box whose text is kept as typed while it is not a valid value, and whose document value follows
 * `parse`. When the document changes from elsewhere (the JSON view, a reset), the text follows it.
 */
function useSyncedText<T>(value: T | undefined, format: (v: T) => string, parse: (text: string) => T | undefined | 'bad', path: string) {
  const { onBad } = useFields();
  const [text, setText] = useState(() => (value === undefined ? '' : format(value)));
  const [bad, setBad] = useState(false);
  useEffect(() => {
    const parsed = parse(text);
    if (parsed === 'bad' || parsed !== value) {
      setText(value === undefined ? '' : format(value));
      setBad(false);
      onBad(path, false);
    }
    // Only when the document value changes (the text is the user's while it parses to that value).
  }, [value]);
  useEffect(() => () => onBad(path, false), [onBad, path]);
  return {
    text,
    bad,
    change: (next: string, commit: (v: T | undefined) => void) => {
      setText(next);
      const parsed = parse(next);
      const isBad = parsed === 'bad';
      setBad(isBad);
      onBad(path, isBad);
      if (!isBad) commit(parsed);
    },
  };
}

/** Yuan typed by a person, kept as integer fen (parseYuan / formatYuan: no floats). */
export function YuanField({
  value,
  onChange,
  optional = false,
  placeholder,
  ...p
}: FieldProps & { value: number | undefined; onChange: (fen: number | undefined) => void; optional?: boolean; placeholder?: string }) {
  const { t } = useTranslation();
  const { readOnly } = useFields();
  const parse = (s: string): number | undefined | 'bad' => {
    if (s.trim() === '') return optional ? undefined : 'bad';
    const f = parseYuan(s);
    return f === null || f < 0 ? 'bad' : f;
  };
  const s = useSyncedText<number>(value, (v) => formatYuan(v, { symbol: false, grouping: false }), parse, p.path);
  return (
    <FieldItem
      label={p.label}
      path={p.path}
      extra={p.extra}
      htmlFor={p.testId}
      localError={s.bad ? t('policy.editor.invalidYuan') : null}
      maxWidth={inlineMax(p.width ?? 140)}
    >
      <Input
        id={p.testId}
        prefix="¥"
        value={s.text}
        placeholder={placeholder}
        disabled={readOnly}
        onChange={(e) => s.change(e.target.value, onChange)}
        data-testid={p.testId}
        style={{ width: p.width ?? 140 }}
        inputMode="decimal"
      />
    </FieldItem>
  );
}

/** A whole number (fraction parts, ages, counts). */
export function IntField({
  value,
  onChange,
  optional = false,
  placeholder,
  suffix,
  ...p
}: FieldProps & { value: number | undefined; onChange: (n: number | undefined) => void; optional?: boolean; placeholder?: string; suffix?: ReactNode }) {
  const { t } = useTranslation();
  const { readOnly } = useFields();
  const parse = (s: string): number | undefined | 'bad' => {
    const v = s.trim();
    if (v === '') return optional ? undefined : 'bad';
    return /^\d{1,6}$/.test(v) ? Number(v) : 'bad';
  };
  const s = useSyncedText<number>(value, (v) => String(v), parse, p.path);
  return (
    <FieldItem
      label={p.label}
      path={p.path}
      extra={p.extra}
      htmlFor={p.testId}
      localError={s.bad ? t('policy.editor.invalidInt') : null}
      maxWidth={inlineMax(p.width ?? 110)}
    >
      <Input
        id={p.testId}
        value={s.text}
        placeholder={placeholder}
        suffix={suffix}
        disabled={readOnly}
        onChange={(e) => s.change(e.target.value, onChange)}
        data-testid={p.testId}
        style={{ width: p.width ?? 110 }}
        inputMode="numeric"
      />
    </FieldItem>
  );
}

/** "20" or "12.5" (per cent, at most two decimals) ⇄ basis points (2000, 1250): exact, no floats. */
export function percentToBasisPoints(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : null;
}

export function basisPointsToPercent(bp: number): string {
  const whole = Math.floor(bp / 100);
  const rest = bp % 100;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

/** A percentage typed as a percentage (20 = 20 %), kept as basis points. */
export function PercentField({ value, onChange, ...p }: FieldProps & { value: number | undefined; onChange: (bp: number | undefined) => void }) {
  const { t } = useTranslation();
  const { readOnly } = useFields();
  const parse = (s: string): number | undefined | 'bad' => percentToBasisPoints(s) ?? 'bad';
  const s = useSyncedText<number>(value, basisPointsToPercent, parse, p.path);
  return (
    <FieldItem
      label={p.label}
      path={p.path}
      extra={p.extra}
      htmlFor={p.testId}
      localError={s.bad ? t('policy.editor.invalidPercent') : null}
      maxWidth={inlineMax(p.width ?? 120)}
    >
      <Input
        id={p.testId}
        suffix="%"
        value={s.text}
        disabled={readOnly}
        onChange={(e) => s.change(e.target.value, onChange)}
        data-testid={p.testId}
        style={{ width: p.width ?? 120 }}
        inputMode="decimal"
      />
    </FieldItem>
  );
}

/** Plain text (names, payer). */
export function TextField({
  value,
  onChange,
  placeholder,
  ...p
}: FieldProps & { value: string | undefined; onChange: (v: string) => void; placeholder?: string }) {
  const { readOnly } = useFields();
  return (
    <FieldItem label={p.label} path={p.path} extra={p.extra} htmlFor={p.testId}>
      <Input
        id={p.testId}
        value={value ?? ''}
        placeholder={placeholder}
        disabled={readOnly}
        onChange={(e) => onChange(e.target.value)}
        data-testid={p.testId}
        style={{ width: p.width ?? '100%' }}
      />
    </FieldItem>
  );
}

/** A date 'YYYY-MM-DD' picked from a calendar (or typed); `allowClear` gives undefined. */
export function DateField({
  value,
  onChange,
  allowClear = false,
  placeholder,
  ...p
}: FieldProps & { value: string | undefined; onChange: (v: string | undefined) => void; allowClear?: boolean; placeholder?: string }) {
  const { readOnly } = useFields();
  const v = value && dayjs(value, 'YYYY-MM-DD', true).isValid() ? dayjs(value) : null;
  return (
    <FieldItem label={p.label} path={p.path} extra={p.extra} htmlFor={p.testId} maxWidth={inlineMax(p.width ?? 170)}>
      <DatePicker
        id={p.testId}
        value={v}
        format="YYYY-MM-DD"
        allowClear={allowClear}
        placeholder={placeholder}
        disabled={readOnly}
        onChange={(d) => onChange(d ? d.format('YYYY-MM-DD') : undefined)}
        data-testid={p.testId}
        style={{ width: p.width ?? 170 }}
      />
    </FieldItem>
  );
}
