import { z } from 'zod';
import { COUNTER_PAYMENT_METHODS, WALLET_ENTRY_KINDS } from '../domain/enums';
import { Id, SignedFen, Uuid, singleLine } from './common';

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
});

export const WalletView = z.object({ residentId: z.string(), balanceFen: SignedFen, entries: z.array(WalletEntry) });
