/**
 * Console accounts, managed by the platform administrator and city staff: list, create (never with more rights
 * than the creator holds), disable, enable, unlock. Every change is audited.
 */
import { AppError, type CreateUserRequest, type UserSummary } from '@yishi/shared/schemas';
import type { z } from 'zod';
import { ROLE_GROUPS, type Role } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../lib/context';
import { areaContains, canSeeCanteen, requireRole, type Actor, type UserActor } from '../../lib/actor';
import { hashSecret } from '../../lib/crypto';
import * as attempts from '../attempts/attempts.service';
import * as audit from '../audit/audit.service';
import * as sites from '../sites/sites.service';
import { loginGuardKey, loginLockedUntil } from './auth.service';
import * as repo from './auth.repo';

type Summary = z.infer<typeof UserSummary>;

function summaries(ctx: Ctx, rows: repo.UserRow[]): Summary[] {
  const canteens = repo.canteenIdsOf(
    ctx.db.read,
    rows.map((u) => u.id),
  );
  return rows.map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    scopeAreaCode: u.scopeAreaCode,
    canteenIds: canteens.get(u.id) ?? [],
    disabled: u.disabled,
    lockedUntil: loginLockedUntil(ctx, u.username),
    mustChangePassword: u.mustChangePassword,
  }));
}

/** City staff manage users inside the city scope; admins manage everyone. */
function manages(actor: Actor | null, target: { role: string; scopeAreaCode: string | null }): boolean {
  const a = requireRole(actor, ROLE_GROUPS.accountManagers);
  if (a.user.role === 'admin') return true;
  if (target.role === 'admin') return false;
  return target.scopeAreaCode === null || (a.user.scopeAreaCode !== null && areaContains(a.user.scopeAreaCode, target.scopeAreaCode));
}

export function listUsers(ctx: Ctx, actor: Actor | null): Summary[] {
  requireRole(actor, ROLE_GROUPS.accountManagers);
  return summaries(
    ctx,
    repo.allUsers(ctx.db.read).filter((u) => manages(actor, u)),
  );
}

async function createUser(ctx: Ctx, actor: Actor | null, input: z.infer<typeof CreateUserRequest>): Promise<string> {
  const now = ctx.clock.now();
  const hash = await hashSecret(input.initialPassword, ctx.config.scryptN);
  const id = uuidv7();
  await ctx.db.write((tx) => {
    if (repo.userByUsername(tx, input.username)) throw new AppError('conflict', 'that username is taken', 409, { field: 'username' });
    repo.insertUser(tx, {
      id,
      username: input.username,
      displayName: input.displayName,
      passwordHash: hash,
      role: input.role,
      scopeAreaCode: input.scopeAreaCode,
      canSeeIdNumbers: input.canSeeIdNumbers,
      mustChangePassword: true,
      createdAt: now.toISOString(),
    });
    repo.insertUserCanteens(
      tx,
      input.canteenIds.map((canteenId) => ({ userId: id, canteenId })),
    );
    audit.record(tx, actor, now, { action: 'user.created', entityType: 'user', entityId: id, details: { username: input.username, role: input.role } });
  });
  return id;
}

/**
 * How far each role reaches: an account manager gives a new account a role at or below its own (the city may
 * create city, district, street and operator accounts; only the administrator creates administrators).
 */
const RANK: Record<Role, number> = { operator: 0, street: 1, district: 2, city: 3, admin: 4 };
/** The level of area an area-scoped role covers: a street account is scoped to a street, and so on. */
const SCOPE_LEVEL = { street: 'street', district: 'district', city: 'city' } as const;

/**
 * Nobody hands out a right they do not hold: the role at or below the creator's, a scope inside the creator's
 * own and of the level the role covers (a `street` account covers one street, never the whole city), canteens
 * the creator can see, and the right to see full ID numbers only from someone who has it.
 */
function checkGrant(ctx: Ctx, creator: UserActor, input: z.infer<typeof CreateUserRequest>) {
  const c = creator.user;
  if (input.role === 'admin' ? c.role !== 'admin' : RANK[input.role] > RANK[c.role])
    throw new AppError('forbidden', `you cannot create a ${input.role} account`, 403, { field: 'role' });
  if (input.canSeeIdNumbers && !c.canSeeIdNumbers)
    throw new AppError('forbidden', 'you cannot grant the right to see full ID numbers', 403, { field: 'canSeeIdNumbers' });
  if (input.role === 'operator' || input.role === 'admin') {
    if (input.scopeAreaCode !== null)
      throw new AppError('bad_request', `a ${input.role} account has no area scope (an operator is scoped by its canteens)`, 400, { field: 'scopeAreaCode' });
    if (input.role === 'admin' && input.canteenIds.length > 0)
      throw new AppError('bad_request', 'an administrator has no canteens', 400, { field: 'canteenIds' });
    if (input.role === 'operator' && input.canteenIds.length === 0)
      throw new AppError('bad_request', 'an operator needs at least one canteen', 400, { field: 'canteenIds' });
    for (const id of input.canteenIds) {
      const canteen = sites.canteenById(ctx.db.read, id);
      if (!canteen) throw new AppError('bad_request', `no such canteen: ${id}`, 400, { field: 'canteenIds' });
      if (!canSeeCanteen(creator, canteen)) throw new AppError('forbidden', `canteen ${id} is outside your scope`, 403, { field: 'canteenIds' });
    }
    return;
  }
  if (input.canteenIds.length > 0) throw new AppError('bad_request', 'area staff are scoped by an area, not canteens', 400, { field: 'canteenIds' });
  if (!input.scopeAreaCode) throw new AppError('bad_request', 'area staff need a scope area', 400, { field: 'scopeAreaCode' });
  const area = sites.areaByCode(ctx.db.read, input.scopeAreaCode);
  if (!area) throw new AppError('bad_request', `no such area: ${input.scopeAreaCode}`, 400, { field: 'scopeAreaCode' });
  const level = SCOPE_LEVEL[input.role];
  if (area.level !== level)
    throw new AppError('bad_request', `a ${input.role} account is scoped to a ${level}, and ${area.code} is a ${area.level}`, 400, { field: 'scopeAreaCode' });
  if (c.role !== 'admin' && !(c.scopeAreaCode !== null && areaContains(c.scopeAreaCode, area.code)))
    throw new AppError('forbidden', 'that area is outside your scope', 403, { field: 'scopeAreaCode' });
}

export async function createUserChecked(ctx: Ctx, actor: Actor | null, input: z.infer<typeof CreateUserRequest>): Promise<Summary> {
  const creator = requireRole(actor, ROLE_GROUPS.accountManagers);
  checkGrant(ctx, creator, input);
  const id = await createUser(ctx, actor, input);
  return summaries(ctx, [repo.userById(ctx.db.read, id)!])[0]!;
}

export async function setUserFlag(ctx: Ctx, actor: Actor | null, id: string, action: 'disable' | 'enable' | 'unlock'): Promise<Summary> {
  const target = repo.userById(ctx.db.read, id);
  if (!target || !manages(actor, target)) throw new AppError('not_found', 'no such user');
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    if (action === 'disable') {
      repo.updateUser(tx, id, { disabled: true });
      // Disabling ends every session at once.
      repo.revokeSessionsOf(tx, id, now.toISOString());
    } else if (action === 'enable') {
      repo.updateUser(tx, id, { disabled: false });
    } else {
      attempts.clear(tx, loginGuardKey(target.username));
    }
    audit.record(tx, actor, now, { action: `user.${action}`, entityType: 'user', entityId: id });
  });
  return summaries(ctx, [repo.userById(ctx.db.read, id)!])[0]!;
}
