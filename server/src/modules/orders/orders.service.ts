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
  type OrderListQuery,
  type PickupStatus,
  type Quote,
  type QuoteRequest,
} from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { Evaluation, Fulfilment, HistoryEntry, IdentifyMethod, OrderState, PaymentMethod, ResidentFacts } from '@yishi/shared';
import type { StaffReason } from '@yishi/shared/schemas';
import { orderCategoryOn, STAFF_REASONS } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Reader, Tx } from '../../db/client';
import { UniqueViolation } from '../../db/errors';
import type { Ctx } from '../../lib/context';
import { actorId, assertCanteen, assertOperates, canSeeCanteen, canSeeResident, type Actor } from '../../lib/actor';
import { sha256 } from '../../lib/crypto';
import { readTicket } from '../../lib/ticket';
import * as audit from '../audit/audit.service';
import * as deliveries from '../deliveries/deliveries.service';
import * as menus from '../menus/menus.service';
import * as policy from '../policy/policy.service';
import * as pricing from '../pricing/pricing.service';
import * as residents from '../residents/residents.service';
import * as sites from '../sites/sites.service';
import * as wallet from '../wallet/wallet.service';
import * as repo from './orders.repo';
import { issueQuoteId, priceHash, readQuoteId } from './quote-token';

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
  return rows.map((o) =>
    orderView(
      o,
      lines.filter((l) => l.orderId === o.id).map(({ dishName, ...l }) => ({ ...l, name: dishName })),
      subs.filter((s) => s.orderId === o.id),
      o.residentId ? (names.get(o.residentId) ?? null) : null,
      after.get(o.id) ?? null,
    ),
  );
}

/** An order as the API shows it, from its row, its lines, its split, the resident's name and the balance after. */
function orderView(
  o: repo.OrderRow,
  lines: readonly Order['lines'][number][],
  subs: readonly Order['subsidies'][number][],
  residentName: string | null,
  balanceAfterFen: number | null,
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
      policyVersionId: s.policyVersionId,
      level: s.level,
      payer: s.payer,
      kind: s.kind,
      amountFen: s.amountFen,
      reason: s.reason,
    })),
    policyVersionIds: o.policyVersionIds,
    residentCategory: o.residentCategory,
    balanceAfterFen,
    deliveryAddress: o.deliveryAddress,
    paymentReference: o.paymentReference,
    staffReason: o.staffReason ? { code: o.staffReason, note: o.staffReasonNote ?? '' } : null,
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    readyAt: o.readyAt,
    completedAt: o.completedAt,
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
    createdAt: o.createdAt,
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
  return { ...q, quoteId: issueQuoteId(ctx.crypto, q, actorId(actor), ctx.clock.now()) };
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
  delivery: Omit<deliveries.NewDelivery, 'orderId' | 'canteenId' | 'residentId'> | null;
  /** Stable ids for a replayable load (the demo seed); new ones otherwise. */
  walletEntryId?: string;
  /** The quote the order was placed with (its own id): one order per quote. */
  quoteId?: string | null;
  /** The resident's facts it was priced with (null for a guest): the order keeps the category it counts under. */
  resident: ResidentFacts | null;
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
  if (o.delivery) deliveries.createForOrder(tx, { ...o.delivery, orderId: o.id, canteenId: o.canteenId, residentId: o.residentId });
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
  const order = orderView(recorded.row, recorded.lines, recorded.subsidies, residentName, recorded.balanceAfterFen);
  ctx.bus.publish({ type: 'order.created', canteenId: order.canteenId, order });
  const slot = { serviceDate: order.serviceDate, mealPeriod: order.mealPeriod };
  for (const dishId of body.lines.map((l) => l.dishId)) {
    const s = stock.get(dishId);
    if (s) ctx.bus.publish({ type: 'stock.changed', canteenId: order.canteenId, ...slot, ...s });
  }
  return { order: placedView(actor, order), created: true };
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
    mealPeriod: q.mealPeriod,
    state: q.state,
    residentId: q.residentId,
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
  menus.returnPortions(tx, row.canteenId, { serviceDate: row.serviceDate, mealPeriod: row.mealPeriod }, repo.linesOf(tx, [row.id]));
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

// ───────────── what other modules read from orders ─────────────

/** The resident's latest order that was not cancelled, with its lines ("和上次一样" on the kiosk). */
export function lastOrderOf(db: Reader | Tx, residentId: string): { serviceDate: string; lines: { dishId: string; name: string; quantity: number }[] } | null {
  const last = repo.lastOrderOf(db, residentId);
  if (!last) return null;
  return { serviceDate: last.serviceDate, lines: repo.linesOf(db, [last.id]).map((l) => ({ dishId: l.dishId, name: l.dishName, quantity: l.quantity })) };
}

/** Where and by which kiosk an order was placed, and its state (a kiosk may rate only its own orders). */
export function orderOrigin(db: Reader | Tx, id: string): { canteenId: string; deviceId: string | null; serviceDate: string; state: OrderState } | undefined {
  const row = repo.orderById(db, id);
  return row ? { canteenId: row.canteenId, deviceId: row.deviceId, serviceDate: row.serviceDate, state: row.state } : undefined;
}

/** Per canteen on one service date: counted orders, subsidised meals, and what elders paid. */
export function dayFigures(db: Reader | Tx, serviceDate: string): Map<string, { orders: number; subsidisedMeals: number; revenueFen: number }> {
  return new Map(
    repo
      .dayFigures(db, serviceDate)
      .map((c) => [c.canteenId, { orders: Number(c.orders), subsidisedMeals: Number(c.subsidised ?? 0), revenueFen: Number(c.revenue ?? 0) }]),
  );
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
