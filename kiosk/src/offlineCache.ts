/**
 * The offline identification cache: what the kiosk needs to identify and price a resident with the network
 * down, and nothing more (issue 11). The server fills it (GET /kiosk/offline-cache, refreshed in the background
 * while online); this module stores it, looks people up in it, expires it and drops it.
 *
 * What is kept, and what never is:
 * - credentials: a keyed hash (HMAC-SHA-256 under a per-kiosk key, a new one each day) of each card number, QR
 *   token and phone + PIN → an opaque resident key. Never the card number, token, phone or PIN.
 * - wrong offline PIN tries per phone (kv `pinTries:<keyed hash of the phone>`): locked after PIN_MAX_FAILURES
 *   as online, so the screen cannot be used to guess a PIN while the network is down.
 * - residents: a masked display name (陈*英, refused otherwise), gender for the greeting, diet needs and
 *   allergies for the menu, and the eligibility facts the shared policy engine reads. No ID number, no phone,
 *   no address, no full name.
 * - subsidisedMeals: the subsidy rows the policies' limits read, and subsidisedSlots (meta) the meal periods
 *   already subsidised, so "one subsidy per meal period" holds offline; meals this kiosk subsidises offline
 *   are added with source 'kiosk'. The wallet balance, and what was paid from it here offline per day.
 * - policies: the published policy versions in force today to the day after; menus: today's and tomorrow's.
 * The hash key is stored as a non-extractable CryptoKey: page scripts can hash with it, not read it.
 * The cache expires 48 hours after it was last refreshed and is dropped when the kiosk is revoked.
 */
import { PIN_LOCK_MINUTES, PIN_MAX_FAILURES, type MealPeriod, type OfflineIdentifyMethod } from '@yishi/shared/domain';
import type { CanteenFacts, HistoryEntry, PolicyVersion } from '@yishi/shared/policy';
import type { Menu, OfflineCredential, OfflineResident, OfflineSnapshot, OfflineSubsidyRow } from '@yishi/shared/schemas';
import { isMaskedName } from '@yishi/shared/domain';
import type { KioskDb } from './db';

export type { OfflineSnapshot } from '@yishi/shared/schemas';

export const OFFLINE_CACHE_MAX_AGE_MS = 48 * 3600_000;

/** Card, QR token, or phone + PIN (value `phone:pin`, phonePinValue). */
export type CredentialKind = OfflineIdentifyMethod;

export type CachedCredential = OfflineCredential;

/** A masked name, what the menu and the engine read, and the wallet balance when the cache was filled. */
export type CachedResident = OfflineResident;

export interface CachedSubsidisedMeal extends OfflineSubsidyRow {
  /** 'server': known when the cache was filled; 'kiosk': subsidised here while offline. */
  source: 'server' | 'kiosk';
}

export type CachedPolicy = PolicyVersion;

export interface CachedMenu {
  serviceDate: string;
  mealPeriod: MealPeriod;
  menu: Menu;
}

export interface OfflineCacheMeta {
  keyId: string;
  hashKey: CryptoKey;
  /** Device time when stored; the cache expires OFFLINE_CACHE_MAX_AGE_MS later at the latest. */
  fetchedAt: string;
  expiresAt: string;
  /** Server time the snapshot was made (what the kiosk reports as its cache age). */
  issuedAt: string;
  canteen: CanteenFacts;
  timeZone: string;
  mealPeriods: OfflineSnapshot['mealPeriods'];
  calendar: { holidays: string[]; adjustedWorkingDays: string[] };
  walletOfflineLimitFen: number;
  policiesByDate: OfflineSnapshot['policiesByDate'];
  /** Meal periods in which a resident already had a subsidised meal (any canteen), plus those subsidised here offline. */
  subsidisedSlots: OfflineSnapshot['subsidisedSlots'];
  layerSpentFen: Record<string, number>;
}

const META_KEY = 'offlineCacheMeta';

// ---------------------------------------------------------------- hashing

export function normaliseCredential(kind: CredentialKind, value: string): string {
  switch (kind) {
    case 'card':
      return value.trim().toUpperCase();
    case 'qr':
    case 'phone_pin':
      return value.trim();
  }
}

/** Phone + PIN as one hashed value (server: lib/crypto.ts phonePinValue). */
export function phonePinValue(phone: string, pin: string): string {
  return `${phone.trim()}:${pin.trim()}`;
}

/** The message that is hashed: `card:4401100001`, `qr:<token>`, `phone_pin:13800138000:246810` (server: lib/crypto.ts kioskCredentialHash). */
export function credentialMessage(kind: CredentialKind, value: string): string {
  return `${kind}:${normaliseCredential(kind, value)}`;
}

