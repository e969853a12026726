import { learnServerTime } from './hooks';
import { v7 as uuidv7 } from 'uuid';
import type { IdentifyMethod, PaymentMethod } from '@yishi/shared/domain';
import type { z } from 'zod';
import type { CreateOrderRequest, IdentifyResponse, Order } from '@yishi/shared/schemas';
import { api, ApiError, errorCodeOf, NetworkError, type ApiResult } from './api';
import { config } from './config';
import { forgetKioskState, loadKioskState, saveKioskState } from './db';
import { enqueue, flush, isRetryable, prune, settle } from './outbox';
import { dexieOutbox } from './outboxDexie';
import { useKiosk } from './store';

const st = () => useKiosk.getState();

// ---------------------------------------------------------------- kiosk state

/** Fetch /kiosk/state. 401/403 → pairing; no network → the cached copy with the offline banner. */
export async function loadState(): Promise<void> {
  try {
    const r = await api.state();
    if (!r.fromCache) learnServerTime(r.data.serverTime);
    st().setKiosk(r.data, r.fromCache);
    if (!r.fromCache) void saveKioskState(r.data);
    const s = st().screen.name;
    if (s === 'loading' || s === 'pairing') st().go({ name: 'start' });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.code === 'unauthenticated' || e.code === 'device_revoked')) {
      await forgetKioskState();
      st().go({ name: 'pairing', revoked: e.code === 'device_revoked' });
      return;
    }
    if (e instanceof NetworkError) {
      st().setOffline(true);
      if (!st().kiosk) {
        const cached = await loadKioskState();
        if (cached) st().setKiosk(cached.state, true);
      }
      if (st().screen.name === 'loading') st().go({ name: 'start' });
      return;
    }
    console.error('[kiosk] state failed', e);
    if (st().screen.name === 'loading') st().go({ name: 'start' });
  }
}

export async function pair(code: string): Promise<void> {
  try {
    await api.pair(code);
    st().setNotice(null);
    await loadState();
  } catch (e) {
    st().setNotice({ kind: 'error', key: `error.${errorCodeOf(e)}` });
  }
}

// ---------------------------------------------------------------- identify

let identifying = false;

export async function identify(method: IdentifyMethod, call: () => Promise<ApiResult<z.infer<typeof IdentifyResponse>>>): Promise<boolean> {
  if (identifying) return false;
  identifying = true;
  st().setNotice({ kind: 'info', key: 'start.identifying' });
  try {
    const r = await call();
    st().beginSession({ resident: r.data.resident, ticket: r.data.ticket, method });
    st().go({ name: 'menu' });
    return true;
  } catch (e) {
    st().setNotice({ kind: 'error', key: `error.${errorCodeOf(e)}` });
    return false;
  } finally {
    identifying = false;
  }
}

export function startGuest(): void {
  st().beginSession(null);
  st().go({ name: 'menu' });
}

// ---------------------------------------------------------------- ordering (exactly once)

/**
 * One confirmation = one client id. The id and the exact body are kept until the server gives a
 * definitive answer, so a double tap, a retry after a timeout, or the outbox later all send the same
 * request, and the server's unique id returns the first order.
 */
let attempt: { body: CreateOrderRequest } | null = null;
let inFlight: Promise<void> | null = null;

export function pendingAttempt(): CreateOrderRequest | null {
  return attempt?.body ?? null;
}

/** Forget the attempt (after a definitive answer, or when the person changes the order). */
export function clearAttempt(): void {
  if (!inFlight) attempt = null;
}

const outbox = dexieOutbox();

