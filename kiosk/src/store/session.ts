import { ageOn, type Fulfilment, type IdentifyMethod, type OfflineIdentifyMethod } from '@yishi/shared/domain';
import type { z } from 'zod';
import type { IdentifyResponse, KioskResident, KioskState, MenuItem } from '@yishi/shared/schemas';
import type { ApiResult } from '../api';
import { ApiError, errorCodeOf, NetworkError } from '../api';
import { formatClock } from '../format';
import type { OfflineIdentity, OfflinePricingData } from '../offlineCache';
import { offlineQuote, withResidentPart } from '../offlinePricing';
import type { Lang } from '../i18n';
import { BASKET_NOTICES, isSoldOut } from '../menuLogic';
import type { Notice, Slice } from './types';

export const MAX_QTY = 20;

export interface CartLine {
  dishId: string;
  quantity: number;
  /** The dish's names when it was chosen, so a dish that leaves the menu can still be named. */
  name: string;
  nameEn: string | null;
}

/**
 * One person at the kiosk: who they are, what they chose, and their own language and voice switch. Everything
 * here starts fresh for the next person (endSession): Chinese, voice on, empty basket.
 */
export interface SessionSlice {
  resident: KioskResident | null;
  residentTicket: string | null;
  identifyMethod: IdentifyMethod;
  /**
   * Identified from the offline cache (the server could not be reached): the keyed hash that matched, which the
   * order carries instead of a ticket, and what the engine reads to price for them here. Null online.
   */
  offlineId: { method: OfflineIdentifyMethod; credentialHash: string; keyId: string } | null;
  offlinePricing: OfflinePricingData | null;
  /** Identified offline: what the wallet may still pay today at this kiosk (the canteen's offline limit a day). */
  offlineWalletLeftFen: number | null;
  /**
   * Identified online: the same person in the offline cache (the keyed hash of the card, QR or phone + PIN they
   * showed), looked up after the tap. If the network drops before the order, the kiosk goes on with it as if they
   * had been identified offline (continueOffline) instead of leaving them with a basket it cannot price.
   */
  offlineFallback: OfflineIdentity | null;
  /** The network dropped while an online-identified person orders: price and order from the offline cache. */
  continueOffline: () => Promise<boolean>;
  identifying: boolean;
  cart: CartLine[];
  fulfilment: Fulfilment;
  lang: Lang;
  voice: boolean;
  identifyCard: (cardNumber: string) => Promise<boolean>;
  identifyQr: (token: string) => Promise<boolean>;
  identifyPhonePin: (phone: string, pin: string) => Promise<boolean>;
  startGuest: () => void;
  addDish: (dishId: string) => void;
  removeDish: (dishId: string) => void;
  /** Replace the basket ("same as last time"). */
  setCart: (lines: { dishId: string; quantity: number }[]) => void;
  setFulfilment: (f: Fulfilment) => void;
  setLang: (lang: Lang) => void;
  toggleVoice: () => void;
  /** Back to the start screen for the next person. */
  endSession: () => void;
  /** The menu changed (live stock, a refresh, a sold_out answer): take out what can no longer be had, and say so. */
  reconcileCart: () => void;
}

type Identify = () => Promise<ApiResult<z.infer<typeof IdentifyResponse>>>;

export function dishName(line: Pick<CartLine, 'name' | 'nameEn'> | { name: string; nameEn: string | null }, lang: Lang): string {
  return lang === 'en' && line.nameEn ? line.nameEn : line.name;
}

export const FRESH_PERSON = {
  resident: null,
  residentTicket: null,
  identifyMethod: 'guest' as IdentifyMethod,
  offlineId: null as SessionSlice['offlineId'],
  offlinePricing: null as OfflinePricingData | null,
  offlineWalletLeftFen: null as number | null,
  offlineFallback: null as OfflineIdentity | null,
  cart: [] as CartLine[],
  fulfilment: 'dine_in' as Fulfilment,
  lang: 'zh-CN' as Lang,
  voice: true,
};

/**
 * The resident as the menu shows them, from the offline cache: a masked name, the balance when the cache was
 * filled, and whether a meal subsidy applies now (the engine run on each dish, as the server does).
 */
