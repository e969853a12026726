import { asc, desc, gt } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { auditLog } from '../../db/schema';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = Omit<typeof auditLog.$inferInsert, 'seq'>;

/** The hash of the newest row, or null for an empty log. */
export function lastHash(tx: Tx): string | null {
  return tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1).get()?.hash ?? null;
}

export function insert(tx: Tx, row: NewAuditRow): void {
  tx.insert(auditLog).values(row).run();
}

/** Rows in chain order, `size` at a time after `afterSeq` (so a long log is walked without loading it whole). */
export function rowsAfter(db: Reader | Tx, afterSeq: number, size: number): AuditRow[] {
  return db.select().from(auditLog).where(gt(auditLog.seq, afterSeq)).orderBy(asc(auditLog.seq)).limit(size).all();
}
