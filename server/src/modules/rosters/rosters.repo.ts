import { and, asc, eq, gte, inArray, isNotNull, lt, lte, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { insertMany } from '../../db/client';
import { rosterImportRows, rosterImports } from '../../db/schema';

export type RosterImportRow = typeof rosterImports.$inferSelect;
export type StagedRow = typeof rosterImportRows.$inferSelect;

export function importById(db: Reader | Tx, id: string): RosterImportRow | undefined {
  return db.select().from(rosterImports).where(eq(rosterImports.id, id)).get();
}

export function insertImport(tx: Tx, row: typeof rosterImports.$inferInsert): void {
  tx.insert(rosterImports).values(row).run();
}

export function updateImport(tx: Tx, id: string, values: Partial<typeof rosterImports.$inferInsert>): void {
  tx.update(rosterImports).set(values).where(eq(rosterImports.id, id)).run();
}

/** Staged rows from `start` on go (a resent chunk replaces what it covers, and anything after it). */
export function deleteRowsFrom(tx: Tx, importId: string, start: number): void {
  tx.delete(rosterImportRows)
    .where(and(eq(rosterImportRows.importId, importId), gte(rosterImportRows.rowIndex, start)))
    .run();
}

export function insertRows(tx: Tx, rows: StagedRow[]): void {
  insertMany(tx, rosterImportRows, rows, 100);
}

/** Counts of staged rows by status (kept on the import after every chunk). */
export function countsOf(db: Reader | Tx, importId: string): { staged: number; errors: number; duplicates: number } {
  const r = db
    .select({
      staged: sql<number>`count(*)`,
      errors: sql<number>`coalesce(sum(${rosterImportRows.status} = 'error'), 0)`,
      duplicates: sql<number>`coalesce(sum(${rosterImportRows.status} = 'duplicate'), 0)`,
    })
    .from(rosterImportRows)
    .where(eq(rosterImportRows.importId, importId))
    .get()!;
  return { staged: Number(r.staged), errors: Number(r.errors), duplicates: Number(r.duplicates) };
}

/** The first staged row (before `before`) with one of these ID-number hashes: a row repeated within the file. */
export function firstRowsWithHashes(db: Reader | Tx, importId: string, hashes: string[], before: number): Map<string, number> {
  if (hashes.length === 0) return new Map();
  const rows = db
    .select({ hash: rosterImportRows.idNumberHash, rowNumber: sql<number>`min(${rosterImportRows.rowNumber})` })
    .from(rosterImportRows)
    .where(
      and(
        eq(rosterImportRows.importId, importId),
        inArray(rosterImportRows.idNumberHash, hashes),
        lt(rosterImportRows.rowIndex, before),
        isNotNull(rosterImportRows.idNumberHash),
      ),
    )
    .groupBy(rosterImportRows.idNumberHash)
    .all();
  return new Map(rows.map((r) => [r.hash!, Number(r.rowNumber)]));
}

/** Staged rows in file order, a page at a time (the commit reads them this way inside its transaction). */
export function rowsBetween(db: Reader | Tx, importId: string, from: number, to: number): StagedRow[] {
  return db
    .select()
    .from(rosterImportRows)
    .where(and(eq(rosterImportRows.importId, importId), gte(rosterImportRows.rowIndex, from), lte(rosterImportRows.rowIndex, to)))
    .orderBy(asc(rosterImportRows.rowIndex))
    .all();
}

export function deleteRows(tx: Tx, importId: string): void {
  tx.delete(rosterImportRows).where(eq(rosterImportRows.importId, importId)).run();
}

/** Imports still staging that were started before `before` (abandoned in a browser that went away). */
export function staleImports(db: Reader | Tx, before: string): string[] {
  return db
    .select({ id: rosterImports.id })
    .from(rosterImports)
    .where(and(eq(rosterImports.state, 'staging'), lt(rosterImports.createdAt, before)))
    .all()
    .map((r) => r.id);
}
