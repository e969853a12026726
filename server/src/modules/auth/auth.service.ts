import { AppError, type Me } from '@yishi/shared/schemas';
import type { Ctx } from '../../lib/context';
import type { Actor, UserActor } from '../../lib/actor';
import { requireUser } from '../../lib/actor';
import { dummyHash, hashSecret, newToken, sha256, verifySecret } from '../../lib/crypto';
import * as attempts from '../attempts/attempts.service';
import * as audit from '../audit/audit.service';
import * as repo from './auth.repo';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

function toMe(u: repo.UserRow, canteenIds: string[]): Me {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    scopeAreaCode: u.scopeAreaCode,
    canteenIds,
    mustChangePassword: u.mustChangePassword,
    canSeeIdNumbers: u.canSeeIdNumbers,
  };
}

function canteenIdsOf(ctx: Ctx, userId: string): string[] {
  return repo.canteenIdsOf(ctx.db.read, [userId]).get(userId) ?? [];
}

/** The key wrong passwords are counted under: a hash of the name as typed (lower case), known or not. */
export function loginGuardKey(username: string): string {
  return `login:${sha256(username.trim().toLowerCase())}`;
}

export const LOGIN_RULE = { maxFailures: MAX_FAILED_LOGINS, lockMinutes: LOCK_MINUTES };

function accountLocked(lockedUntil: string): AppError {
  return new AppError('account_locked', `too many sign-in attempts; locked until ${lockedUntil}`, 429, { lockedUntil });
}

/**
 * Log in. Every try is counted per user name (a hash of it) in one write before the password is compared, so
 * parallel guesses all count and the lock holds against the right password too. An unknown name goes through
 * the same steps against a dummy hash of the same cost: the same answers (login_failed, then account_locked
 * with until when) in the same time, so nobody learns which names exist.
 */
export async function login(ctx: Ctx, username: string, password: string, userAgent: string | undefined): Promise<{ token: string; me: Me; expiresAt: Date }> {
  const now = ctx.clock.now();
  const key = loginGuardKey(username);
  const user = repo.userByUsername(ctx.db.read, username.toLowerCase());
  const dummy = await dummyHash(ctx.config.scryptN);
  const slot = await attempts.reserve(ctx, key, now, LOGIN_RULE);
  if (!slot.allowed) throw accountLocked(slot.lockedUntil);
  const ok = await verifySecret(password, user?.passwordHash ?? dummy);
  if (!ok || !user) {
    if (slot.lockedUntil) {
      const lockedUntil = slot.lockedUntil;
      await ctx.db.write((tx) =>
        audit.record(tx, null, now, { action: 'user.locked', entityType: 'user', entityId: user?.id ?? null, details: { lockedUntil } }),
      );
      throw accountLocked(lockedUntil);
    }
    // No attempts count here: the console says the rule instead.
    throw new AppError('login_failed', 'wrong username or password');
  }
  if (user.disabled) {
    await ctx.db.write((tx) => attempts.clear(tx, key));
    throw new AppError('account_disabled', 'this account is disabled');
  }
  const token = newToken();
  const expiresAt = new Date(now.getTime() + ctx.config.sessionHours * 3600_000);
  await ctx.db.write((tx) => {
    attempts.clear(tx, key);
    repo.insertSession(tx, {
      id: sha256(token),
      userId: user.id,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      lastSeenAt: now.toISOString(),
      userAgent: userAgent?.slice(0, 200) ?? null,
    });
    audit.record(tx, null, now, { action: 'user.login', entityType: 'user', entityId: user.id });
  });
  return { token, me: toMe(user, canteenIdsOf(ctx, user.id)), expiresAt };
}

/** Until when a user name is locked after wrong passwords (null: not locked). */
export function loginLockedUntil(ctx: Ctx, username: string): string | null {
  return attempts.lockedUntil(ctx.db.read, loginGuardKey(username), ctx.clock.now());
}

export async function resolveSession(ctx: Ctx, token: string): Promise<UserActor | null> {
  const now = ctx.clock.now();
  const row = repo.sessionWithUser(ctx.db.read, sha256(token));
  if (!row || row.s.revokedAt || new Date(row.s.expiresAt) <= now || row.u.disabled) return null;
  if (now.getTime() - new Date(row.s.lastSeenAt).getTime() > 5 * 60_000) {
    const id = row.s.id;
    void ctx.db.write((tx) => repo.updateSession(tx, id, { lastSeenAt: now.toISOString() })).catch(() => undefined);
  }
  const me = toMe(row.u, canteenIdsOf(ctx, row.u.id));
  return { kind: 'user', sessionId: row.s.id, user: { ...me } };
}

/** Whether a session is still open, unexpired and its user enabled (an open live socket re-checks this). */
export function sessionStillValid(ctx: Ctx, sessionId: string): boolean {
  const row = repo.sessionWithUser(ctx.db.read, sessionId);
  return !!row && row.s.revokedAt === null && row.s.expiresAt > ctx.clock.now().toISOString() && !row.u.disabled;
}

export async function logout(ctx: Ctx, actor: Actor | null): Promise<void> {
  const u = requireUser(actor);
  const now = ctx.clock.now().toISOString();
  await ctx.db.write((tx) => repo.updateSession(tx, u.sessionId, { revokedAt: now }));
}

export async function logoutEverywhere(ctx: Ctx, userId: string, actor: Actor | null): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    repo.revokeSessionsOf(tx, userId, now.toISOString());
    audit.record(tx, actor, now, { action: 'user.logout_all', entityType: 'user', entityId: userId });
  });
}

export async function changePassword(ctx: Ctx, actor: Actor | null, current: string, next: string): Promise<void> {
  const u = requireUser(actor);
  const row = repo.userById(ctx.db.read, u.user.id);
  if (!row || !(await verifySecret(current, row.passwordHash))) throw new AppError('login_failed', 'the current password is wrong');
  if (current === next) throw new AppError('weak_password', 'the new password must differ from the current one');
  if (next.toLowerCase().includes(row.username.toLowerCase())) throw new AppError('weak_password', 'the password must not contain the username');
  const hash = await hashSecret(next, ctx.config.scryptN);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    repo.updateUser(tx, row.id, { passwordHash: hash, mustChangePassword: false, passwordChangedAt: now.toISOString() });
    // Other sessions end; this one stays.
    repo.revokeSessionsOf(tx, row.id, now.toISOString(), u.sessionId);
    audit.record(tx, actor, now, { action: 'user.password_changed', entityType: 'user', entityId: row.id });
  });
}

export function me(actor: Actor | null): Me {
  const u = requireUser(actor);
  return { ...u.user };
}
