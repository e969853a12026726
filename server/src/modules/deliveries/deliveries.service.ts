/**
 * Meals taken to an elder's home: one delivery per delivery order, with the address and the care level at the
 * time of ordering (the delivery subsidy rests on it), and its round: the courier, the stop order, out and back
 * with times and who, and the alert when a resident who lives alone was not reached. Created in the order's own
 * transaction. Only this module reads or writes the deliveries table; the courier's rounds (module `rounds`)
 * call these functions inside their transactions.
 */
import type { Delivery, DeliveryAlert } from '@yishi/shared/schemas';
import { AppError } from '@yishi/shared/schemas';
import type { DeliveryState, MealPeriod, OrderState } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Reader, Tx } from '../../db/client';
import * as residents from '../residents/residents.service';
import * as sites from '../sites/sites.service';
import * as repo from './deliveries.repo';

export type { DeliveryRow } from './deliveries.repo';

export interface NewDelivery {
  orderId: string;
  canteenId: string;
  residentId: string | null;
  address: string;
  careLevelAtOrder: number;
  serviceDate: string;
  mealPeriod: MealPeriod;
  pickupNumber: number;
  /** What to carry: '白切鸡饭×1，例汤×1'. */
  items: string;
  /** A new order's delivery is pending; the demo history records ones already delivered. */
  state?: DeliveryState;
  dispatchedAt?: string | null;
  deliveredAt?: string | null;
  /** A stable id for replayable loads (the demo seed); a new one otherwise. */
  id?: string;
}

export function createForOrder(tx: Tx, d: NewDelivery): void {
  repo.insertDelivery(tx, {
    id: d.id ?? uuidv7(),
    orderId: d.orderId,
    canteenId: d.canteenId,
    residentId: d.residentId,
    address: d.address,
    state: d.state ?? 'pending',
    careLevelAtOrder: d.careLevelAtOrder,
    courier: null,
    dispatchedAt: d.dispatchedAt ?? null,
    deliveredAt: d.deliveredAt ?? null,
    note: null,
    serviceDate: d.serviceDate,
    mealPeriod: d.mealPeriod,
    pickupNumber: d.pickupNumber,
    items: d.items,
    stopOrder: null,
    assignedBy: null,
    dispatchedBy: null,
    deliveredBy: null,
    failedAt: null,
    failedBy: null,
    failReason: null,
    alertAt: null,
    alertAckAt: null,
    alertAckBy: null,
    alertAckNote: null,
  });
}

/** The order was cancelled or refunded: its delivery will not go out. */
export function cancelForOrder(tx: Tx, orderId: string): void {
  const d = repo.deliveryOfOrder(tx, orderId);
  if (d && (d.state === 'pending' || d.state === 'out')) repo.updateDelivery(tx, d.id, { state: 'cancelled' });
}

export function deliveryById(db: Reader | Tx, id: string): repo.DeliveryRow | undefined {
  return repo.deliveryById(db, id);
}

export function deliveriesByIds(db: Reader | Tx, ids: string[]): repo.DeliveryRow[] {
  return repo.deliveriesByIds(db, ids);
}

export function dayDeliveries(db: Reader | Tx, f: repo.DayFilter, limit: number, offset: number) {
  return repo.dayDeliveries(db, f, limit, offset);
}

export function couriersOf(db: Reader | Tx, canteenId: string): string[] {
  return repo.couriersOf(db, canteenId);
}

export function openAlerts(db: Reader | Tx, canteenIds: string[]): repo.DeliveryRow[] {
  return repo.openAlerts(db, canteenIds);
}

// ───────────── views ─────────────

