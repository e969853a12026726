import { and, asc, eq, gt, inArray, isNotNull, isNull, like, ne, or, sql, type SQL } from 'drizzle-orm';
import type { ResidentStatus } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import { cachedRead, insertMany, insertRow, prepared } from '../../db/client';
import { residentCategories, residentTokens, residents } from '../../db/schema';

export type ResidentRow = typeof residents.$inferSelect;
export type CategoryRow = typeof residentCategories.$inferSelect;
export type TokenRow = typeof residentTokens.$inferSelect;

// ───────────── residents ─────────────

const residentByIdQ = prepared((db) =>
  db
    .select()
    .from(residents)
    .where(eq(residents.id, sql.placeholder('id')))
    .prepare(),
);

export function residentById(db: Reader | Tx, id: string): ResidentRow | undefined {
  return residentByIdQ(db).get({ id });
}

export function allResidents(db: Reader | Tx): ResidentRow[] {
  return db.select().from(residents).all();
}

const byIdNumberHashQ = prepared((db) =>
  db
    .select({ id: residents.id })
    .from(residents)
    .where(eq(residents.idNumberHash, sql.placeholder('idHash')))
    .prepare(),
);

export function residentIdByIdNumberHash(db: Reader | Tx, idHash: string): string | undefined {
  return byIdNumberHashQ(db).get({ idHash })?.id;
}

/** The residents registered under any of these ID-number hashes. */
export function residentsByIdNumberHashes(db: Reader | Tx, hashes: string[]): ResidentRow[] {
  if (hashes.length === 0) return [];
  return db.select().from(residents).where(inArray(residents.idNumberHash, hashes)).all();
}

export function residentsByPhoneHash(db: Reader | Tx, phoneHash: string): ResidentRow[] {
  return db.select().from(residents).where(eq(residents.phoneHash, phoneHash)).all();
}

/** Residents living under an area code, and those with the given ids. */
export function residentsInAreaOr(db: Reader | Tx, areaPrefix: string, ids: string[]): ResidentRow[] {
  const inArea = like(residents.residenceAreaCode, `${areaPrefix.replace(/[%_]/g, '')}%`);
  const where = ids.length ? or(inArea, inArray(residents.id, ids)) : inArea;
  return db.select().from(residents).where(where).all();
}

/** What a courier's route list needs of some residents: name, whether they live alone, phone's last 4, where they live. */
export function homeFactsOf(db: Reader | Tx, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: residents.id,
      name: residents.name,
      livesAlone: residents.livesAlone,
      phoneLast4: residents.phoneLast4,
      residenceAreaCode: residents.residenceAreaCode,
    })
    .from(residents)
    .where(inArray(residents.id, ids))
    .all();
}

export function namesOf(db: Reader | Tx, ids: string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  return new Map(
    db
      .select({ id: residents.id, name: residents.name })
      .from(residents)
      .where(inArray(residents.id, ids))
      .all()
      .map((r) => [r.id, r.name]),
  );
}

/** What a list of residents may be narrowed by. Lookup hashes are made by the caller (the repo holds no keys). */
export interface ResidentFilter {
  /** Only residents whose home canteen is one of these ([] = none). */
  homeCanteenIds?: string[];
  /** Only residents living under this area code. */
  residenceAreaPrefix?: string;
  status?: ResidentStatus;
  /**
   * Free text: digits (a phone by its hash, a card by its hash, or the last 4 of a phone, an ID number or a live card),
   * a card number with letters (by its hash), an ID number (hash) or part of a name.
   */
  text?: { phoneHash: string; cardHash: string; last4: string } | { cardHash: string } | { idNumberHash: string } | { nameContains: string };
  limit: number;
  offset: number;
}

export function search(db: Reader, f: ResidentFilter): { items: ResidentRow[]; total: number } {
  const where = filterWhere(f);
  const items = db.select().from(residents).where(where).orderBy(asc(residents.name)).limit(f.limit).offset(f.offset).all();
  const total = db
    .select({ n: sql<number>`count(*)` })
    .from(residents)
    .where(where)
    .get()!.n;
  return { items, total };
}

