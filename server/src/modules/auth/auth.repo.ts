import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Reader, Tx } from '../../db/client';
import { insertMany } from '../../db/client';
import { sessions, userCanteens, users } from '../../db/schema';

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

// ───────────── users ─────────────

export function userByUsername(db: Reader | Tx, username: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.username, username)).get();
}

export function userById(db: Reader | Tx, id: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function allUsers(db: Reader | Tx): UserRow[] {
  return db.select().from(users).all();
}

export function insertUser(tx: Tx, row: typeof users.$inferInsert): void {
  tx.insert(users).values(row).run();
}

export function updateUser(tx: Tx, id: string, values: Partial<typeof users.$inferInsert>): void {
  tx.update(users).set(values).where(eq(users.id, id)).run();
}

/** The canteens each of these users operates. */
export function canteenIdsOf(db: Reader | Tx, userIds: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>(userIds.map((id) => [id, []]));
  if (userIds.length === 0) return out;
  for (const l of db.select().from(userCanteens).where(inArray(userCanteens.userId, userIds)).all()) out.get(l.userId)?.push(l.canteenId);
  return out;
}

// ───────────── sessions ─────────────

export function insertSession(tx: Tx, row: typeof sessions.$inferInsert): void {
  tx.insert(sessions).values(row).run();
}

export function sessionWithUser(db: Reader | Tx, sessionId: string): { s: SessionRow; u: UserRow } | undefined {
  return db.select({ s: sessions, u: users }).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.id, sessionId)).get();
}

export function updateSession(tx: Tx, id: string, values: Partial<typeof sessions.$inferInsert>): void {
  tx.update(sessions).set(values).where(eq(sessions.id, id)).run();
}

/** End every open session of a user, but for `keep` (the one changing its password). */
export function revokeSessionsOf(tx: Tx, userId: string, at: string, keep?: string): void {
  tx.update(sessions)
    .set({ revokedAt: at })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), keep ? ne(sessions.id, keep) : undefined))
    .run();
}

// ───────────── loading reference data (the demo seed) ─────────────

export function insertUsers(tx: Tx, rows: (typeof users.$inferInsert)[]) {
  insertMany(tx, users, rows);
}
export function insertUserCanteens(tx: Tx, rows: (typeof userCanteens.$inferInsert)[]) {
  insertMany(tx, userCanteens, rows);
}
