import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { cachedRead, prepared } from '../../db/client';
import { devices, helpCalls } from '../../db/schema';

export type DeviceRow = typeof devices.$inferSelect;

export function devicesOf(db: Reader | Tx, canteenId: string): DeviceRow[] {
  return db.select().from(devices).where(eq(devices.canteenId, canteenId)).all();
}

export function deviceById(db: Reader | Tx, id: string): DeviceRow | undefined {
  return db.select().from(devices).where(eq(devices.id, id)).get();
}

const byCredentialQ = prepared((db) =>
  db
    .select()
    .from(devices)
    .where(eq(devices.credentialHash, sql.placeholder('credentialHash')))
    .prepare(),
);

/**
 * Every kiosk request asks this (its credential): kept until devices are written (a revocation, a heartbeat, the
 * last-seen time), so a revoked kiosk is refused from the commit on. Frozen.
 */
export const deviceByCredentialHash = cachedRead([devices], (db, credentialHash: string): DeviceRow | undefined => byCredentialQ(db).get({ credentialHash }));

export function pairingCodeInUse(tx: Tx, codeHash: string): boolean {
  return !!tx.select({ id: devices.id }).from(devices).where(eq(devices.pairingCodeHash, codeHash)).get();
}

/** The device waiting for this code: not revoked, not expired at `nowIso`. */
export function pendingPairing(tx: Tx, codeHash: string, nowIso: string): DeviceRow | undefined {
  return tx
    .select()
    .from(devices)
    .where(and(eq(devices.pairingCodeHash, codeHash), isNull(devices.revokedAt), gt(devices.pairingExpiresAt, nowIso)))
    .get();
}

export function insertDevice(tx: Tx, row: typeof devices.$inferInsert): void {
  tx.insert(devices).values(row).run();
}

export function updateDevice(tx: Tx, id: string, values: Partial<typeof devices.$inferInsert>): void {
  tx.update(devices).set(values).where(eq(devices.id, id)).run();
}

// ───────────── calls for staff ─────────────

export type HelpCallRow = typeof helpCalls.$inferSelect;

/** Insert a call; false when a call with this id is already there (a retry). */
export function insertHelpCall(tx: Tx, row: HelpCallRow): boolean {
  return tx.insert(helpCalls).values(row).onConflictDoNothing().run().changes > 0;
}

export function helpCallById(db: Reader | Tx, id: string): HelpCallRow | undefined {
  return db.select().from(helpCalls).where(eq(helpCalls.id, id)).get();
}

/** Open calls of some canteens, oldest first. */
export function openHelpCalls(db: Reader | Tx, canteenIds: string[]): HelpCallRow[] {
  if (canteenIds.length === 0) return [];
  return db
    .select()
    .from(helpCalls)
    .where(and(inArray(helpCalls.canteenId, canteenIds), isNull(helpCalls.acknowledgedAt)))
    .orderBy(asc(helpCalls.requestedAt))
    .all();
}

/** Acknowledge an open call; false when it was already acknowledged. */
export function acknowledgeHelpCall(tx: Tx, id: string, at: string, by: string): boolean {
  return (
    tx
      .update(helpCalls)
      .set({ acknowledgedAt: at, acknowledgedBy: by })
      .where(and(eq(helpCalls.id, id), isNull(helpCalls.acknowledgedAt)))
      .run().changes > 0
  );
}