export async function refreshPending(): Promise<void> {
  try {
    const rows = await outbox.all();
    st().setPendingOrders(rows.filter((r) => r.settled === null).length);
  } catch {
    /* ignore */
  }
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

export function placeOrder(payment: PaymentMethod, externalReference: string | null): Promise<void> {
  if (inFlight) return inFlight; // a second tap while the first is on its way: the same promise
  const s = st();
  if (!attempt) {
    const lines = s.cart.map((l) => ({ dishId: l.dishId, quantity: l.quantity }));
    const body: CreateOrderRequest = {
      id: uuidv7(),
      residentTicket: s.residentTicket,
      identifyMethod: s.resident ? s.identifyMethod : 'guest',
      lines,
      fulfilment: s.fulfilment,
      paymentMethod: payment,
      externalReference: payment === 'external' ? externalReference : null,
      deliveryAddress: s.fulfilment === 'delivery' ? (s.resident?.deliveryAddress ?? null) : null,
    };
    if (s.kiosk) body.canteenId = s.kiosk.canteen.id;
    attempt = { body };
  }
  const body = attempt.body;
  inFlight = run(body).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function run(body: CreateOrderRequest): Promise<void> {
  const delays = [0, 1000, 2000, 4000];
  st().setSubmit('submitting', 1);
  st().setNotice(null);
  for (let i = 0; i < delays.length; i++) {
    if (delays[i]) await sleep(delays[i]!);
    if (i > 0) st().setSubmit('retrying', i + 1);
    try {
      const r = await api.createOrder(body);
      await onOrder(body, r.data);
      return;
    } catch (e) {
      if (isRetryable(e)) {
        // No answer: remember it, so it is sent again (same id) even if this screen goes away.
        await enqueue(outbox, body).catch(() => undefined);
        await refreshPending();
        continue;
      }
      await onRejected(body, e);
      return;
    }
  }
  st().setSubmit('saved');
  st().setOffline(true);
}

async function onOrder(body: CreateOrderRequest, order: Order): Promise<void> {
  attempt = null;
  await settle(outbox, body.id, order).catch(() => undefined);
  await refreshPending();
  st().setOffline(false);
  st().setSubmit('idle');
  st().go({ name: 'ticket', order });
  // The order changed stock and the wallet: refresh what the start screen shows.
  void loadState();
}

async function onRejected(body: CreateOrderRequest, e: unknown): Promise<void> {
  attempt = null;
  await settle(outbox, body.id, null).catch(() => undefined);
  await refreshPending();
  st().setSubmit('idle');
  const code = errorCodeOf(e);
  st().setNotice({ kind: 'error', key: `error.${code}` });
  switch (code) {
    case 'sold_out':
    case 'dish_unavailable':
      await loadState();
      st().go({ name: 'menu' });
      break;
    case 'delivery_not_offered':
      st().setFulfilment('dine_in');
      st().go({ name: 'menu' });
      break;
    case 'canteen_closed':
    case 'menu_not_found':
    case 'unauthenticated':
    case 'resident_inactive':
    case 'device_revoked': {
      const keep = st().notice;
      st().endSession();
      st().setNotice(keep);
      if (code === 'device_revoked') await loadState();
      break;
    }
    default:
      // insufficient_balance, bad_request, …: stay on the confirmation screen (it re-quotes).
      break;
  }
}

/** Keep trying an order that got no answer (the person chose to wait). */
export function retrySaved(): Promise<void> {
  if (inFlight || !attempt) return inFlight ?? Promise.resolve();
  const body = attempt.body;
  inFlight = run(body).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

let flushing = false;
export async function flushOutbox(): Promise<void> {
  if (flushing) return;
  flushing = true;
  try {
    const current = attempt?.body.id;
    // The order on screen right now is retried by its own loop.
    const r = await flush(
      {
        ...outbox,
        all: async () => (await outbox.all()).filter((row) => row.id !== current || !inFlight),
      },
      async (b) => (await api.createOrder(b)).data,
    );
    if (r.sent.length > 0) st().setOffline(false);
    const mine = attempt ? r.sent.find((o) => o.id === attempt!.body.id) : undefined;
    if (mine && attempt && !inFlight) await onOrder(attempt.body, mine);
    await prune(outbox);
  } catch {
    /* next time */
  } finally {
    flushing = false;
    await refreshPending();
  }
}

export function startBackgroundJobs(): () => void {
  const poll = setInterval(() => void loadState(), config.statePollMs);
  const ob = setInterval(() => void flushOutbox(), config.outboxMs);
  const online = () => {
    void loadState();
    void flushOutbox();
  };
  const offline = () => st().setOffline(true);
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  void refreshPending();
  void flushOutbox();
  return () => {
    clearInterval(poll);
    clearInterval(ob);
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
  };
}
