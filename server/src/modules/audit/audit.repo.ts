import { and, asc, desc, eq, gt, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { prepared, preparedInsert, writerMemo } from '../../db/client';
import { auditLog, canteens } from '../../db/schema';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = Omit<typeof auditLog.$inferInsert, 'seq'>;

const HEAD = 'audit_log.head';

const lastHashQ = prepared((db) => db.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).prepare()); // get(): the first row
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

/**
 * The name a user was recorded under when they did `action` to an entity at the instant `at`. Found through the
 * entity's index (a canteen has few rows of its own); a user's own rows can run to hundreds of thousands.
 */
export function actorNameAt(db: Reader | Tx, w: { entityType: string; entityId: string; actorId: string; action: string; at: string }): string | null {
  return (
    db
      .select({ name: auditLog.actorName })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.entityType, w.entityType),
          eq(auditLog.entityId, w.entityId),
          eq(auditLog.action, w.action),
          eq(auditLog.at, w.at),
          eq(auditLog.actorId, w.actorId),
        ),
      )
      .orderBy(desc(auditLog.seq))
      .limit(1)
      .get()?.name ?? null
  );
}

/** Rows in chain order, `size` at a time after `afterSeq` (so a long log is walked without loading it whole). */
export function rowsAfter(db: Reader | Tx, afterSeq: number, size: number): AuditRow[] {
  return db.select().from(auditLog).where(gt(auditLog.seq, afterSeq)).orderBy(asc(auditLog.seq)).limit(size).all();
}

/** Area codes nest by prefix; a range keeps the index usable ('440106' ≤ code < '440106:'). */
function inArea(column: typeof auditLog.areaCode | typeof canteens.areaCode, prefix: string): SQL {
  return and(gte(column, prefix), lt(column, `${prefix}:`))!;
}

export interface AuditFilter {
  who?: string;
  actionPrefix?: string;
  entityType?: string;
  entityId?: string;
  canteenId?: string;
  areaPrefix?: string;
  /** The caller's own area: only rows of it (its area code, or a canteen in it). */
  scopePrefix?: string;
  fromAt?: string;
  toAt?: string;
  limit: number;
  offset: number;
}

/**
 * A page of the log, newest first, with the total. Rows belong to an area by their own area code or by their
 * canteen's (the canteens table is read for that, and only for that).
 */
export function list(db: Reader, f: AuditFilter): { items: AuditRow[]; total: number } {
  const conds: SQL[] = [];
  const areaOf = (prefix: string) =>
    or(inArea(auditLog.areaCode, prefix), sql`${auditLog.canteenId} IN (SELECT ${canteens.id} FROM ${canteens} WHERE ${inArea(canteens.areaCode, prefix)})`)!;
  if (f.scopePrefix !== undefined) conds.push(areaOf(f.scopePrefix));
  if (f.areaPrefix !== undefined) conds.push(areaOf(f.areaPrefix));
  if (f.canteenId !== undefined) conds.push(eq(auditLog.canteenId, f.canteenId));
  if (f.who !== undefined) conds.push(or(eq(auditLog.actorId, f.who), sql`instr(${auditLog.actorName}, ${f.who}) > 0`)!);
  if (f.actionPrefix !== undefined) conds.push(and(gte(auditLog.action, f.actionPrefix), lt(auditLog.action, `${f.actionPrefix}\uffff`))!);
  if (f.entityType !== undefined) conds.push(eq(auditLog.entityType, f.entityType));
  if (f.entityId !== undefined) conds.push(eq(auditLog.entityId, f.entityId));
  if (f.fromAt !== undefined) conds.push(gte(auditLog.at, f.fromAt));
  if (f.toAt !== undefined) conds.push(lt(auditLog.at, f.toAt));
  const where = conds.length ? and(...conds) : undefined;
  const items = db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).limit(f.limit).offset(f.offset).all();
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(auditLog)
    .where(where)
    .get()!.n;
  return { items, total };
}
