/**
 * Tests make a fresh kiosk store each time, with a scripted server (every API call answered by a handler the
 * test sets), storage in memory, and a virtual clock: `sleep` moves the clock instead of waiting.
 */
import type { CreateOrderRequest, KioskOrder, KioskResident, KioskState, MenuItem, OfflineSnapshot, Quote } from '@yishi/shared/schemas';
import { guangzhou2024 } from '@yishi/shared/policy';
import { ApiError, NetworkError, type ApiResult, type KioskApi } from '../api';
import { credentialHash, importHashKey, phonePinValue } from '../offlineCache';
import { memoryOutbox } from '../outbox';
import { memoryStateCache, memoryStorage, noOfflineCache, type OfflineCacheStore } from '../storage';
import { createKioskStore, DEFAULT_TIMING, type KioskDeps, type KioskStoreApi, type Prefs } from '../store';

export const dish = (id: string, priceFen = 1000, extra: Partial<MenuItem['dish']> = {}): MenuItem['dish'] => ({
  id,
  canteenId: 'c1',
  name: id,
  nameEn: null,
  description: null,
  category: '主菜',
  photoUrl: null,
  priceFen,
  isSetMeal: false,
  setMealItems: [],
  kcal: null,
  proteinG: null,
  fatG: null,
  carbG: null,
  sodiumMg: null,
  sugarG: null,
  tags: [],
  allergens: [],
  active: true,
  priceApproved: true,
  upcomingPrice: null,
  pendingPrice: null,
  fullPay: false,
  ...extra,
});

export const item = (id: string, priceFen = 1000, extra: Partial<MenuItem> = {}, d: Partial<MenuItem['dish']> = {}): MenuItem => ({
  dish: dish(id, priceFen, d),
  portions: null,
  sold: 0,
  remaining: null,
  soldOut: false,
  sortOrder: 0,
  ...extra,
});

export function kioskState(items: MenuItem[], serverTime = '2026-11-23T04:00:00.000Z'): KioskState {
  return {
    canteen: { id: 'c1', name: '华师社区长者饭堂', shortName: '华师饭堂', phone: null, dineIn: true, delivery: true, status: 'open' },
    deviceId: 'dev-1',
    serviceDate: '2026-11-23',
    mealPeriod: 'lunch',
    next: null,
    menu: { id: 'm1', canteenId: 'c1', serviceDate: '2026-11-23', mealPeriod: 'lunch', note: null, items, updatedAt: '' },
    priceNotices: [],
    serverTime,
  };
}

export const resident: KioskResident = {
  id: 'r1',
  name: '陈秀英',
  gender: 'female',
  age: 82,
  balanceFen: 5000,
  dietNeeds: [],
  allergies: [],
  canDeliver: true,
  deliveryAddress: '天河区华师社区 3 栋 502',
  subsidy: { available: true, reason: null },
  alreadyOrdered: null,
  lastOrder: null,
  pricing: null,
};

/** The offline cache's key (43 base64url characters = 32 bytes), and the one card and phone + PIN it knows. */
export const OFFLINE_KEY = 'q1r2s3t4u5v6w7x8y9z0AbCdEfGhIjKlMnOpQrStUvW';
export const OFFLINE_CARD = '4401100001';
export const OFFLINE_PHONE = '13800001111';
export const OFFLINE_PIN = '246810';

/** The engine's facts of the resident the offline cache knows: Guangzhou 户籍, born 1944 (82), no category. */
export const OFFLINE_FACTS = {
  id: 'rs-1',
  birthDate: '1944-05-02',
  hukouAreaCode: '440106004',
  residenceAreaCode: '440106004',
  categories: [],
  careLevel: 0,
  disabilityGrade: null,
  disabilityLevel: null,
  status: 'active' as const,
  statusSince: null,
};

/**
 * GET /kiosk/offline-cache as the server makes it: one Guangzhou 户籍 resident aged 82 known by keyed hashes of
 * her card and her phone + PIN, the city policy (a quarter of the meal, at most ¥3, lunch and dinner), today's menu.
 */