/** The same list a page at a time after a (name, id) key, for an export (never an open iterator). */
export function searchAfter(
  db: Reader,
  f: Omit<ResidentFilter, 'limit' | 'offset'>,
  after: { name: string; id: string } | undefined,
  limit: number,
): ResidentRow[] {
  const conds = [filterWhere(f)];
  if (after) conds.push(or(gt(residents.name, after.name), and(eq(residents.name, after.name), gt(residents.id, after.id))));
  return db
    .select()
    .from(residents)
    .where(and(...conds))
    .orderBy(asc(residents.name), asc(residents.id))
    .limit(limit)
    .all();
}

function filterWhere(f: Omit<ResidentFilter, 'limit' | 'offset'>): SQL | undefined {
  const conds: SQL[] = [];
  if (f.homeCanteenIds) conds.push(f.homeCanteenIds.length ? inArray(residents.homeCanteenId, f.homeCanteenIds) : sql`0`);
  if (f.residenceAreaPrefix !== undefined) conds.push(like(residents.residenceAreaCode, `${f.residenceAreaPrefix.replace(/[%_]/g, '')}%`));
  if (f.status) conds.push(eq(residents.status, f.status));
  const t = f.text;
  const liveCard = (match: SQL) =>
    sql`${residents.id} IN (SELECT ${residentTokens.residentId} FROM ${residentTokens} WHERE ${residentTokens.revokedAt} IS NULL AND ${match})`;
  if (t && 'phoneHash' in t) {
    conds.push(
      or(
        eq(residents.phoneHash, t.phoneHash),
        eq(residents.idNumberLast4, t.last4),
        eq(residents.phoneLast4, t.last4),
        liveCard(sql`(${residentTokens.tokenHash} = ${t.cardHash} OR ${residentTokens.last4} = ${t.last4})`),
      )!,
    );
  } else if (t && 'cardHash' in t) {
    conds.push(liveCard(sql`${residentTokens.tokenHash} = ${t.cardHash}`));
  } else if (t && 'idNumberHash' in t) {
    conds.push(eq(residents.idNumberHash, t.idNumberHash));
  } else if (t) {
    conds.push(like(residents.name, `%${t.nameContains.replace(/[%_]/g, '')}%`));
  }
  return conds.length ? and(...conds) : undefined;
}

export function insertResident(tx: Tx, row: typeof residents.$inferInsert): void {
  insertRow(tx, residents, row);
}

export function updateResident(tx: Tx, id: string, values: Partial<typeof residents.$inferInsert>): void {
  tx.update(residents).set(values).where(eq(residents.id, id)).run();
}

// ───────────── categories ─────────────

const categoriesOfOneQ = prepared((db) =>
  db
    .select()
    .from(residentCategories)
    .where(eq(residentCategories.residentId, sql.placeholder('residentId')))
    .orderBy(asc(residentCategories.validFrom))
    .prepare(),
);

/** Every recorded category of these residents, whatever its state (the register shows them all). */
export function categoriesOf(db: Reader | Tx, residentIds: string[]): CategoryRow[] {
  if (residentIds.length === 0) return [];
  if (residentIds.length === 1) return categoriesOfOneQ(db).all({ residentId: residentIds[0]! });
  return db.select().from(residentCategories).where(inArray(residentCategories.residentId, residentIds)).orderBy(asc(residentCategories.validFrom)).all();
}

/** The approved categories of these residents: the only ones pricing, claims and reports count. */
const approvedOfOneQ = prepared((db) =>
  db
    .select()
    .from(residentCategories)
    .where(and(eq(residentCategories.residentId, sql.placeholder('residentId')), eq(residentCategories.state, 'approved')))
    .orderBy(asc(residentCategories.validFrom))
    .prepare(),
);

export function approvedCategoriesOf(db: Reader | Tx, residentIds: string[]): CategoryRow[] {
  if (residentIds.length === 0) return [];
  if (residentIds.length === 1) return approvedOfOneQ(db).all({ residentId: residentIds[0]! });
  return db
    .select()
    .from(residentCategories)
    .where(and(inArray(residentCategories.residentId, residentIds), eq(residentCategories.state, 'approved')))
    .orderBy(asc(residentCategories.validFrom))
    .all();
}

/**
 * One resident with their approved categories, as every card tap, quote and order reads them (pricing and the
 * status check): kept until residents or categories are written (a status, a decision), so a change counts from
 * its commit on. Frozen.
 */
