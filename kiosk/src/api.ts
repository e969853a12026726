import { z } from 'zod';
import {
  ERROR_CODES,
  ErrorBody,
  IdentifyResponse,
  KioskState,
  Order,
  PairResponse,
  Quote,
  type CreateOrderRequest,
  type ErrorCode,
  Ok,
} from '@yishi/shared/schemas';

export const API_BASE = '/api/v1';

/** The server answered with an error body (a definitive answer: the request did not take effect). */
export class ApiError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly status: number,
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** No answer (network down, server restarting, 5xx gateway page): the request may or may not have taken effect. */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

export function isNetworkError(e: unknown): e is NetworkError {
  return e instanceof NetworkError;
}

export function errorCodeOf(e: unknown): ErrorCode | 'network' {
  if (e instanceof ApiError) return e.code;
  return e instanceof NetworkError ? 'network' : 'internal';
}

interface RequestOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  timeoutMs?: number;
}

export interface ApiResult<T> {
  data: T;
  status: number;
  /** The service worker answered from its cache (network down). */
  fromCache: boolean;
}

async function request<S extends z.ZodType>(path: string, schema: S, opts: RequestOptions = {}): Promise<ApiResult<z.infer<S>>> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 15_000);
  let res: Response;
  try {
    const init: RequestInit = {
      method: opts.method ?? 'GET',
      credentials: 'same-origin',
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
    const parsed = ErrorBody.safeParse(json);
    if (parsed.success) {
      const err = parsed.data.error;
      // A 5xx from our server is a bug on that request; it did not commit. A 502/503/504 without our
      // error body is a proxy that never reached the server: treat it like a network failure.
      throw new ApiError(err.code, err.message, res.status, err.details);
    }
    if (res.status >= 500 || res.status === 0) throw new NetworkError(`HTTP ${res.status}`);
    const code: ErrorCode = res.status === 401 ? 'unauthenticated' : res.status === 404 ? 'not_found' : 'bad_request';
    throw new ApiError(code, `HTTP ${res.status}`, res.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    console.error('[kiosk] response did not match the contract', path, parsed.error.issues);
    throw new ApiError('internal', `response of ${path} did not match the contract`, res.status);
  }
  return { data: parsed.data, status: res.status, fromCache: res.headers.get('x-yishi-offline') === '1' };
}

export function isErrorCode(value: string): value is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(value);
}

export type LineInput = { dishId: string; quantity: number };
export type Fulfilment = 'dine_in' | 'delivery';

export const api = {
  state: () => request('/kiosk/state', KioskState),
  pair: (code: string) => request('/kiosk/pair', PairResponse, { method: 'POST', body: { code } }),
  identifyCard: (cardNumber: string) => request('/kiosk/identify', IdentifyResponse, { method: 'POST', body: { method: 'card', cardNumber } }),
  identifyQr: (token: string) => request('/kiosk/identify', IdentifyResponse, { method: 'POST', body: { method: 'qr', token } }),
  identifyPhonePin: (phone: string, pin: string) => request('/kiosk/identify', IdentifyResponse, { method: 'POST', body: { method: 'phone_pin', phone, pin } }),
  quote: (body: { residentTicket: string | null; lines: LineInput[]; fulfilment: Fulfilment }) => request('/quotes', Quote, { method: 'POST', body }),
  createOrder: (body: CreateOrderRequest) => request('/orders', Order, { method: 'POST', body, timeoutMs: 20_000 }),
  /** 呼叫工作人员: the canteen's console shows who is waiting at which kiosk. */
  callStaff: () => request('/kiosk/help', Ok, { method: 'POST', body: {} }),
};
