/**
 * Who may listen to which canteens' live events, and whether the credential a socket was opened with still
 * holds (a logout, a disabled user or a revoked kiosk closes it).
 */
import type { DeviceLiveEvent, LiveEvent } from '@yishi/shared/schemas';
import type { Ctx } from '../../lib/context';
import { socketClosed, socketOpened } from '../../lib/presence';
import { canSeeCanteen, type Actor } from '../../lib/actor';
import * as auth from '../auth/auth.service';
import * as kiosk from '../kiosk/kiosk.service';
import * as orders from '../orders/orders.service';
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
 * What a kiosk may hear of each event, decided per event type (a new type must say here what kiosks get, or
 * TypeScript refuses the build): pickup numbers, states and stock; never a name, an address, a phone, an amount,
 * a category or a staff note. Null: the event is not for kiosks.
 */
const NONE = (): null => null;
const FOR_DEVICE: { [T in LiveEvent['type']]: (e: Extract<LiveEvent, { type: T }>, deviceId: string) => DeviceLiveEvent | null } = {
  hello: (e) => e,
  'menu.changed': (e) => ({ type: e.type, canteenId: e.canteenId, serviceDate: e.serviceDate, mealPeriod: e.mealPeriod }),
  'stock.changed': (e) => ({
    type: e.type,
    canteenId: e.canteenId,
    serviceDate: e.serviceDate,
    mealPeriod: e.mealPeriod,
    dishId: e.dishId,
    remaining: e.remaining,
    soldOut: e.soldOut,
  }),
  'order.created': (e) => ({ type: e.type, canteenId: e.canteenId, order: orders.pickupStatus(e.order) }),
  'order.updated': (e) => ({ type: e.type, canteenId: e.canteenId, order: orders.pickupStatus(e.order) }),
  // A kiosk hears its own call for help (the call reached the console), not the other kiosks'.
  'help.requested': (e, deviceId) => (e.deviceId === deviceId ? { ...e } : null),
  // Only the kiosk that called hears that staff acknowledged it.
  'help.acknowledged': (e, deviceId) =>
    e.deviceId === deviceId ? { type: e.type, canteenId: e.canteenId, deviceId: e.deviceId, requestId: e.requestId, at: e.at } : null,
  // Couriers' rounds, lives-alone alerts and the daily close are staff business: kiosks hear none of it.
  'delivery.updated': NONE,
  'delivery.alert': NONE,
  'delivery.alert_acknowledged': NONE,
  'day.closed': NONE,
  // Refused offline orders are settled by staff; the kiosk already showed the elder what it could.
  'order.refused': NONE,
  'order.refusal_handled': NONE,
};

/**
 * An event as this recipient may receive it, filtered when it is sent to each socket: console staff get the
 * event (they may see the names of their canteens' residents); a kiosk gets its device form, or nothing.
 */
export function eventFor(actor: Actor, e: LiveEvent): LiveEvent | DeviceLiveEvent | null {
  if (actor.kind === 'user') return e;
  const map = FOR_DEVICE[e.type] as (e: LiveEvent, deviceId: string) => DeviceLiveEvent | null;
  return map(e, actor.deviceId);
}

/** The event types kiosks may receive in some form (the security suite checks each one). */
export const DEVICE_EVENT_TYPES = (Object.keys(FOR_DEVICE) as LiveEvent['type'][]).filter((t) => FOR_DEVICE[t] !== NONE);

/** A kiosk's socket opened or closed (the console shows a kiosk with an open socket as online). */
export function opened(ctx: Ctx, actor: Actor): void {
  if (actor.kind === 'device') socketOpened(ctx, actor.deviceId);
}
export function closed(ctx: Ctx, actor: Actor): void {
  if (actor.kind === 'device') socketClosed(ctx, actor.deviceId);
}
