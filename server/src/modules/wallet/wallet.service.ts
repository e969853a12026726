/**
 * A resident's wallet: the balance is the sum of its entries, and entries are only ever added (a refund is a
 * new entry). Top-ups, order payments and refunds are written here inside the caller's transaction, so the
 * action and its money commit together. Nothing but this module reads or writes wallet_entries.
 *
 * The wallet knows money, not people: who may see or top up whose wallet is decided by the resident register
 * (residents module, which serves /residents/:id/wallet and /wallet/topups); orders pay and refund through it.
 */
import { v7 as uuidv7 } from 'uuid';
import { AppError, type TopupRequest, type WalletView } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { Reader, Tx } from '../../db/client';
import { actorId, type Actor } from '../../lib/actor';
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

/** The balance and the latest entries of a resident's wallet (the caller has checked who may see it). */
export function walletView(db: Reader | Tx, residentId: string): z.infer<typeof WalletView> {
  return {
    residentId,
    balanceFen: repo.balanceOf(db, residentId),
    entries: repo.latestEntries(db, residentId, VIEW_ENTRIES).map((e) => ({
      id: e.id,
      kind: e.kind,
      amountFen: e.amountFen,
      orderId: e.orderId,
      canteenId: e.canteenId,
      method: e.method,
      reference: e.reference,
      createdAt: e.createdAt,
    })),
  };
}

/**
 * Record a top-up received at a canteen's counter, inside the caller's transaction, audited. The client's id
 * makes a retried or double-clicked top-up count once; the same id with anything else is refused.
 */
export function topup(tx: Tx, actor: Actor, at: Date, t: z.infer<typeof TopupRequest>): void {
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
  });
  audit.record(tx, actor, at, {
    action: 'wallet.topup',
    entityType: 'resident',
    entityId: t.residentId,
    details: { amountFen: t.amountFen, method: t.method, canteenId: t.canteenId },
  });
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
  });
}
