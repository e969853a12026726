import { createContext, createElement, useContext, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { v7 as uuidv7 } from 'uuid';
import { api } from '../api';
import { indexedDbStorage } from '../storage';
import { clockSlice } from './clock';
import { connectionSlice } from './connection';
import { helpSlice } from './help';
import { kioskSlice } from './kiosk';
import { orderSlice } from './order';
import { basketKey, quoteSlice } from './quote';
import { ratingSlice } from './rating';
import { sessionSlice } from './session';
import { settingsSlice } from './settings';
import type { KioskDeps, KioskStore, Prefs, Timing } from './types';
import { uiSlice } from './ui';

export type { KioskDeps, KioskStore, Notice, Prefs, Screen, Timing } from './types';
export { MAX_QTY, type CartLine } from './session';
export { basketKey, dishPricesFor } from './quote';
export { serverNow } from './clock';

export type KioskStoreApi = StoreApi<KioskStore>;

/**
 * The kiosk's whole state: one zustand store made of slices (state + actions each), with the outside world
 * (API, storage, clock, timers) injected. The app makes one; every test makes a fresh one.
 */
export function createKioskStore(deps: KioskDeps): KioskStoreApi {
  const store = createStore<KioskStore>()((...a) => ({
    ...clockSlice(deps)(...a),
    ...settingsSlice(deps)(...a),
    ...uiSlice(deps)(...a),
    ...kioskSlice(deps)(...a),
    ...connectionSlice(deps)(...a),
    ...sessionSlice(deps)(...a),
    ...quoteSlice(deps)(...a),
    ...orderSlice(deps)(...a),
    ...helpSlice(deps)(...a),
    ...ratingSlice(deps)(...a),
  }));
  // Derived work, in one place: a changed menu is checked against the basket; a changed basket is priced again.
  store.subscribe((s, prev) => {
    if (s.kiosk !== prev.kiosk) s.reconcileCart();
    const now = store.getState();
    if (basketKey(now) !== basketKey(prev)) void now.requestQuote();
  });
  return store;
}

export const DEFAULT_TIMING: Timing = {
  quoteDebounceMs: 250,
  statePollMs: 60_000,
  outboxMs: 15_000,
  orderRetryDelaysMs: [0, 1000, 2000, 4000],
  maxOnScreenWaitMs: 15_000,
  helpMaxAttempts: 12,
  offlineCacheMs: 15 * 60_000,
  heartbeatMs: 60_000,
};

export function localPrefs(): Prefs {
  return {
    get: (key) => {
      try {
        return localStorage.getItem(key);
      } catch {
        return null;
      }
    },
    set: (key, value) => {
      try {
        localStorage.setItem(key, value);
      } catch {
        /* private mode or full: settings last for this page only */
      }
    },
  };
}

/** The deps of the real kiosk in a browser. */
export function browserDeps(timing: Partial<Timing> = {}): KioskDeps {
  return {
    api,
    storage: indexedDbStorage(),
    prefs: localPrefs(),
    now: () => Date.now(),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    random: Math.random,
    newId: () => uuidv7(),
    timing: { ...DEFAULT_TIMING, ...timing },
  };
}

const StoreContext = createContext<KioskStoreApi | null>(null);

export function KioskStoreProvider({ store, children }: { store: KioskStoreApi; children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children);
}

export function useKioskStore(): KioskStoreApi {
  const store = useContext(StoreContext);
  if (!store) throw new Error('KioskStoreProvider is missing');
  return store;
}

/** Select from the kiosk store (re-renders when the selected value changes). */
export function useKiosk<T>(selector: (s: KioskStore) => T): T {
  return useStore(useKioskStore(), selector);
}
