/**
 * Who a resident is, for every other module: the record behind an id (within the caller's scope), the facts
 * the subsidy engine needs, and identification by card, QR code or phone + PIN. The console's register of
 * residents (list, view, register, correct, cards, PIN, categories) is register.service.ts.
 */
import { AppError, residentActiveOn } from '@yishi/shared/schemas';
import { localParts, type ResidentCategory, type ResidentFacts } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { canSeeResident, type Actor } from '../../lib/actor';
import { verifySecret } from '../../lib/crypto';
import * as audit from '../audit/audit.service';
import * as repo from './residents.repo';

export type { ResidentRow } from './residents.repo';

export const PIN_MAX_FAILURES = 5;
export const PIN_LOCK_MINUTES = 30;

/** The city's calendar date now (resident statuses and categories are dated in local time). */
export function localToday(ctx: Ctx): string {
  return localParts(ctx.clock.now(), 'Asia/Shanghai').date;
}

export function residentById(db: Reader | Tx, id: string): repo.ResidentRow | undefined {
  return repo.residentById(db, id);
}

/** The resident, if the caller may see them; otherwise resident_not_found (ids of others are not confirmed). */
export function requireVisible(ctx: Ctx, actor: Actor, id: string): repo.ResidentRow {
  const r = repo.residentById(ctx.db.read, id);
  if (!r || !canSeeResident(actor, r)) throw new AppError('resident_not_found', 'no such resident');
  return r;
}

export function isActiveOn(r: repo.ResidentRow, date: string): boolean {
  return residentActiveOn(r, date);
}

export function namesOf(db: Reader | Tx, ids: string[]): Map<string, string> {
  return repo.namesOf(db, ids);
}

function toFacts(row: repo.ResidentRow, cats: repo.CategoryRow[]): ResidentFacts {
  return {
    id: row.id,
    birthDate: row.birthDate,
    hukouAreaCode: row.hukouAreaCode,
    residenceAreaCode: row.residenceAreaCode,
    categories: cats.map((c) => ({ code: c.code as ResidentCategory, validFrom: c.validFrom, validTo: c.validTo })),
    careLevel: row.careLevel,
    disabilityGrade: row.disabilityGrade,
    disabilityLevel: row.disabilityLevel,
    status: row.status,
    statusSince: row.statusSince,
  };
}

/** What the subsidy engine needs to know about one resident, with the record it came from. */
export function factsOf(db: Reader | Tx, residentId: string): { facts: ResidentFacts; row: repo.ResidentRow } {
  const row = repo.residentById(db, residentId);
  if (!row) throw new AppError('resident_not_found', 'no such resident');
  return { row, facts: toFacts(row, repo.categoriesOf(db, [residentId])) };
}

/** Facts of every resident at once (what-if re-prices a month of the city's orders). */
export function allFacts(db: Reader | Tx): Map<string, ResidentFacts> {
  const cats = new Map<string, repo.CategoryRow[]>();
  for (const c of repo.allCategories(db)) cats.set(c.residentId, [...(cats.get(c.residentId) ?? []), c]);
  return new Map(repo.allResidents(db).map((r) => [r.id, toFacts(r, cats.get(r.id) ?? [])]));
}

/** A resident as a replayed month needs them: the engine's facts, and who they are for a list staff read. */
export interface ResidentForReplay {
  facts: ResidentFacts;
  name: string;
  homeCanteenId: string | null;
  residenceAreaCode: string;
  idNumberLast4: string;
}

/** Facts of many residents at once, read in two queries (what-if loads only those in a month's orders). */
export function factsForReplay(db: Reader | Tx, ids: readonly string[]): Map<string, ResidentForReplay> {
  const unique = [...new Set(ids)];
  const cats = new Map<string, ResidentFacts['categories'][number][]>();
  for (const c of repo.categoryRowsOf(db, unique)) {
    let list = cats.get(c.residentId);
    if (!list) cats.set(c.residentId, (list = []));
    list.push({ code: c.code as ResidentCategory, validFrom: c.validFrom, validTo: c.validTo });
  }
  const out = new Map<string, ResidentForReplay>();
  for (const r of repo.factsRowsOf(db, unique)) {
    out.set(r.id, {
      facts: {
        id: r.id,
        birthDate: r.birthDate,
        hukouAreaCode: r.hukouAreaCode,
        residenceAreaCode: r.residenceAreaCode,
        categories: cats.get(r.id) ?? [],
        careLevel: r.careLevel,
        disabilityGrade: r.disabilityGrade,
        disabilityLevel: r.disabilityLevel,
        status: r.status,
        statusSince: r.statusSince,
      },
      name: r.name,
      homeCanteenId: r.homeCanteenId,
      residenceAreaCode: r.residenceAreaCode,
      idNumberLast4: r.idNumberLast4,
    });
  }
  return out;
}

/** The resident a card or QR code belongs to (revoked ones belong to nobody). */
export function residentIdByToken(ctx: Ctx, kind: 'card' | 'qr', value: string): string | null {
  const normalised = kind === 'card' ? value.toUpperCase() : value;
  return repo.liveTokenByHash(ctx.db.read, ctx.crypto.lookupHash(kind, normalised))?.residentId ?? null;
}

/**
 * Phone + PIN. A wrong PIN counts towards a lock; the same answer for an unknown phone as for a wrong PIN, so a
 * kiosk does not tell who is registered.
 */
export async function residentIdByPhonePin(ctx: Ctx, actor: Actor, phone: string, pin: string): Promise<string> {
  const now = ctx.clock.now();
  const r = repo.residentsByPhoneHash(ctx.db.read, ctx.crypto.lookupHash('phone', phone)).find((c) => c.pinHash);
  if (!r) throw new AppError('pin_wrong', 'the phone number or PIN is wrong', 401);
  if (r.pinLockedUntil && new Date(r.pinLockedUntil) > now) {
    throw new AppError('pin_locked', 'too many wrong PINs; ask staff for help', 429, { lockedUntil: r.pinLockedUntil });
  }
  const ok = await verifySecret(pin, r.pinHash!);
  if (!ok) {
    const failures = r.pinFailures + 1;
    const locks = failures >= PIN_MAX_FAILURES;
    const lockedUntil = locks ? new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000).toISOString() : null;
    await ctx.db.write((tx) => {
      repo.updateResident(tx, r.id, { pinFailures: locks ? 0 : failures, pinLockedUntil: lockedUntil });
      if (locks) audit.record(tx, actor, now, { action: 'resident.pin_locked', entityType: 'resident', entityId: r.id });
    });
    if (locks) throw new AppError('pin_locked', 'too many wrong PINs; ask staff for help', 429, { lockedUntil });
    throw new AppError('pin_wrong', 'the phone number or PIN is wrong', 401);
  }
  if (r.pinFailures > 0) await ctx.db.write((tx) => repo.updateResident(tx, r.id, { pinFailures: 0, pinLockedUntil: null }));
  return r.id;
}