function base64url(bytes: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export async function importHashKey(raw: string): Promise<CryptoKey> {
  const bytes = fromBase64url(raw);
  if (bytes.length < 32) throw new Error('offline cache key too short');
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

export async function credentialHash(key: CryptoKey, kind: CredentialKind, value: string): Promise<string> {
  return base64url(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(credentialMessage(kind, value))));
}

export { isMaskedName };

// ---------------------------------------------------------------- storing

function tables(db: KioskDb) {
  return [db.credentials, db.residents, db.subsidisedMeals, db.policies, db.menus, db.kv];
}

/** Replace the whole cache in one transaction (a refresh never leaves half an old and half a new cache). */
export async function replaceOfflineCache(db: KioskDb, snap: OfflineSnapshot, now: Date): Promise<OfflineCacheMeta> {
  for (const r of snap.residents) {
    if (!isMaskedName(r.maskedName)) throw new Error(`offline cache refused: resident ${r.residentKey} has an unmasked name`);
    if (r.facts.id !== r.residentKey) throw new Error(`offline cache refused: facts of ${r.residentKey} carry another id`);
  }
  const known = new Set(snap.residents.map((r) => r.residentKey));
  for (const c of snap.credentials) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(c.hash)) throw new Error('offline cache refused: a credential is not a SHA-256 hash');
    if (!known.has(c.residentKey)) throw new Error(`offline cache refused: credential for unknown resident ${c.residentKey}`);
  }
  const hashKey = await importHashKey(snap.key.raw);
  const lifetime = Math.min(OFFLINE_CACHE_MAX_AGE_MS, Math.max(0, Date.parse(snap.expiresAt) - Date.parse(snap.issuedAt)));
  const old = await offlineCacheMeta(db);
  const meta: OfflineCacheMeta = {
    keyId: snap.key.id,
    hashKey,
    fetchedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + lifetime).toISOString(),
    issuedAt: snap.issuedAt,
    canteen: snap.canteen,
    timeZone: snap.timeZone,
    mealPeriods: snap.mealPeriods,
    calendar: snap.calendar,
    walletOfflineLimitFen: snap.walletOfflineLimitFen,
    policiesByDate: snap.policiesByDate,
    subsidisedSlots: snap.subsidisedSlots,
    layerSpentFen: snap.layerSpentFen,
  };
  await db.transaction('rw', tables(db), async () => {
    // Meals this kiosk subsidised offline and the server has not confirmed yet survive a refresh.
    const ours = (await db.subsidisedMeals.toArray()).filter((m) => m.source === 'kiosk');
    const ourSlots = (old?.subsidisedSlots ?? []).filter((x) => ours.some((m) => m.residentKey === x.residentKey && m.serviceDate === x.serviceDate));
    meta.subsidisedSlots = [...snap.subsidisedSlots, ...ourSlots.filter((x) => known.has(x.residentKey))];
    await Promise.all([db.credentials.clear(), db.residents.clear(), db.subsidisedMeals.clear(), db.policies.clear(), db.menus.clear()]);
    await db.residents.bulkPut(snap.residents);
    await db.credentials.bulkPut(snap.credentials);
    await db.subsidisedMeals.bulkPut([
      ...snap.subsidisedMeals.map((m) => ({ ...m, source: 'server' as const })),
      ...ours.filter((m) => known.has(m.residentKey)),
    ]);
    await db.policies.bulkPut(snap.policies);
    // Wrong-PIN counters are kept under a hash made with the old key: with a new key they could not be found again.
    if (old?.keyId !== snap.key.id) await db.kv.where('key').startsWith(PIN_TRIES).delete();
    await db.menus.bulkPut(snap.menus.map((menu) => ({ serviceDate: menu.serviceDate, mealPeriod: menu.mealPeriod, menu })));
    await db.kv.put({ key: META_KEY, value: meta, savedAt: now.toISOString() });
  });
  return meta;
}

/** Forget everything the cache holds (kiosk revoked, or expired). The order outbox is kept: those are orders. */
export async function dropOfflineCache(db: KioskDb): Promise<void> {
  await db.transaction('rw', tables(db), async () => {
    await Promise.all([db.credentials.clear(), db.residents.clear(), db.subsidisedMeals.clear(), db.policies.clear(), db.menus.clear()]);
    await db.kv.delete(META_KEY);
    await db.kv.where('key').startsWith('offlineWallet:').delete();
    await db.kv.where('key').startsWith(PIN_TRIES).delete();
  });
}

