import type { PaymentMethod } from '@yishi/shared/domain';
import type { CreateOrderRequest, KioskOrder } from '@yishi/shared/schemas';
import { ApiError, errorCodeOf, isRetryable, retryAfterOf } from '../api';
import { enqueue, settle } from '../outbox';
import { listBill } from '../basket';
import { serverNow } from './clock';
import { basketKey } from './quote';
import type { KioskStore, Slice } from './types';

/**
 * Ordering exactly once. One confirmation = one client-made id: the id and the exact body are kept (here, and in
 * the outbox before the first attempt) until the server gives a definitive answer, so a double tap, a retry
 * after a lost answer, a reload, or the outbox later all send the same request, and the server's unique id
 * returns the first order.
 */
export type SubmitStatus = 'idle' | 'submitting' | 'retrying' | 'saved';

export interface OrderSlice {
  /** The order being confirmed (kept until a definitive answer). */
  pendingOrder: CreateOrderRequest | null;
  /** The attempt running now: a second tap gets the same promise. */
  orderInFlight: Promise<void> | null;
  submitStatus: SubmitStatus;
  submitAttempt: number;
  /** The server is busy: the next attempt is at this device time (for a countdown). */
  submitWaitUntil: number | null;
  placeOrder: (payment: PaymentMethod, externalReference: string | null) => Promise<void>;
  /** Keep trying an order that got no answer (the person chose to wait). */
  retrySaved: () => Promise<void>;
  /** Forget the confirmed order (the person changed it); never while it is on its way. */
  clearAttempt: () => void;
  /** The server's definitive answer to an order (from the confirm screen or the outbox). */
  orderSettled: (id: string, order: KioskOrder | null, error: { code: string; details?: Record<string, unknown> } | null) => void;
}

/**
 * The order the person confirmed, as it is sent (and kept in the outbox until answered): with the quote they
 * saw (the server charges exactly that, or refuses with the new figure), or, when the kiosk priced it itself
 * with the network down, with what it showed (the server prices it again and keeps it as served). Null when
 * nothing was priced for this basket.
 */
export function newOrderBody(s: KioskStore, id: string, nowIso: string, payment: PaymentMethod, externalReference: string | null): CreateOrderRequest | null {
  const base: CreateOrderRequest = {
    id,
    residentTicket: s.residentTicket,
    identifyMethod: s.resident ? s.identifyMethod : 'guest',
    lines: s.cart.map((l) => ({ dishId: l.dishId, quantity: l.quantity })),
    fulfilment: s.fulfilment,
    paymentMethod: payment,
    externalReference: payment === 'external' ? externalReference : null,
    deliveryAddress: s.fulfilment === 'delivery' ? (s.resident?.deliveryAddress ?? null) : null,
    clientCreatedAt: nowIso,
    clockOffsetMs: s.serverOffsetMs === null ? null : Math.round(s.serverOffsetMs),
  };
  if (s.kiosk) base.canteenId = s.kiosk.canteen.id;
  const current = s.quote && s.quoteKey === basketKey(s) ? s.quote : null;
  if (current && !('offline' in current)) return { ...base, quoteId: current.quoteId };
  // Priced here from the offline cache: the order carries what the person saw and how they were identified.
  if (current && 'offline' in current) {
    const walletOk = payment === 'wallet' && !!s.offlineId && current.elderPaysFen <= (s.offlineWalletLeftFen ?? 0) && (current.balanceAfterFen ?? -1) >= 0;
    if (payment === 'external' || (payment === 'wallet' && !walletOk)) return null;
    return {
      ...base,
      residentTicket: null,
      residentId: s.offlineId ? current.residentId : null,
      identifyMethod: s.offlineId ? s.offlineId.method : 'guest',
      deliveryAddress: null,
      offline: {
        serviceDate: current.serviceDate,
        mealPeriod: current.mealPeriod,
        quotedElderPaysFen: current.elderPaysFen,
        quotedElderSubsidyFen: current.elderSubsidyFen,
        policyVersionIds: current.policyVersionIds,
        clockOffsetMs: s.serverOffsetMs === null ? null : Math.round(s.serverOffsetMs),
        identifiedBy: s.offlineId ? { method: s.offlineId.method, credentialHash: s.offlineId.credentialHash, keyId: s.offlineId.keyId } : null,
      },
    };
  }
  // A guest while the server cannot be reached and there is no offline cache: list prices, paid at the counter.
  const list = !s.resident && s.fulfilment === 'dine_in' ? listBill(s.cart, s.kiosk?.menu) : null;
  if (list && s.kiosk?.mealPeriod && payment === 'cash') {
    return {
      ...base,
      residentTicket: null,
      offline: {
        serviceDate: s.kiosk.serviceDate,
        mealPeriod: s.kiosk.mealPeriod,
        quotedElderPaysFen: list.elderPaysFen,
        quotedElderSubsidyFen: 0,
        policyVersionIds: [],
        clockOffsetMs: s.serverOffsetMs === null ? null : Math.round(s.serverOffsetMs),
        identifiedBy: null,
      },
    };
  }
  return null;
}

