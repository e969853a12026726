/**
 * A resident's wallet: the balance is the sum of its entries, and entries are only ever added (a refund is a
 * new entry). Top-ups, order payments and refunds are written here inside the caller's transaction, so the
 * action and its money commit together. Nothing but this module reads or writes wallet_entries.
 *
 * The wallet knows money, not people: who may see or top up whose wallet is decided by the resident register
 * (residents module, which serves /residents/:id/wallet and /wallet/topups); orders pay and refund through it.
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError, type TopupRequest, type WalletEntry, type WalletEntryPage, type WalletPayout, type WalletView } from '@yishi/shared/schemas';
import type { PayoutMethod, ResidentStatus } from '@yishi/shared';
import type { z } from 'zod';
import type { Reader, Tx } from '../../db/client';
import { actorId, type Actor } from '../../lib/actor';
import { maskPhone } from '../../lib/crypto';
import { keysetPages } from '../../lib/exports';
import * as audit from '../audit/audit.service';
import * as repo from './wallet.repo';

/** How many entries a wallet view lists (newest first). */
const VIEW_ENTRIES = 200;

export function balanceOf(db: Reader | Tx, residentId: string): number {
  return repo.balanceOf(db, residentId);
}

/** Balances of many residents in one query; a resident without entries is absent (balance 0). */
export function balancesOf(db: Reader | Tx, residentIds: string[]): Map<string, number> {
  return repo.balancesOf(db, residentIds);
}

/** The balance right after each listed order's wallet payment (orders paid otherwise are absent). */
export function balancesAfterPayment(db: Reader | Tx, orderIds: string[]): Map<string, number> {
  return repo.balancesAfterPayment(db, orderIds);
}

function toEntry(e: repo.WalletEntryRow): WalletEntry {
  return {
    id: e.id,
    kind: e.kind,
    amountFen: e.amountFen,
    orderId: e.orderId,
    canteenId: e.canteenId,
    method: e.method,
    reference: e.reference,
    createdAt: e.createdAt,
    receiptNo: e.receiptNo,
    createdByName: e.createdByName,
  };
}

function toPayout(p: repo.PayoutRow, entry: repo.WalletEntryRow): WalletPayout {
  return {
    entryId: p.entryId,
    amountFen: -entry.amountFen,
    recipientName: p.recipientName,
    recipientRelation: p.recipientRelation,
    recipientIdLast4: p.recipientIdLast4,
    recipientPhoneMasked: p.recipientPhoneLast4 ? maskPhone(p.recipientPhoneLast4) : null,
    method: p.method,
    reference: p.reference,
    residentStatus: p.residentStatus,
    paidAt: entry.createdAt,
    receiptNo: entry.receiptNo,
  };
}

/** The payout that closed a resident's wallet, if there was one. */
export function payoutOf(db: Reader | Tx, residentId: string): WalletPayout | null {
  const p = repo.payoutOf(db, residentId);
  const entry = p ? repo.entryById(db, p.entryId) : undefined;
  return p && entry ? toPayout(p, entry) : null;
}

/** The balance and the latest entries of a resident's wallet (the caller has checked who may see it). */
export function walletView(db: Reader | Tx, residentId: string): z.infer<typeof WalletView> {
  const payout = payoutOf(db, residentId);
  return {
    residentId,
    balanceFen: repo.balanceOf(db, residentId),
    entries: repo.latestEntries(db, residentId, VIEW_ENTRIES).map(toEntry),
    closed: payout !== null,
    payout,
  };
}

/** A page of a resident's wallet history, newest first, each entry with the balance right after it. */
export function entriesPage(db: Reader | Tx, residentId: string, limit: number, offset: number): z.infer<typeof WalletEntryPage> {
  const { items, total } = repo.entriesPage(db, residentId, limit, offset);
  return { items: items.map((e) => ({ ...toEntry(e), balanceAfterFen: e.balanceAfterFen })), total };
}

/** An entry with the balance right after it (a receipt prints both). */
export function entryWithBalance(db: Reader | Tx, entryId: string): (WalletEntry & { residentId: string; balanceAfterFen: number }) | null {
  const e = repo.entryById(db, entryId);
  return e ? { ...toEntry(e), residentId: e.residentId, balanceAfterFen: repo.balanceAfter(db, entryId) } : null;
}