export async function offlineSnapshotFor(state: KioskState, over: Partial<OfflineSnapshot> = {}): Promise<OfflineSnapshot> {
  const key = await importHashKey(OFFLINE_KEY);
  return {
    issuedAt: state.serverTime,
    expiresAt: new Date(Date.parse(state.serverTime) + 48 * 3600_000).toISOString(),
    key: { id: 'k1', raw: OFFLINE_KEY },
    canteen: { id: state.canteen.id, areaCode: '440106004', supplyMode: 'own_kitchen' },
    timeZone: 'Asia/Shanghai',
    mealPeriods: [{ period: 'lunch', opens: '10:30', closes: '13:30', days: [1, 2, 3, 4, 5, 6, 7] }],
    calendar: { holidays: [], adjustedWorkingDays: [] },
    walletOfflineLimitFen: 2000,
    residents: [
      {
        residentKey: 'rs-1',
        maskedName: '陈*英',
        gender: 'female',
        dietNeeds: [],
        allergies: [],
        balanceFen: 5000,
        facts: OFFLINE_FACTS,
      },
    ],
    credentials: [
      { hash: await credentialHash(key, 'card', OFFLINE_CARD), kind: 'card', residentKey: 'rs-1' },
      { hash: await credentialHash(key, 'phone_pin', phonePinValue(OFFLINE_PHONE, OFFLINE_PIN)), kind: 'phone_pin', residentKey: 'rs-1' },
    ],
    subsidisedMeals: [],
    subsidisedSlots: [],
    policies: [{ versionId: 'v1', document: guangzhou2024 }],
    policiesByDate: [{ date: state.serviceDate, versionIds: ['v1'] }],
    layerSpentFen: {},
    menus: state.menu ? [state.menu] : [],
    ...over,
  };
}

/** The server's quote: list prices, and for a resident a meal subsidy of a quarter of the meal, at most ¥3, split by line price. */
export function priceBasket(state: KioskState, body: { residentTicket: string | null; lines: { dishId: string; quantity: number }[] }): Quote {
  const lines = body.lines.map((l) => {
    const it = state.menu!.items.find((i) => i.dish.id === l.dishId)!;
    return {
      dishId: l.dishId,
      name: it.dish.name,
      unitPriceFen: it.dish.priceFen,
      quantity: l.quantity,
      lineTotalFen: it.dish.priceFen * l.quantity,
      elderSubsidyFen: 0,
    };
  });
  const meal = lines.reduce((n, l) => n + l.lineTotalFen, 0);
  const subsidy = body.residentTicket ? Math.min(300, Math.round(meal / 4)) : 0;
  // Largest remainder, as the server's allocate() does.
  let given = 0;
  lines.forEach((l, i) => {
    l.elderSubsidyFen = i === lines.length - 1 ? subsidy - given : Math.floor((subsidy * l.lineTotalFen) / meal);
    given += l.elderSubsidyFen;
  });
  return {
    canteenId: 'c1',
    residentId: body.residentTicket ? 'r1' : null,
    serviceDate: '2026-11-23',
    mealPeriod: 'lunch',
    fulfilment: 'dine_in',
    mealPriceFen: meal,
    elderSubsidyFen: subsidy,
    elderPaysFen: meal - subsidy,
    operatorSubsidyFen: 0,
    lines,
    subsidies: subsidy
      ? [
          {
            layerKey: 'v1:meal',
            layerId: 'meal',
            layerName: '广州市就餐补贴',
            policyVersionId: 'v1',
            level: 'city',
            payer: '市民政',
            kind: 'meal',
            amountFen: subsidy,
            reason: 'applied',
          },
        ]
      : [],
    balanceFen: body.residentTicket ? 5000 : null,
    balanceAfterFen: body.residentTicket ? 5000 - (meal - subsidy) : null,
    policyVersionIds: ['v1'],
    quoteId: `q-${body.residentTicket ?? 'guest'}-${JSON.stringify(body.lines)}`,
  };
}

/** The order as the server answers the kiosk that placed it (it names nobody). */
export function orderFor(body: CreateOrderRequest, quote: Quote, pickupNumber: number): KioskOrder {
  return {
    id: body.id,
    canteenId: 'c1',
    serviceDate: '2026-11-23',
    mealPeriod: 'lunch',
    fulfilment: body.fulfilment ?? 'dine_in',
    state: body.paymentMethod === 'wallet' ? 'paid' : 'awaiting_payment',
    identifyMethod: body.identifyMethod,
    pickupNumber,
    mealPriceFen: quote.mealPriceFen,
    elderSubsidyFen: quote.elderSubsidyFen,
    elderPaysFen: quote.elderPaysFen,
    operatorSubsidyFen: 0,
    paymentMethod: body.paymentMethod,
    lines: quote.lines,
    subsidies: quote.subsidies,
    policyVersionIds: ['v1'],
    balanceAfterFen: quote.balanceAfterFen,
    deliveryExpectedBy: body.fulfilment === 'delivery' ? '2026-11-23T05:00:00.000Z' : null,
    createdAt: '2026-11-23T04:00:00.000Z',
    clientCreatedAt: body.clientCreatedAt ?? null,
    offline: !!body.offline,
    review: null,
    paidAt: null,
    readyAt: null,
    completedAt: null,
  };
}

export const ok = <T>(data: T): ApiResult<T> => ({ data, status: 200 });
export const down = () => new NetworkError('Failed to fetch');
export const refused = (code: ConstructorParameters<typeof ApiError>[0], status = 409, details?: Record<string, unknown>, retryAfterMs: number | null = null) =>
  new ApiError(code, code, status, details, retryAfterMs);

