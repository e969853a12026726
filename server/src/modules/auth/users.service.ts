/**
 * Console accounts, managed by the platform administrator and city staff: list, create (never with more rights
 * than the creator holds), disable, enable, unlock. Every change is audited.
 */
import { AppError, type CreateUserRequest, type UserSummary } from '@yishi/shared/schemas';
import type { z } from 'zod';
import { ROLE_GROUPS } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../lib/context';
import { areaContains, requireRole, roleIn, type Actor } from '../../lib/actor';
import { hashSecret } from '../../lib/crypto';
import * as audit from '../audit/audit.service';
import * as sites from '../sites/sites.service';
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
    lockedUntil: u.lockedUntil,
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
  if (input.role === 'operator' && input.canteenIds.length === 0) throw new AppError('bad_request', 'an operator needs at least one canteen');
  if (roleIn(input.role, ROLE_GROUPS.areaScoped) && !input.scopeAreaCode) throw new AppError('bad_request', 'area staff need a scope area');
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

export async function createUserChecked(ctx: Ctx, actor: Actor | null, input: z.infer<typeof CreateUserRequest>): Promise<Summary> {
  if (!manages(actor, input)) throw new AppError('forbidden', 'you cannot create a user with that role or scope');
  // Nobody hands out a permission they do not hold (else a city account could mint one that sees full ID numbers).
  const creator = requireRole(actor, ROLE_GROUPS.accountManagers);
  if (input.canSeeIdNumbers && !creator.user.canSeeIdNumbers) throw new AppError('forbidden', 'you cannot grant the right to see full ID numbers');
  for (const id of input.canteenIds) {
    if (!sites.canteenById(ctx.db.read, id)) throw new AppError('bad_request', `no such canteen: ${id}`, 400, { field: 'canteenIds' });
  }
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
      repo.updateUser(tx, id, { lockedUntil: null, failedLogins: 0 });
    }
    audit.record(tx, actor, now, { action: `user.${action}`, entityType: 'user', entityId: id });
  });
  return summaries(ctx, [repo.userById(ctx.db.read, id)!])[0]!;
}