export const residentWithApproved = cachedRead(
  [residents, residentCategories],
  (db, id: string): { row: ResidentRow; categories: CategoryRow[] } | undefined => {
    const row = residentByIdQ(db).get({ id });
    return row && { row, categories: approvedOfOneQ(db).all({ residentId: id }) };
  },
);

/** Every approved category (the what-if re-prices the city's orders). */
export function allApprovedCategories(db: Reader | Tx): CategoryRow[] {
  return db.select().from(residentCategories).where(eq(residentCategories.state, 'approved')).all();
}

/** Proposed categories waiting for a decision, of residents living under an area (null: anywhere), oldest first. */
export function pendingCategories(db: Reader | Tx, areaPrefix: string | null): { c: CategoryRow; r: ResidentRow }[] {
  return db
    .select({ c: residentCategories, r: residents })
    .from(residentCategories)
    .innerJoin(residents, eq(residents.id, residentCategories.residentId))
    .where(
      and(eq(residentCategories.state, 'pending'), areaPrefix === null ? undefined : like(residents.residenceAreaCode, `${areaPrefix.replace(/[%_]/g, '')}%`)),
    )
    .orderBy(asc(residentCategories.createdAt))
    .limit(500)
    .all();
}

/** The resident's categories with this code that are pending or approved (a rejected one is history only). */
const categoriesWithCodeQ = prepared((db) =>
  db
    .select()
    .from(residentCategories)
    .where(
      and(
        eq(residentCategories.residentId, sql.placeholder('residentId')),
        eq(residentCategories.code, sql.placeholder('code')),
        ne(residentCategories.state, 'rejected'),
      ),
    )
    .prepare(),
);

export function categoriesWithCode(tx: Tx, residentId: string, code: string): CategoryRow[] {
  return categoriesWithCodeQ(tx).all({ residentId, code });
}

export function categoryOf(tx: Tx, residentId: string, categoryId: string): CategoryRow | undefined {
  return tx
    .select()
    .from(residentCategories)
    .where(and(eq(residentCategories.id, categoryId), eq(residentCategories.residentId, residentId)))
    .get();
}

export function insertCategory(tx: Tx, row: typeof residentCategories.$inferInsert): void {
  insertRow(tx, residentCategories, row);
}

export function updateCategory(tx: Tx, id: string, values: Partial<typeof residentCategories.$inferInsert>): void {
  tx.update(residentCategories).set(values).where(eq(residentCategories.id, id)).run();
}

// ───────────── cards and QR tokens ─────────────

export function tokensOf(db: Reader | Tx, residentId: string): TokenRow[] {
  return db.select().from(residentTokens).where(eq(residentTokens.residentId, residentId)).orderBy(asc(residentTokens.issuedAt)).all();
}

export function tokenByHash(db: Reader | Tx, tokenHash: string): TokenRow | undefined {
  return db.select().from(residentTokens).where(eq(residentTokens.tokenHash, tokenHash)).get();
}

const liveTokenQ = prepared((db) =>
  db
    .select()
    .from(residentTokens)
    .where(and(eq(residentTokens.tokenHash, sql.placeholder('tokenHash')), isNull(residentTokens.revokedAt)))
    .prepare(),
);

/** Every card tap: kept until tokens are written (a new card, a revocation, a value kept). Frozen. */
export const liveTokenByHash = cachedRead([residentTokens], (db, tokenHash: string): TokenRow | undefined => liveTokenQ(db).get({ tokenHash }));

/** Every card and QR token (live or revoked) of these residents. */
export function tokensOfResidents(db: Reader | Tx, residentIds: string[]): TokenRow[] {
  if (residentIds.length === 0) return [];
  return db.select().from(residentTokens).where(inArray(residentTokens.residentId, residentIds)).all();
}

export function setTokenEnc(tx: Tx, id: string, tokenEnc: string): void {
  tx.update(residentTokens)
    .set({ tokenEnc })
    .where(and(eq(residentTokens.id, id), isNull(residentTokens.tokenEnc)))
    .run();
}

const tokenIsLiveQ = prepared((db) =>
  db
    .select({ id: residentTokens.id })
    .from(residentTokens)
    .where(
      and(eq(residentTokens.id, sql.placeholder('tokenId')), eq(residentTokens.residentId, sql.placeholder('residentId')), isNull(residentTokens.revokedAt)),
    )
    .prepare(),
);

