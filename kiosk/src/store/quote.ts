import type { Quote } from '@yishi/shared/schemas';
import { ApiError, errorCodeOf, NetworkError } from '../api';
import { offlineQuote, type OfflineQuote } from '../offlinePricing';
import type { SessionSlice } from './session';
import type { Slice } from './types';

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
