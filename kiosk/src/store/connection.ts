import { ApiError, NetworkError, isRetryable } from '../api';
import { backoffMs, nextWaitMs } from '../backoff';
import { flush, prune, unsettledCount } from '../outbox';
import type { Slice } from './types';

/**
 * Is the server there, and what waits for it. Every request goes through `track`, so any answer counts as
 * contact and any failure to get one as "offline". While offline a cheap probe (GET /health) runs with backoff
 * (1 s, 2 s, 4 s … 30 s), so the kiosk notices the network is back even when the browser's `online` event never
 * fires; when it is back the outbox is sent (oldest first) and the menu refreshed. A busy server (429/503 with
 * Retry-After) is left alone for as long as it asks.
 */

/** How long after start the offline cache is first filled (the start screen comes first). */
export const FIRST_CACHE_FILL_DELAY_MS = 4000;
export interface ConnectionSlice {
  network: 'online' | 'offline';
  /** Failed probes in a row (drives the backoff). */
  probeAttempt: number;
  /** Device time of the next probe while offline. */
  nextProbeAt: number | null;
  /** The server asked us to wait until then (Retry-After). */
  busyUntil: number | null;
  /** Orders kept on the kiosk that the server has not answered yet. */
  pendingOrders: number;
  /** The outbox has been counted since the kiosk started. */
  pendingChecked: boolean;
  flushing: boolean;
  flushAttempt: number;
  nextFlushAt: number;
  nextStateAt: number;
  nextCacheCheckAt: number;
  /** Device time of the next offline-cache refill and heartbeat (while online). */
  nextCacheFillAt: number;
  nextHeartbeatAt: number;
  /** The offline cache: when the server made it (server time), or null while there is none. */
  offlineCacheIssuedAt: string | null;
  /** Fill the offline cache from the server now (a failure keeps the one there is). */
  refreshOfflineCache: () => Promise<void>;
  sendHeartbeat: () => Promise<void>;
  /** Run a request and learn from its outcome whether the server is reachable or busy. */
  track: <T>(p: Promise<T>) => Promise<T>;
  /** The browser says the network is gone (a hint; the probe decides when it is back). */
  noteOffline: () => void;
  /** The browser says the network is back: probe, send and refresh now. */
  noteOnline: () => void;
  probe: () => Promise<boolean>;
  flushOutbox: () => Promise<void>;
  refreshPending: () => Promise<void>;
  /** One step of the background work (called every second by startBackgroundJobs; directly in tests). */
  backgroundTick: () => Promise<void>;
  startBackgroundJobs: (target?: Pick<Window, 'addEventListener' | 'removeEventListener'>) => () => void;
}

