/**
 * Guessing guards for secrets (a resident's phone + PIN, a console password): how many wrong tries a key has
 * had and whether it is locked. The key is a hash of what the person typed to say who they are (the phone, the
 * user name), never a record id, so a phone or a name nobody has is counted and locked exactly like a real one
 * and the answers cannot tell them apart.
 *
 * A try is reserved before the slow hash comparison, in one write that checks the lock and counts the try
 * (`reserve`); the comparison then runs outside the writer queue; a right answer clears the key (`clear`). So
 * parallel guesses are each counted, and once the last allowed try is reserved every other one is refused
 * until the lock passes, even the right secret.
 */
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import * as repo from './attempts.repo';

export interface GuardRule {
  /** Wrong tries before the lock. */
  maxFailures: number;
  lockMinutes: number;
}

export type Reservation =
  /** The try may go ahead; `failures` counts it. `lockedUntil` is set when this was the last allowed try: it locks unless it is right. */
  | { allowed: true; failures: number; triesLeft: number; lockedUntil: string | null }
  /** Locked: refused without looking at the secret. */
  | { allowed: false; lockedUntil: string };

/**
 * Reserve one try for `key` in the caller's transaction: refuse while locked; otherwise count it, and when it is
 * the last allowed one, lock from now (the right secret clears the lock again).
 */
export function reserveIn(tx: Tx, key: string, now: Date, rule: GuardRule): Reservation {
  const nowIso = now.toISOString();
  const row = repo.guardOf(tx, key);
  if (row?.lockedUntil && row.lockedUntil > nowIso) return { allowed: false, lockedUntil: row.lockedUntil };
  // A lock that has passed starts the count again.
  const failures = (row && !row.lockedUntil ? row.failures : 0) + 1;
  const lockedUntil = failures >= rule.maxFailures ? new Date(now.getTime() + rule.lockMinutes * 60_000).toISOString() : null;
  repo.putGuard(tx, { key, failures, lockedUntil, updatedAt: nowIso });
  return { allowed: true, failures, triesLeft: Math.max(0, rule.maxFailures - failures), lockedUntil };
}

/** `reserveIn` in a write of its own. */
export function reserve(ctx: Ctx, key: string, now: Date, rule: GuardRule): Promise<Reservation> {
  return ctx.db.write((tx) => reserveIn(tx, key, now, rule));
}

/** The right secret (or staff unlocking): forget the key's tries and lock. */
export function clear(tx: Tx, key: string): void {
  repo.deleteGuard(tx, key);
}

/** Until when a key is locked, or null. */
export function lockedUntil(db: Reader | Tx, key: string, now: Date): string | null {
  const row = repo.guardOf(db, key);
  return row?.lockedUntil && row.lockedUntil > now.toISOString() ? row.lockedUntil : null;
}