/** Entries for an export, read page by page in insertion order (keyset on rowid; never an open iterator). */
export async function* entriesForExport(
  db: Reader,
  f: { residentId?: string; canteenIds?: string[]; from?: string; to?: string },
): AsyncGenerator<WalletEntry & { residentId: string }> {
  for await (const e of keysetPages(
    (after: number | undefined, limit) => repo.entriesAfter(db, f, after ?? 0, limit),
    (e) => e.rowid,
  )) {
    yield { ...toEntry(e), residentId: e.residentId };
  }
}

/** Whether a payout closed this wallet (no more top-ups). */
export function isClosed(db: Reader | Tx, residentId: string): boolean {
  return repo.hasPayout(db, residentId);
}

/** The next receipt number of a canteen's day: '<prefix>-NNNN' (inside the writer's transaction, so never twice). */
function nextReceiptNo(tx: Tx, prefix: string): string {
  return `${prefix}-${String(repo.receiptsWithPrefix(tx, `${prefix}-`) + 1).padStart(4, '0')}`;
}

/**
 * Record a top-up received at a canteen's counter, inside the caller's transaction, audited, with a receipt number
 * (`receiptPrefix`: the canteen's code and local day, '<code>-<YYYYMMDD>'). The client's id makes a retried or
 * double-clicked top-up count once; the same id with anything else is refused. A wallet closed by a payout takes none.
 */
export function topup(tx: Tx, actor: Actor, at: Date, t: z.infer<typeof TopupRequest>, opts: { receiptPrefix: string }): void {
  const existing = repo.entryById(tx, t.id);
  if (existing) {
    const same =
      existing.kind === 'topup' &&
      existing.residentId === t.residentId &&
      existing.amountFen === t.amountFen &&
      existing.canteenId === t.canteenId &&
      existing.method === t.method &&
      existing.reference === t.reference;
    if (!same) throw new AppError('idempotency_mismatch', 'that top-up id was already used for a different top-up');
    return;
  }
  if (repo.hasPayout(tx, t.residentId)) throw new AppError('wallet_closed', 'this wallet was paid out and closed; it takes no top-ups');
  repo.insertEntry(tx, {
    id: t.id,
    residentId: t.residentId,
    kind: 'topup',
    amountFen: t.amountFen,
    orderId: null,
    canteenId: t.canteenId,
    method: t.method,
    reference: t.reference,
    createdBy: actorId(actor),
    createdAt: at.toISOString(),
    createdByName: actor.kind === 'user' ? actor.user.displayName : null,
    receiptNo: nextReceiptNo(tx, opts.receiptPrefix),
  });
  audit.record(tx, actor, at, {
    action: 'wallet.topup',
    entityType: 'resident',
    entityId: t.residentId,
    details: { amountFen: t.amountFen, method: t.method, canteenId: t.canteenId, entryId: t.id },
  });
}

export interface PayoutInput {
  /** Client-made id (the entry's id): a retried payout is recorded once. */
  id: string;
  residentId: string;
  canteenId: string;
  residentStatus: ResidentStatus;
  recipientName: string;
  recipientRelation: string;
  recipientIdLast4: string | null;
  recipientPhoneEnc: string | null;
  recipientPhoneLast4: string | null;
  method: PayoutMethod;
  reference: string | null;
  note: string | null;
  receiptPrefix: string;
}

/**
 * Pay out a closed-out resident's whole balance to a named family member, inside the caller's transaction: one
 * `payout` entry of minus the balance (computed here, in the writer, so nothing can slip in between), the
 * recipient's details, an audit row. The balance is then 0 and the wallet takes no more top-ups. A retry with the
 * same id answers the first payout; a second payout of the same wallet is refused.
 */