function offlineResident(found: OfflineIdentity, data: OfflinePricingData, kiosk: KioskState): KioskResident {
  const r = found.resident;
  const slot = { serviceDate: kiosk.serviceDate, mealPeriod: kiosk.mealPeriod! };
  let subsidy: KioskResident['subsidy'] = { available: false, reason: 'no_menu' };
  for (const item of kiosk.menu?.items ?? []) {
    const q = offlineQuote(data, {
      slot,
      resident: r.facts,
      balanceFen: r.balanceFen,
      menu: kiosk.menu!,
      cart: [{ dishId: item.dish.id, quantity: 1 }],
      fulfilment: 'dine_in',
    });
    if (q && q.elderSubsidyFen > 0) {
      subsidy = { available: true, reason: null };
      break;
    }
    if (q && subsidy.reason === 'no_menu') subsidy = { available: false, reason: q.subsidies.find((l) => l.kind === 'meal')?.reason ?? 'no_policy' };
  }
  return {
    id: r.residentKey,
    name: r.maskedName,
    gender: r.gender,
    age: ageOn(r.facts.birthDate, kiosk.serviceDate),
    balanceFen: r.balanceFen,
    dietNeeds: r.dietNeeds,
    allergies: r.allergies,
    canDeliver: false,
    deliveryAddress: null,
    subsidy,
    alreadyOrdered: null,
    lastOrder: null,
    pricing: { facts: r.facts, history: data.history, subsidisedThisSlot: data.subsidisedThisSlot },
  };
}

/**
 * Why a person was not identified. A wrong PIN says how many tries are left before the lock, and a lock says until
 * when (in the canteen's time), so nobody keeps typing into a lock that even the right PIN cannot open.
 */
export function identifyRefusal(e: unknown): Notice {
  const code = errorCodeOf(e);
  const details = e instanceof ApiError ? e.details : undefined;
  if (code === 'pin_wrong' && typeof details?.triesLeft === 'number' && details.triesLeft > 0)
    return { kind: 'error', key: 'error.pin_wrong_tries', params: { n: details.triesLeft } };
  if (code === 'pin_locked' && typeof details?.lockedUntil === 'string' && !Number.isNaN(Date.parse(details.lockedUntil)))
    return { kind: 'error', key: 'error.pin_locked_until', params: { time: formatClock(new Date(details.lockedUntil)) } };
  return { kind: 'error', key: `error.${code}` };
}

