/**
 * Orders: quotes, placing an order (one transaction: stock, the order and its split, the wallet payment, the
 * delivery, the audit row), the order's life after that, and what other modules read from orders (subsidy
 * history for pricing, a day's figures, a month for the what-if). `recordOrder` is the one way an order is
 * written; the demo seed uses it too.
 */
import {
  AppError,
  type ConfirmPaymentRequest,
  type CreateOrderRequest,
  type KioskOrder,
  type Order,
  type OrderExportQuery,
  type OrderListQuery,
  type PickupStatus,
  type Quote,
  type QuoteRequest,
} from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { Evaluation, Fulfilment, HistoryEntry, IdentifyMethod, MealPeriod, OrderState, PaymentMethod, ResidentFacts, ReviewReason } from '@yishi/shared';
import { addDays, historyWindow, localParts, orderCategoryOn, STAFF_REASONS } from '@yishi/shared';
import type { OrderReview, ResidentPricing, StaffReason } from '@yishi/shared/schemas';
import { v7 as uuidv7 } from 'uuid';
import type { Reader, Tx } from '../../db/client';
import { UniqueViolation } from '../../db/errors';
import type { Ctx } from '../../lib/context';
import { actorId, assertCanteen, assertOperates, canSeeCanteen, canSeeResident, type Actor } from '../../lib/actor';
import { offlineKeyDay, sha256 } from '../../lib/crypto';
import { readTicket, readTicketSigned } from '../../lib/ticket';
import * as audit from '../audit/audit.service';
import * as deliveries from '../deliveries/deliveries.service';
import * as menus from '../menus/menus.service';
import * as policy from '../policy/policy.service';
import * as pricing from '../pricing/pricing.service';
import * as residents from '../residents/residents.service';
import * as sites from '../sites/sites.service';
import * as wallet from '../wallet/wallet.service';
import * as repo from './orders.repo';
import { issueQuoteId, priceHash, QUOTE_MINUTES, readQuoteId, type QuoteToken } from './quote-token';

export type { OrderRow } from './orders.repo';

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
  const late = rows.filter((r) => r.clientCreatedAt !== null);
  const reviews = new Map(
    repo
      .reviewsOf(
        db,
        late.map((r) => r.id),
      )
      .map((v) => [v.orderId, toReview(v)]),
  );
  return rows.map((o) =>
    orderView(
      o,
      lines.filter((l) => l.orderId === o.id).map(({ dishName, ...l }) => ({ ...l, name: dishName })),
      policy.withEnglishNames(
        db,
        subs.filter((s) => s.orderId === o.id),
      ),
      o.residentId ? (names.get(o.residentId) ?? null) : null,
      after.get(o.id) ?? null,
      { deliveryMinutes: o.fulfilment === 'delivery' ? deliveryMinutesOf(db, o.canteenId) : 60, review: reviews.get(o.id) ?? null },
    ),
  );
}

function deliveryMinutesOf(db: Reader | Tx, canteenId: string): number {
  return sites.canteenById(db, canteenId)?.deliveryMinutes ?? 60;
}

/**
 * An order as the API shows it, from its row, its lines, its split, the resident's name and the balance after,
 * the canteen's delivery time and (an order that arrived late) its review.
 */
function orderView(
  o: repo.OrderRow,
  lines: readonly Order['lines'][number][],
  subs: readonly Order['subsidies'][number][],
  residentName: string | null,
  balanceAfterFen: number | null,
  extra: { deliveryMinutes: number; review: OrderReview | null },
): Order {
  return {
    id: o.id,
    canteenId: o.canteenId,
    residentId: o.residentId,
    residentName,
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
    lines: lines.map((l) => ({
      dishId: l.dishId,
      name: l.name,
      unitPriceFen: l.unitPriceFen,
      quantity: l.quantity,
      lineTotalFen: l.lineTotalFen,
      elderSubsidyFen: l.elderSubsidyFen,
    })),
    subsidies: subs.map((s) => ({
      layerKey: s.layerKey,
      layerId: s.layerId,
      layerName: s.layerName,
      layerNameEn: s.layerNameEn ?? null,
      policyVersionId: s.policyVersionId,
      level: s.level,
      payer: s.payer,
      payerEn: s.payerEn ?? null,
      kind: s.kind,
      amountFen: s.amountFen,
      reason: s.reason,
    })),
    policyVersionIds: o.policyVersionIds,
    residentCategory: o.residentCategory,
    balanceAfterFen,
    deliveryAddress: o.deliveryAddress,
    deliveryExpectedBy: o.fulfilment === 'delivery' ? new Date(Date.parse(o.createdAt) + extra.deliveryMinutes * 60_000).toISOString() : null,
    paymentReference: o.paymentReference,
    staffReason: o.staffReason ? { code: o.staffReason, note: o.staffReasonNote ?? '' } : null,
    createdAt: o.createdAt,
    clientCreatedAt: o.clientCreatedAt,
    offline: o.offline,
    review: extra.review,
    paidAt: o.paidAt,
    readyAt: o.readyAt,
    completedAt: o.completedAt,
  };
}

function toReview(v: repo.OrderReviewRow): OrderReview {
  return {
    flagged: v.flagged,
    reason: v.reason,
    reasons: v.reasons,
    kioskFigure: { elderPaysFen: v.kioskElderPaysFen, elderSubsidyFen: v.kioskElderSubsidyFen, policyVersionIds: v.kioskPolicyVersionIds },
    serverFigure: { elderPaysFen: v.serverElderPaysFen, elderSubsidyFen: v.serverElderSubsidyFen, policyVersionIds: v.serverPolicyVersionIds },
    resolvedAt: v.resolvedAt,
    resolvedBy: v.resolvedBy,
  };
}

function toOrder(db: Reader | Tx, row: repo.OrderRow): Order {
  return toOrders(db, [row])[0]!;
}

/**
 * The order as the kiosk that placed it gets it back: the receipt of the person standing there, naming nobody
 * (no resident id or name, no address, no category, no staff note or payment reference).
 */
export function kioskOrder(o: Order): KioskOrder {
  return {
    id: o.id,
    canteenId: o.canteenId,
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
    lines: o.lines,
    subsidies: o.subsidies,
    policyVersionIds: o.policyVersionIds,
    balanceAfterFen: o.balanceAfterFen,
    deliveryExpectedBy: o.deliveryExpectedBy,
    createdAt: o.createdAt,
    clientCreatedAt: o.clientCreatedAt,
    offline: o.offline,
    review: o.review,
    paidAt: o.paidAt,
    readyAt: o.readyAt,
    completedAt: o.completedAt,
  };
}

/** What any device may know of any order at its canteen: number, state, times. */
export function pickupStatus(o: Pick<Order, keyof PickupStatus>): PickupStatus {
  return {
    id: o.id,
    canteenId: o.canteenId,
    serviceDate: o.serviceDate,
    mealPeriod: o.mealPeriod,
    fulfilment: o.fulfilment,
    state: o.state,
    pickupNumber: o.pickupNumber,
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    readyAt: o.readyAt,
    completedAt: o.completedAt,
  };
}

// ───────────── pricing over the stored orders ─────────────

/** The stored subsidies, as pricing reads a resident's history and the layers' spending. */
export function subsidyLedger(db: Reader | Tx): pricing.SubsidyLedger {
  return {
    historyOf: (residentId, from, to) => repo.subsidyHistory(db, from, to, residentId),
    hadSubsidisedMeal: (residentId, slot) => repo.hasSubsidisedMeal(db, residentId, slot.serviceDate, slot.mealPeriod),
    layerSpent: (keys) => repo.layerSpent(db, keys),
  };
}

/** The pricing context for a resident (or a guest) at a canteen's slot, over the database as it stands. */
export function pricingContextFor(
  db: Reader | Tx,
  args: { canteen: sites.CanteenRow; slot: sites.Slot; resident: ResidentFacts | null },
): pricing.PricingContext {
  return pricing.pricingContext(pricing.liveSource(db, subsidyLedger(db)), args);
}

interface Priced {
  slot: sites.Slot;
  menu: menus.MenuSnapshot;
  lines: pricing.MenuLine[];
  evaluation: Evaluation;
  policyVersionIds: string[];
}

function priceNow(
  db: Reader | Tx,
  args: { canteen: sites.CanteenRow; slot: sites.Slot; resident: ResidentFacts | null; lines: pricing.LineInput[]; fulfilment: Fulfilment },
): Priced {
  const menu = menus.menuForSlot(db, args.canteen.id, args.slot);
  const lines = pricing.linesOnMenu(menu, args.lines);
  const pc = pricingContextFor(db, args);
  return { slot: args.slot, menu, lines, evaluation: pricing.evaluateLines(pc, lines, args.fulfilment), policyVersionIds: pricing.policyVersionIds(pc) };
}

// ───────────── who is ordering ─────────────