export function payOut(tx: Tx, actor: Actor, at: Date, p: PayoutInput): WalletPayout {
  const existing = repo.entryById(tx, p.id);
  if (existing) {
    const payout = repo.payoutOf(tx, p.residentId);
    if (existing.kind !== 'payout' || existing.residentId !== p.residentId || !payout || payout.entryId !== p.id)
      throw new AppError('idempotency_mismatch', 'that payout id was already used for something else');
    return toPayout(payout, existing);
  }
  if (repo.hasPayout(tx, p.residentId)) throw new AppError('wallet_closed', 'this wallet was already paid out and closed');
  const balance = repo.balanceOf(tx, p.residentId);
  if (balance <= 0) throw new AppError('invalid_state', 'there is no balance to pay out', 409, { balanceFen: balance });
  const entry: repo.WalletEntryRow = {
    id: p.id,
    residentId: p.residentId,
    kind: 'payout',
    amountFen: -balance,
    orderId: null,
    canteenId: p.canteenId,
    method: p.method,
    reference: p.reference,
    createdBy: actorId(actor),
    createdAt: at.toISOString(),
    createdByName: actor.kind === 'user' ? actor.user.displayName : null,
    receiptNo: nextReceiptNo(tx, p.receiptPrefix),
  };
  repo.insertEntry(tx, entry);
  const row: repo.PayoutRow = {
    entryId: p.id,
    residentId: p.residentId,
    recipientName: p.recipientName,
    recipientRelation: p.recipientRelation,
    recipientIdLast4: p.recipientIdLast4,
    recipientPhoneEnc: p.recipientPhoneEnc,
    recipientPhoneLast4: p.recipientPhoneLast4,
    method: p.method,
    reference: p.reference,
    residentStatus: p.residentStatus,
    note: p.note,
  };
  repo.insertPayout(tx, row);
  audit.record(tx, actor, at, {
    action: 'wallet.payout',
    entityType: 'resident',
    entityId: p.residentId,
    details: {
      amountFen: balance,
      method: p.method,
      canteenId: p.canteenId,
      entryId: p.id,
      recipientName: p.recipientName,
      recipientRelation: p.recipientRelation,
      residentStatus: p.residentStatus,
    },
  });
  return toPayout(row, entry);
}

export interface OrderMoney {
  /** A stable id for replayable loads (the demo seed); a new one otherwise. */
  id?: string;
  residentId: string;
  orderId: string;
  canteenId: string;
  amountFen: number;
  /** ISO instant. */
  at: string;
  /** Who took the money (user or device id); null for the system. */
  by: string | null;
}

/**
 * Take an order's price from the wallet, inside the order's transaction; refuses when the balance is short.
 * Returns the balance right after the payment.
 */
export function payForOrder(tx: Tx, p: OrderMoney): number {
  const balance = repo.balanceOf(tx, p.residentId);
  if (balance < p.amountFen) {
    throw new AppError('insufficient_balance', `the wallet holds ${balance} fen; this meal needs ${p.amountFen}`, 409, {
      balanceFen: balance,
      neededFen: p.amountFen,
    });
  }
  repo.insertEntry(tx, {
    id: p.id ?? uuidv7(),
    residentId: p.residentId,
    kind: 'payment',
    amountFen: -p.amountFen,
    orderId: p.orderId,
    canteenId: p.canteenId,
    method: 'wallet',
    reference: null,
    createdAt: p.at,
    createdBy: p.by,
    createdByName: null,
    receiptNo: null,
  });
  return balance - p.amountFen;
}

/** Give an order's price back to the wallet, inside the refund's transaction. */
export function refundOrder(tx: Tx, p: OrderMoney & { reason: string }): void {
  repo.insertEntry(tx, {
    id: p.id ?? uuidv7(),
    residentId: p.residentId,
    kind: 'refund',
    amountFen: p.amountFen,
    orderId: p.orderId,
    canteenId: p.canteenId,
    method: 'wallet',
    reference: p.reason,
    createdAt: p.at,
    createdBy: p.by,
    createdByName: null,
    receiptNo: null,
  });
}

/** A top-up recorded by the system (the demo seed's opening balances), inside the caller's transaction. */
export function recordTopup(
  tx: Tx,
  e: { id: string; residentId: string; canteenId: string; amountFen: number; method: 'cash' | 'external'; at: string; by: string | null },
): void {
  repo.insertEntry(tx, {
    id: e.id,
    residentId: e.residentId,
    kind: 'topup',
    amountFen: e.amountFen,
    orderId: null,
    canteenId: e.canteenId,
    method: e.method,
    reference: null,
    createdBy: e.by,
    createdAt: e.at,
    createdByName: null,
    receiptNo: null,
  });
}
