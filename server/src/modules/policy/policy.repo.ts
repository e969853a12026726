import { and, asc, eq, gte, isNull, lte, or, sql } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { cachedRead, prepared } from '../../db/client';
import { policyVersions } from '../../db/schema';

export type PolicyVersionRow = typeof policyVersions.$inferSelect;

/** Published versions in force on a date; kept in memory until policy_versions is written. Frozen. */
export const publishedInForce = cachedRead([policyVersions], (db, date: string): PolicyVersionRow[] =>
  db
    .select()
    .from(policyVersions)
    .where(
      and(
        eq(policyVersions.status, 'published'),
        lte(policyVersions.effectiveFrom, date),
        or(isNull(policyVersions.effectiveTo), gte(policyVersions.effectiveTo, date)),
      ),
    )
    .orderBy(asc(policyVersions.areaCode), asc(policyVersions.version))
    .all(),
);

/** Every version, by policy and version number; kept in memory until policy_versions is written. Frozen. */
export const allVersions = cachedRead([policyVersions], (db): PolicyVersionRow[] =>
  db.select().from(policyVersions).orderBy(asc(policyVersions.policyKey), asc(policyVersions.version)).all(),
);

/** Ids of the versions no order has used yet; kept in memory until policy_versions is written. Frozen. */
const unusedQ = prepared((db) => db.select({ id: policyVersions.id }).from(policyVersions).where(isNull(policyVersions.firstUsedAt)).prepare());
export const unusedVersionIds = cachedRead([policyVersions], (db): string[] =>
  unusedQ(db)
    .all()
    .map((r) => r.id),
);

export function versionById(db: Reader | Tx, id: string): PolicyVersionRow | undefined {
  return db.select().from(policyVersions).where(eq(policyVersions.id, id)).get();
}

export function latestVersionOf(db: Reader | Tx, policyKey: string): PolicyVersionRow | undefined {
  return db
    .select()
    .from(policyVersions)
    .where(eq(policyVersions.policyKey, policyKey))
    .orderBy(sql`${policyVersions.version} desc`)
    .limit(1)
    .get();
}

export function insertVersion(tx: Tx, row: typeof policyVersions.$inferInsert) {
  tx.insert(policyVersions).values(row).run();
}

export function updateVersion(tx: Tx, id: string, values: Partial<typeof policyVersions.$inferInsert>) {
  tx.update(policyVersions).set(values).where(eq(policyVersions.id, id)).run();
}

const markUsedQ = prepared((db) =>
  db
    .update(policyVersions)
    .set({ firstUsedAt: sql`${sql.placeholder('at')}` })
    .where(and(eq(policyVersions.id, sql.placeholder('id')), isNull(policyVersions.firstUsedAt)))
    .prepare(),
);

/**
 * Mark versions as used by an order (from then on they are frozen); the first use is kept. Only versions not yet
 * used are written, so an order does not write policy_versions (and drop what is kept of it) every time.
 */
export function markUsed(tx: Tx, ids: string[], at: string) {
  const unused = ids.filter((id) => unusedVersionIds(tx).includes(id));
  for (const id of unused) markUsedQ(tx).run({ id, at });
}

/** Published versions in force on a date or later (not ended before it). */
export function publishedFrom(db: Reader | Tx, date: string): PolicyVersionRow[] {
  return db
    .select()
    .from(policyVersions)
    .where(and(eq(policyVersions.status, 'published'), or(isNull(policyVersions.effectiveTo), gte(policyVersions.effectiveTo, date))))
    .orderBy(asc(policyVersions.areaCode), asc(policyVersions.version))
    .all();
}
