/** Who is calling, and the scope rules every service checks before it reads or writes. */
import { ROLE_GROUPS, type Role } from '@yishi/shared';
import { AppError } from '@yishi/shared/schemas';

export interface UserActor {
  kind: 'user';
  sessionId: string;
  user: {
    id: string;
    username: string;
    displayName: string;
    role: Role;
    scopeAreaCode: string | null;
    canteenIds: string[];
    canSeeIdNumbers: boolean;
    mustChangePassword: boolean;
  };
}

export interface DeviceActor {
  kind: 'device';
  deviceId: string;
  canteenId: string;
}

export type Actor = UserActor | DeviceActor;

/** The minimum a scope check needs to know about a canteen. */
export interface CanteenScope {
  id: string;
  areaCode: string;
}

export function isUser(actor: Actor | null): actor is UserActor {
  return actor?.kind === 'user';
}

export function requireUser(actor: Actor | null): UserActor {
  if (!actor || actor.kind !== 'user') throw new AppError('forbidden', 'a console user is required');
  return actor;
}

/** Whether a role belongs to a group of ROLE_GROUPS. */
export function roleIn(role: Role, group: readonly Role[]): boolean {
  return group.includes(role);
}

export function requireRole(actor: Actor | null, roles: readonly Role[]): UserActor {
  const u = requireUser(actor);
  if (!roles.includes(u.user.role)) throw new AppError('forbidden', `this needs one of the roles: ${roles.join(', ')}`);
  return u;
}

/** Area codes nest by prefix: 4401 ⊃ 440106 ⊃ 440106001 ⊃ 440106001001. */
export function areaContains(scope: string, code: string): boolean {
  return code.startsWith(scope);
}

export function canSeeCanteen(actor: Actor, canteen: CanteenScope): boolean {
  if (actor.kind === 'device') return actor.canteenId === canteen.id;
  const u = actor.user;
  switch (u.role) {
    case 'admin':
      return true;
    case 'operator':
      return u.canteenIds.includes(canteen.id);
    default:
      return u.scopeAreaCode !== null && areaContains(u.scopeAreaCode, canteen.areaCode);
  }
}

/** Throws not_found (not forbidden) so ids of other canteens are not confirmed to exist. */
export function assertCanteen(actor: Actor, canteen: CanteenScope | undefined | null): asserts canteen is CanteenScope {
  if (!canteen || !canSeeCanteen(actor, canteen)) throw new AppError('not_found', 'no such canteen');
}

/** Operators change their own canteens; devices only order at theirs. Area staff read, not run, a canteen. */
export function assertOperates(actor: Actor, canteen: CanteenScope | undefined | null): asserts canteen is CanteenScope {
  assertCanteen(actor, canteen);
  if (actor.kind === 'user' && !roleIn(actor.user.role, ROLE_GROUPS.canteenStaff)) {
    throw new AppError('forbidden', 'only the canteen operator can do this');
  }
}

export interface ResidentScope {
  homeCanteenId: string | null;
  residenceAreaCode: string;
}

export function canSeeResident(actor: Actor, r: ResidentScope): boolean {
  if (actor.kind === 'device') return false;
  const u = actor.user;
  if (u.role === 'admin') return true;
  if (u.role === 'operator') return r.homeCanteenId !== null && u.canteenIds.includes(r.homeCanteenId);
  return u.scopeAreaCode !== null && areaContains(u.scopeAreaCode, r.residenceAreaCode);
}

/** The id recorded as "who did it": the user's id, or the kiosk's device id. */
export function actorId(actor: Actor): string {
  return actor.kind === 'user' ? actor.user.id : actor.deviceId;
}