export async function offlineCacheMeta(db: KioskDb): Promise<OfflineCacheMeta | null> {
  const row = await db.kv.get(META_KEY);
  return row ? (row.value as OfflineCacheMeta) : null;
}

export type OfflineCacheStatus = { state: 'none' } | { state: 'fresh' | 'expired'; fetchedAt: string; expiresAt: string; issuedAt: string; residents: number };

export async function offlineCacheStatus(db: KioskDb, now: Date): Promise<OfflineCacheStatus> {
  const meta = await offlineCacheMeta(db);
  if (!meta) return { state: 'none' };
  const expired = now.getTime() >= Date.parse(meta.expiresAt) || now.getTime() < Date.parse(meta.fetchedAt);
  return {
    state: expired ? 'expired' : 'fresh',
    fetchedAt: meta.fetchedAt,
    expiresAt: meta.expiresAt,
    issuedAt: meta.issuedAt,
    residents: await db.residents.count(),
  };
}

/** Drop the cache once it is past its time (also when the device clock went backwards past the fetch). */
export async function dropIfExpired(db: KioskDb, now: Date): Promise<boolean> {
  const status = await offlineCacheStatus(db, now);
  if (status.state !== 'expired') return false;
  await dropOfflineCache(db);
  return true;
}

export interface OfflineIdentity {
  resident: CachedResident;
  /** The keyed hash that matched and its key id: an offline order carries them so the server can check it. */
  credentialHash: string;
  keyId: string;
}

function usable(meta: OfflineCacheMeta | null, now: Date): meta is OfflineCacheMeta {
  return !!meta && now.getTime() < Date.parse(meta.expiresAt) && now.getTime() >= Date.parse(meta.fetchedAt);
}

/** Who a tapped card or shown QR code belongs to, from the cache alone. Null if unknown or expired. */
export async function lookupCredential(db: KioskDb, kind: CredentialKind, value: string, now: Date): Promise<OfflineIdentity | null> {
  const meta = await offlineCacheMeta(db);
  if (!usable(meta, now)) return null;
  const hash = await credentialHash(meta.hashKey, kind, value);
  const cred = await db.credentials.get(hash);
  if (!cred || cred.kind !== kind) return null;
  const resident = await db.residents.get(cred.residentKey);
  if (!resident) return null;
  return { resident, credentialHash: hash, keyId: meta.keyId };
}

const PIN_TRIES = 'pinTries:';

interface PinTries {
  failures: number;
  lockedUntil: string | null;
}

export type PhonePinResult =
  | { ok: true; identity: OfflineIdentity }
  /** Wrong phone or PIN (the same answer for a phone nobody has): tries left before it locks. */
  | { ok: false; code: 'pin_wrong'; triesLeft: number }
  | { ok: false; code: 'pin_locked'; lockedUntil: string }
  /** No usable cache. */
  | null;

/**
 * Phone + PIN from the cache alone. Every try is counted per phone (under a keyed hash of it, never the phone) in
 * the same IndexedDB transaction that compares the PIN, so parallel tries all count; after PIN_MAX_FAILURES wrong
 * tries the phone is locked for PIN_LOCK_MINUTES, also against the right PIN, as online. A right PIN clears them.
 */
export async function lookupPhonePin(db: KioskDb, phone: string, pin: string, now: Date): Promise<PhonePinResult> {
  const meta = await offlineCacheMeta(db);
  if (!usable(meta, now)) return null;
  // Hashed before the transaction: IndexedDB ends a transaction that waits on anything else (WebCrypto).
  const hash = await credentialHash(meta.hashKey, 'phone_pin', phonePinValue(phone, pin));
  const triesKey = PIN_TRIES + (await credentialHash(meta.hashKey, 'phone_pin', `tries:${phone.trim()}`));
  const nowIso = now.toISOString();
  return db.transaction('rw', [db.kv, db.credentials, db.residents], async (): Promise<PhonePinResult> => {
    const row = await db.kv.get(triesKey);
    const had = (row?.value as PinTries | undefined) ?? { failures: 0, lockedUntil: null };
    if (had.lockedUntil && had.lockedUntil > nowIso) return { ok: false, code: 'pin_locked', lockedUntil: had.lockedUntil };
    const cred = await db.credentials.get(hash);
    const resident = cred?.kind === 'phone_pin' ? await db.residents.get(cred.residentKey) : undefined;
    if (cred && resident) {
      await db.kv.delete(triesKey);
      return { ok: true, identity: { resident, credentialHash: hash, keyId: meta.keyId } };
    }
    const failures = (had.lockedUntil ? 0 : had.failures) + 1;
    const lockedUntil = failures >= PIN_MAX_FAILURES ? new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000).toISOString() : null;
    await db.kv.put({ key: triesKey, value: { failures, lockedUntil } satisfies PinTries, savedAt: nowIso });
    return lockedUntil ? { ok: false, code: 'pin_locked', lockedUntil } : { ok: false, code: 'pin_wrong', triesLeft: PIN_MAX_FAILURES - failures };
  });
}

