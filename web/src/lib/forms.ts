import type { FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type { ErrorCode } from '@yishi/shared/schemas';
import { ApiError, type FieldIssue } from '../api/client';
import { errorText } from './errors';

/**
 * Forms and the shared schemas: a field's rule is the wire schema's own check (never a retyped copy), and every
 * refusal, the client's check of a whole request or the server's answer, lands on the field it concerns, in words.
 *
 * Messages, most specific first: `fieldIssue.<wire>.<code>` (zod issue code, or the server's error code), then
 * `fieldErrors.<wire>` (what this field must be), then a text built from the check itself ("at most 200 characters").
 */

type Segment = string | number;
type Issue = z.core.$ZodIssue;

/** The check failed because nothing was given (a missing value, or an empty text). */
export function isMissing(issue: Issue): boolean {
  return issue.code === 'invalid_type' || (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) <= 1);
}

/** The text of one failed check, from its kind and limits. */
export function checkText(t: TFunction, issue: Issue): string {
  if (isMissing(issue)) return t('validation.required');
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return t('validation.minChars', { min });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.minItems', { min });
      return t('validation.minValue', { min });
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return t('validation.maxChars', { max });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.maxItems', { max });
      return t('validation.maxValue', { max });
    }
    case 'invalid_format':
      return issue.format === 'date' ? t('validation.date') : t('validation.format');
    case 'invalid_value':
      return t('validation.choose');
    case 'not_multiple_of':
      return t('validation.integer');
    default:
      return t('validation.invalid');
  }
}

/** The wire name an issue is about: the last named segment of its path (categories.0.evidence → evidence). */
export function wireName(path: readonly Segment[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const s = path[i];
    if (typeof s === 'string') return s;
  }
  return '';
}

/** What to say about one field: the client's failed check, or the server's refusal with its error code. */
export function issueText(t: TFunction, issue: FieldIssue, err: ApiError): string {
  const wire = wireName(issue.path);
  const check = issue.check;
  if (check) {
    const generic = checkText(t, check);
    if (isMissing(check)) return t(`fieldIssue.${wire}.required`, { defaultValue: generic });
    return t(`fieldIssue.${wire}.${check.code}`, { defaultValue: t(`fieldErrors.${wire}`, { defaultValue: generic }) });
  }
  const fallback = err.code === 'bad_request' ? t(`fieldErrors.${wire}`, { defaultValue: t('validation.invalid') }) : errorText(t, err);
  return t(`fieldIssue.${wire}.${err.code}`, { defaultValue: fallback });
}

/** The error a client-side check stands for (a bad_request that never left the browser). */
const CLIENT = new ApiError(400, 'bad_request', 'client check');

function accepts(schema: z.ZodType, value: unknown): boolean {
  return schema.safeParse(value).success;
}

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/**
 * antd rules for one field, from its wire schema: required unless the schema takes nothing (optional, nullable or a
 * default), then the schema's own check. `toWire` turns the form's value into the wire value (e.g. yuan text to fen).
 */
export function schemaRules(t: TFunction, schema: z.ZodType, wire: string, toWire?: (v: unknown) => unknown): Rule[] {
  const optional = accepts(schema, undefined) || accepts(schema, null);
  const requiredText = t(`fieldIssue.${wire}.required`, { defaultValue: t('validation.required') });
  return [
    // No `whitespace` here: antd would then treat every value as text, and a date or a list would fail.
    { required: !optional, message: requiredText },
    {
      validator: async (_rule, value: unknown) => {
        if (value === undefined || value === null || value === '') return;
        if (typeof value === 'string' && !value.trim()) {
          if (optional) return;
          throw new Error(requiredText);
        }
        const wireValue = toWire ? toWire(value) : value;
        if (isEmpty(wireValue) && optional) return;
        const parsed = schema.safeParse(wireValue);
        if (parsed.success) return;
        const check = parsed.error.issues[0];
        if (!check) throw new Error(t('validation.invalid'));
        // Something was typed that is not a value at all (e.g. "abc" for an amount): say what the field takes.
        if (isMissing(check)) throw new Error(t(`fieldErrors.${wire}`, { defaultValue: t('validation.invalid') }));
        throw new Error(issueText(t, { path: [wire], message: check.message, check }, CLIENT));
      },
    },
  ];
}

/** Bound to the page's `t`: `rules(CreateResidentRequest.shape.phone, 'phone')`. */
export function rulesFor(t: TFunction) {
  return (schema: z.ZodType, wire: string, toWire?: (v: unknown) => unknown) => schemaRules(t, schema, wire, toWire);
}

export interface PlaceOptions {
  /** Wire field → form field, where the form names it differently (priceFen → price, hukouAreaCode → hukou). */
  rename?: Record<string, string>;
  /** Refusals that name no field but concern one on this form (login_failed → currentPassword). */
  byCode?: Partial<Record<ErrorCode, string>>;
}

/** The form field a wire path lands on: the longest registered field that the (renamed) path starts with. */
export function formFieldFor(path: readonly Segment[], registered: ReadonlySet<string>, rename: Record<string, string> = {}): Segment[] | null {
  if (!path.length) return null;
  const [head, ...rest] = path;
  const renamed = typeof head === 'string' && rename[head] !== undefined ? [rename[head], ...rest] : [...path];
  for (let n = renamed.length; n > 0; n--) {
    const name = renamed.slice(0, n) as Segment[];
    if (registered.has(name.join('.'))) return name;
  }
  return null;
}

/**
 * Put every field an error names on the form, translated, and say in one line what the page should show:
 * "check the fields marked" when all were placed, the other messages when some were not, or the error itself.
 */
export function showFormError(form: FormInstance, err: unknown, t: TFunction, opts: PlaceOptions = {}): string {
  if (!(err instanceof ApiError)) return errorText(t, err);
  const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const placed = new Map<string, { name: Segment[]; errors: string[] }>();
  const left: string[] = [];
  const issues = err.issues;
  const owner = opts.byCode?.[err.code];
  if (!issues.length && owner) issues.push({ path: [owner], message: err.message });
  for (const issue of issues) {
    const text = issueText(t, issue, err);
    const name = formFieldFor(issue.path, registered, opts.rename);
    if (!name) {
      left.push(text);
      continue;
    }
    const key = name.join('.');
    const entry = placed.get(key) ?? { name, errors: [] };
    if (!entry.errors.includes(text)) entry.errors.push(text);
    placed.set(key, entry);
  }
  if (placed.size) form.setFields([...placed.values()]);
  if (left.length) return [...new Set(left)].join('；');
  return placed.size ? t('validation.fixFields') : errorText(t, err);
}
