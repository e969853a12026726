/**
 * The offline identification cache: what the kiosk needs to identify and price a resident with the network
 * down, and nothing more (issue 11). The server fills it (GET /kiosk/offline-cache, a later round); this module
 * stores it, looks people up in it, expires it and drops it.
 *
 * What is kept, and what never is:
 * - credentials: a keyed hash (HMAC-SHA-256 under a per-kiosk key) of each card number, QR token and
 *   phone + PIN → an opaque resident key. Never the card number, token, phone or PIN.
 * - residents: a masked display name (陈*英, refused otherwise), gender for the greeting, diet needs and
 *   allergies for the menu, and the eligibility facts the shared policy engine reads. No ID number, no phone,
 *   no address, no full name.
 * - subsidisedMeals: today's subsidised meals (engine history rows), so "one subsidy per meal period" holds
 *   offline; meals this kiosk subsidises offline are added with source 'kiosk'.
 * - policies: the published policy versions; menus: today's and tomorrow's.
 * The hash key is stored as a non-extractable CryptoKey: page scripts can hash with it, not read it.
 * The cache expires 48 hours after it was last refreshed and is dropped when the kiosk is revoked.
 */
import type { DietNeed, MealPeriod } from '@yishi/shared/domain';
import type { CanteenFacts, HistoryEntry, PolicyVersion, ResidentFacts } from '@yishi/shared/policy';
import type { Menu } from '@yishi/shared/schemas';
import type { KioskDb } from './db';

export const OFFLINE_CACHE_MAX_AGE_MS = 48 * 3600_000;

export type CredentialKind = 'card' | 'qr' | 'phone_pin';

export interface CachedCredential {
  /** base64url(HMAC-SHA-256(key, `${kind}:${normalised value}`)); see credentialMessage. */
  hash: string;
  kind: CredentialKind;
  residentKey: string;
}

export interface CachedResident {
  /** The server's opaque resident id. */
  residentKey: string;
  /** 陈*英: at most two characters shown, at least one masked. */
  maskedName: string;
  gender: 'female' | 'male';
  dietNeeds: DietNeed[];
  allergies: string[];
  /** What evaluate() reads (id = residentKey). */
  facts: ResidentFacts;
}

export interface CachedSubsidisedMeal extends HistoryEntry {
  residentKey: string;
  /** 'server': known when the cache was filled; 'kiosk': subsidised here while offline. */
  source: 'server' | 'kiosk';
}

export type CachedPolicy = PolicyVersion;

export interface CachedMenu {
  serviceDate: string;
  mealPeriod: MealPeriod;
  menu: Menu;
}

/** What the server sends to fill the cache (the later round's GET /kiosk/offline-cache, as the kiosk stores it). */
export interface OfflineSnapshot {
  /** Server time when made. */
  issuedAt: string;
  /** Server time after which it must not be used (at most 48 h after issuedAt). */
  expiresAt: string;
  /** The per-kiosk hash key (32 random bytes, base64url) and its id (rotated on re-pairing). */
  key: { id: string; raw: string };
  canteen: CanteenFacts;
  calendar: { holidays: string[]; adjustedWorkingDays: string[] };
  /** Wallet payment allowed offline per resident per day (0 = pay at the counter only). */
  walletOfflineLimitFen: number;
  residents: CachedResident[];
  credentials: CachedCredential[];
  subsidisedMeals: CachedSubsidisedMeal[];
  policies: CachedPolicy[];
  menus: Menu[];
}

export interface OfflineCacheMeta {
  keyId: string;
  hashKey: CryptoKey;
  /** Device time when stored; the cache expires OFFLINE_CACHE_MAX_AGE_MS later at the latest. */
  fetchedAt: string;
  expiresAt: string;
  canteen: CanteenFacts;
  calendar: { holidays: string[]; adjustedWorkingDays: string[] };
  walletOfflineLimitFen: number;
}

const META_KEY = 'offlineCacheMeta';

// ---------------------------------------------------------------- hashing