export const connectionSlice: Slice<ConnectionSlice> = (deps) => (set, get) => {
  const contact = () => {
    if (get().network === 'online') return;
    const now = deps.now();
    // Back: send what waited and refresh the menu at once.
    set({ network: 'online', probeAttempt: 0, nextProbeAt: null, nextFlushAt: now, flushAttempt: 0, nextStateAt: now });
    // A basket the network left unpriced (a person identified online, caught mid-order) is priced again at once:
    // its pay buttons wait for a price, and nothing else would ask for one until the basket changed.
    if (get().quoteStatus === 'unreachable' && get().cart.length > 0 && !get().offlineId) void get().requestQuote({ immediate: true });
  };
  const lost = (retryAfterMs: number | null) => {
    const s = get();
    const attempt = s.network === 'offline' ? s.probeAttempt + 1 : 0;
    set({ network: 'offline', probeAttempt: attempt, nextProbeAt: deps.now() + nextWaitMs(attempt, retryAfterMs, deps.random) });
  };
  const busy = (retryAfterMs: number | null) => {
    set({ busyUntil: deps.now() + (retryAfterMs ?? backoffMs(0, deps.random)) });
  };

  return {
    network: 'online',
    probeAttempt: 0,
    nextProbeAt: null,
    busyUntil: null,
    pendingOrders: 0,
    pendingChecked: false,
    flushing: false,
    flushAttempt: 0,
    nextFlushAt: 0,
    nextStateAt: deps.now() + deps.timing.statePollMs,
    nextCacheCheckAt: 0,
    nextCacheFillAt: 0,
    nextHeartbeatAt: 0,
    offlineCacheIssuedAt: null,

    refreshOfflineCache: async () => {
      try {
        const r = await get().track(deps.api.offlineCache());
        await deps.storage.offline.replace(r.data, new Date(deps.now()));
        set({ offlineCacheIssuedAt: r.data.issuedAt });
      } catch (e) {
        if (e instanceof ApiError && e.code === 'device_revoked') return; // loadState forgets everything
        console.warn('[kiosk] offline cache', e);
      }
    },

    sendHeartbeat: async () => {
      const s = get();
      try {
        const r = await s.track(
          deps.api.heartbeat({
            pendingOrders: s.pendingOrders,
            clockOffsetMs: s.serverOffsetMs === null ? null : Math.round(s.serverOffsetMs),
            cacheFetchedAt: s.offlineCacheIssuedAt,
          }),
        );
        get().learnServerTime(r.data.serverTime);
      } catch {
        /* the next one goes in a minute */
      }
    },

    track: async (p) => {
      try {
        const r = await p;
        contact();
        return r;
      } catch (e) {
        if (e instanceof NetworkError) {
          // A 503 page that says when to come back (a proxy in front of a busy server) is "busy", not "offline".
          if (e.retryAfterMs !== null) busy(e.retryAfterMs);
          else lost(null);
        } else if (e instanceof ApiError) {
          contact();
          if (isRetryable(e) && (e.status === 429 || e.status === 503)) busy(e.retryAfterMs);
        }
        throw e;
      }
    },

    noteOffline: () => {
      if (get().network === 'offline') return;
      lost(null);
    },
    noteOnline: () => {
      const now = deps.now();
      set({ nextProbeAt: now, nextFlushAt: now, flushAttempt: 0, nextStateAt: now });
    },

    probe: async () => {
      set({ nextProbeAt: null });
      try {
        const r = await get().track(deps.api.health());
        get().learnServerTime(r.data.time);
        return true;
      } catch {
        if (get().network === 'offline' && get().nextProbeAt === null) lost(null);
        return false;
      }
    },

    refreshPending: async () => {
      try {
        const rows = await deps.storage.outbox.all();
        // The order being sent from the confirm screen right now is not "waiting" (it may be answered any moment).
        const s = get();
        const sending = s.submitStatus === 'submitting' || s.submitStatus === 'retrying' ? s.pendingOrder?.id : undefined;
        set({ pendingOrders: unsettledCount(rows.filter((r) => r.id !== sending)), pendingChecked: true });
      } catch {
        /* storage unavailable: keep the last count */
      }
    },

    flushOutbox: async () => {
      if (get().flushing) return;
      set({ flushing: true });
      try {
        const s = get();
        // The order on screen is being sent by its own loop right now.
        const skip = new Set(s.orderInFlight && s.pendingOrder ? [s.pendingOrder.id] : []);
        const r = await flush(deps.storage.outbox, async (body) => (await get().track(deps.api.createOrder(body))).data, new Date(deps.now()), skip);
        if (r.stillPending > 0) {
          const attempt = get().flushAttempt;
          set({ flushAttempt: attempt + 1, nextFlushAt: deps.now() + nextWaitMs(attempt, r.retryAfterMs, deps.random) });
        } else set({ flushAttempt: 0, nextFlushAt: deps.now() + deps.timing.outboxMs });
        for (const o of r.sent) get().orderSettled(o.id, o, null);
        for (const x of r.rejected) get().orderSettled(x.id, null, { code: x.code });
        await prune(deps.storage.outbox, new Date(deps.now()));
      } catch (e) {
        console.warn('[kiosk] outbox', e);
      } finally {
        set({ flushing: false });
        await get().refreshPending();
      }
    },

    backgroundTick: async () => {
      const now = deps.now();
      // Counted on the first tick, not at start: the outbox's storage is not needed for the first paint.
      if (!get().pendingChecked) await get().refreshPending();
      if (now >= get().nextCacheCheckAt) {
        set({ nextCacheCheckAt: now + 10 * 60_000 });
        await deps.storage.offline
          .dropIfExpired(new Date(now))
          .then(async () => {
            const st = await deps.storage.offline.status(new Date(now));
            set({ offlineCacheIssuedAt: st.state === 'fresh' ? st.issuedAt : null });
          })
          .catch(() => undefined);
      }
      const s = get();
      if (s.network === 'offline') {
        if (s.nextProbeAt !== null && now >= s.nextProbeAt) await s.probe();
        return;
      }
      if (s.busyUntil !== null && now < s.busyUntil) return;
      if (now >= s.nextStateAt) {
        set({ nextStateAt: now + deps.timing.statePollMs });
        await s.loadState();
      }
      if (get().network === 'online' && get().pendingOrders > 0 && now >= get().nextFlushAt) await get().flushOutbox();
      // Only a paired kiosk has a cache to fill and a state to report.
      if (get().network !== 'online' || !get().kiosk) return;
      if (now >= get().nextHeartbeatAt) {
        set({ nextHeartbeatAt: now + deps.timing.heartbeatMs });
        await get().sendHeartbeat();
      }
      if (get().network === 'online' && now >= get().nextCacheFillAt) {
        set({ nextCacheFillAt: now + deps.timing.offlineCacheMs });
        await get().refreshOfflineCache();
      }
    },

    startBackgroundJobs: (target = window) => {
      // The first fill of the offline cache (a download, thousands of hashes into IndexedDB) waits until the start
      // screen is up: at start-up it competed with the first paint (0.98 → 1.6 s usable at 4× CPU). After pairing
      // it still fills at once.
      if (get().nextCacheFillAt === 0) set({ nextCacheFillAt: deps.now() + FIRST_CACHE_FILL_DELAY_MS });
      const timer = setInterval(() => void get().backgroundTick(), 1000);
      const online = () => get().noteOnline();
      const offline = () => get().noteOffline();
      target.addEventListener('online', online);
      target.addEventListener('offline', offline);
      return () => {
        clearInterval(timer);
        target.removeEventListener('online', online);
        target.removeEventListener('offline', offline);
      };
    },
  };
};
