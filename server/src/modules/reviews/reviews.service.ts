/**
 * 离线订单复核: orders that reached the server late (made on a kiosk offline, or sent from its outbox after the
 * quote ran out) and were flagged because the server's price differed from what the kiosk showed (a subsidy used
 * elsewhere meanwhile, a dish sold out, eligibility ended …). Canteen staff and street/district/city reviewers see
 * those of their scope with both figures, and settle each once: accepted as served (its figures stand), or, by a
 * reviewer, its subsidy disallowed from every claim that counts it (the claims service does that). Each settlement
 * is audited. Beside them, 被拒收: orders a kiosk priced offline that the server refused on arrival (nothing was
 * stored as an order, but the elder ate and may have paid at the counter); canteen staff mark each handled. The
 * reviews and the refusals belong to the orders module; this module owns no table.
 */
import { maskName, orderRef, ROLE_GROUPS } from '@yishi/shared';
import { AppError, type LateReview, type LateReviewPage, type RefusedOrder, type RefusedOrderPage } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { LateReviewQuery, RefusedOrderQuery } from '@yishi/shared/schemas';
import type { Ctx } from '../../lib/context';
import { actorId, canSeeCanteen, canSeeResident, requireRole, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import * as claims from '../claims/claims.service';
import * as kiosk from '../kiosk/kiosk.service';
import * as menus from '../menus/menus.service';
import * as orders from '../orders/orders.service';
import * as residents from '../residents/residents.service';
import * as sites from '../sites/sites.service';

/** Who sees the page and accepts: canteen staff and every reviewer (in their scope). */
const READERS = [...new Set([...ROLE_GROUPS.canteenStaff, ...ROLE_GROUPS.reviewers])];

function view(ctx: Ctx, actor: Actor, e: orders.LateReviewEntry): LateReview {
  const db = ctx.db.read;
  const resident = e.residentId ? residents.residentById(db, e.residentId) : undefined;
  return {
    orderId: e.orderId,
    canteenId: e.canteenId,
    canteenName: sites.canteenById(db, e.canteenId)?.shortName ?? '',
    residentId: e.residentId,
    // A resident the caller may not see (one of another street who ate here) is named by the masked name only.
    residentName: resident ? (canSeeResident(actor, resident) ? resident.name : maskName(resident.name)) : null,
    serviceDate: e.serviceDate,
    mealPeriod: e.mealPeriod,
    pickupNumber: e.pickupNumber,
    orderState: e.orderState,
    offline: e.offline,
    reason: e.reason,
    reasons: e.reasons,
    kioskFigure: e.kioskFigure,
    serverFigure: e.serverFigure,
    createdAt: e.createdAt,
    resolution: e.resolution,
    resolutionNote: e.resolutionNote,
    resolvedAt: e.resolvedAt,
    resolvedByName: e.resolvedByName,
  };
}

/** The canteen asked for (not_found outside the caller's scope), or every canteen the caller sees. */
function canteensAsked(ctx: Ctx, actor: Actor, canteenId: string | undefined): string[] {
  if (!canteenId) return sites.visibleCanteens(ctx.db.read, actor).map((c) => c.id);
  const c = sites.canteenById(ctx.db.read, canteenId);
  if (!c || !canSeeCanteen(actor, c)) throw new AppError('not_found', 'no such canteen');
  return [c.id];
}

export function list(ctx: Ctx, actor: Actor, q: z.output<typeof LateReviewQuery>): LateReviewPage {
  requireRole(actor, READERS);
  const db = ctx.db.read;
  const canteenIds = canteensAsked(ctx, actor, q.canteenId);
  const page = orders.lateReviews(db, { from: q.from, to: q.to, canteenIds, status: q.status }, q.limit, q.offset);
  return { items: page.items.map((e) => view(ctx, actor, e)), total: page.total };
}

/** The flagged review of an order the caller may see (not_found otherwise: another canteen's orders are not confirmed). */
function requireReview(ctx: Ctx, actor: Actor, orderId: string): { entry: orders.LateReviewEntry; canteen: sites.CanteenRow } {
  const entry = orders.lateReview(ctx.db.read, orderId);
  const canteen = entry ? sites.canteenById(ctx.db.read, entry.canteenId) : undefined;
  if (!entry || !entry.flagged || !canteen || !canSeeCanteen(actor, canteen)) throw new AppError('not_found', 'no flagged late order with that id');
  return { entry, canteen };
}

function alreadySettled(entry: orders.LateReviewEntry): AppError {
  return new AppError('conflict', 'this order was already settled', 409, { resolution: entry.resolution, resolvedAt: entry.resolvedAt });
}

function one(ctx: Ctx, actor: Actor, orderId: string): LateReview {
  return view(ctx, actor, orders.lateReview(ctx.db.read, orderId)!);
}

/** Accept a flagged late order as served: its figures stand; the review is closed with who and when (audited). */
export async function accept(ctx: Ctx, actor: Actor, orderId: string, note: string): Promise<{ review: LateReview; claims: number; amountFen: number }> {
  const u = requireRole(actor, READERS);
  const { entry, canteen } = requireReview(ctx, actor, orderId);
  if (entry.resolvedAt) throw alreadySettled(entry);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    if (!orders.resolveLateReview(tx, orderId, { resolution: 'accepted', note, by: actorId(actor), byName: u.user.displayName, at: now })) {
      throw alreadySettled(orders.lateReview(tx, orderId)!);
    }
    audit.record(tx, actor, now, {
      action: 'order.review_accepted',
      entityType: 'order',
      entityId: orderId,
      details: { canteenId: canteen.id, reasons: entry.reasons, kiosk: entry.kioskFigure, server: entry.serverFigure, ...(note ? { note } : {}) },
      scope: { canteenId: canteen.id, areaCode: canteen.areaCode },
    });
  });
  return { review: one(ctx, actor, orderId), claims: 0, amountFen: 0 };
}

