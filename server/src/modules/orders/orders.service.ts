import { AppError, type Order, type Quote, type CreateOrderRequest } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { ConfirmPaymentRequest, OrderListQuery, QuoteRequest } from '@yishi/shared/schemas';
import type { IdentifyMethod, ResidentFacts } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../lib/context';
import { actorId, assertCanteen, assertOperates, canSeeCanteen, canSeeResident, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import { sha256 } from '../../lib/crypto';
import { readTicket } from '../../lib/ticket';
import type { Reader, Tx } from '../../db/client';
import { allCanteens, canteenById, type CanteenRow } from '../sites/sites.repo';
import * as menusRepo from '../menus/menus.repo';
import * as residents from '../residents/residents.service';
import * as wallet from '../wallet/wallet.service';
import { markUsed } from '../policy/policy.repo';
import * as repo from './orders.repo';
import { price, requireOpenSlot, residentFacts, type Priced } from './pricing';

// ───────────── views ─────────────

export function toOrders(db: Reader | Tx, rows: repo.OrderRow[]): Order[] {
  const ids = rows.map((r) => r.id);
  const lines = repo.linesOf(db, ids);
  const subs = repo.subsidiesOf(db, ids);
  const names = residents.namesOf(
    db,
    rows.map((r) => r.residentId).filter((x): x is string => x !== null),
  );
  const after = wallet.balancesAfterPayment(
    db,
    rows.filter((r) => r.paymentMethod === 'wallet' && r.elderPaysFen > 0).map((r) => r.id),
  );
  return rows.map((o) => ({
    id: o.id,
    canteenId: o.canteenId,
    residentId: o.residentId,
    residentName: o.residentId ? (names.get(o.residentId) ?? null) : null,
    serviceDate: o.serviceDate,
    mealPeriod: o.mealPeriod,
    fulfilment: o.fulfilment,
    state: o.state,
    identifyMethod: o.identifyMethod,
    pickupNumber: o.pickupNumber,
    mealPriceFen: o.mealPriceFen,
    elderSubsidyFen: o.elderSubsidyFen,
    elderPaysFen: o.elderPaysFen,
    operatorSubsidyFen: o.operatorSubsidyFen,
    paymentMethod: o.paymentMethod,
    lines: lines
      .filter((l) => l.orderId === o.id)
      .map((l) => ({
        dishId: l.dishId,
        name: l.dishName,
        unitPriceFen: l.unitPriceFen,
        quantity: l.quantity,
        lineTotalFen: l.lineTotalFen,
        elderSubsidyFen: l.elderSubsidyFen,
      })),
    subsidies: subs
      .filter((s) => s.orderId === o.id)
      .map((s) => ({
        layerKey: s.layerKey,
        layerId: s.layerId,
        layerName: s.layerName,
        policyVersionId: s.policyVersionId,
        level: s.level,
        payer: s.payer,
        kind: s.kind,
        amountFen: s.amountFen,
        reason: s.reason,
      })),
    policyVersionIds: o.policyVersionIds,
    balanceAfterFen: after.get(o.id) ?? null,
    deliveryAddress: o.deliveryAddress,
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    readyAt: o.readyAt,
    completedAt: o.completedAt,
  }));
}

function toOrder(db: Reader | Tx, row: repo.OrderRow): Order {
  return toOrders(db, [row])[0]!;
}

// ───────────── who is ordering ─────────────

interface Party {
  canteen: CanteenRow;
  residentId: string | null;
  method: IdentifyMethod;
}

/** Work out the canteen and the resident from the caller: a kiosk (ticket) or console staff (resident id). */
function party(
  ctx: Ctx,
  actor: Actor,
  body: { canteenId?: string; residentId?: string | null; residentTicket?: string | null },
  method?: IdentifyMethod,
): Party {
  const now = ctx.clock.now();
  if (actor.kind === 'device') {
    if (body.residentId) throw new AppError('forbidden', 'a kiosk identifies residents with a ticket from /kiosk/identify, not an id');
    if (body.canteenId && body.canteenId !== actor.canteenId) throw new AppError('not_found', 'no such canteen');
    const canteen = canteenById(ctx.db.read, actor.canteenId)!;
    if (body.residentTicket) {
      const t = readTicket(ctx.crypto, body.residentTicket, actor.deviceId, now);
      return { canteen, residentId: t.residentId, method: t.method };
    }
    if (method && method !== 'guest') throw new AppError('bad_request', 'identify the resident first, or order as a guest', 400, { field: 'identifyMethod' });
    return { canteen, residentId: null, method: 'guest' };
  }
  if (body.residentTicket) throw new AppError('bad_request', 'resident tickets are for kiosks', 400, { field: 'residentTicket' });
  if (!body.canteenId) throw new AppError('bad_request', 'canteenId is required', 400, { field: 'canteenId' });
  const canteen = canteenById(ctx.db.read, body.canteenId);
  assertCanteen(actor, canteen);
  if (body.residentId) {
    const r = residents.residentById(ctx.db.read, body.residentId);
    // A resident id typed by staff must be one of their residents: ids are guessable, and an order by id
    // can spend the resident's wallet and a quote shows the balance. A visiting resident identifies at the
    // kiosk (card or phone + PIN), which gives a ticket.
    if (!r || !canSeeResident(actor, r)) throw new AppError('resident_not_found', 'no such resident');
    return { canteen: canteen!, residentId: r.id, method: method && method !== 'guest' ? method : 'staff' };
  }
  return { canteen: canteen!, residentId: null, method: 'guest' };
}

function activeResident(
  ctx: Ctx,
  db: Reader | Tx,
  residentId: string | null,
): { facts: ResidentFacts | null; row: ReturnType<typeof residentFacts>['row'] | null } {
  if (!residentId) return { facts: null, row: null };
  const { facts, row } = residentFacts(db, residentId);
  return { facts, row };
}

export function toQuote(
  db: Reader | Tx,
  p: Priced,
  canteenId: string,
  residentId: string | null,
  fulfilment: 'dine_in' | 'delivery',
  lines: { dishId: string; quantity: number }[],
): Quote {
  const ev = p.evaluation;
  const balance = residentId ? wallet.balanceOf(db, residentId) : null;
  return {
    canteenId,
    residentId,
    serviceDate: p.slot.serviceDate,
    mealPeriod: p.slot.mealPeriod,
    fulfilment,
    mealPriceFen: ev.mealPriceFen,
    elderSubsidyFen: ev.elderSubsidyFen,
    elderPaysFen: ev.elderPaysFen,
    operatorSubsidyFen: ev.operatorSubsidyFen,
    lines: ev.lineShares.map((s, i) => {
      const d = p.dishes.get(s.dishId)!;
      const qty = lines[i]!.quantity;
      return { dishId: s.dishId, name: d.name, unitPriceFen: d.priceFen, quantity: qty, lineTotalFen: d.priceFen * qty, elderSubsidyFen: s.elderSubsidyFen };
    }),
    subsidies: ev.layers.map((l) => ({
      layerKey: l.layerKey,
      layerId: l.layerId,
      layerName: l.layerName,
      policyVersionId: l.versionId,
      level: l.level,
      payer: l.payer,
      kind: l.kind,
      amountFen: l.amountFen,
      reason: l.reason,
    })),
    balanceFen: balance,
    balanceAfterFen: balance === null ? null : balance - ev.elderPaysFen,
    policyVersionIds: p.policyVersionIds,
  };
}

// ───────────── quote ─────────────

export function quote(ctx: Ctx, actor: Actor, body: z.infer<typeof QuoteRequest>): Quote {
  const pt = party(ctx, actor, body);
  const slot = requireOpenSlot(ctx.db.read, pt.canteen, ctx.clock.now());
  const { facts, row } = activeResident(ctx, ctx.db.read, pt.residentId);
  checkFulfilment(pt.canteen, row, body.fulfilment, null);
  const p = price(ctx.db.read, { canteen: pt.canteen, slot, resident: facts, lines: body.lines, fulfilment: body.fulfilment });
  return toQuote(ctx.db.read, p, pt.canteen.id, pt.residentId, body.fulfilment, body.lines);
}

function checkFulfilment(
  canteen: CanteenRow,
  resident: { address: string | null } | null,
  fulfilment: 'dine_in' | 'delivery',
  address: string | null | undefined,
) {
  if (fulfilment === 'delivery') {
    if (!canteen.delivery) throw new AppError('delivery_not_offered', 'this canteen does not deliver');
    if (!resident) throw new AppError('delivery_not_offered', 'delivery is for registered residents');
    if (address === null && !resident.address) throw new AppError('bad_request', 'a delivery address is needed', 400, { field: 'deliveryAddress' });
  } else if (!canteen.dineIn) {
    throw new AppError('bad_request', 'this canteen only delivers', 400, { field: 'fulfilment' });
  }
}

// ───────────── create ─────────────

function requestHash(body: CreateOrderRequest): string {
  const { id: _id, ...rest } = body;
  return sha256(JSON.stringify(rest));
}

export async function createOrder(ctx: Ctx, actor: Actor, body: CreateOrderRequest): Promise<{ order: Order; created: boolean }> {
  const hash = requestHash(body);
  // A retry of an order we already have: answer with the first result, whatever the clock says now.
  const existing = repo.orderById(ctx.db.read, body.id);
  if (existing) return { order: replay(ctx, actor, existing, hash), created: false };

  const pt = party(ctx, actor, body, body.identifyMethod);
  if (actor.kind === 'user') assertOperates(actor, pt.canteen);
  if (pt.residentId === null && body.paymentMethod === 'wallet')
    throw new AppError('bad_request', 'a guest has no wallet; pay at the counter', 400, { field: 'paymentMethod' });
  if (body.paymentMethod === 'external' && !body.externalReference && actor.kind === 'device') {
    throw new AppError('bad_request', 'an external payment needs the reference staff entered', 400, { field: 'externalReference' });
  }
  const now = ctx.clock.now();
  const nowIso = now.toISOString();

  const result = await ctx.db.write((tx) => {
    const again = repo.orderById(tx, body.id);
    if (again) return { row: again, created: false };
    const canteen = canteenById(tx, pt.canteen.id)!;
    const slot = requireOpenSlot(tx, canteen, now);
    const { facts, row: resident } = activeResident(ctx, tx, pt.residentId);
    checkFulfilment(canteen, resident, body.fulfilment, body.deliveryAddress);
    const p = price(tx, { canteen, slot, resident: facts, lines: body.lines, fulfilment: body.fulfilment });
    const ev = p.evaluation;

    for (const l of body.lines) {
      if (!menusRepo.takePortions(tx, p.menu.id, l.dishId, l.quantity)) {
        throw new AppError('sold_out', `${p.dishes.get(l.dishId)?.name ?? l.dishId} is sold out`, 409, { dishId: l.dishId });
      }
    }

    const paidNow = ev.elderPaysFen === 0 || body.paymentMethod === 'wallet' || (body.paymentMethod === 'external' && !!body.externalReference);
    const pickupNumber = repo.nextPickupNumber(tx, canteen.id, slot.serviceDate, slot.mealPeriod);
    try {
      repo.insertOrder(tx, {
        id: body.id,
        canteenId: canteen.id,
        residentId: pt.residentId,
        serviceDate: slot.serviceDate,
        mealPeriod: slot.mealPeriod,
        fulfilment: body.fulfilment,
        state: paidNow ? 'paid' : 'awaiting_payment',
        identifyMethod: pt.method,
        pickupNumber,
        mealPriceFen: ev.mealPriceFen,
        elderSubsidyFen: ev.elderSubsidyFen,
        elderPaysFen: ev.elderPaysFen,
        operatorSubsidyFen: ev.operatorSubsidyFen,
        paymentMethod: body.paymentMethod,
        policyVersionIds: p.policyVersionIds,
        deviceId: actor.kind === 'device' ? actor.deviceId : null,
        staffUserId: actor.kind === 'user' ? actor.user.id : null,
        deliveryAddress: body.fulfilment === 'delivery' ? (body.deliveryAddress ?? resident?.address ?? null) : null,
        createdAt: nowIso,
        paidAt: paidNow ? nowIso : null,
        requestHash: hash,
      });
    } catch (e) {
      if (e instanceof Error && /orders_one_subsidised_meal|UNIQUE constraint failed: orders.resident_id/.test(e.message)) {
        throw new AppError('conflict', 'this resident already has a subsidised meal in this meal period', 409, { reason: 'limit_meal_period' });
      }
      throw e;
    }
    repo.insertLines(
      tx,
      body.lines.map((l, i) => {
        const d = p.dishes.get(l.dishId)!;
        return {
          orderId: body.id,
          dishId: l.dishId,
          dishName: d.name,
          unitPriceFen: d.priceFen,
          quantity: l.quantity,
          lineTotalFen: d.priceFen * l.quantity,
          elderSubsidyFen: ev.lineShares[i]!.elderSubsidyFen,
        };
      }),
    );
    repo.insertSubsidies(
      tx,
      ev.layers.map((l) => ({
        orderId: body.id,
        layerKey: l.layerKey,
        policyVersionId: l.versionId,
        layerId: l.layerId,
        layerName: l.layerName,
        level: l.level,
        payer: l.payer,
        kind: l.kind,
        amountFen: l.amountFen,
        reason: l.reason,
      })),
    );
    markUsed(tx, p.policyVersionIds, nowIso);

    if (body.paymentMethod === 'wallet' && ev.elderPaysFen > 0) {
      wallet.payForOrder(tx, {
        residentId: pt.residentId!,
        orderId: body.id,
        canteenId: canteen.id,
        amountFen: ev.elderPaysFen,
        at: nowIso,
        by: actorId(actor),
      });
    }
    if (paidNow && ev.elderPaysFen > 0) {
      repo.insertPayment(tx, {
        id: uuidv7(),
        orderId: body.id,
        method: body.paymentMethod,
        direction: 'in',
        amountFen: ev.elderPaysFen,
        reference: body.externalReference ?? null,
        confirmedBy: actorId(actor),
        createdAt: nowIso,
      });
    }
    if (body.fulfilment === 'delivery') {
      repo.insertDelivery(tx, {
        id: uuidv7(),
        orderId: body.id,
        canteenId: canteen.id,
        residentId: pt.residentId,
        address: body.deliveryAddress ?? resident!.address!,
        careLevelAtOrder: resident?.careLevel ?? 0,
      });
    }
    audit.record(tx, actor, now, {
      action: 'order.created',
      entityType: 'order',
      entityId: body.id,
      details: { canteenId: canteen.id, elderPaysFen: ev.elderPaysFen, elderSubsidyFen: ev.elderSubsidyFen, method: pt.method },
    });
    return { row: repo.orderById(tx, body.id)!, created: true };
  });

  if (!result.created) return { order: replay(ctx, actor, result.row, hash), created: false };
  const order = toOrder(ctx.db.read, result.row);
  ctx.bus.publish({ type: 'order.created', canteenId: order.canteenId, order });
  publishStock(
    ctx,
    result.row,
    body.lines.map((l) => l.dishId),
  );
  return { order, created: true };
}

function replay(ctx: Ctx, actor: Actor, row: repo.OrderRow, hash: string): Order {
  if (!canSeeCanteen(actor, { id: row.canteenId, areaCode: canteenById(ctx.db.read, row.canteenId)!.areaCode })) {
    throw new AppError('idempotency_mismatch', 'that order id is already used');
  }
  if (row.requestHash !== hash) throw new AppError('idempotency_mismatch', 'that order id was already used for a different order');
  return toOrder(ctx.db.read, row);
}

function publishStock(ctx: Ctx, order: repo.OrderRow, dishIds: string[]) {
  const menu = menusRepo.menuBySlot(ctx.db.read, order.canteenId, order.serviceDate, order.mealPeriod);
  if (!menu) return;
  for (const dishId of dishIds) {
    const it = menusRepo.itemOf(ctx.db.read, menu.id, dishId);
    if (!it) continue;
    const remaining = it.portions === null ? null : Math.max(0, it.portions - it.sold);
    ctx.bus.publish({
      type: 'stock.changed',
      canteenId: order.canteenId,
      serviceDate: order.serviceDate,
      mealPeriod: order.mealPeriod,
      dishId,
      remaining,
      soldOut: it.soldOut || remaining === 0,
    });
  }
}

// ───────────── read ─────────────

export function listOrders(ctx: Ctx, actor: Actor, q: z.infer<typeof OrderListQuery>): { items: Order[]; total: number } {
  let canteenIds: string[] | null;
  if (q.canteenId) {
    assertCanteen(actor, canteenById(ctx.db.read, q.canteenId));
    canteenIds = [q.canteenId];
  } else if (actor.kind === 'user' && actor.user.role === 'admin') {
    canteenIds = null;
  } else {
    canteenIds = allCanteens(ctx.db.read)
      .filter((c) => canSeeCanteen(actor, c))
      .map((c) => c.id);
  }
  if (q.residentId) {
    const r = residents.residentById(ctx.db.read, q.residentId);
    if (!r || !canSeeResident(actor, r)) {
      if (!q.canteenId) throw new AppError('not_found', 'no such resident');
    }
  }
  const { items, total } = repo.listOrders(ctx.db.read, {
    canteenIds,
    date: q.date,
    mealPeriod: q.mealPeriod,
    state: q.state,
    residentId: q.residentId,
    limit: q.limit,
    offset: q.offset,
  });
  return { items: toOrders(ctx.db.read, items), total };
}

export function getOrder(ctx: Ctx, actor: Actor, id: string): Order {
  const row = repo.orderById(ctx.db.read, id);
  const canteen = row ? canteenById(ctx.db.read, row.canteenId) : undefined;
  if (!row || !canteen || !canSeeCanteen(actor, canteen)) throw new AppError('not_found', 'no such order');
  return toOrder(ctx.db.read, row);
}

// ───────────── lifecycle ─────────────

async function transition(ctx: Ctx, actor: Actor, id: string, fn: (tx: Tx, row: repo.OrderRow, nowIso: string) => string): Promise<Order> {
  const row0 = repo.orderById(ctx.db.read, id);
  const canteen = row0 ? canteenById(ctx.db.read, row0.canteenId) : undefined;
  if (!row0 || !canteen || !canSeeCanteen(actor, canteen)) throw new AppError('not_found', 'no such order');
  assertOperates(actor, canteen);
  const now = ctx.clock.now();
  const row = await ctx.db.write((tx) => {
    const current = repo.orderById(tx, id)!;
    const action = fn(tx, current, now.toISOString());
    audit.record(tx, actor, now, { action, entityType: 'order', entityId: id, details: { from: current.state } });
    return repo.orderById(tx, id)!;
  });
  const order = toOrder(ctx.db.read, row);
  ctx.bus.publish({ type: 'order.updated', canteenId: order.canteenId, order });
  return order;
}

function invalid(row: repo.OrderRow, what: string): never {
  throw new AppError('invalid_state', `cannot ${what} an order that is ${row.state}`, 409, { state: row.state });
}

export function confirmPayment(ctx: Ctx, actor: Actor, id: string, body: z.infer<typeof ConfirmPaymentRequest>) {
  if (body.method === 'external' && !body.reference) throw new AppError('bad_request', 'an external payment needs its reference', 400, { field: 'reference' });
  return transition(ctx, actor, id, (tx, row, nowIso) => {
    if (row.state !== 'awaiting_payment') invalid(row, 'confirm payment of');
    repo.insertPayment(tx, {
      id: uuidv7(),
      orderId: id,
      method: body.method,
      direction: 'in',
      amountFen: row.elderPaysFen,
      reference: body.reference,
      confirmedBy: actorId(actor),
      createdAt: nowIso,
    });
    repo.updateOrder(tx, id, { state: 'paid', paidAt: nowIso, paymentMethod: body.method });
    return 'order.paid';
  });
}

export function setState(ctx: Ctx, actor: Actor, id: string, state: 'ready' | 'completed') {
  return transition(ctx, actor, id, (tx, row, nowIso) => {
    if (state === 'ready' && row.state !== 'paid') invalid(row, 'mark ready');
    if (state === 'completed' && row.state !== 'ready' && row.state !== 'paid') invalid(row, 'complete');
    repo.updateOrder(tx, id, state === 'ready' ? { state, readyAt: nowIso } : { state, completedAt: nowIso, readyAt: row.readyAt ?? nowIso });
    return `order.${state}`;
  });
}

function giveBackPortions(tx: Tx, row: repo.OrderRow) {
  const menu = menusRepo.menuBySlot(tx, row.canteenId, row.serviceDate, row.mealPeriod);
  if (!menu) return;
  for (const l of repo.linesOf(tx, [row.id])) menusRepo.returnPortions(tx, menu.id, l.dishId, l.quantity);
}

export function cancel(ctx: Ctx, actor: Actor, id: string, reason: string) {
  return transition(ctx, actor, id, (tx, row, nowIso) => {
    if (row.state !== 'awaiting_payment') invalid(row, 'cancel');
    giveBackPortions(tx, row);
    repo.updateOrder(tx, id, { state: 'cancelled', cancelledAt: nowIso });
    audit.record(tx, actor, new Date(nowIso), { action: 'order.cancel_reason', entityType: 'order', entityId: id, details: { reason } });
    return 'order.cancelled';
  });
}

export function refund(ctx: Ctx, actor: Actor, id: string, reason: string) {
  return transition(ctx, actor, id, (tx, row, nowIso) => {
    if (!['paid', 'ready', 'completed'].includes(row.state)) invalid(row, 'refund');
    if (row.elderPaysFen > 0) {
      const paid = repo.paymentsOf(tx, id).filter((p) => p.direction === 'in');
      const method = paid[0]?.method ?? row.paymentMethod;
      repo.insertPayment(tx, {
        id: uuidv7(),
        orderId: id,
        method,
        direction: 'refund',
        amountFen: row.elderPaysFen,
        reference: reason,
        confirmedBy: actorId(actor),
        createdAt: nowIso,
      });
      if (method === 'wallet' && row.residentId) {
        wallet.refundOrder(tx, {
          residentId: row.residentId,
          orderId: id,
          canteenId: row.canteenId,
          amountFen: row.elderPaysFen,
          reason,
          at: nowIso,
          by: actorId(actor),
        });
      }
    }
    if (row.state === 'paid') giveBackPortions(tx, row);
    repo.updateOrder(tx, id, { state: 'refunded', refundedAt: nowIso });
    audit.record(tx, actor, new Date(nowIso), {
      action: 'order.refund_reason',
      entityType: 'order',
      entityId: id,
      details: { reason, amountFen: row.elderPaysFen },
    });
    return 'order.refunded';
  });
}