interface Party {
  canteen: sites.CanteenRow;
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
    const canteen = sites.canteenById(ctx.db.read, actor.canteenId)!;
    if (body.residentTicket) {
      const t = readTicket(ctx.crypto, body.residentTicket, actor.deviceId, now);
      // Checked on every use: a card revoked or a status ended since the tap stops the ticket at once.
      residents.assertTicketHolder(ctx, t);
      return { canteen, residentId: t.residentId, method: t.method };
    }
    if (method && method !== 'guest') throw new AppError('bad_request', 'identify the resident first, or order as a guest', 400, { field: 'identifyMethod' });
    return { canteen, residentId: null, method: 'guest' };
  }
  if (body.residentTicket) throw new AppError('bad_request', 'resident tickets are for kiosks', 400, { field: 'residentTicket' });
  if (!body.canteenId) throw new AppError('bad_request', 'canteenId is required', 400, { field: 'canteenId' });
  const canteen = sites.canteenById(ctx.db.read, body.canteenId);
  assertCanteen(actor, canteen);
  if (body.residentId) {
    // A resident id typed by staff must be one of their residents: ids are guessable, and an order by id
    // can spend the resident's wallet and a quote shows the balance. A visiting resident identifies at the
    // kiosk (card or phone + PIN), which gives a ticket.
    const r = residents.requireVisible(ctx, actor, body.residentId);
    // The console reads no card and takes no PIN: what staff key is a staff-keyed order, whatever is claimed.
    if (method && method !== 'staff' && method !== 'guest')
      throw new AppError('bad_request', 'an order keyed in the console for a resident is a staff order (identifyMethod staff)', 400, {
        field: 'identifyMethod',
      });
    return { canteen, residentId: r.id, method: 'staff' };
  }
  return { canteen, residentId: null, method: 'guest' };
}

function residentOf(db: Reader | Tx, residentId: string | null): { facts: ResidentFacts | null; row: residents.ResidentRow | null } {
  if (!residentId) return { facts: null, row: null };
  return residents.factsOf(db, residentId);
}

function checkFulfilment(canteen: sites.CanteenRow, resident: { address: string | null } | null, fulfilment: Fulfilment, address: string | null | undefined) {
  if (fulfilment === 'delivery') {
    if (!canteen.delivery) throw new AppError('delivery_not_offered', 'this canteen does not deliver');
    if (!resident) throw new AppError('delivery_not_offered', 'delivery is for registered residents');
    if (address === null && !resident.address) throw new AppError('bad_request', 'a delivery address is needed', 400, { field: 'deliveryAddress' });
  } else if (!canteen.dineIn) {
    throw new AppError('bad_request', 'this canteen only delivers', 400, { field: 'fulfilment' });
  }
}

// ───────────── quote ─────────────

/** The priced lines as a quote shows them and an order stores them: each with its share of the meal subsidy. */
function linesWithShares(lines: pricing.MenuLine[], ev: Evaluation) {
  return lines.map((l, i) => ({
    dishId: l.dishId,
    name: l.name,
    unitPriceFen: l.unitPriceFen,
    quantity: l.quantity,
    lineTotalFen: l.unitPriceFen * l.quantity,
    elderSubsidyFen: ev.lineShares[i]!.elderSubsidyFen,
  }));
}

/** The split per layer and payer, as a quote shows it and an order stores it. */
function splitOf(ev: Evaluation) {
  return ev.layers.map((l) => ({
    layerKey: l.layerKey,
    layerId: l.layerId,
    layerName: l.layerName,
    policyVersionId: l.versionId,
    level: l.level,
    payer: l.payer,
    kind: l.kind,
    amountFen: l.amountFen,
    reason: l.reason,
  }));
}

/** A priced visit as the quote the caller sees, with the id that binds an order to exactly this price. */
function toQuote(ctx: Ctx, db: Reader | Tx, actor: Actor, p: Priced, canteenId: string, residentId: string | null, fulfilment: Fulfilment): Quote {
  const q = quoteBody(db, p, canteenId, residentId, fulfilment);
  // The English names are words beside the price: not part of what the quote id binds.
  return { ...q, subsidies: policy.withEnglishNames(db, q.subsidies), quoteId: issueQuoteId(ctx.crypto, q, actorId(actor), ctx.clock.now()) };
}

function quoteBody(db: Reader | Tx, p: Priced, canteenId: string, residentId: string | null, fulfilment: Fulfilment): Omit<Quote, 'quoteId'> {
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
    lines: linesWithShares(p.lines, ev),
    subsidies: splitOf(ev),
    balanceFen: balance,
    balanceAfterFen: balance === null ? null : balance - ev.elderPaysFen,
    policyVersionIds: p.policyVersionIds,
  };
}

export function quote(ctx: Ctx, actor: Actor, body: z.infer<typeof QuoteRequest>): Quote {
  const db = ctx.db.read;
  const pt = party(ctx, actor, body);
  const slot = sites.requireOpenSlot(db, pt.canteen, ctx.clock.now());
  const { facts, row } = residentOf(db, pt.residentId);
  checkFulfilment(pt.canteen, row, body.fulfilment, null);
  const p = priceNow(db, { canteen: pt.canteen, slot, resident: facts, lines: body.lines, fulfilment: body.fulfilment });
  return toQuote(ctx, db, actor, p, pt.canteen.id, pt.residentId, body.fulfilment);
}

/**
 * An order that names a quote is charged exactly that quote: same caller, resident and canteen, not used before,
 * not expired, and priced now to the same hash. Otherwise it is refused, with the fresh quote to confirm when the
 * price or the time is what changed. Returns the quote's own id, stored on the order.
 */
function bindQuote(ctx: Ctx, tx: Tx, actor: Actor, quoteId: string, p: Priced, canteenId: string, residentId: string | null, fulfilment: Fulfilment): string {
  const token = readQuoteId(ctx.crypto, quoteId);
  if (token.caller !== actorId(actor) || token.canteenId !== canteenId || token.residentId !== residentId) {
    throw new AppError('quote_invalid', 'this quote was made for another resident, canteen or kiosk');
  }
  if (repo.orderIdByQuote(tx, token.id)) throw new AppError('quote_used', 'this quote has already placed an order');
  const fresh = () => ({ quote: toQuote(ctx, tx, actor, p, canteenId, residentId, fulfilment) });
  if (token.expires <= ctx.clock.now().getTime()) throw new AppError('quote_expired', 'the quote ran out; please confirm the price again', 409, fresh());
  if (priceHash(quoteBody(tx, p, canteenId, residentId, fulfilment)) !== token.hash) {
    throw new AppError('quote_changed', 'the price is not what the quote said; please confirm the new price', 409, fresh());
  }
  return token.id;
}

// ───────────── the one way an order is written ─────────────

/** A priced order to store, with what happened to it so far. */
export interface NewOrder {
  id: string;
  canteenId: string;
  residentId: string | null;
  slot: sites.Slot;
  fulfilment: Fulfilment;
  identifyMethod: IdentifyMethod;
  paymentMethod: PaymentMethod;
  lines: pricing.MenuLine[];
  evaluation: Evaluation;
  policyVersionIds: string[];
  state: OrderState;
  createdAt: string;
  paidAt: string | null;
  readyAt?: string | null;
  completedAt?: string | null;
  deviceId: string | null;
  staffUserId: string | null;
  requestHash: string;
  /** Money received now (cash or external at the counter, or the wallet): its record. Null while it waits for staff. */
  payment: { reference: string | null; confirmedBy: string | null; id?: string } | null;
  /** Who took a wallet payment (user or device id). */
  takenBy: string | null;
  delivery: Omit<deliveries.NewDelivery, 'orderId' | 'canteenId' | 'residentId' | 'serviceDate' | 'mealPeriod' | 'pickupNumber' | 'items'> | null;
  /** Stable ids for a replayable load (the demo seed); new ones otherwise. */
  walletEntryId?: string;
  /** The quote the order was placed with (its own id): one order per quote. */
  quoteId?: string | null;
  /** The resident's facts it was priced with (null for a guest): the order keeps the category it counts under. */
  resident: ResidentFacts | null;
  /** When the kiosk says the person confirmed (its own clock). */
  clientCreatedAt?: string | null;
  /** Priced by the kiosk offline. */
  offline?: boolean;
  /** The external payment reference given with the order (a kiosk's is a claim until staff confirm it). */
  paymentReference?: string | null;
  /** Why staff keyed a resident's order (required when it earns subsidy). */
  staffReason?: StaffReason | null;
}

/** An order as it was written: its row, lines and split, and the wallet's balance right after its payment. */
export interface RecordedOrder {
  row: repo.OrderRow;
  lines: Order['lines'];
  subsidies: Order['subsidies'];
  balanceAfterFen: number | null;
}

/**
 * Write a priced order inside the caller's transaction: the order with its pickup number, its lines, its split
 * per layer and payer, the policy versions it froze, the wallet payment, the payment record and the delivery.
 * Stock is taken by the caller (it decides what a sold-out dish means). A second subsidised meal in the same
 * slot is refused by the database (conflict, reason limit_meal_period). Returns what it wrote, so nothing is
 * read again to answer.
 */
