/**
 * A quote's id is a signed token: it names the quote (a fresh uuid, stored on the order it places), who asked
 * (the kiosk or the staff user), the resident, the canteen, when it runs out, and a hash of everything the quote
 * priced. An order that names it is re-priced and must come to the same hash, or it is refused with the fresh
 * quote. Nothing is stored until an order uses it.
 */
import { AppError, type Quote } from '@yishi/shared/schemas';
import type { MealPeriod } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { FieldCrypto } from '../../lib/crypto';
import { sha256 } from '../../lib/crypto';

/** How long an elder has between seeing a price and confirming it. */
export const QUOTE_MINUTES = 10;

export interface QuoteToken {
  /** The quote's own id (stored on the order that uses it). */
  id: string;
  /** The caller who asked: a device id or a user id. */
  caller: string;
  residentId: string | null;
  canteenId: string;
  /** Expiry, epoch ms. */
  expires: number;
  /** sha256 of what the quote priced (see priceHash). */
  hash: string;
  /**
   * What the elder was shown, and for which meal: an order sent late from the kiosk's outbox (after the quote
   * ran out) is placed at this meal and compared with these figures.
   */
  serviceDate?: string;
  mealPeriod?: MealPeriod;
  elderPaysFen?: number;
  elderSubsidyFen?: number;
  policyVersionIds?: string[];
}

/** Everything a quote priced, and nothing that may move without changing the charge (the wallet balance). */
export function priceHash(q: Omit<Quote, 'quoteId' | 'balanceFen' | 'balanceAfterFen'>): string {
  return sha256(
    JSON.stringify([
      q.canteenId,
      q.residentId,
      q.serviceDate,
      q.mealPeriod,
      q.fulfilment,
      q.mealPriceFen,
      q.elderSubsidyFen,
      q.elderPaysFen,
      q.operatorSubsidyFen,
      q.lines.map((l) => [l.dishId, l.quantity, l.unitPriceFen, l.lineTotalFen, l.elderSubsidyFen]),
      q.subsidies.map((s) => [s.layerKey, s.amountFen, s.reason]),
      q.policyVersionIds,
    ]),
  );
}

export function issueQuoteId(crypto: FieldCrypto, q: Omit<Quote, 'quoteId'>, caller: string, now: Date): string {
  const token: QuoteToken = {
    id: uuidv7(),
    caller,
    residentId: q.residentId,
    canteenId: q.canteenId,
    expires: now.getTime() + QUOTE_MINUTES * 60_000,
    hash: priceHash(q),
    serviceDate: q.serviceDate,
    mealPeriod: q.mealPeriod,
    elderPaysFen: q.elderPaysFen,
    elderSubsidyFen: q.elderSubsidyFen,
    policyVersionIds: q.policyVersionIds,
  };
  const payload = Buffer.from(JSON.stringify(token)).toString('base64url');
  return `q1.${payload}.${crypto.sign(payload, 'quote')}`;
}

/** The token behind a quote id, if this server signed it; quote_invalid otherwise. */
export function readQuoteId(crypto: FieldCrypto, quoteId: string): QuoteToken {
  const [v, payload, sig] = quoteId.split('.');
  if (v !== 'q1' || !payload || !sig || !crypto.verify(payload, sig, 'quote')) throw new AppError('quote_invalid', 'this is not a quote of this server');
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as QuoteToken;
  } catch {
    throw new AppError('quote_invalid', 'this is not a quote of this server');
  }
}
