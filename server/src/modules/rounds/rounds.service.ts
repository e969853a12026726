/**
 * Couriers' rounds: a canteen's deliveries of a day as route lists per courier, assigning couriers, sending a
 * meal out and recording it delivered or failed (with who and when), and the alert for a resident who lives alone
 * and was not reached. It owns no table: deliveries keeps the rounds, orders moves the order on with them (out →
 * ready, delivered → completed), in one transaction. Above both, so neither reaches the other.
 */
import type { z } from 'zod';
import {
  AppError,
  type AckAlertRequest,
  type AssignCourierRequest,
  type Delivery,
  type DeliveryAlert,
  type DeliveryDoneRequest,
  type DeliveryExportQuery,
  type DeliveryListQuery,
  type DeliveryRoutes,
} from '@yishi/shared/schemas';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { actorId, assertOperates, canSeeCanteen, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import * as deliveries from '../deliveries/deliveries.service';
import * as orders from '../orders/orders.service';
import * as sites from '../sites/sites.service';

function view(db: Reader | Tx, rows: deliveries.DeliveryRow[]): Delivery[] {
  return deliveries.toDeliveries(
    db,
    rows,
    orders.statesOf(
      db,
      rows.map((r) => r.orderId),
    ),
  );
}

/** One page of a canteen's deliveries of a day (filters on the server). */
export function list(ctx: Ctx, actor: Actor, canteenId: string, q: z.infer<typeof DeliveryListQuery>): { items: Delivery[]; total: number } {
  const db = ctx.db.read;
  sites.requireVisibleCanteen(db, actor, canteenId);
  const { items, total } = deliveries.dayDeliveries(
    db,
    { canteenId, serviceDate: q.date, mealPeriod: q.mealPeriod, state: q.state, courier: q.courier },
    q.limit,
    q.offset,
  );
  return { items: view(db, items), total };
}

/** The day's route lists: one per courier (and one for deliveries nobody has taken yet), stops in route order. */
export function routes(ctx: Ctx, actor: Actor, canteenId: string, serviceDate: string): DeliveryRoutes {
  const db = ctx.db.read;
  sites.requireVisibleCanteen(db, actor, canteenId);
  const all: Delivery[] = [];
  // A day's deliveries are a few hundred at most; read them in pages all the same.
  for (let offset = 0; ; offset += 500) {
    const page = deliveries.dayDeliveries(db, { canteenId, serviceDate }, 500, offset);
    all.push(...view(db, page.items));
    if (page.items.length < 500) break;
  }
  const live = all.filter((d) => d.state !== 'cancelled');
  const byCourier = new Map<string | null, Delivery[]>();
  for (const d of live) byCourier.set(d.courier, [...(byCourier.get(d.courier) ?? []), d]);
  const routesOut = [...byCourier.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b, 'zh-CN')))
    .map(([courier, stops]) => ({
      courier,
      stops: stops.sort((a, b) => (courier !== null && a.stopOrder !== null && b.stopOrder !== null ? a.stopOrder - b.stopOrder : deliveries.routeOrder(a, b))),
    }));
  return { serviceDate, total: live.length, routes: routesOut, couriers: deliveries.couriersOf(db, canteenId) };
}

/**
 * `GET /canteens/:id/deliveries/export`: the day's deliveries as the route lists show them (courier by courier,
 * stops in route order, the ones nobody has taken last), filtered by meal and state. Names and addresses leave
 * the system in a file, so the export is audited as the residents list's is.
 */
export async function exportDay(
  ctx: Ctx,
  actor: Actor,
  canteenId: string,
  q: z.infer<typeof DeliveryExportQuery>,
): Promise<{ canteen: sites.CanteenRow; rows: Delivery[] }> {
  const canteen = sites.requireVisibleCanteen(ctx.db.read, actor, canteenId);
  const day = routes(ctx, actor, canteenId, q.date);
  const rows = day.routes.flatMap((r) => r.stops).filter((d) => (!q.mealPeriod || d.mealPeriod === q.mealPeriod) && (!q.state || d.state === q.state));
  const now = ctx.clock.now();
  await ctx.db.write((tx) =>
    audit.record(tx, actor, now, {
      action: 'deliveries.exported',
      entityType: 'canteen',
      entityId: canteenId,
      details: { format: q.format, date: q.date, mealPeriod: q.mealPeriod ?? null, state: q.state ?? null, rows: rows.length },
    }),
  );
  return { canteen, rows };
}

