import { and, eq, isNull, ne } from 'drizzle-orm';
import { AppError, type Me } from '@yishi/shared/schemas';
import type { Role } from '@yishi/shared';
import type { Ctx } from '../../lib/context';
import type { Actor, UserActor } from '../../lib/actor';
import { requireUser } from '../../lib/actor';
import { hashSecret, newToken, sha256, verifySecret } from '../../lib/crypto';
import * as audit from '../audit/audit.service';
import { sessions, userCanteens, users } from '../../db/schema';
import { v7 as uuidv7 } from 'uuid';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

const DUMMY_HASH = 'scrypt$16384$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

function toMe(u: typeof users.$inferSelect, canteenIds: string[]): Me {
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
  return ctx.db.read
    .select({ id: userCanteens.canteenId })
    .from(userCanteens)
    .where(eq(userCanteens.userId, userId))
    .all()
    .map((r) => r.id);
}

export async function login(ctx: Ctx, username: string, password: string, userAgent: string | undefined): Promise<{ token: string; me: Me; expiresAt: Date }> {
  const now = ctx.clock.now();
  const user = ctx.db.read.select().from(users).where(eq(users.username, username.toLowerCase())).get();
  if (!user) {
    await verifySecret(password, DUMMY_HASH); // same time as a real check: no user enumeration by timing
    throw new AppError('login_failed', 'wrong username or password');
  }
  if (user.lockedUntil && new Date(user.lockedUntil) > now) {
    throw new AppError('account_locked', `too many wrong passwords; locked until ${user.lockedUntil}`, 429, { lockedUntil: user.lockedUntil });
  }
  const ok = await verifySecret(password, user.passwordHash);
  if (!ok) {
    const failed = user.failedLogins + 1;
    const locks = failed >= MAX_FAILED_LOGINS;
    const lockedUntil = locks ? new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString() : null;
    await ctx.db.write((tx) => {
      tx.update(users)
        .set({ failedLogins: locks ? 0 : failed, lockedUntil })
        .where(eq(users.id, user.id))
        .run();
      if (locks) audit.record(tx, null, now, { action: 'user.locked', entityType: 'user', entityId: user.id, details: { username: user.username } });
    });
    if (locks) throw new AppError('account_locked', `too many wrong passwords; locked until ${lockedUntil}`, 429, { lockedUntil });
    // No attempts count here: it would tell which usernames exist. The console says the rule instead.
    throw new AppError('login_failed', 'wrong username or password');
  }
  if (user.disabled) throw new AppError('account_disabled', 'this account is disabled');
  const token = newToken();
  const expiresAt = new Date(now.getTime() + ctx.config.sessionHours * 3600_000);
  await ctx.db.write((tx) => {
    tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, user.id)).run();
    tx.insert(sessions)
      .values({
        id: sha256(token),
        userId: user.id,
        createdAt: now.toISOString(),
        expiresAt: expiresAt.toISOString(),
        lastSeenAt: now.toISOString(),
        userAgent: userAgent?.slice(0, 200) ?? null,
      })
      .run();
    audit.record(tx, null, now, { action: 'user.login', entityType: 'user', entityId: user.id });
  });
  return { token, me: toMe(user, canteenIdsOf(ctx, user.id)), expiresAt };
}

export async function resolveSession(ctx: Ctx, token: string): Promise<UserActor | null> {
  const now = ctx.clock.now();
  const row = ctx.db.read
    .select({ s: sessions, u: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sha256(token)))
    .get();
  if (!row || row.s.revokedAt || new Date(row.s.expiresAt) <= now || row.u.disabled) return null;
  if (now.getTime() - new Date(row.s.lastSeenAt).getTime() > 5 * 60_000) {
    const id = row.s.id;
    void ctx.db.write((tx) => tx.update(sessions).set({ lastSeenAt: now.toISOString() }).where(eq(sessions.id, id)).run()).catch(() => undefined);
  }
  const me = toMe(row.u, canteenIdsOf(ctx, row.u.id));
  return { kind: 'user', sessionId: row.s.id, user: { ...me } };
}

export async function logout(ctx: Ctx, actor: Actor | null): Promise<void> {
  const u = requireUser(actor);
  const now = ctx.clock.now().toISOString();
  await ctx.db.write((tx) => tx.update(sessions).set({ revokedAt: now }).where(eq(sessions.id, u.sessionId)).run());
}

export async function logoutEverywhere(ctx: Ctx, userId: string, actor: Actor | null): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    tx.update(sessions)
      .set({ revokedAt: now.toISOString() })
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
      .run();
    audit.record(tx, actor, now, { action: 'user.logout_all', entityType: 'user', entityId: userId });
  });
}

export async function changePassword(ctx: Ctx, actor: Actor | null, current: string, next: string): Promise<void> {
  const u = requireUser(actor);
  const row = ctx.db.read.select().from(users).where(eq(users.id, u.user.id)).get();
  if (!row || !(await verifySecret(current, row.passwordHash))) throw new AppError('login_failed', 'the current password is wrong');
  if (current === next) throw new AppError('weak_password', 'the new password must differ from the current one');
  if (next.toLowerCase().includes(row.username.toLowerCase())) throw new AppError('weak_password', 'the password must not contain the username');
  const hash = await hashSecret(next, ctx.config.scryptN);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    tx.update(users).set({ passwordHash: hash, mustChangePassword: false, passwordChangedAt: now.toISOString() }).where(eq(users.id, row.id)).run();
    // Other sessions end; this one stays.
    tx.update(sessions)
      .set({ revokedAt: now.toISOString() })
      .where(and(eq(sessions.userId, row.id), isNull(sessions.revokedAt), ne(sessions.id, u.sessionId)))
      .run();
    audit.record(tx, actor, now, { action: 'user.password_changed', entityType: 'user', entityId: row.id });
  });
}

export function me(actor: Actor | null): Me {
  const u = requireUser(actor);
  return { ...u.user };
}

// ───────────── user management (admin / city) ─────────────

export interface CreateUserInput {
  username: string;
  displayName: string;
  role: Role;
  scopeAreaCode: string | null;
  canteenIds: string[];
  canSeeIdNumbers: boolean;
  initialPassword: string;
}

export async function createUser(ctx: Ctx, actor: Actor | null, input: CreateUserInput, mustChange = true) {
  const now = ctx.clock.now();
  if (input.role === 'operator' && input.canteenIds.length === 0) throw new AppError('bad_request', 'an operator needs at least one canteen');
  if (['street', 'district', 'city'].includes(input.role) && !input.scopeAreaCode) throw new AppError('bad_request', 'area staff need a scope area');
  const hash = await hashSecret(input.initialPassword, ctx.config.scryptN);
  const id = uuidv7();
  await ctx.db.write((tx) => {
    const exists = tx.select({ id: users.id }).from(users).where(eq(users.username, input.username)).get();
    if (exists) throw new AppError('conflict', 'that username is taken', 409, { field: 'username' });
    tx.insert(users)
      .values({
        id,
        username: input.username,
        displayName: input.displayName,
        passwordHash: hash,
        role: input.role,
        scopeAreaCode: input.scopeAreaCode,
        canSeeIdNumbers: input.canSeeIdNumbers,
        mustChangePassword: mustChange,
        createdAt: now.toISOString(),
      })
      .run();
    for (const c of input.canteenIds) tx.insert(userCanteens).values({ userId: id, canteenId: c }).run();
    audit.record(tx, actor, now, { action: 'user.created', entityType: 'user', entityId: id, details: { username: input.username, role: input.role } });
  });
  return id;
}
