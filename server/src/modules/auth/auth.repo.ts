import type { Tx } from '../../db/client';
import { insertMany } from '../../db/client';
import { userCanteens, users } from '../../db/schema';

export type UserRow = typeof users.$inferSelect;

// ───────────── loading reference data (the demo seed) ─────────────

export function insertUsers(tx: Tx, rows: (typeof users.$inferInsert)[]) {
  insertMany(tx, users, rows);
}
export function insertUserCanteens(tx: Tx, rows: (typeof userCanteens.$inferInsert)[]) {
  insertMany(tx, userCanteens, rows);
}