export async function assign(ctx: Ctx, actor: Actor, canteenId: string, body: z.infer<typeof AssignCourierRequest>): Promise<Delivery[]> {
  const canteen = sites.requireVisibleCanteen(ctx.db.read, actor, canteenId);
  assertOperates(actor, canteen);
  const first = deliveries.deliveryById(ctx.db.read, body.deliveryIds[0]!);
  if (!first || first.canteenId !== canteenId) throw new AppError('not_found', 'no such delivery');
  const now = ctx.clock.now();
  const rows = await ctx.db.write((tx) => {
    deliveries.assign(tx, { canteenId, serviceDate: first.serviceDate, ids: body.deliveryIds, courier: body.courier, by: actorId(actor) });
    audit.record(tx, actor, now, {
      action: 'delivery.assigned',
      entityType: 'canteen',
      entityId: canteenId,
      details: { courier: body.courier, deliveryIds: body.deliveryIds, serviceDate: first.serviceDate },
    });
    return view(tx, deliveries.deliveriesByIds(tx, body.deliveryIds));
  });
  for (const d of rows) ctx.bus.publish({ type: 'delivery.updated', canteenId, delivery: d });
  return rows;
}

function requireOperated(ctx: Ctx, actor: Actor, id: string): { row: deliveries.DeliveryRow; canteen: sites.CanteenRow } {
  const row = deliveries.deliveryById(ctx.db.read, id);
  const canteen = row ? sites.canteenById(ctx.db.read, row.canteenId) : undefined;
  if (!row || !canteen || !canSeeCanteen(actor, canteen)) throw new AppError('not_found', 'no such delivery');
  assertOperates(actor, canteen);
  return { row, canteen };
}

async function step(
  ctx: Ctx,
  actor: Actor,
  id: string,
  fn: (
    tx: Tx,
    nowIso: string,
  ) => { row: deliveries.DeliveryRow; action: string; details: Record<string, unknown>; orderStep: 'out' | 'delivered' | null; alert?: boolean },
): Promise<Delivery> {
  const { canteen } = requireOperated(ctx, actor, id);
  const now = ctx.clock.now();
  const out = await ctx.db.write((tx) => {
    const r = fn(tx, now.toISOString());
    const order = r.orderStep ? orders.moveWithDelivery(tx, r.row.orderId, r.orderStep, now.toISOString()) : null;
    audit.record(tx, actor, now, { action: r.action, entityType: 'delivery', entityId: id, details: { orderId: r.row.orderId, ...r.details } });
    const [d] = view(tx, [r.row]);
    return { delivery: d!, order: order ? orders.ordersView(tx, [order])[0]! : null, alert: r.alert ?? false };
  });
  ctx.bus.publish({ type: 'delivery.updated', canteenId: canteen.id, delivery: out.delivery });
  if (out.order) ctx.bus.publish({ type: 'order.updated', canteenId: canteen.id, order: out.order });
  if (out.alert) {
    const row = deliveries.deliveryById(ctx.db.read, id)!;
    ctx.bus.publish({ type: 'delivery.alert', canteenId: canteen.id, alert: deliveries.toAlert(row, canteen.shortName, out.delivery.residentName) });
  }
  return out.delivery;
}

export function markOut(ctx: Ctx, actor: Actor, id: string): Promise<Delivery> {
  return step(ctx, actor, id, (tx, at) => {
    const row = deliveries.markOut(tx, id, actorId(actor), at);
    return { row, action: 'delivery.out', details: { courier: row.courier }, orderStep: 'out' };
  });
}

export function markDone(ctx: Ctx, actor: Actor, id: string, body: z.infer<typeof DeliveryDoneRequest>): Promise<Delivery> {
  return step(ctx, actor, id, (tx, at) => {
    const { row, alert } = deliveries.markDone(tx, id, { outcome: body.outcome, reason: body.reason, by: actorId(actor), at });
    return {
      row,
      action: `delivery.${body.outcome}`,
      details: { courier: row.courier, reason: body.reason, livesAloneAlert: alert },
      orderStep: body.outcome === 'delivered' ? 'delivered' : null,
      alert,
    };
  });
}

/** Unacknowledged alerts at the canteens the caller sees: the console shows them on every page. */
export function alerts(ctx: Ctx, actor: Actor): DeliveryAlert[] {
  const db = ctx.db.read;
  const canteens = sites.visibleCanteens(db, actor);
  const names = new Map(canteens.map((c) => [c.id, c.shortName]));
  const rows = deliveries.openAlerts(
    db,
    canteens.map((c) => c.id),
  );
  const people = view(db, rows);
  return rows.map((r, i) => deliveries.toAlert(r, names.get(r.canteenId) ?? '', people[i]!.residentName));
}

export async function acknowledge(ctx: Ctx, actor: Actor, id: string, body: z.infer<typeof AckAlertRequest>): Promise<Delivery> {
  const { canteen } = requireOperated(ctx, actor, id);
  const now = ctx.clock.now();
  const d = await ctx.db.write((tx) => {
    const row = deliveries.acknowledgeAlert(tx, id, { by: actorId(actor), at: now.toISOString(), note: body.note });
    audit.record(tx, actor, now, { action: 'delivery.alert_acknowledged', entityType: 'delivery', entityId: id, details: { note: body.note } });
    return view(tx, [row])[0]!;
  });
  ctx.bus.publish({ type: 'delivery.alert_acknowledged', canteenId: canteen.id, deliveryId: id });
  return d;
}