/**
 * What the shared engine reads to price one person (or a guest, `residentKey` null) at a meal from the cache: the
 * policies in force that day, the calendar, the resident's subsidy rows and whether the meal period already had a
 * subsidised meal. Null when there is no usable cache or it does not cover that date.
 */
export interface OfflinePricingData {
  canteen: CanteenFacts;
  calendar: { holidays: string[]; adjustedWorkingDays: string[] };
  policies: PolicyVersion[];
  history: HistoryEntry[];
  subsidisedThisSlot: boolean;
  layerSpentFen: Record<string, number>;
  walletOfflineLimitFen: number;
  keyId: string;
}

export async function offlinePricingData(
  db: KioskDb,
  residentKey: string | null,
  slot: { serviceDate: string; mealPeriod: MealPeriod },
  now: Date,
): Promise<OfflinePricingData | null> {
  const meta = await offlineCacheMeta(db);
  if (!usable(meta, now)) return null;
  const ids = meta.policiesByDate.find((d) => d.date === slot.serviceDate)?.versionIds;
  if (!ids) return null;
  const byId = new Map((await db.policies.toArray()).map((p) => [p.versionId, p]));
  const policies = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  const rows = residentKey ? await db.subsidisedMeals.where({ residentKey }).toArray() : [];
  return {
    canteen: meta.canteen,
    calendar: meta.calendar,
    policies,
    history: rows.map(({ serviceDate, mealPeriod, canteenId, layerKey, amountFen }) => ({ serviceDate, mealPeriod, canteenId, layerKey, amountFen })),
    subsidisedThisSlot:
      !!residentKey &&
      meta.subsidisedSlots.some((x) => x.residentKey === residentKey && x.serviceDate === slot.serviceDate && x.mealPeriod === slot.mealPeriod),
    layerSpentFen: meta.layerSpentFen,
    walletOfflineLimitFen: meta.walletOfflineLimitFen,
    keyId: meta.keyId,
  };
}

const spentKey = (residentKey: string, date: string) => `offlineWallet:${residentKey}:${date}`;

/** What a resident paid from the wallet at this kiosk offline on a date (the per-day limit). */
export async function offlineWalletSpent(db: KioskDb, residentKey: string, date: string): Promise<number> {
  const row = await db.kv.get(spentKey(residentKey, date));
  return typeof row?.value === 'number' ? row.value : 0;
}

/**
 * An order taken here offline: its subsidy rows and its meal period count against the resident from now on (so a
 * second subsidised meal is not given here), and a wallet payment against the day's limit.
 */
export interface OfflineOrderRecord {
  residentKey: string;
  serviceDate: string;
  mealPeriod: MealPeriod;
  canteenId: string;
  subsidies: { layerKey: string; amountFen: number }[];
  walletFen: number;
}

export async function recordOfflineOrder(db: KioskDb, o: OfflineOrderRecord, now: Date): Promise<void> {
  await db.transaction('rw', [db.subsidisedMeals, db.kv], async () => {
    const paid = o.subsidies.filter((s) => s.amountFen > 0);
    for (const s of paid) {
      await db.subsidisedMeals.put({
        residentKey: o.residentKey,
        serviceDate: o.serviceDate,
        mealPeriod: o.mealPeriod,
        canteenId: o.canteenId,
        layerKey: s.layerKey,
        amountFen: s.amountFen,
        source: 'kiosk',
      });
    }
    const meta = await offlineCacheMeta(db);
    if (meta && paid.length > 0) {
      meta.subsidisedSlots = [...meta.subsidisedSlots, { residentKey: o.residentKey, serviceDate: o.serviceDate, mealPeriod: o.mealPeriod }];
      await db.kv.put({ key: META_KEY, value: meta, savedAt: now.toISOString() });
    }
    if (o.walletFen > 0) {
      const k = spentKey(o.residentKey, o.serviceDate);
      await db.kv.put({ key: k, value: (await offlineWalletSpent(db, o.residentKey, o.serviceDate)) + o.walletFen, savedAt: now.toISOString() });
    }
  });
}
