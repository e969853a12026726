import type { KeyboardEvent } from 'react';
import { useMemo } from 'react';
import type { Me } from '../../api/auth';
import type { Rule } from 'antd/es/form';
import type { TFunction } from 'i18next';
import { NewCard } from '@yishi/shared/schemas';
import { residentsApi } from '../../api/residents';
import { useAreas, type Area } from '../../api/sites';
import { inGroup } from '../../lib/access';

/** Roles that keep resident records (ROLE_GROUPS.recordKeepers, as the server's access rules); the others only read. */
export const canKeepResidents = (me: Me | undefined): boolean => inGroup(me?.role, 'recordKeepers');

export { birthDateFromId, genderFromId } from '@yishi/shared/domain';

/**
 * A card number field's last rule: asks the server (POST /cards/check) whether the card is already linked to a
 * resident, so the refusal shows on the field while it is typed (Form.Item `validateDebounce`, `validateFirst`,
 * `hasFeedback`), before anyone presses save. The save is checked again by the server; when the check itself
 * cannot be made (offline), the field is not blocked for it.
 */
export function cardFreeRule(t: TFunction, kindOf: () => 'ss_card' | 'senior_card', selfId?: string): Rule {
  return {
    validator: async (_rule, value: unknown) => {
      const number = typeof value === 'string' ? value.trim() : '';
      const card = NewCard.safeParse({ kind: kindOf(), number });
      if (!card.success) return;
      let res;
      try {
        res = await residentsApi.checkCard(card.data);
      } catch {
        return;
      }
      if (res.available) return;
      if (res.holder && res.holder.id === selfId) throw new Error(t('residentForm.cardOwn'));
      throw new Error(res.holder ? t('residentForm.cardTakenBy', { name: res.holder.name }) : t('fieldIssue.number.card_in_use'));
    },
  };
}

/** How long typing must pause before the card is checked with the server. */
export const CARD_CHECK_DEBOUNCE_MS = 400;

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

/**
 * Keep Enter in a text or date box from submitting a small form (HTML implicit submission): Enter confirms a typed
 * date; saving or ending a category takes a click on its button.
 */
export function noEnterSubmit(e: KeyboardEvent<HTMLFormElement>): void {
  if (e.key === 'Enter' && e.target instanceof HTMLInputElement) e.preventDefault();
}
