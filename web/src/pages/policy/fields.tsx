import { formatYuan, parseYuan } from '@yishi/shared/money';
import { Form, Input } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Problems per field path ("layers.0.pays.denominator") from the server's validation. */
export type FieldIssues = ReadonlyMap<string, string[]>;

export interface FieldProps {
  label: ReactNode;
  /** Dotted path into the document: the key of the server's issues for this field. */
  path: string;
  issues: FieldIssues;
  testId: string;
  /** Reports text that is not a valid value (so the document cannot be saved as shown). */
  onBad: (path: string, bad: boolean) => void;
  extra?: ReactNode;
  width?: number | string;
}

export function FieldItem({
  label,
  path,
  issues,
  extra,
  localError,
  maxWidth,
  children,
}: {
  label: ReactNode;
  path: string;
  issues: FieldIssues;
  extra?: ReactNode;
  localError?: string | null;
  maxWidth?: number;
  children: ReactNode;
}) {
  const errs = [...(localError ? [localError] : []), ...(issues.get(path) ?? [])];
  return (
    <Form.Item
      label={label}
      validateStatus={errs.length ? 'error' : undefined}
      help={errs.length ? errs.join('；') : undefined}
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
 * `parse`. When the document changes from elsewhere (the JSON tab), the text follows it.
 */
function useSyncedText<T>(
  value: T | undefined,
  format: (v: T) => string,
  parse: (text: string) => T | undefined | 'bad',
  path: string,
  onBad: (path: string, bad: boolean) => void,
) {
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

/** Yuan typed by a person, stored as integer fen (parseYuan / formatYuan: no floats). */
export function YuanField({
  value,
  onChange,
  optional = false,
  placeholder,
  ...p
}: FieldProps & { value: number | undefined; onChange: (fen: number | undefined) => void; optional?: boolean; placeholder?: string }) {
  const { t } = useTranslation();
  const parse = (s: string): number | undefined | 'bad' => {
    if (s.trim() === '') return optional ? undefined : 'bad';
    const f = parseYuan(s);
    return f === null || f < 0 ? 'bad' : f;
  };
  const s = useSyncedText<number>(value, (v) => formatYuan(v, { symbol: false }), parse, p.path, p.onBad);
  return (
    <FieldItem
      label={p.label}
      path={p.path}
      issues={p.issues}
      extra={p.extra}
      localError={s.bad ? t('policy.editor.invalidYuan') : null}
      maxWidth={inlineMax(p.width ?? 140)}
    >
      <Input
        prefix="¥"
        value={s.text}
        placeholder={placeholder}
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
  const parse = (s: string): number | undefined | 'bad' => {
    const v = s.trim();
    if (v === '') return optional ? undefined : 'bad';
    return /^\d{1,6}$/.test(v) ? Number(v) : 'bad';
  };
  const s = useSyncedText<number>(value, (v) => String(v), parse, p.path, p.onBad);
  return (
    <FieldItem
      label={p.label}
      path={p.path}
      issues={p.issues}
      extra={p.extra}
      localError={s.bad ? t('policy.editor.invalidInt') : null}
      maxWidth={inlineMax(p.width ?? 110)}
    >
      <Input
        value={s.text}
        placeholder={placeholder}
        suffix={suffix}
        onChange={(e) => s.change(e.target.value, onChange)}
        data-testid={p.testId}
        style={{ width: p.width ?? 110 }}
        inputMode="numeric"
      />
    </FieldItem>
  );
}

/** Plain text (names, payer, dates written YYYY-MM-DD); an optional empty field is removed / set by `onChange(undefined)`. */
export function TextField({
  value,
  onChange,
  placeholder,
  ...p
}: FieldProps & { value: string | undefined; onChange: (v: string) => void; placeholder?: string }) {
  return (
    <FieldItem label={p.label} path={p.path} issues={p.issues} extra={p.extra}>
      <Input
        value={value ?? ''}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        data-testid={p.testId}
        style={{ width: p.width ?? '100%' }}
      />
    </FieldItem>
  );
}