export function normaliseCredential(kind: CredentialKind, value: string): string {
  switch (kind) {
    case 'card':
      return value.trim().toUpperCase();
    case 'qr':
      return value.trim();
    case 'phone_pin':
      return value.replace(/\s+/g, '');
  }
}

/** The message that is hashed: `card:4401100001`, `qr:<token>`, `phone_pin:13800000000:123456`. */
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

/** 陈*英, 张*, 欧阳** — at least one '*', at most two characters shown. */
export function isMaskedName(name: string): boolean {
  const chars = [...name];
  const shown = chars.filter((c) => c !== '*').length;
  return chars.length >= 2 && chars[0] !== '*' && shown >= 1 && shown <= 2 && shown < chars.length;
}

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
  const meta: OfflineCacheMeta = {
    keyId: snap.key.id,
    hashKey,
    fetchedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + lifetime).toISOString(),
    canteen: snap.canteen,
    calendar: snap.calendar,
    walletOfflineLimitFen: snap.walletOfflineLimitFen,
  };
  await db.transaction('rw', tables(db), async () => {
    // Meals this kiosk subsidised offline and the server has not confirmed yet survive a refresh.
    const ours = (await db.subsidisedMeals.toArray()).filter((m) => m.source === 'kiosk');
    await Promise.all([db.credentials.clear(), db.residents.clear(), db.subsidisedMeals.clear(), db.policies.clear(), db.menus.clear()]);
    await db.residents.bulkPut(snap.residents);
    await db.credentials.bulkPut(snap.credentials);
    await db.subsidisedMeals.bulkPut([...snap.subsidisedMeals, ...ours.filter((m) => known.has(m.residentKey))]);
    await db.policies.bulkPut(snap.policies);
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
  });
}

export async function offlineCacheMeta(db: KioskDb): Promise<OfflineCacheMeta | null> {
  const row = await db.kv.get(META_KEY);
  return row ? (row.value as OfflineCacheMeta) : null;
}

export type OfflineCacheStatus = { state: 'none' } | { state: 'fresh' | 'expired'; fetchedAt: string; expiresAt: string; residents: number };

export async function offlineCacheStatus(db: KioskDb, now: Date): Promise<OfflineCacheStatus> {
  const meta = await offlineCacheMeta(db);
  if (!meta) return { state: 'none' };
  const expired = now.getTime() >= Date.parse(meta.expiresAt) || now.getTime() < Date.parse(meta.fetchedAt);
  return { state: expired ? 'expired' : 'fresh', fetchedAt: meta.fetchedAt, expiresAt: meta.expiresAt, residents: await db.residents.count() };
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
  /** Subsidised meals on `serviceDate` (for the engine's history and "already ordered this meal"). */
  meals: CachedSubsidisedMeal[];
}

/** Who a tapped card / shown QR / typed phone + PIN belongs to, from the cache alone. Null if unknown or expired. */
export async function lookupCredential(db: KioskDb, kind: CredentialKind, value: string, serviceDate: string, now: Date): Promise<OfflineIdentity | null> {
  const meta = await offlineCacheMeta(db);
  if (!meta) return null;
  if (now.getTime() >= Date.parse(meta.expiresAt) || now.getTime() < Date.parse(meta.fetchedAt)) return null;
  const hash = await credentialHash(meta.hashKey, kind, value);
  const cred = await db.credentials.get(hash);
  if (!cred || cred.kind !== kind) return null;
  const resident = await db.residents.get(cred.residentKey);
  if (!resident) return null;
  const meals = await db.subsidisedMeals
    .where({ residentKey: cred.residentKey })
    .filter((m) => m.serviceDate === serviceDate)
    .toArray();
  return { resident, meals };
}

/** Remember a meal subsidised here while offline, so the same resident is not subsidised twice this meal. */
export async function recordSubsidisedMeal(db: KioskDb, meal: Omit<CachedSubsidisedMeal, 'source'>): Promise<void> {
  await db.subsidisedMeals.put({ ...meal, source: 'kiosk' });
}