export function recordOrder(tx: Tx, o: NewOrder): RecordedOrder {
  const ev = o.evaluation;
  const row: repo.OrderRow = {
    id: o.id,
    canteenId: o.canteenId,
    residentId: o.residentId,
    serviceDate: o.slot.serviceDate,
    mealPeriod: o.slot.mealPeriod,
    fulfilment: o.fulfilment,
    state: o.state,
    identifyMethod: o.identifyMethod,
    pickupNumber: repo.nextPickupNumber(tx, o.canteenId, o.slot.serviceDate, o.slot.mealPeriod),
    mealPriceFen: ev.mealPriceFen,
    elderSubsidyFen: ev.elderSubsidyFen,
    elderPaysFen: ev.elderPaysFen,
    operatorSubsidyFen: ev.operatorSubsidyFen,
    paymentMethod: o.paymentMethod,
    policyVersionIds: o.policyVersionIds,
    deviceId: o.deviceId,
    staffUserId: o.staffUserId,
    deliveryAddress: o.delivery?.address ?? null,
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    readyAt: o.readyAt ?? null,
    completedAt: o.completedAt ?? null,
    cancelledAt: null,
    refundedAt: null,
    requestHash: o.requestHash,
    quoteId: o.quoteId ?? null,
    residentCategory: o.resident ? orderCategoryOn(o.resident.categories, o.slot.serviceDate) : null,
    clientCreatedAt: o.clientCreatedAt ?? null,
    offline: o.offline ?? false,
    paymentReference: o.paymentReference ?? null,
    staffReason: o.staffReason?.code ?? null,
    staffReasonNote: o.staffReason ? o.staffReason.note : null,
  };
  try {
    repo.insertOrder(tx, row);
  } catch (e) {
    if (e instanceof UniqueViolation && e.constraint === 'orders_one_subsidised_meal') {
      throw new AppError('conflict', 'this resident already has a subsidised meal in this meal period', 409, { reason: 'limit_meal_period' });
    }
    if (e instanceof UniqueViolation && e.constraint === 'orders_quote') throw new AppError('quote_used', 'this quote has already placed an order');
    throw e;
  }
  const lines = linesWithShares(o.lines, ev);
  repo.insertLines(
    tx,
    lines.map(({ name, ...l }) => ({ ...l, orderId: o.id, dishName: name })),
  );
  const subsidies = splitOf(ev);
  repo.insertSubsidies(
    tx,
    row,
    subsidies.map((s) => ({ ...s, orderId: o.id })),
  );
  policy.markUsed(tx, o.policyVersionIds, o.createdAt);
  let balanceAfterFen: number | null = null;
  if (o.paymentMethod === 'wallet' && ev.elderPaysFen > 0) {
    balanceAfterFen = wallet.payForOrder(tx, {
      id: o.walletEntryId,
      residentId: o.residentId!,
      orderId: o.id,
      canteenId: o.canteenId,
      amountFen: ev.elderPaysFen,
      at: o.createdAt,
      by: o.takenBy,
    });
  }
  if (o.payment && ev.elderPaysFen > 0) {
    repo.insertPayment(tx, {
      id: o.payment.id ?? uuidv7(),
      orderId: o.id,
      method: o.paymentMethod,
      direction: 'in',
      amountFen: ev.elderPaysFen,
      reference: o.payment.reference,
      confirmedBy: o.payment.confirmedBy,
      createdAt: o.paidAt ?? o.createdAt,
    });
  }
  if (o.delivery) {
    deliveries.createForOrder(tx, {
      ...o.delivery,
      orderId: o.id,
      canteenId: o.canteenId,
      residentId: o.residentId,
      serviceDate: o.slot.serviceDate,
      mealPeriod: o.slot.mealPeriod,
      pickupNumber: row.pickupNumber,
      items: o.lines.map((l) => `${l.name}×${l.quantity}`).join('，'),
    });
  }
  return { row, lines, subsidies, balanceAfterFen };
}

// ───────────── create ─────────────

function requestHash(body: CreateOrderRequest): string {
  const { id: _id, ...rest } = body;
  return sha256(JSON.stringify(rest));
}

/** A kiosk gets its own receipt back (naming nobody); console staff get the whole order. */
function placedView(actor: Actor, order: Order): Order | KioskOrder {
  return actor.kind === 'device' ? kioskOrder(order) : order;
}

export async function createOrder(ctx: Ctx, actor: Actor, body: CreateOrderRequest): Promise<{ order: Order | KioskOrder; created: boolean }> {
  const hash = requestHash(body);
  // A retry of an order we already have: answer with the first result, whatever the clock says now.
  const existing = repo.orderById(ctx.db.read, body.id);
  if (existing) return { order: placedView(actor, replay(ctx, actor, existing, hash)), created: false };

  if (body.offline) {
    try {
      return await placeLate(ctx, actor, body, hash, offlineIdentity(ctx, actor, body, body.offline));
    } catch (e) {
      // The person was served on what the kiosk showed: a refusal is kept for canteen staff, then answered as before.
      if (e instanceof AppError && actor.kind === 'device' && e.status !== 429 && e.status < 500) await keepRefusal(ctx, actor, body, body.offline, e);
      throw e;
    }
  }
  if (actor.kind === 'device') {
    if (body.residentId) throw new AppError('forbidden', 'a kiosk identifies residents with a ticket from /kiosk/identify, not an id');
    if (body.canteenId && body.canteenId !== actor.canteenId) throw new AppError('not_found', 'no such canteen');
    // A kiosk is charged exactly the quote the person confirmed (or the order was priced offline, above).
    if (!body.quoteId) {
      // Who it is for is checked first (a revoked card, an ended status answer as they always do).
      party(ctx, actor, body, body.identifyMethod);
      throw new AppError('bad_request', 'a kiosk order names the quote the person confirmed (quoteId)', 400, { field: 'quoteId' });
    }
    const token = readQuoteId(ctx.crypto, body.quoteId);
    const late = lateQuote(ctx, actor, body, token);
    if (late) return placeLate(ctx, actor, body, hash, late);
  }

  const pt = party(ctx, actor, body, body.identifyMethod);
  if (actor.kind === 'user') assertOperates(actor, pt.canteen);
  if (pt.residentId === null && body.paymentMethod === 'wallet')
    throw new AppError('bad_request', 'a guest has no wallet; pay at the counter', 400, { field: 'paymentMethod' });
  if (body.paymentMethod === 'external' && !body.externalReference && actor.kind === 'device') {
    throw new AppError('bad_request', 'an external payment needs the reference staff entered', 400, { field: 'externalReference' });
  }
  if (body.externalReference && body.paymentMethod !== 'external')
    throw new AppError('bad_request', 'a payment reference goes with an external payment', 400, { field: 'externalReference' });
  if (body.staffReason && (actor.kind !== 'user' || pt.residentId === null))
    throw new AppError('bad_request', 'a staff reason is for a resident’s order keyed in the console', 400, { field: 'staffReason' });
  const now = ctx.clock.now();
  const result = await ctx.db.write((tx) => placeOrder(ctx, tx, actor, body, pt, hash, now));
  if (!result.created) return { order: placedView(actor, replay(ctx, actor, result.row, hash)), created: false };
  // The answer and the live events are built from what the transaction wrote: nothing is read again.
  const { recorded, residentName, stock } = result;
  const order = orderView(recorded.row, recorded.lines, policy.withEnglishNames(ctx.db.read, recorded.subsidies), residentName, recorded.balanceAfterFen, {
    deliveryMinutes: deliveryMinutesOf(ctx.db.read, recorded.row.canteenId),
    review: null,
  });
  ctx.bus.publish({ type: 'order.created', canteenId: order.canteenId, order });
  const slot = { serviceDate: order.serviceDate, mealPeriod: order.mealPeriod };
  for (const dishId of body.lines.map((l) => l.dishId)) {
    const s = stock.get(dishId);
    if (s) ctx.bus.publish({ type: 'stock.changed', canteenId: order.canteenId, ...slot, ...s });
  }
  return { order: placedView(actor, order), created: true };
}

/** A late order was stored: the consoles hear it and what is left of its dishes. */
function announceLate(ctx: Ctx, actor: Actor, result: { row: repo.OrderRow; created: boolean }, hash: string, body: CreateOrderRequest) {
  if (!result.created) return { order: placedView(actor, replay(ctx, actor, result.row, hash)), created: false };
  const order = toOrder(ctx.db.read, result.row);
  ctx.bus.publish({ type: 'order.created', canteenId: order.canteenId, order });
  announceStock(
    ctx,
    order,
    body.lines.map((l) => l.dishId),
  );
  return { order: placedView(actor, order), created: true };
}

/** What is left of these dishes on the order's menu, as it stands after the COMMIT, to the kiosks and consoles. */
function announceStock(ctx: Ctx, order: Pick<Order, 'canteenId' | 'serviceDate' | 'mealPeriod'>, dishIds: string[]): void {
  const slot = { serviceDate: order.serviceDate, mealPeriod: order.mealPeriod };
  for (const st of menus.stockOf(ctx.db.read, order.canteenId, slot, [...new Set(dishIds)]))
    ctx.bus.publish({ type: 'stock.changed', canteenId: order.canteenId, ...slot, ...st });
}

// ───────────── orders that reach the server late ─────────────

/** How far a kiosk's clock is believed: an order is never dated in the future, nor more than a week back. */
const LATE_AT_MOST_MS = 7 * 24 * 3600_000;
const CLOCK_AHEAD_TOLERANCE_MS = 5 * 60_000;
/** How far ahead a kiosk's clock may be when it says an order was made while its quote held. */
const KIOSK_CLOCK_SKEW_MS = 2 * 60_000;

/**
 * An order made at a kiosk that the server prices after the fact: offline (priced by the kiosk from its cache),
 * or sent from its outbox after the quote the person confirmed ran out. The person has gone and was served on
 * what the kiosk showed, so the order is kept; the server prices it at its own meal, and where its figure (or
 * what it could do: stock, the wallet) differs from the kiosk's, it is flagged for review with both.
 */
interface LateOrder {
  canteen: sites.CanteenRow;
  residentId: string | null;
  method: IdentifyMethod;
  /** The meal the kiosk served it under. */
  slot: sites.Slot;
  /** When it was made (server time, as well as can be told). */
  at: Date;
  /** What the kiosk showed. */
  kiosk: { elderPaysFen: number; elderSubsidyFen: number; policyVersionIds: string[] };
  /** Reasons found before pricing (the clock, the meal, a revoked card). */
  flags: ReviewReason[];
  offline: boolean;
  quoteId: string | null;
}