/** Deliveries as the route list shows them; `orderStates` comes from the orders the caller read. */
export function toDeliveries(db: Reader | Tx, rows: repo.DeliveryRow[], orderStates: Map<string, OrderState>): Delivery[] {
  const homes = residents.homeFactsOf(
    db,
    rows.map((r) => r.residentId).filter((x): x is string => x !== null),
  );
  const names = sites.areaNames(db);
  return rows.map((d) => {
    const h = d.residentId ? homes.get(d.residentId) : undefined;
    const area = h?.residenceAreaCode ?? null;
    // Area codes nest: street 9 digits, community 12 (440106001 ⊂ 440106001001).
    const street = area && area.length >= 9 ? area.slice(0, 9) : null;
    const community = area && area.length >= 12 ? area.slice(0, 12) : null;
    return {
      id: d.id,
      orderId: d.orderId,
      canteenId: d.canteenId,
      serviceDate: d.serviceDate,
      mealPeriod: d.mealPeriod,
      pickupNumber: d.pickupNumber,
      items: d.items,
      residentId: d.residentId,
      residentName: h?.name ?? null,
      phoneLast4: h?.phoneLast4 ?? null,
      livesAlone: h?.livesAlone ?? false,
      address: d.address,
      streetName: street ? (names.get(street) ?? null) : null,
      communityName: community ? (names.get(community) ?? null) : null,
      state: d.state,
      orderState: orderStates.get(d.orderId) ?? 'paid',
      courier: d.courier,
      stopOrder: d.stopOrder,
      careLevelAtOrder: d.careLevelAtOrder,
      dispatchedAt: d.dispatchedAt,
      dispatchedBy: d.dispatchedBy,
      deliveredAt: d.deliveredAt,
      deliveredBy: d.deliveredBy,
      failedAt: d.failedAt,
      failedBy: d.failedBy,
      failReason: d.failReason,
      alertAt: d.alertAt,
      alertAckAt: d.alertAckAt,
    };
  });
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** Stops in a sensible order: by street, then community, then address (numbers in addresses compared as numbers). */
export function routeOrder(a: Delivery, b: Delivery): number {
  return (
    collator.compare(a.streetName ?? '', b.streetName ?? '') ||
    collator.compare(a.communityName ?? '', b.communityName ?? '') ||
    collator.compare(a.address, b.address) ||
    a.pickupNumber - b.pickupNumber
  );
}

export function toAlert(d: repo.DeliveryRow, canteenName: string, residentName: string | null): DeliveryAlert {
  return {
    deliveryId: d.id,
    canteenId: d.canteenId,
    canteenName,
    residentName,
    address: d.address,
    serviceDate: d.serviceDate,
    failReason: d.failReason,
    alertAt: d.alertAt!,
    courier: d.courier,
  };
}

// ───────────── the round ─────────────

/** Give deliveries of one day to a courier, and number the courier's stops again in route order. */
export function assign(tx: Tx, args: { canteenId: string; serviceDate: string; ids: string[]; courier: string; by: string }): void {
  const rows = repo.deliveriesByIds(tx, args.ids);
  for (const d of rows) {
    if (d.canteenId !== args.canteenId || d.serviceDate !== args.serviceDate) throw new AppError('not_found', 'no such delivery', 404, { deliveryId: d.id });
    if (d.state !== 'pending') {
      throw new AppError('invalid_state', `delivery ${d.pickupNumber} is already ${d.state}; only a delivery not yet out can change courier`, 409, {
        deliveryId: d.id,
        state: d.state,
      });
    }
  }
  if (rows.length !== new Set(args.ids).size) throw new AppError('not_found', 'no such delivery');
  const before = new Set(rows.map((d) => d.courier).filter((c): c is string => !!c && c !== args.courier));
  for (const d of rows) repo.updateDelivery(tx, d.id, { courier: args.courier, assignedBy: args.by });
  for (const courier of [args.courier, ...before]) renumber(tx, args.canteenId, args.serviceDate, courier);
}

function renumber(tx: Tx, canteenId: string, serviceDate: string, courier: string): void {
  const stops = toDeliveries(tx, repo.roundOf(tx, canteenId, serviceDate, courier), new Map()).sort(routeOrder);
  stops.forEach((s, i) => repo.updateDelivery(tx, s.id, { stopOrder: i + 1 }));
}

/** The courier takes the meal out. */
export function markOut(tx: Tx, id: string, by: string, at: string): repo.DeliveryRow {
  const d = repo.deliveryById(tx, id)!;
  if (d.state !== 'pending') throw new AppError('invalid_state', `cannot send out a delivery that is ${d.state}`, 409, { state: d.state });
  if (!d.courier) throw new AppError('bad_request', 'assign a courier first', 400, { field: 'courier' });
  repo.updateDelivery(tx, id, { state: 'out', dispatchedAt: at, dispatchedBy: by });
  return repo.deliveryById(tx, id)!;
}

/**
 * The courier is back: delivered, or failed with a reason. A resident who lives alone and was not reached raises
 * an alert for staff (returned as `alert: true`), kept until someone acknowledges it.
 */
export function markDone(
  tx: Tx,
  id: string,
  args: { outcome: 'delivered' | 'failed'; reason: string | null; by: string; at: string },
): { row: repo.DeliveryRow; alert: boolean } {
  const d = repo.deliveryById(tx, id)!;
  if (d.state !== 'out' && d.state !== 'pending')
    throw new AppError('invalid_state', `cannot record the outcome of a delivery that is ${d.state}`, 409, { state: d.state });
  if (args.outcome === 'delivered') {
    repo.updateDelivery(tx, id, { state: 'delivered', deliveredAt: args.at, deliveredBy: args.by, dispatchedAt: d.dispatchedAt ?? args.at });
    return { row: repo.deliveryById(tx, id)!, alert: false };
  }
  if (!args.reason) throw new AppError('bad_request', 'say why the delivery failed', 400, { field: 'reason' });
  const alone = d.residentId ? (residents.homeFactsOf(tx, [d.residentId]).get(d.residentId)?.livesAlone ?? false) : false;
  repo.updateDelivery(tx, id, { state: 'failed', failedAt: args.at, failedBy: args.by, failReason: args.reason, alertAt: alone ? args.at : null });
  return { row: repo.deliveryById(tx, id)!, alert: alone };
}

/** Staff followed up on an alert. */
export function acknowledgeAlert(tx: Tx, id: string, args: { by: string; at: string; note: string }): repo.DeliveryRow {
  const d = repo.deliveryById(tx, id)!;
  if (!d.alertAt) throw new AppError('not_found', 'no alert on this delivery');
  if (d.alertAckAt) return d;
  repo.updateDelivery(tx, id, { alertAckAt: args.at, alertAckBy: args.by, alertAckNote: args.note });
  return repo.deliveryById(tx, id)!;
}