export const sessionSlice: Slice<SessionSlice> = (deps) => (set, get) => {
  /** What to look up offline: a card or QR code, or phone + PIN (its wrong tries counted and locked per phone). */
  type OfflineLookup = { method: 'card' | 'qr'; value: string } | { method: 'phone_pin'; phone: string; pin: string };

  /** The server cannot be reached: the person is looked up in the offline cache. */
  const identifyOffline = async (by: OfflineLookup): Promise<boolean> => {
    const kiosk = get().kiosk;
    const now = new Date(deps.now());
    const method = by.method;
    if (!kiosk?.mealPeriod || !kiosk.menu) {
      set({ notice: { kind: 'error', key: 'error.canteen_closed' } });
      return false;
    }
    let found: OfflineIdentity | null;
    if (by.method === 'phone_pin') {
      const r = await deps.storage.offline.lookupPhonePin(by.phone, by.pin, now).catch(() => null);
      if (!r) {
        set({ notice: { kind: 'error', key: 'error.offline_phone' } });
        return false;
      }
      if (!r.ok) {
        set({ notice: { kind: 'error', key: `error.${r.code}` } });
        return false;
      }
      found = r.identity;
    } else {
      found = await deps.storage.offline.lookup(by.method, by.value, now).catch(() => null);
    }
    const data = found
      ? await deps.storage.offline
          .pricingData(found.resident.residentKey, { serviceDate: kiosk.serviceDate, mealPeriod: kiosk.mealPeriod }, now)
          .catch(() => null)
      : null;
    if (!found || !data) {
      set({ notice: { kind: 'error', key: 'error.offline_unknown' } });
      return false;
    }
    const spent = await deps.storage.offline.walletSpent(found.resident.residentKey, kiosk.serviceDate).catch(() => data.walletOfflineLimitFen);
    set({
      resident: offlineResident(found, data, kiosk),
      residentTicket: null,
      identifyMethod: method,
      offlineId: { method, credentialHash: found.credentialHash, keyId: found.keyId },
      offlinePricing: data,
      offlineWalletLeftFen: Math.max(0, data.walletOfflineLimitFen - spent),
      offlineFallback: null,
      cart: [],
      fulfilment: 'dine_in',
      notice: null,
      screen: { name: 'menu' },
    });
    return true;
  };

  /** The lookup findFallback started last (continueOffline waits for it: the network can drop right after the tap). */
  let fallbackLookup: Promise<void> = Promise.resolve();
  /** After an online identification: the same person in the offline cache, kept in case the network drops. */
  const findFallback = (by: OfflineLookup, ticket: string, residentId: string): void => {
    fallbackLookup = lookupFallback(by, ticket, residentId).catch(() => undefined);
  };
  const lookupFallback = async (by: OfflineLookup, ticket: string, residentId: string): Promise<void> => {
    const now = new Date(deps.now());
    const found =
      by.method === 'phone_pin'
        ? await deps.storage.offline
            .lookupPhonePin(by.phone, by.pin, now)
            .then((r) => (r?.ok ? r.identity : null))
            .catch(() => null)
        : await deps.storage.offline.lookup(by.method, by.value, now).catch(() => null);
    // Still the same person, and the cache knows them by the same record.
    if (found && get().residentTicket === ticket && found.resident.residentKey === residentId) set({ offlineFallback: found });
  };

  const identify = async (method: IdentifyMethod, call: Identify, offline: OfflineLookup): Promise<boolean> => {
    if (get().identifying) return false;
    set({ identifying: true, notice: { kind: 'info', key: 'start.identifying' } });
    try {
      const r = await get().track(call());
      set({
        resident: r.data.resident,
        residentTicket: r.data.ticket,
        identifyMethod: method,
        offlineId: null,
        offlinePricing: null,
        offlineWalletLeftFen: null,
        offlineFallback: null,
        cart: [],
        fulfilment: 'dine_in',
        notice: null,
        screen: { name: 'menu' },
      });
      findFallback(offline, r.data.ticket, r.data.resident.id);
      return true;
    } catch (e) {
      if (e instanceof NetworkError && e.retryAfterMs === null) return await identifyOffline(offline);
      set({ notice: identifyRefusal(e) });
      return false;
    } finally {
      set({ identifying: false });
    }
  };

  const menuItem = (dishId: string): MenuItem | undefined => get().kiosk?.menu?.items.find((i) => i.dish.id === dishId);

  return {
    ...FRESH_PERSON,
    identifying: false,
    identifyCard: (cardNumber) => identify('card', () => deps.api.identifyCard(cardNumber), { method: 'card', value: cardNumber }),
    identifyQr: (token) => identify('qr', () => deps.api.identifyQr(token), { method: 'qr', value: token }),
    identifyPhonePin: (phone, pin) => identify('phone_pin', () => deps.api.identifyPhonePin(phone, pin), { method: 'phone_pin', phone, pin }),
    continueOffline: async () => {
      await fallbackLookup;
      const s = get();
      const found = s.offlineFallback;
      const k = s.kiosk;
      if (!found || s.offlineId || !s.resident || s.identifyMethod === 'guest' || !k?.mealPeriod || !k.menu) return false;
      const now = new Date(deps.now());
      const data = await deps.storage.offline
        .pricingData(found.resident.residentKey, { serviceDate: k.serviceDate, mealPeriod: k.mealPeriod }, now)
        .catch(() => null);
      if (!data) return false;
      const spent = await deps.storage.offline.walletSpent(found.resident.residentKey, k.serviceDate).catch(() => data.walletOfflineLimitFen);
      const now2 = get();
      if (now2.offlineFallback !== found || now2.offlineId || !now2.resident) return false;
      // What the server said at the tap is fresher than the cache (a meal eaten elsewhere since it was filled).
      const mine = now2.resident.pricing;
      set({
        residentTicket: null,
        offlineId: { method: now2.identifyMethod as OfflineIdentifyMethod, credentialHash: found.credentialHash, keyId: found.keyId },
        offlinePricing: mine ? { ...data, ...withResidentPart(data, mine) } : data,
        offlineWalletLeftFen: Math.max(0, data.walletOfflineLimitFen - spent),
        resident: mine
          ? now2.resident
          : { ...now2.resident, pricing: { facts: found.resident.facts, history: data.history, subsidisedThisSlot: data.subsidisedThisSlot } },
      });
      return true;
    },
    startGuest: () =>
      set({
        resident: null,
        residentTicket: null,
        identifyMethod: 'guest',
        offlineId: null,
        offlinePricing: null,
        offlineWalletLeftFen: null,
        offlineFallback: null,
        cart: [],
        fulfilment: 'dine_in',
        notice: null,
        screen: { name: 'menu' },
      }),
    addDish: (dishId) => {
      const item = menuItem(dishId);
      if (!item || isSoldOut(item)) return;
      const limit = item.remaining === null ? MAX_QTY : Math.min(MAX_QTY, item.remaining);
      get().clearAttempt();
      // A notice that the basket lost a dish has been seen once the person chooses again (the dish may be back on sale).
      const notice = get().notice;
      if (notice && BASKET_NOTICES.includes(notice.key)) set({ notice: null });
      set((s) => {
        const found = s.cart.find((l) => l.dishId === dishId);
        if (!found) return { cart: [...s.cart, { dishId, quantity: 1, name: item.dish.name, nameEn: item.dish.nameEn }] };
        return { cart: s.cart.map((l) => (l.dishId === dishId ? { ...l, quantity: Math.min(limit, l.quantity + 1) } : l)) };
      });
    },
    removeDish: (dishId) => {
      get().clearAttempt();
      set((s) => ({
        cart: s.cart.flatMap((l) => (l.dishId !== dishId ? [l] : l.quantity > 1 ? [{ ...l, quantity: l.quantity - 1 }] : [])),
      }));
    },
    setCart: (lines) => {
      get().clearAttempt();
      const cart: CartLine[] = [];
      for (const l of lines) {
        const item = menuItem(l.dishId);
        if (item && !isSoldOut(item)) cart.push({ dishId: l.dishId, quantity: l.quantity, name: item.dish.name, nameEn: item.dish.nameEn });
      }
      set({ cart });
    },
    setFulfilment: (fulfilment) => {
      get().clearAttempt();
      set({ fulfilment });
    },
    setLang: (lang) => set({ lang }),
    toggleVoice: () => set((s) => ({ voice: !s.voice })),
    endSession: () => {
      set({
        ...FRESH_PERSON,
        notice: null,
        screen: { name: 'start' },
        settingsOpen: false,
        // An order still on its way finishes in the background (outbox); it no longer belongs on screen.
        pendingOrder: null,
        submitStatus: 'idle',
        submitAttempt: 0,
        submitWaitUntil: null,
      });
      get().closeHelp();
    },
    reconcileCart: () => {
      const s = get();
      // Not while an order is on its way or saved: that order is what the person confirmed.
      if ((s.screen.name !== 'menu' && s.screen.name !== 'confirm') || s.submitStatus !== 'idle') return;
      const items = new Map((s.kiosk?.menu?.items ?? []).map((i) => [i.dish.id, i]));
      const gone: string[] = [];
      const withdrawn: string[] = [];
      const fewer: { name: string; n: number }[] = [];
      const cart = s.cart.flatMap((l) => {
        const it = items.get(l.dishId);
        if (!it) {
          withdrawn.push(dishName(l, s.lang)); // no longer on the menu (changed, or the meal is over)
          return [];
        }
        if (isSoldOut(it)) {
          gone.push(dishName(l, s.lang));
          return [];
        }
        if (it.remaining !== null && it.remaining < l.quantity) {
          fewer.push({ name: dishName(l, s.lang), n: it.remaining });
          return [{ ...l, quantity: it.remaining }];
        }
        return [l];
      });
      if (gone.length === 0 && withdrawn.length === 0 && fewer.length === 0) return;
      const sep = s.lang === 'en' ? ', ' : '、';
      const notice: Notice =
        gone.length > 0
          ? { kind: 'error', key: 'menu.justSoldOut', params: { name: gone.join(sep) } }
          : withdrawn.length > 0
            ? { kind: 'error', key: 'menu.withdrawn', params: { name: withdrawn.join(sep) } }
            : { kind: 'error', key: 'menu.onlyLeft', params: { name: fewer[0]!.name, n: fewer[0]!.n } };
      s.clearAttempt();
      set({ cart, notice, ...(cart.length === 0 && s.screen.name === 'confirm' ? { screen: { name: 'menu' as const } } : {}) });
    },
  };
};
