import type { FormInstance } from 'antd';
import type { KeyboardEvent } from 'react';
import type { TFunction } from 'i18next';
import { useMemo } from 'react';
import { ApiError } from '../../api/client';
import { useAreas } from '../../api/queries';
import type { Area, Me } from '../../api/types';

/** Roles that keep resident records (the server's `keepers`); the others only read. */
export const canKeepResidents = (me: Me | undefined): boolean => me?.role === 'operator' || me?.role === 'street' || me?.role === 'admin';

/** The birth date written in an 18-character ID number (YYYY-MM-DD), or null when it is not a real date. */
export function birthDateFromId(id: string): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (y < 1880 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** GB 11643: the 17th digit is odd for men and even for women. */
export function genderFromId(id: string): 'female' | 'male' | null {
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}

/** Whole years from `birth` to `today` (both YYYY-MM-DD). */
export function ageOn(birth: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birth.slice(0, 4));
  return today.slice(5) < birth.slice(5) ? years - 1 : years;
}

export interface AreaOption {
  value: string;
  label: string;
  children?: AreaOption[];
}

/**
 * Cascader options from /areas: 户籍 is district → street inside the city; residence is district → street → community.
 * `scope` (a street user's area) keeps only that part of the tree, so a clerk cannot pick somewhere the server refuses.
 */
export function useAreaTree(scope: string | null) {
  const areas = useAreas();
  return useMemo(() => {
    const list: Area[] = areas.data ?? [];
    const byParent = new Map<string, Area[]>();
    for (const a of list) {
      if (!a.parentCode) continue;
      const arr = byParent.get(a.parentCode) ?? [];
      arr.push(a);
      byParent.set(a.parentCode, arr);
    }
    const names = new Map(list.map((a) => [a.code, a.name]));
    const inScope = (code: string) => !scope || code.startsWith(scope) || scope.startsWith(code);
    const build = (parent: string, depth: number, limit: boolean): AreaOption[] =>
      (byParent.get(parent) ?? [])
        .filter((a) => !limit || inScope(a.code))
        .map((a) => {
          const children = depth > 1 ? build(a.code, depth - 1, limit) : [];
          return children.length ? { value: a.code, label: a.name, children } : { value: a.code, label: a.name };
        });
    const cities = list.filter((a) => a.level === 'city');
    const hukou = cities.flatMap((c) => build(c.code, 2, false));
    const residence = cities.flatMap((c) => build(c.code, 3, true));
    /** Cascader path (district, street[, community]) for a stored code. */
    const byCode = new Map(list.map((a) => [a.code, a]));
    const pathOf = (code: string | null): string[] | undefined => {
      const path: string[] = [];
      let cur = code ? byCode.get(code) : undefined;
      while (cur && cur.level !== 'city' && path.length < 4) {
        path.unshift(cur.code);
        cur = cur.parentCode ? byCode.get(cur.parentCode) : undefined;
      }
      return path.length ? path : undefined;
    };
    const nameOf = (code: string | null): string | null => {
      const p = pathOf(code);
      return p ? p.map((c) => names.get(c) ?? c).join(' / ') : null;
    };
    return { hukou, residence, pathOf, nameOf, loading: areas.isPending, error: areas.error };
  }, [areas.data, areas.isPending, areas.error, scope]);
}

type Seg = string | number;

/** Everything the server said about fields: details.field (AppError) and details.issues[].path (schema checks). */
export function serverFieldPaths(err: unknown): Seg[][] {
  if (!(err instanceof ApiError)) return [];
  const out: Seg[][] = [];
  const f = err.details.field;
  if (typeof f === 'string' && f) out.push(f.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
  for (const issue of err.issues) {
    const segs: Seg[] = [];
    for (const seg of issue.path) {
      if (typeof seg === 'number') segs.push(seg);
      else for (const part of seg.split('.')) if (part && part !== 'body') segs.push(/^\d+$/.test(part) ? Number(part) : part);
    }
    out.push(segs);
  }
  return out;
}

/**
 * Put server errors on the form's fields with a translated message. `resolve` turns a wire path into a form
 * field name (or null if the form has no such field). Returns the messages that could not be placed.
 */
export function placeServerErrors(form: FormInstance, err: unknown, t: TFunction, resolve: (path: Seg[]) => Seg[] | null): string[] {
  const code = err instanceof ApiError ? err.code : 'internal';
  const left: string[] = [];
  const fields: { name: Seg[]; errors: string[] }[] = [];
  for (const path of serverFieldPaths(err)) {
    const name = resolve(path);
    const wire = String([...path].reverse().find((s) => typeof s === 'string') ?? '');
    const message = fieldMessage(t, wire, code);
    if (name && !fields.some((f) => f.name.join('.') === name.join('.'))) fields.push({ name, errors: [message] });
    else if (!name) left.push(message);
  }
  if (fields.length) form.setFields(fields);
  return left;
}

/** A translated message for one wire field, by the error code (409s say what clashed). */
export function fieldMessage(t: TFunction, wire: string, code: string): string {
  if (code === 'conflict') return t(`residentForm.conflicts.${wire}`, { defaultValue: t('errors.conflict') });
  return t(`residentForm.fieldErrors.${wire}`, { defaultValue: t('residentForm.fieldErrors.invalid') });
}

/**
 * Keep Enter in a text or date box from submitting a small form (HTML implicit submission): Enter confirms a typed
 * date; saving or ending a category takes a click on its button.
 */
export function noEnterSubmit(e: KeyboardEvent<HTMLFormElement>): void {
  if (e.key === 'Enter' && e.target instanceof HTMLInputElement) e.preventDefault();
}