function kioskInstant(ctx: Ctx, clientCreatedAt: string | null | undefined, offsetMs: number | null): { at: Date; trusted: boolean } {
  const now = ctx.clock.now();
  if (!clientCreatedAt) return { at: now, trusted: false };
  const at = new Date(Date.parse(clientCreatedAt) + (offsetMs ?? 0));
  const trusted = at.getTime() <= now.getTime() + CLOCK_AHEAD_TOLERANCE_MS && at.getTime() >= now.getTime() - LATE_AT_MOST_MS;
  return trusted ? { at: new Date(Math.min(at.getTime(), now.getTime())), trusted } : { at: now, trusted };
}

/** The offline order's resident, checked against the keyed hash the kiosk computed, and its meal. */
function offlineIdentity(ctx: Ctx, actor: Actor, body: CreateOrderRequest, off: NonNullable<CreateOrderRequest['offline']>): LateOrder {
  if (actor.kind !== 'device') throw new AppError('bad_request', 'only a kiosk sends orders it priced offline', 400, { field: 'offline' });
  if (body.quoteId || body.residentTicket) throw new AppError('bad_request', 'an offline order carries no quote or ticket', 400, { field: 'offline' });
  if (body.canteenId && body.canteenId !== actor.canteenId) throw new AppError('not_found', 'no such canteen');
  if (body.paymentMethod === 'external') throw new AppError('bad_request', 'offline, pay from the wallet or at the counter', 400, { field: 'paymentMethod' });
  if (!!off.identifiedBy !== !!body.residentId) {
    throw new AppError('bad_request', 'an offline order names the resident together with how the kiosk identified them', 400, {
      field: 'offline.identifiedBy',
    });
  }
  if (!body.residentId && body.paymentMethod === 'wallet')
    throw new AppError('bad_request', 'a guest has no wallet; pay at the counter', 400, { field: 'paymentMethod' });
  const canteen = sites.canteenById(ctx.db.read, actor.canteenId)!;
  const flags: ReviewReason[] = [];
  const { at, trusted } = kioskInstant(ctx, body.clientCreatedAt, off.clockOffsetMs);
  if (!trusted) flags.push('clock_untrusted');

  let residentId: string | null = null;
  let method: IdentifyMethod = 'guest';
  if (off.identifiedBy && body.residentId) {
    const by = off.identifiedBy;
    const match = offlineKeyUsable(by.keyId, ctx.clock.now(), trusted ? at : null)
      ? residents.matchOfflineCredential(ctx, body.residentId, by.method, by.credentialHash, ctx.crypto.kioskKey(actor.deviceId, by.keyId))
      : null;
    if (!match)
      throw new AppError(
        'offline_identity_invalid',
        'this card, QR code or phone + PIN does not belong to that resident, or was not hashed with a current key of this kiosk',
      );
    if (match.revokedAt && match.revokedAt <= at.toISOString()) flags.push('credential_revoked');
    residentId = body.residentId;
    method = by.method;
  }

  // The meal the kiosk served it under: near the order's own time (a kiosk cannot date a meal a week away).
  const today = localParts(ctx.clock.now(), canteen.timeZone).date;
  if (off.serviceDate < addDays(today, -7) || off.serviceDate > addDays(today, 1)) {
    throw new AppError('bad_request', 'the meal this order names is too far from today', 400, { field: 'offline.serviceDate' });
  }
  const slot = { serviceDate: off.serviceDate, mealPeriod: off.mealPeriod };
  const open = sites.openSlot(ctx.db.read, canteen, at);
  if (trusted && (!open || open.serviceDate !== slot.serviceDate || open.mealPeriod !== slot.mealPeriod)) flags.push('outside_hours');
  return {
    canteen,
    residentId,
    method,
    slot,
    at,
    kiosk: { elderPaysFen: off.quotedElderPaysFen, elderSubsidyFen: off.quotedElderSubsidyFen, policyVersionIds: off.policyVersionIds },
    flags,
    offline: true,
    quoteId: null,
  };
}

/**
 * An order a kiosk priced offline that the server refused when it arrived (a credential hash that proves nobody,
 * a meal too far off, …). Nothing is stored as an order, as before; but the elder ate and may have paid at the
 * counter, and the kiosk only learns "refused" long after they left, so the refusal is kept once per order id for
 * the canteen's staff (离线订单复核 › 被拒收) and audited. A refusal of an order that exists meanwhile is not kept.
 */
async function keepRefusal(
  ctx: Ctx,
  actor: Extract<Actor, { kind: 'device' }>,
  body: CreateOrderRequest,
  off: NonNullable<CreateOrderRequest['offline']>,
  e: AppError,
): Promise<void> {
  const now = ctx.clock.now();
  // When it was made, on the server's clock (the kiosk's own may run off); unknown when that cannot be told.
  const made = kioskInstant(ctx, body.clientCreatedAt, off.clockOffsetMs);
  const kept = await ctx.db.write((tx) => {
    if (repo.orderById(tx, body.id)) return false;
    const kept = repo.insertRefused(tx, {
      orderId: body.id,
      canteenId: actor.canteenId,
      deviceId: actor.deviceId,
      residentId: body.residentId ?? null,
      serviceDate: off.serviceDate,
      mealPeriod: off.mealPeriod,
      lines: body.lines.map((l) => ({ dishId: l.dishId, quantity: l.quantity })),
      paymentMethod: body.paymentMethod,
      quotedElderPaysFen: off.quotedElderPaysFen,
      quotedElderSubsidyFen: off.quotedElderSubsidyFen,
      madeAt: made.trusted ? made.at.toISOString() : null,
      receivedAt: now.toISOString(),
      code: e.code,
      message: e.message,
      handledAt: null,
      handledBy: null,
      handledByName: null,
      handledNote: null,
    });
    if (!kept) return false;
    const canteen = sites.canteenById(tx, actor.canteenId);
    audit.record(tx, actor, now, {
      action: 'order.refused',
      entityType: 'order',
      entityId: body.id,
      details: { canteenId: actor.canteenId, code: e.code, quotedElderPaysFen: off.quotedElderPaysFen, paymentMethod: body.paymentMethod },
      ...(canteen ? { scope: { canteenId: canteen.id, areaCode: canteen.areaCode } } : {}),
    });
    return true;
  });
  // The canteen's consoles count it at once (the side menu's 离线订单复核), not at their next minute's poll.
  if (kept) ctx.bus.publish({ type: 'order.refused', canteenId: actor.canteenId, orderId: body.id, serviceDate: off.serviceDate });
}

export type RefusedOrderRow = repo.RefusedOrderRow;

/** Kept refusals of some canteens over service dates, newest first (reviews.service shows them). */
export function refusedOrders(
  db: Reader,
  f: { from: string; to: string; canteenIds: string[]; status: 'open' | 'handled' | 'all' },
  limit: number,
  offset: number,
): { items: RefusedOrderRow[]; total: number } {
  return repo.refusedList(db, f, limit, offset);
}

export function refusedOrder(db: Reader | Tx, orderId: string): RefusedOrderRow | undefined {
  return repo.refusedById(db, orderId);
}

/** Mark a kept refusal handled (in the caller's transaction, which writes the audit row): false when it was already. */
export function markRefusedHandled(tx: Tx, orderId: string, r: { note: string; by: string; byName: string; at: Date }): boolean {
  return repo.markRefusedHandled(tx, orderId, { handledAt: r.at.toISOString(), handledBy: r.by, handledByName: r.byName, handledNote: r.note || null });
}

/**
 * A kiosk's offline cache key is made for one UTC day (lib/crypto offlineKeyIdOn; a new one at the first refresh
 * of each day). An order hashed with it is accepted while that key could still be in use: a cache lasts 48 hours
 * and its orders may arrive a week late; never a key from the future, and (by a trusted clock) never an order
 * made before its key's day or after the cache it came in could have expired.
 */
const OFFLINE_KEY_DAY_MS = 24 * 3600_000;
const OFFLINE_CACHE_MS = 48 * 3600_000;
function offlineKeyUsable(keyId: string, now: Date, madeAt: Date | null): boolean {
  const day = offlineKeyDay(keyId);
  if (day === null || day > now.getTime() || now.getTime() - day > OFFLINE_KEY_DAY_MS + OFFLINE_CACHE_MS + LATE_AT_MOST_MS) return false;
  return !madeAt || (madeAt.getTime() >= day && madeAt.getTime() < day + OFFLINE_KEY_DAY_MS + OFFLINE_CACHE_MS);
}

/**
 * A kiosk order whose quote ran out before it arrived, made (by the kiosk's clock) while the quote held: sent
 * from the outbox after the network failed. Null for an order on time (the usual binding applies). The quote,
 * signed for this kiosk and resident, is the proof the person was identified and saw its figures.
 */
