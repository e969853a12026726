/**
 * Reading and changing a policy document held as plain JSON. The console never trusts its shape: every read
 * checks the type, and the server's /policies/validate decides whether the whole document is valid.
 */
import type { TFunction } from 'i18next';

export type Path = readonly (string | number)[];

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function getAt(doc: unknown, path: Path): unknown {
  let cur: unknown = doc;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (!isRecord(cur)) return undefined;
      cur = cur[seg];
    }
  }
  return cur;
}

/** A copy of `doc` with `path` set to `value`; `undefined` removes the field. Missing objects are created. */
export function setAt(doc: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === 'number') {
    const arr = Array.isArray(doc) ? [...(doc as unknown[])] : [];
    arr[head] = setAt(arr[head], rest, value);
    return arr;
  }
  const obj: Record<string, unknown> = isRecord(doc) ? { ...doc } : {};
  const next = setAt(obj[head], rest, value);
  if (next === undefined) delete obj[head];
  else obj[head] = next;
  return obj;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
export const strList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

export const pathKey = (path: Path): string => path.map(String).join('.');

/** Stable text of a document, for comparing drafts and keying validations. */
export function docText(doc: unknown): string {
  return JSON.stringify(doc, null, 2);
}

/**
 * A validation path in words: "layers.0.pays.denominator" → "第1层 › 补贴方式 › 分母".
 * Unknown field names stay as they are, so nothing is hidden.
 */
export function pathInWords(path: string, t: TFunction): string {
  if (!path) return t('policy.path.document');
  const segs = path.split('.');
  const out: string[] = [];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const next = segs[i + 1];
    const isIndex = (s: string | undefined) => s !== undefined && /^\d+$/.test(s);
    if ((seg === 'layers' || seg === 'tiers' || seg === 'amounts') && isIndex(next)) {
      out.push(t(`policy.path.${seg}Item`, { n: Number(next) + 1 }));
      i++;
      continue;
    }
    if (isIndex(seg)) {
      out.push(t('policy.path.item', { n: Number(seg) + 1 }));
      continue;
    }
    out.push(t(`policy.path.fields.${seg}`, { defaultValue: seg }));
  }
  return out.join(' › ');
}