/**
 * Disallow a flagged late order's subsidy from every claim that counts it (reviewers only: the operator is the one
 * claiming). Nothing is settled when no claim counts a subsidy of it yet (invalid_state: generate the month's
 * claims first, or accept it if nothing is to be taken back).
 */
export async function disallow(ctx: Ctx, actor: Actor, orderId: string, reason: string): Promise<{ review: LateReview; claims: number; amountFen: number }> {
  const u = requireRole(actor, ROLE_GROUPS.reviewers);
  const { entry, canteen } = requireReview(ctx, actor, orderId);
  if (entry.resolvedAt) throw alreadySettled(entry);
  const now = ctx.clock.now();
  const done = await ctx.db.write((tx) => {
    const reached = claims.disallowLateOrder(tx, actor, now, orderId, reason);
    if (reached.claims === 0) {
      throw new AppError('invalid_state', 'no claim counts a subsidy of this order yet: generate the month’s claims first, or accept it as served', 409, {
        serverSubsidyFen: entry.serverFigure.elderSubsidyFen,
      });
    }
    if (!orders.resolveLateReview(tx, orderId, { resolution: 'disallowed', note: reason, by: actorId(actor), byName: u.user.displayName, at: now })) {
      throw alreadySettled(orders.lateReview(tx, orderId)!);
    }
    audit.record(tx, actor, now, {
      action: 'order.review_disallowed',
      entityType: 'order',
      entityId: orderId,
      details: { canteenId: canteen.id, reasons: entry.reasons, kiosk: entry.kioskFigure, server: entry.serverFigure, reason, ...reached },
      scope: { canteenId: canteen.id, areaCode: canteen.areaCode },
    });
    return reached;
  });
  return { review: one(ctx, actor, orderId), ...done };
}

// ───────────── 被拒收: offline orders refused on arrival ─────────────

function refusedView(ctx: Ctx, actor: Actor, r: orders.RefusedOrderRow): RefusedOrder {
  const db = ctx.db.read;
  const resident = r.residentId ? residents.residentById(db, r.residentId) : undefined;
  const names = new Map(
    menus
      .dishesByIds(
        db,
        r.lines.map((l) => l.dishId),
      )
      .map((d) => [d.id, d.name]),
  );
  return {
    orderId: r.orderId,
    ref: orderRef(r.orderId),
    canteenId: r.canteenId,
    canteenName: sites.canteenById(db, r.canteenId)?.shortName ?? '',
    deviceName: r.deviceId ? kiosk.deviceName(db, r.deviceId) : null,
    residentId: r.residentId,
    residentName: resident ? (canSeeResident(actor, resident) ? resident.name : maskName(resident.name)) : null,
    serviceDate: r.serviceDate,
    mealPeriod: r.mealPeriod,
    lines: r.lines.map((l) => ({ dishId: l.dishId, name: names.get(l.dishId) ?? l.dishId, quantity: l.quantity })),
    paymentMethod: r.paymentMethod,
    quotedElderPaysFen: r.quotedElderPaysFen,
    quotedElderSubsidyFen: r.quotedElderSubsidyFen,
    madeAt: r.madeAt,
    receivedAt: r.receivedAt,
    code: r.code,
    message: r.message,
    handledAt: r.handledAt,
    handledByName: r.handledByName,
    handledNote: r.handledNote,
  };
}

export function listRefused(ctx: Ctx, actor: Actor, q: z.output<typeof RefusedOrderQuery>): RefusedOrderPage {
  requireRole(actor, READERS);
  const db = ctx.db.read;
  const canteenIds = canteensAsked(ctx, actor, q.canteenId);
  const page = orders.refusedOrders(db, { from: q.from, to: q.to, canteenIds, status: q.status }, q.limit, q.offset);
  return { items: page.items.map((r) => refusedView(ctx, actor, r)), total: page.total };
}

/** 已处理: the money was settled at the counter and the elder told; once (409 after), audited. */
export async function handleRefused(ctx: Ctx, actor: Actor, orderId: string, note: string): Promise<RefusedOrder> {
  const u = requireRole(actor, READERS);
  const row = orders.refusedOrder(ctx.db.read, orderId);
  const canteen = row ? sites.canteenById(ctx.db.read, row.canteenId) : undefined;
  if (!row || !canteen || !canSeeCanteen(actor, canteen)) throw new AppError('not_found', 'no refused offline order with that id');
  const handledConflict = (r: orders.RefusedOrderRow) =>
    new AppError('conflict', 'this refused order was already handled', 409, { handledAt: r.handledAt, handledByName: r.handledByName });
  if (row.handledAt) throw handledConflict(row);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    if (!orders.markRefusedHandled(tx, orderId, { note, by: actorId(actor), byName: u.user.displayName, at: now })) {
      throw handledConflict(orders.refusedOrder(tx, orderId)!);
    }
    audit.record(tx, actor, now, {
      action: 'order.refusal_handled',
      entityType: 'order',
      entityId: orderId,
      details: { canteenId: canteen.id, code: row.code, quotedElderPaysFen: row.quotedElderPaysFen, ...(note ? { note } : {}) },
      scope: { canteenId: canteen.id, areaCode: canteen.areaCode },
    });
  });
  ctx.bus.publish({ type: 'order.refusal_handled', canteenId: canteen.id, orderId, serviceDate: row.serviceDate });
  return refusedView(ctx, actor, orders.refusedOrder(ctx.db.read, orderId)!);
}