function lateQuote(ctx: Ctx, actor: Actor & { kind: 'device' }, body: CreateOrderRequest, token: QuoteToken): LateOrder | null {
  const now = ctx.clock.now();
  if (token.expires > now.getTime() || !body.clientCreatedAt || token.serviceDate === undefined || token.mealPeriod === undefined) return null;
  const issued = token.expires - QUOTE_MINUTES * 60_000;
  // On the server's clock as the kiosk knew it: a kiosk's own clock may run minutes or days off.
  const made = Date.parse(body.clientCreatedAt) + (body.clockOffsetMs ?? 0);
  // Made after the quote ran out (the offset may be a little stale): the usual refusal, quote_expired with a fresh quote.
  if (!(made < token.expires + KIOSK_CLOCK_SKEW_MS)) return null;
  if (token.caller !== actor.deviceId || token.canteenId !== actor.canteenId)
    throw new AppError('quote_invalid', 'this quote was made for another resident, canteen or kiosk');
  if (body.residentId) throw new AppError('forbidden', 'a kiosk identifies residents with a ticket from /kiosk/identify, not an id');
  let residentId: string | null = null;
  let method: IdentifyMethod = 'guest';
  if (body.residentTicket) {
    const t = readTicketSigned(ctx.crypto, body.residentTicket, actor.deviceId);
    residentId = t.residentId;
    method = t.method;
  }
  if (token.residentId !== residentId) throw new AppError('quote_invalid', 'this quote was made for another resident, canteen or kiosk');
  if (!residentId && body.paymentMethod === 'wallet')
    throw new AppError('bad_request', 'a guest has no wallet; pay at the counter', 400, { field: 'paymentMethod' });
  return {
    canteen: sites.canteenById(ctx.db.read, actor.canteenId)!,
    residentId,
    method,
    slot: { serviceDate: token.serviceDate, mealPeriod: token.mealPeriod },
    at: new Date(Math.min(Math.max(made, issued), token.expires - 1)),
    kiosk: { elderPaysFen: token.elderPaysFen ?? 0, elderSubsidyFen: token.elderSubsidyFen ?? 0, policyVersionIds: token.policyVersionIds ?? [] },
    flags: [],
    offline: false,
    quoteId: token.id,
  };
}

/** The lines at the late order's meal: from its menu, or (the menu changed since) from the dishes themselves, flagged. */
function lateLines(
  tx: Tx,
  canteen: sites.CanteenRow,
  slot: sites.Slot,
  lines: pricing.LineInput[],
): { menu: menus.MenuSnapshot | null; lines: pricing.MenuLine[]; offMenu: boolean } {
  let menu: menus.MenuSnapshot | null = null;
  try {
    menu = menus.menuForSlot(tx, canteen.id, slot);
    return { menu, lines: pricing.linesOnMenu(menu, lines, { allowSoldOut: true }), offMenu: false };
  } catch (e) {
    if (!(e instanceof AppError) || (e.code !== 'dish_unavailable' && e.code !== 'menu_not_found')) throw e;
  }
  const dishes = new Map(
    menus
      .dishesByIds(
        tx,
        lines.map((l) => l.dishId),
      )
      .map((d) => [d.id, d]),
  );
  const priced = lines.map((l) => {
    const d = dishes.get(l.dishId);
    if (!d || d.canteenId !== canteen.id) throw new AppError('dish_unavailable', `dish ${l.dishId} is not a dish of this canteen`, 409, { dishId: l.dishId });
    return { dishId: d.id, name: d.name, unitPriceFen: d.priceFen, quantity: l.quantity, tags: d.tags };
  });
  return { menu, lines: priced, offMenu: true };
}

/** The first reason the server's figure differs from the kiosk's (null when they agree). */
function figureReason(
  kiosk: LateOrder['kiosk'],
  server: { elderPaysFen: number; elderSubsidyFen: number; policyVersionIds: string[] },
  subsidisedElsewhere: boolean,
): ReviewReason | null {
  // A kiosk that priced at list prices (a guest, no engine) names no policies: then only the figures count.
  const samePolicies =
    kiosk.policyVersionIds.length === 0 ||
    (kiosk.policyVersionIds.length === server.policyVersionIds.length && kiosk.policyVersionIds.every((v) => server.policyVersionIds.includes(v)));
  if (kiosk.elderPaysFen === server.elderPaysFen && kiosk.elderSubsidyFen === server.elderSubsidyFen && samePolicies) return null;
  if (server.elderSubsidyFen < kiosk.elderSubsidyFen && subsidisedElsewhere) return 'subsidy_used_elsewhere';
  if (!samePolicies) return 'policy_changed';
  if (server.elderSubsidyFen !== kiosk.elderSubsidyFen) return 'eligibility_changed';
  return 'price_changed';
}

async function placeLate(
  ctx: Ctx,
  actor: Actor,
  body: CreateOrderRequest,
  hash: string,
  late: LateOrder,
): Promise<{ order: Order | KioskOrder; created: boolean }> {
  const now = ctx.clock.now();
  const atIso = late.at.toISOString();
  const result = await ctx.db.write((tx) => {
    const again = repo.orderById(tx, body.id);
    if (again) return { row: again, created: false };
    const canteen = sites.canteenById(tx, late.canteen.id)!;
    const { facts, row: resident } = residentOf(tx, late.residentId);
    checkFulfilment(canteen, resident, body.fulfilment, body.deliveryAddress);
    const reasons: ReviewReason[] = [];
    const { menu, lines, offMenu } = lateLines(tx, canteen, late.slot, body.lines);
    if (offMenu) reasons.push('dish_unavailable');
    // Before this order: did the resident already have a subsidised meal in that meal period (another canteen)?
    const subsidisedElsewhere = !!late.residentId && subsidyLedger(tx).hadSubsidisedMeal(late.residentId, late.slot);
    const pc = pricingContextFor(tx, { canteen, slot: late.slot, resident: facts });
    const ev = pricing.evaluateLines(pc, lines, body.fulfilment);
    const policyVersionIds = pricing.policyVersionIds(pc);
    const server = { elderPaysFen: ev.elderPaysFen, elderSubsidyFen: ev.elderSubsidyFen, policyVersionIds };
    const figure = figureReason(late.kiosk, server, subsidisedElsewhere);
    if (figure) reasons.unshift(figure);
    reasons.push(...late.flags);

    // It was served: take the portions that are there; a shortfall is for staff to look at, not a refusal. What was
    // served is counted sold all the same, so that a cancel or a refund later gives back only what was counted.
    // (A dish off the menu has no stock to count; a cancel or refund finds none to give back either.)
    if (menu) {
      for (const l of lines) {
        if (!menu.items.has(l.dishId)) continue;
        if (menus.takePortions(tx, menu.menu.id, l.dishId, l.quantity)) continue;
        menus.countServed(tx, menu.menu.id, l.dishId, l.quantity);
        if (!reasons.includes('sold_out')) reasons.push('sold_out');
      }
    }

    // The wallet pays only what the person confirmed, what the wallet holds, and (offline) the canteen's limit a day.
    let paymentMethod: PaymentMethod = body.paymentMethod;
    if (paymentMethod === 'wallet' && ev.elderPaysFen > 0) {
      const refusal: ReviewReason | null =
        ev.elderPaysFen > late.kiosk.elderPaysFen
          ? 'not_confirmed'
          : wallet.balanceOf(tx, late.residentId!) < ev.elderPaysFen
            ? 'wallet_short'
            : late.offline && repo.offlineWalletPaid(tx, late.residentId!, late.slot.serviceDate) + ev.elderPaysFen > canteen.walletOfflineLimitFen
              ? 'wallet_limit'
              : null;
      if (refusal) {
        reasons.push(refusal);
        paymentMethod = 'cash';
      }
    }
    const paidNow = ev.elderPaysFen === 0 || paymentMethod === 'wallet';
    const { row } = recordOrder(tx, {
      id: body.id,
      canteenId: canteen.id,
      residentId: late.residentId,
      slot: late.slot,
      fulfilment: body.fulfilment,
      identifyMethod: late.method,
      paymentMethod,
      lines,
      evaluation: ev,
      policyVersionIds,
      state: paidNow ? 'paid' : 'awaiting_payment',
      createdAt: atIso,
      paidAt: paidNow ? atIso : null,
      deviceId: actor.kind === 'device' ? actor.deviceId : null,
      staffUserId: null,
      requestHash: hash,
      payment: paidNow ? { reference: null, confirmedBy: actorId(actor) } : null,
      takenBy: actorId(actor),
      quoteId: late.quoteId,
      resident: facts,
      clientCreatedAt: body.clientCreatedAt ?? null,
      offline: late.offline,
      delivery: body.fulfilment === 'delivery' ? { address: body.deliveryAddress ?? resident!.address!, careLevelAtOrder: resident?.careLevel ?? 0 } : null,
    });
    const unique = [...new Set(reasons)];
    repo.insertReview(tx, {
      orderId: body.id,
      canteenId: canteen.id,
      residentId: late.residentId,
      serviceDate: late.slot.serviceDate,
      mealPeriod: late.slot.mealPeriod,
      flagged: unique.length > 0,
      reason: unique[0] ?? null,
      reasons: unique,
      kioskElderPaysFen: late.kiosk.elderPaysFen,
      kioskElderSubsidyFen: late.kiosk.elderSubsidyFen,
      kioskPolicyVersionIds: late.kiosk.policyVersionIds,
      serverElderPaysFen: ev.elderPaysFen,
      serverElderSubsidyFen: ev.elderSubsidyFen,
      serverPolicyVersionIds: policyVersionIds,
      createdAt: now.toISOString(),
      resolvedAt: null,
      resolvedBy: null,
      resolution: null,
      resolutionNote: null,
      resolvedByName: null,
    });
    audit.record(tx, actor, now, {
      action: 'order.created',
      entityType: 'order',
      entityId: body.id,
      details: {
        canteenId: canteen.id,
        elderPaysFen: ev.elderPaysFen,
        elderSubsidyFen: ev.elderSubsidyFen,
        method: late.method,
        quoteId: late.quoteId,
        late: late.offline ? 'offline' : 'outbox',
        madeAt: atIso,
        kioskElderPaysFen: late.kiosk.elderPaysFen,
        kioskElderSubsidyFen: late.kiosk.elderSubsidyFen,
        review: unique,
      },
    });
    return { row, created: true };
  });
  return announceLate(ctx, actor, result, hash, body);
}

