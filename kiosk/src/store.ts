import { create } from 'zustand';
import type { IdentifyMethod } from '@yishi/shared/domain';
import type { KioskResident, KioskState, LiveEvent, Order } from '@yishi/shared/schemas';
import type { Fulfilment } from './api';
import { initialLang, rememberLang, type Lang } from './i18n';

// ---------------------------------------------------------------- screens (a small state machine)

export type Screen =
  | { name: 'loading' }
  | { name: 'pairing'; revoked: boolean }
  | { name: 'start' }
  | { name: 'phone' }
  | { name: 'scan' }
  | { name: 'menu' }
  | { name: 'confirm' }
  | { name: 'ticket'; order: Order };

export type Notice = { kind: 'error' | 'info'; key: string; params?: Record<string, string | number> } | null;

// ---------------------------------------------------------------- kiosk slice: what the server says about this canteen

export interface KioskSlice {
  kiosk: KioskState | null;
  offline: boolean;
  pendingOrders: number;
  setKiosk: (state: KioskState, offline: boolean) => void;
  setOffline: (offline: boolean) => void;
  setPendingOrders: (n: number) => void;
  applyStock: (ev: Extract<LiveEvent, { type: 'stock.changed' }>) => boolean;
}

// ---------------------------------------------------------------- session slice: one person at the kiosk

export interface CartLine {
  dishId: string;
  quantity: number;
}

export interface SessionSlice {
  resident: KioskResident | null;
  residentTicket: string | null;
  identifyMethod: IdentifyMethod;
  cart: CartLine[];
  fulfilment: Fulfilment;
  beginSession: (who: { resident: KioskResident; ticket: string; method: IdentifyMethod } | null) => void;
  addDish: (dishId: string) => void;
  removeDish: (dishId: string) => void;
  setCart: (lines: CartLine[]) => void;
  setFulfilment: (f: Fulfilment) => void;
  endSession: () => void;
}

// ---------------------------------------------------------------- ui slice

export type SubmitStatus = 'idle' | 'submitting' | 'retrying' | 'saved';

export interface UiSlice {
  screen: Screen;
  notice: Notice;
  voice: boolean;
  lang: Lang;
  staffCalled: boolean;
  submitStatus: SubmitStatus;
  submitAttempt: number;
  go: (screen: Screen) => void;
  setNotice: (n: Notice) => void;
  toggleVoice: () => void;
  setLang: (lang: Lang) => void;
  setStaffCalled: (v: boolean) => void;
  setSubmit: (status: SubmitStatus, attempt?: number) => void;
}

export type KioskStore = KioskSlice & SessionSlice & UiSlice;

export const MAX_QTY = 20;

function readVoice(): boolean {
  try {
    return localStorage.getItem('yishi.kiosk.voice') !== 'off';
  } catch {
    return true;
  }
}

export const useKiosk = create<KioskStore>()((set, get) => ({
  // kiosk
  kiosk: null,
  offline: false,
  pendingOrders: 0,
  setKiosk: (kiosk, offline) => set({ kiosk, offline }),
  setOffline: (offline) => set({ offline }),
  setPendingOrders: (pendingOrders) => set({ pendingOrders }),
  applyStock: (ev) => {
    const k = get().kiosk;
    if (!k?.menu || k.menu.serviceDate !== ev.serviceDate || k.menu.mealPeriod !== ev.mealPeriod || k.canteen.id !== ev.canteenId) return false;
    let hit = false;
    const items = k.menu.items.map((it) => {
      if (it.dish.id !== ev.dishId) return it;
      hit = true;
      return { ...it, remaining: ev.remaining, soldOut: ev.soldOut };
    });
    if (!hit) return false;
    set({ kiosk: { ...k, menu: { ...k.menu, items } } });
    return true;
  },

  // session
  resident: null,
  residentTicket: null,
  identifyMethod: 'guest',
  cart: [],
  fulfilment: 'dine_in',
  beginSession: (who) =>
    set({
      resident: who?.resident ?? null,
      residentTicket: who?.ticket ?? null,
      identifyMethod: who?.method ?? 'guest',
      cart: [],
      fulfilment: 'dine_in',
      notice: null,
    }),
  addDish: (dishId) =>
    set((s) => {
      const found = s.cart.find((l) => l.dishId === dishId);
      if (!found) return { cart: [...s.cart, { dishId, quantity: 1 }] };
      return {
        cart: s.cart.map((l) => (l.dishId === dishId ? { ...l, quantity: Math.min(MAX_QTY, l.quantity + 1) } : l)),
      };
    }),
  removeDish: (dishId) =>
    set((s) => ({
      cart: s.cart.flatMap((l) => (l.dishId !== dishId ? [l] : l.quantity > 1 ? [{ ...l, quantity: l.quantity - 1 }] : [])),
    })),
  setCart: (cart) => set({ cart }),
  setFulfilment: (fulfilment) => set({ fulfilment }),
  endSession: () =>
    set({
      resident: null,
      residentTicket: null,
      identifyMethod: 'guest',
      cart: [],
      fulfilment: 'dine_in',
      notice: null,
      submitStatus: 'idle',
      submitAttempt: 0,
      staffCalled: false,
      screen: { name: 'start' },
    }),

  // ui
  screen: { name: 'loading' },
  notice: null,
  voice: readVoice(),
  lang: initialLang(),
  staffCalled: false,
  submitStatus: 'idle',
  submitAttempt: 0,
  go: (screen) => set({ screen }),
  setNotice: (notice) => set({ notice }),
  toggleVoice: () =>
    set((s) => {
      const voice = !s.voice;
      try {
        localStorage.setItem('yishi.kiosk.voice', voice ? 'on' : 'off');
      } catch {
        /* ignore */
      }
      return { voice };
    }),
  setLang: (lang) => {
    rememberLang(lang);
    set({ lang });
  },
  setStaffCalled: (staffCalled) => set({ staffCalled }),
  setSubmit: (submitStatus, submitAttempt = 0) => set({ submitStatus, submitAttempt }),
}));

// ---------------------------------------------------------------- selectors

export const cartCount = (s: Pick<SessionSlice, 'cart'>): number => s.cart.reduce((n, l) => n + l.quantity, 0);

export function quantityOf(cart: readonly CartLine[], dishId: string): number {
  return cart.find((l) => l.dishId === dishId)?.quantity ?? 0;
}
