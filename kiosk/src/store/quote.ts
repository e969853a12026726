import type { Quote } from '@yishi/shared/schemas';
import { ApiError, errorCodeOf, NetworkError } from '../api';
import { dishPrices, offlineQuote, withResidentPart, type DishPrice, type EnginePricingData, type OfflineQuote } from '../offlinePricing';
import type { SessionSlice } from './session';
import type { KioskStore, Slice } from './types';

/**
 * The server's price for the basket, asked again (debounced) whenever the basket, the way of eating or the
 * person changes. The basket and the confirm screen show this one quote, so the figures on both are the same
 * and add up to the charge. A quote refused because a dish sold out (409 sold_out, details.dishId) marks that
 * dish sold out, which takes it out of the basket with its name on screen, and a new quote follows.
 */
export interface QuoteSlice {
  /** The server's quote, or (offline) the kiosk's own from its cache and the shared engine (`offline: true`). */
  quote: Quote | OfflineQuote | null;
  /** The basket the quote is for (basketKey); a quote for another basket is never shown as current. */
  quoteKey: string | null;
  quoteStatus: 'idle' | 'loading' | 'ready' | 'unreachable' | 'error';
  quoteError: string | null;
  quoteSeq: number;
  requestQuote: (opts?: { immediate?: boolean }) => Promise<void>;
}

export function basketKey(s: Pick<SessionSlice, 'cart' | 'fulfilment' | 'residentTicket'> & Partial<Pick<SessionSlice, 'offlineId'>>): string {
  return JSON.stringify([s.residentTicket ?? s.offlineId?.credentialHash ?? null, s.fulfilment, s.cart.map((l) => [l.dishId, l.quantity])]);
}

/**
 * What one more of each dish adds to what the identified person pays (dish id → fen), for the dish cards; null
 * for a guest or while the facts are not known (the cards then show list prices). Offline from the cache the
 * basket is priced from; online from the open meal's /kiosk/pricing and the identification's own part.
 */
export function dishPricesFor(
  s: Pick<KioskStore, 'kiosk' | 'resident' | 'offlineId' | 'offlinePricing' | 'mealPricing' | 'cart' | 'fulfilment'>,
): Map<string, DishPrice> | null {
  const k = s.kiosk;
  const mine = s.resident?.pricing;
  if (!k?.mealPeriod || !k.menu || !mine) return null;
  let data: EnginePricingData | null = null;
  if (s.offlineId) data = s.offlinePricing;
  else if (
    s.mealPricing &&
    s.mealPricing.serviceDate === k.serviceDate &&
    s.mealPricing.mealPeriod === k.mealPeriod &&
    s.mealPricing.canteen.id === k.canteen.id
  ) {
    data = withResidentPart(s.mealPricing, mine);
  }
  if (!data) return null;
  try {
    return dishPrices(data, {
      slot: { serviceDate: k.serviceDate, mealPeriod: k.mealPeriod },
      resident: mine.facts,
      menu: k.menu,
      cart: s.cart,
      fulfilment: s.fulfilment,
    });
  } catch (e) {
    // A policy this build's engine cannot read: list prices on the cards, the server's quote in the basket.
    console.warn('[kiosk] dish prices', e);
    return null;
  }
}

export const quoteSlice: Slice<QuoteSlice> = (deps) => (set, get) => {
  /** The basket of a resident identified offline, priced from the cache (a guest offline pays list prices: listBill). */
  const priceOffline = (): OfflineQuote | null => {
    const s = get();
    const k = s.kiosk;
    const facts = s.resident?.pricing?.facts;
    if (!k?.mealPeriod || !k.menu || s.fulfilment !== 'dine_in' || !s.offlinePricing || !facts) return null;
    return offlineQuote(s.offlinePricing, {
      slot: { serviceDate: k.serviceDate, mealPeriod: k.mealPeriod },
      resident: facts,
      balanceFen: s.resident?.balanceFen ?? null,
      menu: k.menu,
      cart: s.cart,
      fulfilment: s.fulfilment,
    });
  };

  return {
    quote: null,
    quoteKey: null,
    quoteStatus: 'idle',
    quoteError: null,
    quoteSeq: 0,
    requestQuote: async (opts = {}) => {
      const seq = get().quoteSeq + 1;
      if (get().cart.length === 0) {
        set({ quoteSeq: seq, quote: null, quoteKey: null, quoteStatus: 'idle', quoteError: null });
        return;
      }
      set({ quoteSeq: seq, quoteStatus: 'loading' });
      if (!opts.immediate) await deps.sleep(deps.timing.quoteDebounceMs);
      if (get().quoteSeq !== seq) return;
      const s = get();
      const key = basketKey(s);
      // Identified from the offline cache: priced here, with the engine the server uses.
      if (s.offlineId) {
        const q = priceOffline();
        if (get().quoteSeq !== seq) return;
        set(
          q
            ? { quote: q, quoteKey: key, quoteStatus: 'ready', quoteError: null }
            : { quote: null, quoteKey: null, quoteStatus: 'unreachable', quoteError: 'offline' },
        );
        return;
      }
      try {
        const r = await s.track(
          deps.api.quote({
            residentTicket: s.residentTicket,
            lines: s.cart.map((l) => ({ dishId: l.dishId, quantity: l.quantity })),
            fulfilment: s.fulfilment,
          }),
        );
        if (get().quoteSeq !== seq) return;
        set({ quote: r.data, quoteKey: key, quoteStatus: 'ready', quoteError: null });
      } catch (e) {
        if (get().quoteSeq !== seq) return;
        // The network dropped after an online identification: go on from the offline cache, if it knows them.
        if (e instanceof NetworkError && e.retryAfterMs === null && (await get().continueOffline())) {
          if (get().quoteSeq === seq) await get().requestQuote({ immediate: true });
          return;
        }
        if (e instanceof ApiError && e.code === 'sold_out' && typeof e.details?.dishId === 'string') {
          set({ quoteStatus: 'idle' });
          get().markSoldOut(e.details.dishId);
          return;
        }
        set({ quote: null, quoteKey: null, quoteStatus: e instanceof NetworkError ? 'unreachable' : 'error', quoteError: errorCodeOf(e) });
      }
    },
  };
};