type Placed = { created: false; row: repo.OrderRow } | { created: true; recorded: RecordedOrder; residentName: string | null; stock: Map<string, menus.Stock> };

/** The order's transaction: price it again as it stands, bind the quote, take the stock, write it, audit it. */
function placeOrder(ctx: Ctx, tx: Tx, actor: Actor, body: CreateOrderRequest, pt: Party, hash: string, now: Date): Placed {
  const nowIso = now.toISOString();
  const again = repo.orderById(tx, body.id);
  if (again) return { row: again, created: false };
  const canteen = sites.canteenById(tx, pt.canteen.id)!;
  const slot = sites.requireOpenSlot(tx, canteen, now);
  const { facts, row: resident } = residentOf(tx, pt.residentId);
  checkFulfilment(canteen, resident, body.fulfilment, body.deliveryAddress);
  const p = priceNow(tx, { canteen, slot, resident: facts, lines: body.lines, fulfilment: body.fulfilment });
  const ev = p.evaluation;
  const quoteId = body.quoteId ? bindQuote(ctx, tx, actor, body.quoteId, p, canteen.id, pt.residentId, body.fulfilment) : null;

  // What is left of each dish after this order's take: the live stock events say it after the commit.
  const stock = new Map<string, menus.Stock>();
  for (const l of p.lines) {
    const left = menus.takePortions(tx, p.menu.menu.id, l.dishId, l.quantity);
    if (!left) throw new AppError('sold_out', `${l.name} is sold out`, 409, { dishId: l.dishId });
    stock.set(l.dishId, left);
  }
  // Subsidy farming: a resident's order keyed by staff (no card, no PIN) that earns any subsidy says why.
  const subsidised = ev.layers.some((l) => l.amountFen > 0);
  if (pt.method === 'staff' && subsidised && !body.staffReason) {
    throw new AppError('bad_request', 'this order earns subsidy without a card or PIN: say why staff keyed it (staffReason)', 400, {
      field: 'staffReason',
      reasons: STAFF_REASONS,
    });
  }
  // Money is received only by staff or a verified callback: the wallet is money already held; cash and an
  // external payment from a kiosk wait (awaiting_payment) until staff confirm them in the console. A reference
  // typed at a kiosk is kept as a claim for staff to check, never as proof.
  const receivedByStaff = actor.kind === 'user' && body.paymentMethod === 'external' && !!body.externalReference;
  const paidNow = ev.elderPaysFen === 0 || body.paymentMethod === 'wallet' || receivedByStaff;
  const recorded = recordOrder(tx, {
    id: body.id,
    canteenId: canteen.id,
    residentId: pt.residentId,
    slot,
    fulfilment: body.fulfilment,
    identifyMethod: pt.method,
    paymentMethod: body.paymentMethod,
    lines: p.lines,
    evaluation: ev,
    policyVersionIds: p.policyVersionIds,
    state: paidNow ? 'paid' : 'awaiting_payment',
    createdAt: nowIso,
    paidAt: paidNow ? nowIso : null,
    deviceId: actor.kind === 'device' ? actor.deviceId : null,
    staffUserId: actor.kind === 'user' ? actor.user.id : null,
    requestHash: hash,
    payment: paidNow ? { reference: body.externalReference ?? null, confirmedBy: actorId(actor) } : null,
    takenBy: actorId(actor),
    quoteId,
    resident: facts,
    clientCreatedAt: body.clientCreatedAt ?? null,
    delivery: body.fulfilment === 'delivery' ? { address: body.deliveryAddress ?? resident!.address!, careLevelAtOrder: resident?.careLevel ?? 0 } : null,
    paymentReference: body.externalReference ?? null,
    staffReason: body.staffReason ?? null,
  });
  audit.record(tx, actor, now, {
    action: 'order.created',
    entityType: 'order',
    entityId: body.id,
    details: {
      canteenId: canteen.id,
      elderPaysFen: ev.elderPaysFen,
      elderSubsidyFen: ev.elderSubsidyFen,
      method: pt.method,
      quoteId,
      paymentMethod: body.paymentMethod,
      ...(body.externalReference ? { paymentReference: body.externalReference } : {}),
      ...(body.staffReason ? { staffReason: body.staffReason } : {}),
    },
    scope: { canteenId: canteen.id, areaCode: canteen.areaCode },
  });
  return { created: true, recorded, residentName: resident?.name ?? null, stock };
}

function replay(ctx: Ctx, actor: Actor, row: repo.OrderRow, hash: string): Order {
  if (!canSeeCanteen(actor, { id: row.canteenId, areaCode: sites.canteenById(ctx.db.read, row.canteenId)!.areaCode })) {
    throw new AppError('idempotency_mismatch', 'that order id is already used');
  }
  if (row.requestHash !== hash) throw new AppError('idempotency_mismatch', 'that order id was already used for a different order');
  return toOrder(ctx.db.read, row);
}

// ───────────── read ─────────────

export function listOrders(ctx: Ctx, actor: Actor, q: z.infer<typeof OrderListQuery>): { items: Order[]; total: number } {
  let canteenIds: string[] | null;
  if (q.canteenId) {
    assertCanteen(actor, sites.canteenById(ctx.db.read, q.canteenId));
    canteenIds = [q.canteenId];
  } else if (actor.kind === 'user' && actor.user.role === 'admin') {
    canteenIds = null;
  } else {
    canteenIds = sites.visibleCanteens(ctx.db.read, actor).map((c) => c.id);
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
    from: q.from,
    to: q.to,
    mealPeriod: q.mealPeriod,
    states: q.state,
    fulfilment: q.fulfilment,
    paymentMethod: q.paymentMethod,
    pickupNumber: q.pickupNumber,
    ref: q.ref,
    residentId: q.residentId,
    sort: q.sort,
    order: q.order,
    limit: q.limit,
    offset: q.offset,
  });
  return { items: toOrders(ctx.db.read, items), total };
}

/** One order: the whole of it for console staff; for a kiosk only its number, state and times (PickupStatus). */
export function getOrder(ctx: Ctx, actor: Actor, id: string): Order | PickupStatus {
  const row = repo.orderById(ctx.db.read, id);
  const canteen = row ? sites.canteenById(ctx.db.read, row.canteenId) : undefined;
  if (!row || !canteen || !canSeeCanteen(actor, canteen)) throw new AppError('not_found', 'no such order');
  return actor.kind === 'device' ? pickupStatus(row) : toOrder(ctx.db.read, row);
}

// ───────────── lifecycle ─────────────

async function transition(ctx: Ctx, actor: Actor, id: string, fn: (tx: Tx, row: repo.OrderRow, nowIso: string) => string): Promise<Order> {
  const row0 = repo.orderById(ctx.db.read, id);
  const canteen = row0 ? sites.canteenById(ctx.db.read, row0.canteenId) : undefined;
  if (!row0 || !canteen || !canSeeCanteen(actor, canteen)) throw new AppError('not_found', 'no such order');
  assertOperates(actor, canteen);
  const now = ctx.clock.now();
  const row = await ctx.db.write((tx) => {
    const current = repo.orderById(tx, id)!;
    const action = fn(tx, current, now.toISOString());
    audit.record(tx, actor, now, {
      action,
      entityType: 'order',
      entityId: id,
      details: { before: { state: current.state }, after: { state: repo.orderById(tx, id)!.state } },
      scope: { canteenId: canteen.id, areaCode: canteen.areaCode },
    });
    return repo.orderById(tx, id)!;
  });
  const order = toOrder(ctx.db.read, row);
  ctx.bus.publish({ type: 'order.updated', canteenId: order.canteenId, order });
  // A cancel or a refund may have put portions back: kiosks showing the dish sold out hear it at once, as they hear a sale.
  if ((order.state === 'cancelled' || order.state === 'refunded') && row0.state !== order.state)
    announceStock(
      ctx,
      order,
      order.lines.map((l) => l.dishId),
    );
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
    repo.updateOrder(tx, row, { state: 'paid', paidAt: nowIso, paymentMethod: body.method });
    return 'order.paid';
  });
}

export function setState(ctx: Ctx, actor: Actor, id: string, state: 'ready' | 'completed') {
  return transition(ctx, actor, id, (tx, row, nowIso) => {
    if (state === 'ready' && row.state !== 'paid') invalid(row, 'mark ready');
    if (state === 'completed' && row.state !== 'ready' && row.state !== 'paid') invalid(row, 'complete');
    // A delivery is completed by recording it delivered (who and when, POST /deliveries/:id/done), never from here.
    if (state === 'completed' && row.fulfilment === 'delivery') {
      throw new AppError('invalid_state', 'a delivery order is completed by recording its delivery as delivered', 409, {
        state: row.state,
        fulfilment: row.fulfilment,
      });
    }
    repo.updateOrder(tx, row, state === 'ready' ? { state, readyAt: nowIso } : { state, completedAt: nowIso, readyAt: row.readyAt ?? nowIso });
    return `order.${state}`;
  });
}

function giveBackPortions(tx: Tx, row: repo.OrderRow) {
  menus.returnPortions(tx, row.canteenId, { serviceDate: row.serviceDate, mealPeriod: row.mealPeriod }, repo.linesOf(tx, [row.id]));
}

