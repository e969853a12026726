import { asc, desc, gt } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { prepared, preparedInsert, writerMemo } from '../../db/client';
import { auditLog } from '../../db/schema';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = Omit<typeof auditLog.$inferInsert, 'seq'>;

const HEAD = 'audit_log.head';

const lastHashQ = prepared((db) => db.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1).prepare());
const insertQ = preparedInsert(auditLog, ['seq']);

/**
 * The hash of the newest row, or null for an empty log. This repo is the only writer of the log, so the writer
 * remembers the head it wrote last (forgotten on any rollback, read again after a restart).
 */
export function lastHash(tx: Tx): string | null {
  const memo = writerMemo(tx);
  if (memo?.has(HEAD)) return memo.get(HEAD) as string | null;
  const hash = lastHashQ(tx).get()?.hash ?? null;
  memo?.set(HEAD, hash);
  return hash;
}

/** Append a row (every column but seq named). */
export function insert(tx: Tx, row: Required<NewAuditRow>): void {
  insertQ(tx).run(row);
  writerMemo(tx)?.set(HEAD, row.hash);
}

/** Rows in chain order, `size` at a time after `afterSeq` (so a long log is walked without loading it whole). */
export function rowsAfter(db: Reader | Tx, afterSeq: number, size: number): AuditRow[] {
  return db.select().from(auditLog).where(gt(auditLog.seq, afterSeq)).orderBy(asc(auditLog.seq)).limit(size).all();
}