export const orderSlice: Slice<OrderSlice> = (deps) => (set, get) => {
  const onScreen = (id: string) => get().pendingOrder?.id === id;

  async function run(body: CreateOrderRequest): Promise<void> {
    const outbox = deps.storage.outbox;
    const now = deps.now();
    set({ submitStatus: 'submitting', submitAttempt: 1, submitWaitUntil: null });
    await enqueue(outbox, body, new Date(now), serverNow(get(), now)).catch((e: unknown) => console.warn('[kiosk] outbox unavailable', e));
    // Known to be offline: one quick try, then say calmly that it is saved (no long wait at the screen).
    const delays = get().network === 'offline' ? [0] : deps.timing.orderRetryDelaysMs;
    let asked: number | null = null;
    for (let i = 0; i < delays.length; i++) {
      const wait = Math.max(delays[i] ?? 0, asked ?? 0);
      if (wait > deps.timing.maxOnScreenWaitMs) break;
      if (wait > 0) {
        set({ submitWaitUntil: asked !== null ? deps.now() + wait : null });
        await deps.sleep(wait);
      }
      if (!onScreen(body.id)) {
        void get().refreshPending(); // the person left; the outbox sends it
        return;
      }
      if (i > 0) set({ submitStatus: 'retrying', submitAttempt: i + 1, submitWaitUntil: null });
      try {
        const r = await get().track(deps.api.createOrder(body));
        await settle(outbox, body.id, r.data).catch(() => undefined);
        get().orderSettled(body.id, r.data, null);
        return;
      } catch (e) {
        if (isRetryable(e)) {
          asked = retryAfterOf(e);
          continue;
        }
        const code = errorCodeOf(e);
        await settle(outbox, body.id, null, code).catch(() => undefined);
        get().orderSettled(body.id, null, { code, details: e instanceof ApiError ? e.details : undefined });
        return;
      }
    }
    if (onScreen(body.id)) set({ submitStatus: 'saved', submitWaitUntil: null });
    await get().refreshPending();
  }

  /**
   * An order priced here offline counts against the resident at once: its subsidy (no second subsidised meal in
   * this meal period at this kiosk) and its wallet payment (the day's offline limit).
   */
  const recordOffline = async (body: CreateOrderRequest): Promise<void> => {
    const s = get();
    const q = s.quote;
    if (!body.offline || !body.residentId || !q) return;
    const walletFen = body.paymentMethod === 'wallet' ? body.offline.quotedElderPaysFen : 0;
    await deps.storage.offline
      .recordOrder(
        {
          residentKey: body.residentId,
          serviceDate: body.offline.serviceDate,
          mealPeriod: body.offline.mealPeriod,
          canteenId: q.canteenId,
          subsidies: q.subsidies.filter((l) => l.kind === 'meal').map((l) => ({ layerKey: l.layerKey, amountFen: l.amountFen })),
          walletFen,
        },
        new Date(deps.now()),
      )
      .catch((e: unknown) => console.warn('[kiosk] offline record', e));
    if (walletFen > 0) set({ offlineWalletLeftFen: Math.max(0, (s.offlineWalletLeftFen ?? 0) - walletFen) });
  };

  const start = (body: CreateOrderRequest): Promise<void> => {
    const p: Promise<void> = run(body)
      .catch((e: unknown) => console.error('[kiosk] order', e))
      .finally(() => {
        if (get().orderInFlight === p) set({ orderInFlight: null });
      });
    set({ orderInFlight: p });
    return p;
  };

  return {
    pendingOrder: null,
    orderInFlight: null,
    submitStatus: 'idle',
    submitAttempt: 0,
    submitWaitUntil: null,

    placeOrder: (payment, externalReference) => {
      const s = get();
      if (s.orderInFlight) return s.orderInFlight;
      let body = s.pendingOrder;
      if (!body) {
        const made = newOrderBody(s, deps.newId(), new Date(deps.now()).toISOString(), payment, externalReference);
        if (!made) return Promise.resolve();
        body = made;
        set({ pendingOrder: body, notice: null });
        if (made.offline) return recordOffline(made).then(() => start(made));
      }
      return start(body);
    },

    retrySaved: () => {
      const s = get();
      if (s.orderInFlight) return s.orderInFlight;
      if (!s.pendingOrder) return Promise.resolve();
      return start(s.pendingOrder);
    },

    clearAttempt: () => {
      if (!get().orderInFlight) set({ pendingOrder: null, submitStatus: 'idle' });
    },

    orderSettled: (id, order, error) => {
      void get().refreshPending();
      if (!onScreen(id)) return;
      if (order) {
        set({ pendingOrder: null, submitStatus: 'idle', submitWaitUntil: null, cart: [], notice: null, screen: { name: 'ticket', order } });
        // The order changed stock and the wallet: refresh what the next screen shows.
        void get().loadState();
        return;
      }
      const code = error?.code ?? 'internal';
      set({ pendingOrder: null, submitStatus: 'idle', submitWaitUntil: null, notice: { kind: 'error', key: `error.${code}` } });
      switch (code) {
        case 'sold_out': {
          const dishId = error?.details?.dishId;
          if (typeof dishId === 'string' && get().cart.some((l) => l.dishId === dishId)) {
            // Names the dish, takes it out, and the confirm screen prices what is left (or goes back to the menu).
            get().markSoldOut(dishId);
          } else {
            void get().loadState();
            set({ screen: { name: 'menu' } });
          }
          break;
        }
        case 'dish_unavailable':
          void get().loadState();
          set({ screen: { name: 'menu' } });
          break;
        case 'delivery_not_offered':
          set({ fulfilment: 'dine_in', screen: { name: 'menu' } });
          break;
        case 'canteen_closed':
        case 'menu_not_found':
        case 'unauthenticated':
        case 'resident_inactive':
        case 'device_revoked': {
          const keep = get().notice;
          get().endSession();
          set({ notice: keep });
          if (code === 'device_revoked') void get().loadState();
          break;
        }
        default:
          // insufficient_balance, bad_request, …: stay on the confirm screen and price again (the balance may have changed).
          void get().requestQuote({ immediate: true });
          break;
      }
    },
  };
};
