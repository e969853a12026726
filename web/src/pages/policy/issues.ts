/**
 * The engine's schema issues in the console's words, on the field they concern. The console checks a draft with
 * the shared schema itself (parsePolicy, the same code the server runs), so every problem shows as the official
 * types; the server's refusals (save, publish) carry the same codes and land the same way.
 */
import type { TFunction } from 'i18next';
import { formatYuan } from '@yishi/shared/money';

export interface Issue {
  path: string;
  message: string;
  code?: string | undefined;
  params?: Record<string, string | number> | undefined;
}

/** Problems per field path ("layers.0.pays.amountFen"), in words. */
export type FieldIssues = ReadonlyMap<string, string[]>;

const money = (path: string) => /Fen(\.|$)/.test(path) || /\.amounts\.[a-z_]+$/.test(path);

/** One issue in words: the rule's own text when it has one, else a text built from the check that failed. */
export function issueText(t: TFunction, issue: Issue): string {
  const params = issue.params ?? {};
  const code = issue.code ?? 'custom';
  const own = t(`policy.issues.${code}`, { ...params, defaultValue: '' });
  if (own) return own;
  const isMoney = money(issue.path);
  const num = (v: string | number | undefined) => (isMoney && typeof v === 'number' ? formatYuan(v) : String(v ?? ''));
  switch (code) {
    case 'too_small':
      if (params.origin === 'array') return t('policy.issues.chooseAtLeast', { n: params.minimum });
      if (params.origin === 'string') return t('policy.issues.required');
      return t('policy.issues.atLeast', { n: num(params.minimum) });
    case 'too_big':
      if (params.origin === 'string') return t('policy.issues.tooLong', { n: params.maximum });
      if (params.origin === 'array') return t('policy.issues.tooMany', { n: params.maximum });
      return t('policy.issues.atMost', { n: num(params.maximum) });
    case 'invalid_type':
      return params.expected === 'int' || params.expected === 'number' ? t('policy.issues.wholeNumber') : t('policy.issues.required');
    case 'invalid_format':
      if (issue.path.endsWith('areaCode')) return t('policy.issues.areaCode');
      return t('policy.issues.slug');
    case 'invalid_value':
      return t('policy.issues.choose');
    case 'invalid_union':
      return t('policy.issues.choosePays');
    case 'unrecognized_keys':
      return t('policy.issues.unknownFields', { keys: params.keys });
    default:
      // A rule this console does not know yet: say it in the server's words rather than hide it.
      return t('policy.issues.other', { message: issue.message });
  }
}

/**
 * Which field shows which issue: the longest field path that the issue's path equals or lies under. Issues no
 * field shows come back in `rest` (shown in a list under the editor).
 */
export function placeIssues(
  t: TFunction,
  issues: readonly Issue[],
  fieldPaths: readonly string[],
): { byField: Map<string, string[]>; rest: { path: string; text: string }[] } {
  const byField = new Map<string, string[]>();
  const rest: { path: string; text: string }[] = [];
  const sorted = [...fieldPaths].sort((a, b) => b.length - a.length);
  for (const issue of issues) {
    const text = issueText(t, issue);
    const field = sorted.find((f) => issue.path === f || (f !== '' && issue.path.startsWith(`${f}.`)));
    if (field === undefined) rest.push({ path: issue.path, text });
    else {
      const list = byField.get(field) ?? [];
      if (!list.includes(text)) list.push(text);
      byField.set(field, list);
    }
  }
  return { byField, rest };
}
