import type { DeviceLiveEvent, KioskPricing, KioskState } from '@yishi/shared/schemas';
import { ApiError, errorCodeOf, NetworkError } from '../api';
import type { Slice } from './types';

type StockChanged = Extract<DeviceLiveEvent, { type: 'stock.changed' }>;

/** What the server says about this kiosk's canteen: today's service date, the open meal and its menu. */

/** How long after the first state arrives it is kept for offline starts (after the start screen is up). */
const FIRST_SAVE_DELAY_MS = 1500;
/** The open meal's pricing facts are asked for again after this long. */
export const PRICING_REFRESH_MS = 5 * 60_000;
export interface KioskSlice {
  kiosk: KioskState | null;
  /** The state on screen is the last one saved on the kiosk (the server could not be reached). */
  stateFromCache: boolean;
  /** Device time of the last state the server sent. */
  lastStateAt: number | null;
  loadState: () => Promise<void>;
  /**
   * What the open meal's baskets are priced with (GET /kiosk/pricing): with an identification's own part, the
   * engine gives each dish card what this person pays for it. Asked for when the meal or the menu changes, and
   * again after PRICING_REFRESH_MS (a budget's spending moves with every order); null when not known.
   */
  mealPricing: KioskPricing | null;
  mealPricingAt: number | null;
  loadMealPricing: () => Promise<void>;
  pair: (code: string) => Promise<void>;
  /** Patch one dish's stock from a live event; false if it is not about the menu on screen (then reload). */
  applyStock: (ev: StockChanged) => boolean;
  /** The server refused a dish as sold out (409 sold_out, details.dishId): mark it so until the next refresh. */
  markSoldOut: (dishId: string) => void;
  onLiveEvent: (ev: DeviceLiveEvent) => void;
}

export const kioskSlice: Slice<KioskSlice> = (deps) => (set, get) => ({
  kiosk: null,
  stateFromCache: false,
  lastStateAt: null,
  mealPricing: null,
  mealPricingAt: null,

  loadMealPricing: async () => {
    const k = get().kiosk;
    if (!k?.mealPeriod || k.canteen.status !== 'open') {
      if (get().mealPricing) set({ mealPricing: null, mealPricingAt: null });
      return;
    }
    try {
      const r = await get().track(deps.api.pricing());
      set({ mealPricing: r.data, mealPricingAt: deps.now() });
    } catch (e) {
      // The cards then show list prices; the basket's figure is the server's quote either way.
      if (!(e instanceof NetworkError)) console.warn('[kiosk] meal pricing failed', errorCodeOf(e));
      set({ mealPricing: null, mealPricingAt: null });
    }
  },

  loadState: async () => {
    try {
      const r = await get().track(deps.api.state());
      get().learnServerTime(r.data.serverTime);
      const before = get().kiosk;
      set({ kiosk: r.data, stateFromCache: false, lastStateAt: deps.now() });
      const mp = get().mealPricing;
      const at = get().mealPricingAt;
      if (
        !mp ||
        at === null ||
        deps.now() - at >= PRICING_REFRESH_MS ||
        mp.serviceDate !== r.data.serviceDate ||
        mp.mealPeriod !== r.data.mealPeriod ||
        before?.menu?.updatedAt !== r.data.menu?.updatedAt
      )
        void get().loadMealPricing();
      const keep = () =>
        void deps.storage.state.save(r.data, new Date(deps.now())).catch((e: unknown) => console.warn('[kiosk] could not keep the kiosk state', e));
      const screen = get().screen.name;
      if (screen === 'loading' || screen === 'pairing') {
        set({ screen: { name: 'start' }, notice: null });
        // Kept once the start screen is up: the storage code (IndexedDB) is not needed for the first paint, and
        // fetching it then slowed the start screen (0.98 → 1.6 s usable at 4× CPU).
        setTimeout(keep, FIRST_SAVE_DELAY_MS);
      } else keep();
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.code === 'unauthenticated' || e.code === 'device_revoked')) {
        // Revoked or never paired: forget the canteen and everything kept to serve it offline.
        await deps.storage.state.forgetAll().catch(() => undefined);
        await deps.storage.offline.drop().catch(() => undefined);
        set({
          kiosk: null,
          stateFromCache: false,
          offlineCacheIssuedAt: null,
          nextCacheFillAt: 0,
          nextHeartbeatAt: 0,
          screen: { name: 'pairing', revoked: e.code === 'device_revoked' },
        });
        return;
      }
      if (!(e instanceof NetworkError)) console.error('[kiosk] state failed', errorCodeOf(e), e);
      if (!get().kiosk) {
        const cached = await deps.storage.state.load().catch(() => null);
        if (cached) set({ kiosk: cached.state, stateFromCache: true });
      }
      if (get().screen.name === 'loading') set({ screen: { name: 'start' } });
    }
  },

  pair: async (code) => {
    try {
      await get().track(deps.api.pair(code));
      set({ notice: null });
      await get().loadState();
    } catch (e) {
      set({ notice: { kind: 'error', key: `error.${errorCodeOf(e)}` } });
    }
  },

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

  markSoldOut: (dishId) => {
    const k = get().kiosk;
    if (!k?.menu) return;
    set({ kiosk: { ...k, menu: { ...k.menu, items: k.menu.items.map((it) => (it.dish.id === dishId ? { ...it, soldOut: true, remaining: 0 } : it)) } } });
  },

  onLiveEvent: (ev) => {
    if (ev.type === 'stock.changed') {
      if (!get().applyStock(ev)) void get().loadState();
    } else if (ev.type === 'menu.changed') {
      void get().loadState();
    } else if (ev.type === 'help.acknowledged') get().helpAcknowledged(ev.requestId);
  },
});