export function cancel(ctx: Ctx, actor: Actor, id: string, reason: string) {
  return transition(ctx, actor, id, (tx, row, nowIso) => {
    if (row.state !== 'awaiting_payment') invalid(row, 'cancel');
    giveBackPortions(tx, row);
    repo.updateOrder(tx, row, { state: 'cancelled', cancelledAt: nowIso });
    if (row.fulfilment === 'delivery') deliveries.cancelForOrder(tx, id);
    audit.record(tx, actor, new Date(nowIso), {
      action: 'order.cancel_reason',
      entityType: 'order',
      entityId: id,
      details: { reason },
      scope: { canteenId: row.canteenId },
    });
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
    repo.updateOrder(tx, row, { state: 'refunded', refundedAt: nowIso });
    if (row.fulfilment === 'delivery') deliveries.cancelForOrder(tx, id);
    audit.record(tx, actor, new Date(nowIso), {
      action: 'order.refund_reason',
      entityType: 'order',
      entityId: id,
      details: { reason, amountFen: row.elderPaysFen },
      scope: { canteenId: row.canteenId },
    });
    return 'order.refunded';
  });
}

// ───────────── deliveries move their orders on (inside the rounds' transaction) ─────────────

/** The states of some orders. */
export function statesOf(db: Reader | Tx, ids: string[]): Map<string, OrderState> {
  return repo.statesOf(db, ids);
}

/**
 * A delivery order's meal went out (paid → ready) or reached the elder (paid / ready → completed). An order still
 * awaiting payment stays so (the courier's cash is confirmed at the counter); a cancelled one never went out.
 * Returns the order when it changed.
 */
export function moveWithDelivery(tx: Tx, orderId: string, step: 'out' | 'delivered', nowIso: string): repo.OrderRow | null {
  const row = repo.orderById(tx, orderId);
  if (!row || row.fulfilment !== 'delivery') return null;
  if (step === 'out' && row.state === 'paid') repo.updateOrder(tx, row, { state: 'ready', readyAt: nowIso });
  else if (step === 'delivered' && (row.state === 'paid' || row.state === 'ready'))
    repo.updateOrder(tx, row, { state: 'completed', completedAt: nowIso, readyAt: row.readyAt ?? nowIso });
  else return null;
  return repo.orderById(tx, orderId)!;
}

/** Orders as the console shows them (for events published by the modules above). */
export function ordersView(db: Reader | Tx, rows: repo.OrderRow[]): Order[] {
  return toOrders(db, rows);
}

// ───────────── what other modules read from orders ─────────────

/** The resident's latest order that was not cancelled, with its lines ("和上次一样" on the kiosk). */
export function lastOrderOf(
  db: Reader | Tx,
  residentId: string,
): { serviceDate: string; mealPeriod: sites.Slot['mealPeriod']; lines: { dishId: string; name: string; quantity: number }[] } | null {
  const last = repo.lastOrderOf(db, residentId);
  if (!last) return null;
  return {
    serviceDate: last.serviceDate,
    mealPeriod: last.mealPeriod,
    lines: repo.linesOf(db, [last.id]).map((l) => ({ dishId: l.dishId, name: l.dishName, quantity: l.quantity })),
  };
}

/** The resident's latest counted order in a meal slot, at any canteen ("您今天已点过午餐，取餐号 3"). */
export function orderInSlot(db: Reader | Tx, residentId: string, slot: sites.Slot): repo.OrderRow | null {
  return repo.latestInSlot(db, residentId, slot.serviceDate, slot.mealPeriod) ?? null;
}

/**
 * The resident's own part of a price at a slot, as a kiosk's engine reads it: their facts, their subsidy rows of
 * its history window (the ISO week and the calendar month: all the engine reads), and whether this meal period
 * already had a subsidised meal.
 */
export function residentPricing(db: Reader | Tx, facts: ResidentFacts, slot: sites.Slot): ResidentPricing {
  const ledger = subsidyLedger(db);
  return {
    facts: { ...facts, categories: [...facts.categories], disabilityLevel: facts.disabilityLevel ?? null },
    history: [...ledger.historyOf(facts.id, historyWindow(slot.serviceDate).from, slot.serviceDate)],
    subsidisedThisSlot: ledger.hadSubsidisedMeal(facts.id, slot),
  };
}

/** A ledger over a resident's pricing as given (what a kiosk was sent), for the same pricing context the kiosk builds. */
export function ledgerOf(db: Reader | Tx, rp: ResidentPricing): pricing.SubsidyLedger {
  return {
    historyOf: (_r, from, to) => rp.history.filter((h) => h.serviceDate >= from && h.serviceDate <= to),
    hadSubsidisedMeal: () => rp.subsidisedThisSlot,
    layerSpent: (keys) => repo.layerSpent(db, keys),
  };
}

/** The residents who ate at a canteen on or after a date (a kiosk's offline cache keeps them). */
export function residentsWhoAteAt(db: Reader | Tx, canteenId: string, fromDate: string): string[] {
  return repo.residentIdsAt(db, canteenId, fromDate);
}

/** Subsidy rows and subsidised meal periods between two dates (a kiosk's offline cache; filtered by the caller). */
export function subsidisedBetween(
  db: Reader | Tx,
  from: string,
  to: string,
): { rows: (HistoryEntry & { residentId: string })[]; slots: { residentId: string; serviceDate: string; mealPeriod: sites.Slot['mealPeriod'] }[] } {
  return { rows: subsidyHistoryBetween(db, from, to), slots: repo.subsidisedSlotsBetween(db, from, to) };
}

/** What layers with a budget have paid so far. */
export function layerSpent(db: Reader | Tx, layerKeys: string[]): Record<string, number> {
  return repo.layerSpent(db, layerKeys);
}

/**
 * Orders that reached the server late and were flagged for review, with a service date in [from, to]; of one
 * reason when given (`subsidy_used_elsewhere` is a second subsidised meal in one meal period, stored with no
 * subsidy: the settlement's double_subsidy anomaly). Reads the indexed order_reviews table.
 */
export function flaggedReviews(
  db: Reader | Tx,
  f: { from: string; to: string; reason?: ReviewReason; canteenIds?: string[] },
): (OrderReview & { orderId: string; canteenId: string; residentId: string | null; serviceDate: string; mealPeriod: sites.Slot['mealPeriod'] })[] {
  return repo.flaggedReviews(db, f).map((v) => ({
    ...toReview(v),
    orderId: v.orderId,
    canteenId: v.canteenId,
    residentId: v.residentId,
    serviceDate: v.serviceDate,
    mealPeriod: v.mealPeriod,
  }));
}

/** A flagged late order as the review page reads it (order_reviews joined to its order). */
export interface LateReviewEntry extends OrderReview {
  orderId: string;
  canteenId: string;
  residentId: string | null;
  serviceDate: string;
  mealPeriod: sites.Slot['mealPeriod'];
  pickupNumber: number;
  orderState: OrderState;
  offline: boolean;
  createdAt: string;
  resolution: repo.OrderReviewRow['resolution'];
  resolutionNote: string | null;
  resolvedByName: string | null;
}

function toLateEntry(v: repo.LateReviewRow | (repo.OrderReviewRow & { pickupNumber: number; orderState: OrderState; offline: boolean })): LateReviewEntry {
  return {
    ...toReview(v),
    orderId: v.orderId,
    canteenId: v.canteenId,
    residentId: v.residentId,
    serviceDate: v.serviceDate,
    mealPeriod: v.mealPeriod,
    pickupNumber: v.pickupNumber,
    orderState: v.orderState,
    offline: v.offline,
    createdAt: v.createdAt,
    resolution: v.resolution,
    resolutionNote: v.resolutionNote,
    resolvedByName: v.resolvedByName,
  };
}

/** Flagged late orders of some canteens (the caller has already limited them to their scope), a page and the count. */
export function lateReviews(db: Reader, f: repo.LateReviewFilter, limit: number, offset: number): { items: LateReviewEntry[]; total: number } {
  const page = repo.lateReviews(db, f, limit, offset);
  return { items: page.items.map(toLateEntry), total: page.total };
}

/** One order's review with its order's facts (undefined: no such order, or it never reached the server late). */
export function lateReview(db: Reader | Tx, orderId: string): LateReviewEntry | undefined {
  const v = repo.reviewsOf(db, [orderId])[0];
  const o = v ? repo.orderById(db, orderId) : undefined;
  return v && o ? toLateEntry({ ...v, pickupNumber: o.pickupNumber, orderState: o.state, offline: o.offline }) : undefined;
}

/**
 * Settle a flagged review (in the caller's transaction, which also writes the audit row): false when it was not
 * flagged or is settled already.
 */
export function resolveLateReview(
  tx: Tx,
  orderId: string,
  r: { resolution: NonNullable<repo.OrderReviewRow['resolution']>; note: string; by: string; byName: string; at: Date },
): boolean {
  return repo.resolveReview(tx, orderId, {
    resolution: r.resolution,
    resolutionNote: r.note || null,
    resolvedAt: r.at.toISOString(),
    resolvedBy: r.by,
    resolvedByName: r.byName,
  });
}

/** Where and by which kiosk an order was placed, and its state (a kiosk may rate only its own orders). */
export function orderOrigin(db: Reader | Tx, id: string): { canteenId: string; deviceId: string | null; serviceDate: string; state: OrderState } | undefined {
  const row = repo.orderById(db, id);
  return row ? { canteenId: row.canteenId, deviceId: row.deviceId, serviceDate: row.serviceDate, state: row.state } : undefined;
}

export interface DayFigures {
  orders: number;
  subsidisedMeals: number;
  /** Received from elders (paid, ready, completed orders). */
  paidFen: number;
  awaitingFen: number;
  awaitingCount: number;
  refundedFen: number;
  byMethod: { cash: number; wallet: number; external: number };
}

