import { eq } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { attemptGuards } from '../../db/schema';

export type GuardRow = typeof attemptGuards.$inferSelect;

export function guardOf(db: Reader | Tx, key: string): GuardRow | undefined {
  return db.select().from(attemptGuards).where(eq(attemptGuards.key, key)).get();
}

export function putGuard(tx: Tx, row: GuardRow): void {
  tx.insert(attemptGuards)
    .values(row)
    .onConflictDoUpdate({ target: attemptGuards.key, set: { failures: row.failures, lockedUntil: row.lockedUntil, updatedAt: row.updatedAt } })
    .run();
}

export function deleteGuard(tx: Tx, key: string): void {
  tx.delete(attemptGuards).where(eq(attemptGuards.key, key)).run();
}
