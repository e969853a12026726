import { and, eq, isNull } from 'drizzle-orm';
import { AppError } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { CreateUserRequest, UserSummary } from '@yishi/shared/schemas';
import type { Ctx } from '../../lib/context';
import { areaContains, requireRole, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import { canteens, sessions, userCanteens, users } from '../../db/schema';
import { createUser } from './auth.service';

type Summary = z.infer<typeof UserSummary>;

function summaries(ctx: Ctx, rows: (typeof users.$inferSelect)[]): Summary[] {
  const links = ctx.db.read.select().from(userCanteens).all();
  return rows.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    scopeAreaCode: u.scopeAreaCode,
    canteenIds: links.filter((l) => l.userId === u.id).map((l) => l.canteenId),
    disabled: u.disabled,
    lockedUntil: u.lockedUntil,
    mustChangePassword: u.mustChangePassword,
  }));
}

/** City staff manage users inside the city scope; admins manage everyone. */
function manages(actor: Actor | null, target: { role: string; scopeAreaCode: string | null }): boolean {
  const a = requireRole(actor, ['admin', 'city']);
  if (a.user.role === 'admin') return true;
  if (target.role === 'admin') return false;
  return target.scopeAreaCode === null || (a.user.scopeAreaCode !== null && areaContains(a.user.scopeAreaCode, target.scopeAreaCode));
}

export function listUsers(ctx: Ctx, actor: Actor | null): Summary[] {
  requireRole(actor, ['admin', 'city']);
  const rows = ctx.db.read
    .select()
    .from(users)
    .all()
    .filter((u) => manages(actor, u));
  return summaries(ctx, rows);
}

export async function createUserChecked(ctx: Ctx, actor: Actor | null, input: z.infer<typeof CreateUserRequest>): Promise<Summary> {
  if (!manages(actor, input)) throw new AppError('forbidden', 'you cannot create a user with that role or scope');
  // Nobody hands out a permission they do not hold (else a city account could mint one that sees full ID numbers).
  const creator = requireRole(actor, ['admin', 'city']);
  if (input.canSeeIdNumbers && !creator.user.canSeeIdNumbers) throw new AppError('forbidden', 'you cannot grant the right to see full ID numbers');
  for (const id of input.canteenIds) {
    const c = ctx.db.read.select({ id: canteens.id }).from(canteens).where(eq(canteens.id, id)).get();
    if (!c) throw new AppError('bad_request', `no such canteen: ${id}`, 400, { field: 'canteenIds' });
  }
  const id = await createUser(ctx, actor, input, true);
  return summaries(ctx, [ctx.db.read.select().from(users).where(eq(users.id, id)).get()!])[0]!;
}

export async function setUserFlag(ctx: Ctx, actor: Actor | null, id: string, action: 'disable' | 'enable' | 'unlock'): Promise<Summary> {
  const target = ctx.db.read.select().from(users).where(eq(users.id, id)).get();
  if (!target || !manages(actor, target)) throw new AppError('not_found', 'no such user');
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    if (action === 'disable') {
      tx.update(users).set({ disabled: true }).where(eq(users.id, id)).run();
      // Disabling ends every session at once.
      tx.update(sessions)
        .set({ revokedAt: now.toISOString() })
        .where(and(eq(sessions.userId, id), isNull(sessions.revokedAt)))
        .run();
    } else if (action === 'enable') {
      tx.update(users).set({ disabled: false }).where(eq(users.id, id)).run();
    } else {
      tx.update(users).set({ lockedUntil: null, failedLogins: 0 }).where(eq(users.id, id)).run();
    }
    audit.record(tx, actor, now, { action: `user.${action}`, entityType: 'user', entityId: id });
  });
  return summaries(ctx, [ctx.db.read.select().from(users).where(eq(users.id, id)).get()!])[0]!;
}