/** Per canteen on one service date: counted orders, subsidised meals, and the elders' part by where it stands. */
export function dayFigures(db: Reader | Tx, serviceDate: string): Map<string, DayFigures> {
  const n = (v: number | null | undefined) => Number(v ?? 0);
  return new Map(
    repo.dayFigures(db, serviceDate).map((c) => [
      c.canteenId,
      {
        orders: n(c.orders),
        subsidisedMeals: n(c.subsidised),
        paidFen: n(c.paid),
        awaitingFen: n(c.awaiting),
        awaitingCount: n(c.awaitingCount),
        refundedFen: n(c.refunded),
        byMethod: { cash: n(c.cash), wallet: n(c.wallet), external: n(c.external) },
      },
    ]),
  );
}

/** A canteen's day added up in SQL (the daily close reads it): order groups, payments, subsidies. */
export function dayAggregates(db: Reader | Tx, canteenId: string, serviceDate: string) {
  return {
    orders: repo.dayOrderGroups(db, canteenId, serviceDate).map((g) => ({
      ...g,
      n: Number(g.n),
      mealPriceFen: Number(g.mealPriceFen),
      elderSubsidyFen: Number(g.elderSubsidyFen),
      elderPaysFen: Number(g.elderPaysFen),
      operatorSubsidyFen: Number(g.operatorSubsidyFen),
    })),
    payments: repo.dayPaymentGroups(db, canteenId, serviceDate).map((g) => ({ ...g, n: Number(g.n), amountFen: Number(g.amountFen) })),
    subsidies: repo.daySubsidyGroups(db, canteenId, serviceDate).map((g) => ({ ...g, n: Number(g.n), amountFen: Number(g.amountFen) })),
  };
}
export type DayAggregates = ReturnType<typeof dayAggregates>;

/** A small reference to an order, as the close lists those awaiting payment or changed after a close. */
export interface OrderRef {
  orderId: string;
  pickupNumber: number;
  mealPeriod: MealPeriod;
  state: OrderState;
  elderPaysFen: number;
  residentName: string | null;
  createdAt: string;
}
function refs(db: Reader | Tx, rows: repo.OrderRow[]): OrderRef[] {
  const names = residents.namesOf(
    db,
    rows.map((r) => r.residentId).filter((x): x is string => x !== null),
  );
  return rows.map((r) => ({
    orderId: r.id,
    pickupNumber: r.pickupNumber,
    mealPeriod: r.mealPeriod,
    state: r.state,
    elderPaysFen: r.elderPaysFen,
    residentName: r.residentId ? (names.get(r.residentId) ?? null) : null,
    createdAt: r.createdAt,
  }));
}

/** Counter orders of a canteen's day still waiting for staff to confirm the payment. */
export function awaitingPaymentOn(db: Reader | Tx, canteenId: string, serviceDate: string): OrderRef[] {
  return refs(db, repo.dayOrdersInState(db, canteenId, serviceDate, 'awaiting_payment'));
}

/** Orders of a canteen's day placed or changed at or after an instant (after the day was closed). */
export function changedSince(db: Reader | Tx, canteenId: string, serviceDate: string, since: string): OrderRef[] {
  return refs(db, repo.dayOrdersChangedSince(db, canteenId, serviceDate, since));
}

/** Meal periods a canteen served (counted orders) per day in [from, to]. */
export function servedSlots(db: Reader | Tx, canteenId: string, from: string, to: string): { serviceDate: string; mealPeriod: MealPeriod; orders: number }[] {
  return repo.servedSlots(db, canteenId, from, to).map((r) => ({ serviceDate: r.serviceDate, mealPeriod: r.mealPeriod, orders: Number(r.n) }));
}

/** A stored order as the what-if re-prices it: what was charged and the lines as sold. */
export interface StoredOrder {
  row: repo.ReplayOrderRow;
  lines: { dishId: string; unitPriceFen: number; quantity: number }[];
}
export type { SplitRow } from './orders.repo';

/**
 * Every counted order of some canteens between two service dates, in the order they were placed, with its lines: two
 * scans of the date range (no per-order query), lean rows. The stored splits are read only where needed (`splitsOf`).
 */
export function storedOrdersBetween(db: Reader | Tx, from: string, to: string, canteenIds: ReadonlySet<string>): StoredOrder[] {
  const out = new Map<string, StoredOrder>();
  for (const row of repo.replayOrders(db, from, to)) if (canteenIds.has(row.canteenId)) out.set(row.id, { row, lines: [] });
  for (const [orderId, dishId, unitPriceFen, quantity] of repo.replayLines(db, from, to)) out.get(orderId)?.lines.push({ dishId, unitPriceFen, quantity });
  return [...out.values()];
}

/** The stored split of each of these orders (every layer considered, in the order stored). */
export function splitsOf(db: Reader | Tx, orderIds: readonly string[]): Map<string, repo.SplitRow[]> {
  const out = new Map<string, repo.SplitRow[]>();
  for (const s of repo.splitsOf(db, orderIds)) {
    const list = out.get(s.orderId);
    if (list) list.push(s);
    else out.set(s.orderId, [s]);
  }
  return out;
}

/** The policy versions each of these orders was priced under. */
export function versionIdsOf(db: Reader | Tx, orderIds: readonly string[]): Map<string, string[]> {
  return repo.versionIdsOf(db, orderIds);
}

/** What each payer was paid, as stored, for the counted orders of some canteens between two service dates. */
export function paidByPayer(db: Reader | Tx, from: string, to: string, canteenIds: readonly string[]): { payer: string; kind: string; amountFen: number }[] {
  return repo.paidByPayer(db, from, to, canteenIds);
}

/** Everyone's paid subsidy rows with a service date in [from, to]: the history a replay starts from. */
export function subsidyHistoryBetween(db: Reader | Tx, from: string, to: string): (HistoryEntry & { residentId: string })[] {
  return repo.replayHistory(db, from, to);
}

/** What layers had paid for meals served before a date. */
export function layerSpentBefore(db: Reader | Tx, layerKeys: string[], beforeDate: string): Record<string, number> {
  return repo.layerSpent(db, layerKeys, beforeDate);
}

// ───────────── export ─────────────

/** An order as its export lists it. */
export interface OrderExportRow {
  createdAt: string;
  serviceDate: string;
  mealPeriod: MealPeriod;
  pickupNumber: number;
  residentName: string | null;
  residentCategory: string | null;
  lines: string;
  fulfilment: Fulfilment;
  identifyMethod: IdentifyMethod;
  mealPriceFen: number;
  elderSubsidyFen: number;
  elderPaysFen: number;
  operatorSubsidyFen: number;
  paymentMethod: PaymentMethod;
  state: OrderState;
}

const ACTIVE_STATES: readonly OrderState[] = ['awaiting_payment', 'paid', 'ready'];

/**
 * `GET /orders/export`: a canteen's orders as the list on screen narrows them (days, meal period, state, fulfilment,
 * payment method), read page by page. Scope is checked here, before the first byte (404 for a canteen the caller may not see).
 */
export function exportOrders(ctx: Ctx, actor: Actor, q: z.infer<typeof OrderExportQuery>): { canteen: sites.CanteenRow; rows: AsyncIterable<OrderExportRow> } {
  const canteen = sites.canteenById(ctx.db.read, q.canteenId);
  assertCanteen(actor, canteen);
  if (q.to < q.from) throw new AppError('bad_request', '`to` is before `from`', 400, { field: 'to' });
  if (addDays(q.from, 92) < q.to) throw new AppError('bad_request', 'at most 93 days at a time', 400, { field: 'to' });
  const states = q.state === 'active' ? ACTIVE_STATES : q.state ? [q.state] : undefined;
  const f = { canteenId: canteen.id, from: q.from, to: q.to, mealPeriod: q.mealPeriod, states, fulfilment: q.fulfilment, paymentMethod: q.paymentMethod };
  const db = ctx.db.read;
  async function* rows(): AsyncGenerator<OrderExportRow> {
    for await (const page of pagesOf((after, limit) => repo.ordersForExport(db, f, after, limit))) {
      const lines = repo.linesOf(
        db,
        page.map((o) => o.id),
      );
      const names = residents.namesOf(
        db,
        page.map((o) => o.residentId).filter((x): x is string => x !== null),
      );
      for (const o of page) {
        yield {
          createdAt: o.createdAt,
          serviceDate: o.serviceDate,
          mealPeriod: o.mealPeriod,
          pickupNumber: o.pickupNumber,
          residentName: o.residentId ? (names.get(o.residentId) ?? null) : null,
          residentCategory: o.residentCategory,
          lines: lines
            .filter((l) => l.orderId === o.id)
            .map((l) => `${l.dishName}×${l.quantity}`)
            .join('，'),
          fulfilment: o.fulfilment,
          identifyMethod: o.identifyMethod,
          mealPriceFen: o.mealPriceFen,
          elderSubsidyFen: o.elderSubsidyFen,
          elderPaysFen: o.elderPaysFen,
          operatorSubsidyFen: o.operatorSubsidyFen,
          paymentMethod: o.paymentMethod,
          state: o.state,
        };
      }
    }
  }
  return { canteen, rows: rows() };
}

/** Pages of rows keyed by rowid, 1000 at a time (an export never holds an open iterator on the read connection). */
async function* pagesOf<R extends { rowid: number }>(fetch: (after: number, limit: number) => R[]): AsyncGenerator<R[]> {
  let after = 0;
  for (;;) {
    const page = fetch(after, 1000);
    if (page.length) yield page;
    if (page.length < 1000) return;
    after = page[page.length - 1]!.rowid;
  }
}
