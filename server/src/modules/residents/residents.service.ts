/**
 * Who a resident is, for every other module: the record behind an id (within the caller's scope), the facts
 * the subsidy engine needs, and identification by card, QR code or phone + PIN. The console's register of
 * residents (list, view, register, correct, cards, PIN, categories) is register.service.ts.
 */
import { AppError, residentActiveOn } from '@yishi/shared/schemas';
import { localParts, maskName, type DietNeed, type Gender, type ResidentCategory, type ResidentFacts } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { canSeeResident, type Actor } from '../../lib/actor';
import { kioskCredentialHash, normaliseCredential, verifySecret } from '../../lib/crypto';
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

/** The resident a card or QR code belongs to (revoked ones belong to nobody). */
export function residentIdByToken(ctx: Ctx, kind: 'card' | 'qr', value: string): string | null {
  return tokenOwner(ctx, kind, value)?.residentId ?? null;
}

/** The live card or QR token behind a value: whose it is, and whether the server keeps its value for offline caches yet. */
export function tokenOwner(ctx: Ctx, kind: 'card' | 'qr', value: string): { residentId: string; tokenId: string; valueKept: boolean } | null {
  const row = repo.liveTokenByHash(ctx.db.read, ctx.crypto.lookupHash(kind, normaliseCredential(kind, value)));
  return row ? { residentId: row.residentId, tokenId: row.id, valueKept: row.tokenEnc !== null } : null;
}

/**
 * Keep a card's value (encrypted) the first time it is tapped online, for a card issued before values were
 * kept: from then on kiosks can find it in their offline caches. Inside the caller's transaction.
 */
export function keepTokenValue(tx: Tx, ctx: Ctx, tokenId: string, kind: 'card' | 'qr', value: string): void {
  repo.setTokenEnc(tx, tokenId, ctx.crypto.encrypt(normaliseCredential(kind, value)));
}

/** The encrypted value to store with a new card or QR token. */
export function tokenValueBox(ctx: Ctx, kind: 'card' | 'qr', value: string): string {
  return ctx.crypto.encrypt(normaliseCredential(kind, value));
}

const hashKind = (cardKind: string): 'card' | 'qr' => (cardKind === 'qr' ? 'qr' : 'card');

/** A resident as a kiosk's offline cache holds them: a masked name, what the menu and the engine need, and no more. */
export interface OfflineResidentEntry {
  residentKey: string;
  maskedName: string;
  gender: Gender;
  dietNeeds: DietNeed[];
  allergies: string[];
  facts: ResidentFacts;
}

/**
 * The residents a kiosk caches for offline identification: those living in an area (the kiosk's street) and
 * those with the given ids (who ate at its canteen lately), active on `date`; with keyed hashes of their live
 * cards and QR tokens under `key` (the kiosk's own key). Phone + PIN is never included.
 */
export function offlineRoster(
  ctx: Ctx,
  args: { areaPrefix: string; alsoIds: string[]; date: string; key: Buffer },
): { residents: OfflineResidentEntry[]; credentials: { hash: string; kind: 'card' | 'qr'; residentKey: string }[] } {
  const db = ctx.db.read;
  const rows = repo.residentsInAreaOr(db, args.areaPrefix, args.alsoIds).filter((r) => residentActiveOn(r, args.date));
  const ids = rows.map((r) => r.id);
  const cats = new Map<string, repo.CategoryRow[]>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const c of repo.categoriesOf(db, ids.slice(i, i + 500))) cats.set(c.residentId, [...(cats.get(c.residentId) ?? []), c]);
  }
  const credentials: { hash: string; kind: 'card' | 'qr'; residentKey: string }[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    for (const t of repo.tokensOfResidents(db, ids.slice(i, i + 500))) {
      if (t.revokedAt || !t.tokenEnc) continue;
      const kind = hashKind(t.kind);
      credentials.push({ hash: kioskCredentialHash(args.key, kind, ctx.crypto.decrypt(t.tokenEnc)), kind, residentKey: t.residentId });
    }
  }
  return {
    residents: rows.map((r) => ({
      residentKey: r.id,
      maskedName: maskName(r.name),
      gender: r.gender,
      dietNeeds: r.dietNeeds as DietNeed[],
      allergies: r.allergies,
      facts: toFacts(r, cats.get(r.id) ?? []),
    })),
    credentials,
  };
}

/**
 * Check an offline identification: is `hash` the keyed hash (under the kiosk's `key`) of one of this resident's
 * cards or QR tokens of that kind? Also a revoked one (its revocation time is returned, so an order made after
 * it is flagged). Null when none matches.
 */
export function matchOfflineCredential(
  ctx: Ctx,
  residentId: string,
  kind: 'card' | 'qr',
  hash: string,
  key: Buffer,
): { tokenId: string; revokedAt: string | null } | null {
  for (const t of repo.tokensOf(ctx.db.read, residentId)) {
    if (hashKind(t.kind) !== kind || !t.tokenEnc) continue;
    if (kioskCredentialHash(key, kind, ctx.crypto.decrypt(t.tokenEnc)) === hash) return { tokenId: t.id, revokedAt: t.revokedAt };
  }
  return null;
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
