import { z } from 'zod';
import { COUNTER_PAYMENT_METHODS, PAYOUT_METHODS, RESIDENT_STATUSES, WALLET_ENTRY_KINDS } from '../domain/enums';
import { Fen, Id, SignedFen, Uuid, multiLine, nameText, singleLine } from './common';
import { Phone } from './residents';

export const TopupRequest = z.strictObject({
  /** Client-made id: a retried top-up is recorded once. */
  id: Uuid,
  residentId: Id,
  canteenId: Id,
  amountFen: z.number().int().min(100).max(200_000),
  method: z.enum(COUNTER_PAYMENT_METHODS),
  reference: singleLine(64, 0).nullable().default(null),
});

export const WalletEntry = z.object({
  id: z.string(),
  kind: z.enum(WALLET_ENTRY_KINDS),
  amountFen: SignedFen,
  orderId: z.string().nullable(),
  canteenId: z.string().nullable(),
  method: z.string().nullable(),
  reference: z.string().nullable(),
  createdAt: z.string(),
  /** Top-ups and payouts carry a receipt number. */
  receiptNo: z.string().nullable().default(null),
  /** The staff member who took or paid out the money, as named then. */
  createdByName: z.string().nullable().default(null),
});
export type WalletEntry = z.infer<typeof WalletEntry>;

/** Who a closed wallet's balance was paid out to. */
export const WalletPayout = z.object({
  entryId: z.string(),
  amountFen: Fen,
  recipientName: z.string(),
  recipientRelation: z.string(),
  recipientIdLast4: z.string().nullable(),
  recipientPhoneMasked: z.string().nullable(),
  method: z.enum(PAYOUT_METHODS),
  reference: z.string().nullable(),
  residentStatus: z.enum(RESIDENT_STATUSES),
  paidAt: z.string(),
  receiptNo: z.string().nullable(),
});
export type WalletPayout = z.infer<typeof WalletPayout>;

export const WalletView = z.object({
  residentId: z.string(),
  balanceFen: SignedFen,
  entries: z.array(WalletEntry),
  /** Closed by a payout: no more top-ups. */
  closed: z.boolean().default(false),
  payout: WalletPayout.nullable().default(null),
});

/** GET /residents/:id/wallet/entries: a page of the history, newest first, with the balance after each entry. */
export const WalletEntryPage = z.object({ items: z.array(WalletEntry.extend({ balanceAfterFen: SignedFen })), total: z.number().int() });
export const WalletEntryQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** GET /wallet/entries/:id/receipt: what a top-up (or payout) receipt prints. */
export const WalletReceipt = z.object({
  entryId: z.string(),
  kind: z.enum(WALLET_ENTRY_KINDS),
  receiptNo: z.string(),
  canteenName: z.string(),
  canteenPhone: z.string().nullable(),
  residentName: z.string(),
  /** Positive: what was received (top-up) or paid out (payout). */
  amountFen: Fen,
  balanceAfterFen: SignedFen,
  method: z.string().nullable(),
  reference: z.string().nullable(),
  operatorName: z.string().nullable(),
  createdAt: z.string(),
  /** For a payout: who received it. */
  recipient: z.object({ name: z.string(), relation: z.string(), idLast4: z.string().nullable(), phoneMasked: z.string().nullable() }).nullable(),
});
export type WalletReceipt = z.infer<typeof WalletReceipt>;

/**
 * POST /residents/:id/wallet/payout: a deceased or moved-out resident's whole balance to a named family member (the
 * server computes the amount); the wallet is closed after it.
 */
export const PayoutRequest = z
  .strictObject({
    /** Client-made id: a retried payout is recorded once. */
    id: Uuid,
    canteenId: Id,
    recipientName: nameText(30),
    recipientRelation: singleLine(20),
    recipientIdLast4: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^\d{3}[\dX]$/, 'the last 4 characters of an ID number')
      .nullable()
      .default(null),
    recipientPhone: Phone.nullable().default(null),
    method: z.enum(PAYOUT_METHODS),
    reference: singleLine(64, 0).nullable().default(null),
    note: multiLine(200, 0).nullable().default(null),
  })
  .refine((p) => p.recipientIdLast4 !== null || p.recipientPhone !== null, {
    message: 'the last 4 of their ID number or their phone',
    path: ['recipientIdLast4'],
  })
  .refine((p) => p.method !== 'transfer' || (p.reference !== null && p.reference !== ''), { message: 'a transfer needs its reference', path: ['reference'] });