type Handlers = { [K in keyof KioskApi]: (...args: Parameters<KioskApi[K]>) => Promise<Awaited<ReturnType<KioskApi[K]>>['data']> };

/** A server the test scripts: by default it answers like the real one (prices, orders with growing pickup numbers). */
export function scriptedServer(state: KioskState) {
  const calls: { name: keyof KioskApi; args: unknown[] }[] = [];
  const orders = new Map<string, KioskOrder>();
  let pickup = 0;
  const handlers: Handlers = {
    state: async () => state,
    pricing: async () => ({
      serviceDate: state.serviceDate,
      mealPeriod: state.mealPeriod ?? 'lunch',
      canteen: { id: state.canteen.id, areaCode: '440106004', supplyMode: 'own_kitchen' as const },
      policies: [{ versionId: 'v1', document: guangzhou2024 }],
      calendar: { holidays: [], adjustedWorkingDays: [] },
      layerSpentFen: {},
    }),
    pair: async () => ({ deviceId: 'dev-1', credential: 'x', canteen: state.canteen }),
    identifyCard: async () => ({ ticket: 'T1', ticketExpiresAt: '2026-11-23T04:15:00.000Z', resident }),
    identifyQr: async () => ({ ticket: 'T1', ticketExpiresAt: '2026-11-23T04:15:00.000Z', resident }),
    identifyPhonePin: async () => ({ ticket: 'T1', ticketExpiresAt: '2026-11-23T04:15:00.000Z', resident }),
    quote: async (body) => priceBasket(state, body),
    createOrder: async (body) => {
      const seen = orders.get(body.id);
      if (seen) return seen;
      const o = orderFor(body, priceBasket(state, { residentTicket: body.residentTicket ?? null, lines: body.lines }), ++pickup);
      orders.set(body.id, o);
      return o;
    },
    callStaff: async (requestId) => ({
      id: requestId,
      canteenId: 'c1',
      canteenName: '华师饭堂',
      deviceId: 'dev-1',
      deviceName: '1号机',
      requestedAt: state.serverTime,
      acknowledgedAt: null,
      acknowledgedBy: null,
    }),
    health: async () => ({ status: 'ok', time: state.serverTime }),
    offlineCache: async () => offlineSnapshotFor(state),
    heartbeat: async () => ({ serverTime: state.serverTime }),
    rateMeal: async (orderId, rating) => ({ orderId, rating, ratedAt: state.serverTime }),
  };
  const api = Object.fromEntries(
    (Object.keys(handlers) as (keyof KioskApi)[]).map((name) => [
      name,
      async (...args: unknown[]) => {
        calls.push({ name, args });
        const h = handlers[name] as (...a: unknown[]) => Promise<unknown>;
        return ok(await h(...args));
      },
    ]),
  ) as unknown as KioskApi;
  return { api, handlers, calls, orders, count: (name: keyof KioskApi) => calls.filter((c) => c.name === name).length };
}

export function memoryPrefs(init: Record<string, string> = {}): Prefs & { values: Map<string, string> } {
  const values = new Map(Object.entries(init));
  return { values, get: (k) => values.get(k) ?? null, set: (k, v) => void values.set(k, v) };
}

export interface TestKiosk {
  store: KioskStoreApi;
  server: ReturnType<typeof scriptedServer>;
  outbox: ReturnType<typeof memoryOutbox>;
  stateCache: ReturnType<typeof memoryStateCache>;
  prefs: ReturnType<typeof memoryPrefs>;
  clock: { now: number };
  sleeps: number[];
  deps: KioskDeps;
  /** Let queued promises run. */
  settle: () => Promise<void>;
}

export function testKiosk(
  opts: {
    state?: KioskState;
    prefs?: ReturnType<typeof memoryPrefs>;
    outbox?: ReturnType<typeof memoryOutbox>;
    startAt?: number;
    offline?: OfflineCacheStore;
  } = {},
): TestKiosk {
  const state = opts.state ?? kioskState([item('fish', 800, {}, { name: '红烧鱼' }), item('rice', 100, {}, { name: '米饭' }), item('set', 1200)]);
  const server = scriptedServer(state);
  const outbox = opts.outbox ?? memoryOutbox();
  const stateCache = memoryStateCache();
  const prefs = opts.prefs ?? memoryPrefs();
  const clock = { now: opts.startAt ?? Date.parse('2026-11-23T03:59:00.000Z') };
  const sleeps: number[] = [];
  let id = 0;
  const deps: KioskDeps = {
    api: server.api,
    storage: memoryStorage(outbox, stateCache, opts.offline ?? noOfflineCache()),
    prefs,
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    random: () => 0.5,
    newId: () => `0190a000-0000-7000-8000-${String(++id).padStart(12, '0')}`,
    timing: DEFAULT_TIMING,
  };
  const store = createKioskStore(deps);
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
  };
  return { store, server, outbox, stateCache, prefs, clock, sleeps, deps, settle };
}