/** Asked by every quote and order of a kiosk (the ticket's card): kept until tokens are written (a revocation). */
export const tokenIsLive = cachedRead([residentTokens], (db, residentId: string, tokenId: string): boolean => !!tokenIsLiveQ(db).get({ residentId, tokenId }));

export function tokenOf(tx: Tx, residentId: string, tokenId: string): TokenRow | undefined {
  return tx
    .select()
    .from(residentTokens)
    .where(and(eq(residentTokens.id, tokenId), eq(residentTokens.residentId, residentId)))
    .get();
}

export function insertToken(tx: Tx, row: typeof residentTokens.$inferInsert): void {
  tx.insert(residentTokens).values(row).run();
}

/** A revoked card given again: its old row goes (the hash is unique), the audit log keeps its history. */
export function deleteRevokedToken(tx: Tx, tokenHash: string): void {
  tx.delete(residentTokens)
    .where(and(eq(residentTokens.tokenHash, tokenHash), isNotNull(residentTokens.revokedAt)))
    .run();
}

export function revokeToken(tx: Tx, id: string, at: string): void {
  tx.update(residentTokens).set({ revokedAt: at }).where(eq(residentTokens.id, id)).run();
}

export function revokeLiveQr(tx: Tx, residentId: string, at: string): void {
  tx.update(residentTokens)
    .set({ revokedAt: at })
    .where(and(eq(residentTokens.residentId, residentId), eq(residentTokens.kind, 'qr'), isNull(residentTokens.revokedAt)))
    .run();
}

// ───────────── loading reference data (the demo seed) ─────────────

export function insertResidents(tx: Tx, rows: (typeof residents.$inferInsert)[]): void {
  insertMany(tx, residents, rows, 50);
}
export function insertCategories(tx: Tx, rows: (typeof residentCategories.$inferInsert)[]): void {
  insertMany(tx, residentCategories, rows);
}
export function insertTokens(tx: Tx, rows: (typeof residentTokens.$inferInsert)[]): void {
  insertMany(tx, residentTokens, rows);
}

/** What pricing and a what-if list need of many residents at once (a replayed month names tens of thousands). */
export interface FactsRow {
  id: string;
  name: string;
  birthDate: string;
  hukouAreaCode: string | null;
  residenceAreaCode: string;
  careLevel: number;
  disabilityGrade: number | null;
  disabilityLevel: ResidentRow['disabilityLevel'];
  status: ResidentStatus;
  statusSince: string | null;
  homeCanteenId: string | null;
  idNumberLast4: string;
}

export function factsRowsOf(db: Reader | Tx, ids: string[]): FactsRow[] {
  if (ids.length === 0) return [];
  type Cols = [
    string,
    string,
    string,
    string | null,
    string,
    number,
    number | null,
    FactsRow['disabilityLevel'],
    ResidentStatus,
    string | null,
    string | null,
    string,
  ];
  return db
    .values<Cols>(
      sql`
    SELECT id, name, birth_date, hukou_area_code, residence_area_code, care_level, disability_grade, disability_level, status,
           status_since, home_canteen_id, id_number_last4
    FROM residents WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
    )
    .map(
      ([
        id,
        name,
        birthDate,
        hukouAreaCode,
        residenceAreaCode,
        careLevel,
        disabilityGrade,
        disabilityLevel,
        status,
        statusSince,
        homeCanteenId,
        idNumberLast4,
      ]) => ({
        id,
        name,
        birthDate,
        hukouAreaCode,
        residenceAreaCode,
        careLevel,
        disabilityGrade,
        disabilityLevel,
        status,
        statusSince,
        homeCanteenId,
        idNumberLast4,
      }),
    );
}

/** The approved categories of these residents (the only ones pricing counts), for the what-if's replay. */
export function categoryRowsOf(db: Reader | Tx, ids: string[]): { residentId: string; code: string; validFrom: string; validTo: string | null }[] {
  if (ids.length === 0) return [];
  return db.all(sql`
    SELECT resident_id AS residentId, code, valid_from AS validFrom, valid_to AS validTo
    FROM resident_categories WHERE state = 'approved' AND resident_id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
    ORDER BY rowid`);
}
