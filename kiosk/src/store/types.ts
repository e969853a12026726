import type { StateCreator } from 'zustand';
import type { KioskApi } from '../api';
import type { Params } from '../i18n';
import type { Storage } from '../storage';
import type { ClockSlice } from './clock';
import type { ConnectionSlice } from './connection';
import type { HelpSlice } from './help';
import type { KioskSlice } from './kiosk';
import type { OrderSlice } from './order';
import type { QuoteSlice } from './quote';
import type { RatingSlice } from './rating';
import type { SessionSlice } from './session';
import type { SettingsSlice } from './settings';
import type { UiSlice } from './ui';
import type { KioskOrder } from '@yishi/shared/schemas';

/** The screens, a small state machine. */
export type Screen =
  | { name: 'loading' }
  | { name: 'pairing'; revoked: boolean }
  | { name: 'start' }
  | { name: 'phone' }
  | { name: 'scan' }
  | { name: 'menu' }
  | { name: 'confirm' }
  | { name: 'ticket'; order: KioskOrder };

export interface Notice {
  kind: 'error' | 'info';
  key: string;
  params?: Params;
}

/** Small remembered settings (localStorage in the app, a Map in tests). */
export interface Prefs {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/** Everything the store needs from the outside world, injected so a test makes a fresh store with its own. */
export interface KioskDeps {
  api: KioskApi;
  storage: Storage;
  prefs: Prefs;
  /** Device clock, ms since the epoch. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** A new uuid v7 (orders, help calls). */
  newId: () => string;
  /** Timings (config.ts in the app). */
  timing: Timing;
}

export interface Timing {
  /** Debounce before asking the server for a quote after the basket changes. */
  quoteDebounceMs: number;
  /** Refetch /kiosk/state this often. */
  statePollMs: number;
  /** Send the outbox this often while online. */
  outboxMs: number;
  /** Order attempts on the confirm screen before it says "saved, will be sent later". */
  orderRetryDelaysMs: readonly number[];
  /** Longest wait on the confirm screen for a busy server (Retry-After) before saving the order for later. */
  maxOnScreenWaitMs: number;
  /** Help-call attempts before the kiosk says it could not reach staff. */
  helpMaxAttempts: number;
  /** Refill the offline cache this often while online (and at once after pairing or a start). */
  offlineCacheMs: number;
  /** Tell the server this kiosk's state (orders waiting, clock, cache age) this often. */
  heartbeatMs: number;
}

export type KioskStore = ClockSlice & SettingsSlice & UiSlice & KioskSlice & ConnectionSlice & SessionSlice & QuoteSlice & OrderSlice & HelpSlice & RatingSlice;

export type Slice<T> = (deps: KioskDeps) => StateCreator<KioskStore, [], [], T>;
