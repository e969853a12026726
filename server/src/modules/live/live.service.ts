/**
 * Who may listen to which canteens' live events, and whether the credential a socket was opened with still
 * holds (a logout, a disabled user or a revoked kiosk closes it).
 */
import type { LiveEvent } from '@yishi/shared/schemas';
import type { Ctx } from '../../lib/context';
import { socketClosed, socketOpened } from '../../lib/presence';
import { canSeeCanteen, type Actor } from '../../lib/actor';
import * as auth from '../auth/auth.service';
import * as kiosk from '../kiosk/kiosk.service';
import * as sites from '../sites/sites.service';

/** The canteens a socket hears: the one asked for, or all the caller may see; null when the one asked for is not visible. */
export function canteensFor(ctx: Ctx, actor: Actor, canteenId: string | undefined): Set<string> | null {
  if (canteenId) {
    const c = sites.canteenById(ctx.db.read, canteenId);
    return c && canSeeCanteen(actor, c) ? new Set([c.id]) : null;
  }
  return new Set(sites.visibleCanteens(ctx.db.read, actor).map((c) => c.id));
}

export function stillValid(ctx: Ctx, actor: Actor): boolean {
  return actor.kind === 'device' ? kiosk.deviceStillValid(ctx, actor.deviceId) : auth.sessionStillValid(ctx, actor.sessionId);
}

/**
 * Whether this listener hears an event of a canteen it may see: a call for staff and its acknowledgement go to
 * the canteen's consoles; of the kiosks, only the one that called hears that staff acknowledged it.
 */
export function hears(actor: Actor, e: LiveEvent): boolean {
  if (actor.kind !== 'device') return true;
  if (e.type === 'help.requested') return false;
  if (e.type === 'help.acknowledged') return e.deviceId === actor.deviceId;
  return true;
}

/** A kiosk's socket opened or closed (the console shows a kiosk with an open socket as online). */
export function opened(ctx: Ctx, actor: Actor): void {
  if (actor.kind === 'device') socketOpened(ctx, actor.deviceId);
}
export function closed(ctx: Ctx, actor: Actor): void {
  if (actor.kind === 'device') socketClosed(ctx, actor.deviceId);
}
