import { z } from 'zod';
import type { Fulfilment, MealRating } from '@yishi/shared/domain';
import {
  ERROR_CODES,
  ErrorBody,
  IdentifyResponse,
  KioskState,
  KioskOrder,
  KioskPricing,
  PairResponse,
  Quote,
  HelpCall,
  KioskHeartbeatResponse,
  OfflineSnapshot,
  type CreateOrderRequest,
  type ErrorCode,
  RatingResponse,
} from '@yishi/shared/schemas';

export const API_BASE = '/api/v1';

/** The server answered with an error body (a definitive answer unless it says "busy, come back later"). */
export class ApiError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly status: number,
    public readonly details?: Record<string, unknown>,
    /** From `Retry-After` (or details.retryAfterSeconds): how long the server asked us to wait. */
    public readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** No answer (network down, server restarting, a proxy's 502/503/504 page): the request may or may not have taken effect. */
export class NetworkError extends Error {
  constructor(
    message: string,
    public readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export function errorCodeOf(e: unknown): ErrorCode | 'network' {
  if (e instanceof ApiError) return e.code;
  return e instanceof NetworkError ? 'network' : 'internal';
}

/**
 * Worth sending again with the same id: nothing was decided. No answer at all; our server's own 5xx (a bug on
 * that request, rolled back); or "busy" (429, 503) — the server shedding load asks us to come back later.
 */
export function isRetryable(e: unknown): boolean {
  if (e instanceof NetworkError) return true;
  if (e instanceof ApiError) return e.code === 'internal' || e.code === 'rate_limited' || e.status === 429 || e.status === 503;
  return false;
}

/** The wait the server asked for, if any. */
export function retryAfterOf(e: unknown): number | null {
  return e instanceof ApiError || e instanceof NetworkError ? e.retryAfterMs : null;
}

/** `Retry-After: 30` or `Retry-After: <HTTP date>` → milliseconds from `now` (never negative, at most an hour). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(3600_000, Math.max(0, ms));
}

interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  timeoutMs?: number;
}

export interface ApiResult<T> {
  data: T;
  status: number;
}

async function request<S extends z.ZodType>(path: string, schema: S, opts: RequestOptions = {}): Promise<ApiResult<z.infer<S>>> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 15_000);
  let res: Response;
  try {
    const init: RequestInit = {
      method: opts.method ?? 'GET',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: opts.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      signal: ctrl.signal,
    };
    if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
    res = await fetch(API_BASE + path, init);
  } catch (e) {
    throw new NetworkError(e instanceof Error ? e.message : String(e));
  } finally {
    clearTimeout(timer);
  }
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  if (!res.ok) {
    const headerWait = parseRetryAfter(res.headers.get('retry-after'));
    const parsed = ErrorBody.safeParse(json);
    if (parsed.success) {
      const err = parsed.data.error;
      const detailWait = typeof err.details?.retryAfterSeconds === 'number' ? err.details.retryAfterSeconds * 1000 : null;
      throw new ApiError(err.code, err.message, res.status, err.details, headerWait ?? detailWait);
    }
    // A 5xx without our error body is a proxy that never reached the server: like no answer at all.
    if (res.status >= 500 || res.status === 0) throw new NetworkError(`HTTP ${res.status}`, headerWait);
    const code: ErrorCode = res.status === 401 ? 'unauthenticated' : res.status === 404 ? 'not_found' : res.status === 429 ? 'rate_limited' : 'bad_request';
    throw new ApiError(code, `HTTP ${res.status}`, res.status, undefined, headerWait);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    console.error('[kiosk] response did not match the contract', path, parsed.error.issues);
    throw new ApiError('internal', `response of ${path} did not match the contract`, res.status);
  }
  return { data: parsed.data, status: res.status };
}

export function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

export type LineInput = { dishId: string; quantity: number };

/** `GET /health` (public): used as the cheap "is the server there?" probe, and it carries the server's time. */
const Health = z.object({ status: z.string(), time: z.string() });

export const api = {
  state: () => request('/kiosk/state', KioskState),
  /** The facts of the open meal every basket here is priced with (policies, calendar, budgets): the dish cards' figures. */
  pricing: () => request('/kiosk/pricing', KioskPricing),
  pair: (code: string) => request('/kiosk/pair', PairResponse, { method: 'POST', body: { code } }),
  identifyCard: (cardNumber: string) => request('/kiosk/identify', IdentifyResponse, { method: 'POST', body: { method: 'card', cardNumber } }),
  identifyQr: (token: string) => request('/kiosk/identify', IdentifyResponse, { method: 'POST', body: { method: 'qr', token } }),
  identifyPhonePin: (phone: string, pin: string) => request('/kiosk/identify', IdentifyResponse, { method: 'POST', body: { method: 'phone_pin', phone, pin } }),
  quote: (body: { residentTicket: string | null; lines: LineInput[]; fulfilment: Fulfilment }) => request('/quotes', Quote, { method: 'POST', body }),
  createOrder: (body: CreateOrderRequest) => request('/orders', KioskOrder, { method: 'POST', body, timeoutMs: 20_000 }),
  /** 呼叫工作人员: the canteen's console shows who is waiting at which kiosk. */
  callStaff: (requestId: string) => request('/kiosk/help', HelpCall, { method: 'POST', body: { requestId } }),
  health: () => request('/health', Health, { timeoutMs: 8_000 }),
  /** What the kiosk keeps to identify and price with the network down (refreshed in the background). */
  offlineCache: () => request('/kiosk/offline-cache', OfflineSnapshot, { timeoutMs: 30_000 }),
  /** The kiosk's own state for the console's 设备 page: orders waiting, clock drift, cache age. */
  heartbeat: (body: { pendingOrders: number; clockOffsetMs: number | null; cacheFetchedAt: string | null }) =>
    request('/kiosk/heartbeat', KioskHeartbeatResponse, { method: 'POST', body }),
  /** The elder's one tap after the meal, for an order this kiosk placed (once per order). */
  rateMeal: (orderId: string, rating: MealRating) => request('/ratings', RatingResponse, { method: 'POST', body: { orderId, rating } }),
};

export type KioskApi = typeof api;
