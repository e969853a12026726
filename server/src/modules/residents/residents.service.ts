/**
 * Who a resident is, for every other module: the record behind an id (within the caller's scope), the facts
 * the subsidy engine needs, and identification by card, QR code or phone + PIN. The console's register of
 * residents (list, view, register, correct, cards, PIN, categories) is register.service.ts.
 */
import { AppError, residentActiveOn } from '@yishi/shared/schemas';
import { localParts, maskName, PIN_LOCK_MINUTES, PIN_MAX_FAILURES, type DietNeed, type Gender, type ResidentCategory, type ResidentFacts } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { canSeeResident, type Actor } from '../../lib/actor';
import { dummyHash, kioskCredentialHash, normaliseCredential, phonePinValue, verifySecret } from '../../lib/crypto';
import type { TicketHolder } from '../../lib/ticket';
import * as attempts from '../attempts/attempts.service';
import * as audit from '../audit/audit.service';
import * as repo from './residents.repo';

export type { ResidentRow } from './residents.repo';

export { PIN_LOCK_MINUTES, PIN_MAX_FAILURES };

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

export interface HomeFacts {
  id: string;
  name: string;
  livesAlone: boolean;
  phoneLast4: string | null;
  residenceAreaCode: string;
}
/** Name, living alone, phone's last 4 and home area of some residents (a courier's route list). */
export function homeFactsOf(db: Reader | Tx, ids: string[]): Map<string, HomeFacts> {
  return new Map(repo.homeFactsOf(db, [...new Set(ids)]).map((r) => [r.id, r]));
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

/** What the subsidy engine needs to know about one resident (approved categories only), with the record it came from. */
export function factsOf(db: Reader | Tx, residentId: string): { facts: ResidentFacts; row: repo.ResidentRow } {
  const row = repo.residentById(db, residentId);
  if (!row) throw new AppError('resident_not_found', 'no such resident');
  return { row, facts: toFacts(row, repo.approvedCategoriesOf(db, [residentId])) };
}

/** Facts of every resident at once (what-if re-prices a month of the city's orders). */
export function allFacts(db: Reader | Tx): Map<string, ResidentFacts> {
  const cats = new Map<string, repo.CategoryRow[]>();
  for (const c of repo.allApprovedCategories(db)) cats.set(c.residentId, [...(cats.get(c.residentId) ?? []), c]);
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

/** The resident a card or QR code belongs to, and which token it is (revoked ones belong to nobody). */
export function residentByToken(ctx: Ctx, kind: 'card' | 'qr', value: string): { residentId: string; tokenId: string } | null {
  const t = tokenOwner(ctx, kind, value);
  return t ? { residentId: t.residentId, tokenId: t.tokenId } : null;
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

/** The phone + PIN value a resident's offline hash is made of (null: no phone, no PIN, or its value not kept yet). */
function phonePinOf(ctx: Ctx, r: repo.ResidentRow): string | null {
  return r.phoneEnc && r.pinHash && r.pinEnc ? phonePinValue(ctx.crypto.decrypt(r.phoneEnc), ctx.crypto.decrypt(r.pinEnc)) : null;
}

/**
 * The residents a kiosk caches for offline identification: those living in an area (the kiosk's street) and
 * those with the given ids (who ate at its canteen lately), active on `date`; with keyed hashes under `key` (the
 * kiosk's own key) of their live cards and QR tokens, and of phone + PIN for those with a PIN that is not locked
 * now (never the values themselves).
 */
export function offlineRoster(
  ctx: Ctx,
  args: { areaPrefix: string; alsoIds: string[]; date: string; key: Buffer },
): { residents: OfflineResidentEntry[]; credentials: { hash: string; kind: 'card' | 'qr' | 'phone_pin'; residentKey: string }[] } {
  const db = ctx.db.read;
  const rows = repo.residentsInAreaOr(db, args.areaPrefix, args.alsoIds).filter((r) => residentActiveOn(r, args.date));
  const ids = rows.map((r) => r.id);
  const cats = new Map<string, repo.CategoryRow[]>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const c of repo.categoriesOf(db, ids.slice(i, i + 500))) cats.set(c.residentId, [...(cats.get(c.residentId) ?? []), c]);
  }
  const credentials: { hash: string; kind: 'card' | 'qr' | 'phone_pin'; residentKey: string }[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    for (const t of repo.tokensOfResidents(db, ids.slice(i, i + 500))) {
      if (t.revokedAt || !t.tokenEnc) continue;
      const kind = hashKind(t.kind);
      credentials.push({ hash: kioskCredentialHash(args.key, kind, ctx.crypto.decrypt(t.tokenEnc)), kind, residentKey: t.residentId });
    }
  }
  const now = ctx.clock.now();
  for (const r of rows) {
    const value = phonePinOf(ctx, r);
    // A PIN locked online after wrong tries stays locked offline: it is left out until staff unlock it or it times out.
    if (!value || attempts.lockedUntil(db, pinGuardKey(r.phoneHash!), now)) continue;
    credentials.push({ hash: kioskCredentialHash(args.key, 'phone_pin', value), kind: 'phone_pin', residentKey: r.id });
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
 * cards or QR tokens of that kind, or of their phone + PIN as it is now? A revoked card too (its revocation time is
 * returned, so an order made after it is flagged). Null when none matches (also a PIN changed since).
 */
export function matchOfflineCredential(
  ctx: Ctx,
  residentId: string,
  kind: 'card' | 'qr' | 'phone_pin',
  hash: string,
  key: Buffer,
): { tokenId: string | null; revokedAt: string | null } | null {
  if (kind === 'phone_pin') {
    const r = repo.residentById(ctx.db.read, residentId);
    const value = r ? phonePinOf(ctx, r) : null;
    return value && kioskCredentialHash(key, 'phone_pin', value) === hash ? { tokenId: null, revokedAt: null } : null;
  }
  for (const t of repo.tokensOf(ctx.db.read, residentId)) {
    if (hashKind(t.kind) !== kind || !t.tokenEnc) continue;
    if (kioskCredentialHash(key, kind, ctx.crypto.decrypt(t.tokenEnc)) === hash) return { tokenId: t.id, revokedAt: t.revokedAt };
  }
  return null;
}

/**
 * A kiosk ticket is only as good as what it was issued on: on every use the card or QR code must still be live
 * and the resident still active today (two lookups by key). A card revoked, or a death or a move recorded, stops
 * the ticket at once instead of when it expires.
 */
export function assertTicketHolder(ctx: Ctx, holder: TicketHolder): void {
  const db = ctx.db.read;
  if (holder.tokenId && !repo.tokenIsLive(db, holder.residentId, holder.tokenId)) {
    throw new AppError('unauthenticated', 'this card is no longer valid; please see staff', 401, { revoked: true });
  }
  const r = repo.residentById(db, holder.residentId);
  if (!r || !isActiveOn(r, localToday(ctx))) throw new AppError('resident_inactive', 'this resident record is not active; please see staff');
}

/** The key phone + PIN tries are counted under: the phone's keyed hash, whether or not anyone has that phone. */
export function pinGuardKey(phoneHash: string): string {
  return `pin:${phoneHash}`;
}

export const PIN_RULE: attempts.GuardRule = { maxFailures: PIN_MAX_FAILURES, lockMinutes: PIN_LOCK_MINUTES };

function pinLocked(lockedUntil: string): AppError {
  return new AppError('pin_locked', 'too many wrong PINs; ask staff for help', 429, { lockedUntil, triesLeft: 0 });
}

/**
 * Phone + PIN. Every try is counted per phone (its keyed hash) in one write before the PIN is compared, so
 * parallel guesses all count and a lock holds against the right PIN too. A phone nobody has (or whose owner has
 * no PIN) goes through the same steps, with a dummy hash of the same cost: the same answer (pin_wrong with the
 * tries left, then pin_locked with until when) in the same time, so a kiosk does not tell who is registered.
 */
export async function residentIdByPhonePin(ctx: Ctx, actor: Actor, phone: string, pin: string): Promise<string> {
  const now = ctx.clock.now();
  const phoneHash = ctx.crypto.lookupHash('phone', phone);
  const key = pinGuardKey(phoneHash);
  const r = repo.residentsByPhoneHash(ctx.db.read, phoneHash).find((c) => c.pinHash);
  const dummy = await dummyHash(ctx.config.scryptN);
  const slot = await attempts.reserve(ctx, key, now, PIN_RULE);
  if (!slot.allowed) throw pinLocked(slot.lockedUntil);
  const ok = await verifySecret(pin, r?.pinHash ?? dummy);
  if (ok && r) {
    await ctx.db.write((tx) => {
      attempts.clear(tx, key);
      // A PIN set before PINs were kept: keep it now (encrypted), so offline caches can hold its keyed hash.
      if (!r.pinEnc) repo.updateResident(tx, r.id, { pinEnc: ctx.crypto.encrypt(pin) });
    });
    return r.id;
  }
  if (slot.lockedUntil) {
    const lockedUntil = slot.lockedUntil;
    await ctx.db.write((tx) =>
      audit.record(tx, actor, now, { action: 'resident.pin_locked', entityType: 'resident', entityId: r?.id ?? null, details: { lockedUntil } }),
    );
    throw pinLocked(lockedUntil);
  }
  throw new AppError('pin_wrong', 'the phone number or PIN is wrong', 401, { triesLeft: slot.triesLeft });
}

/** Until when a resident's phone + PIN is locked (null: not locked, or no phone). */
export function pinLockedUntil(ctx: Ctx, r: repo.ResidentRow): string | null {
  return r.phoneHash ? attempts.lockedUntil(ctx.db.read, pinGuardKey(r.phoneHash), ctx.clock.now()) : null;
}

/** Forget a resident's wrong PIN tries and lock (staff unlocking, or a new PIN), in the caller's transaction. */
export function clearPinTries(tx: Tx, r: repo.ResidentRow): void {
  if (r.phoneHash) attempts.clear(tx, pinGuardKey(r.phoneHash));
}
