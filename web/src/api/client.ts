import type { ErrorCode } from '@yishi/shared/schemas';
import { ERROR_CODES } from '@yishi/shared/schemas';

export const API_BASE = '/api/v1';

/** One problem with one field, as the server reports it in details.issues. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
}

/** A failed API call: the stable error code from shared, with the server's details. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: ErrorCode,
    message: string,
    public readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field-level issues (bad_request / weak_password), normalised. */
  get issues(): FieldIssue[] {
    const raw = this.details.issues;
    if (!Array.isArray(raw)) return [];
    const out: FieldIssue[] = [];
    for (const item of raw) {
      if (typeof item !== 'object' || item === null) continue;
      const rec = item as Record<string, unknown>;
      const message = typeof rec.message === 'string' ? rec.message : '';
      let path: (string | number)[] = [];
      if (Array.isArray(rec.path)) path = rec.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number');
      else if (typeof rec.path === 'string') path = rec.path.split('.').filter(Boolean);
      out.push({ path, message });
    }
    return out;
  }
}

function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}

type Listener = (err: ApiError) => void;
const authListeners = new Set<Listener>();
/** Called for 401 unauthenticated and 403 password_change_required on any request. */
export function onAuthError(fn: Listener): () => void {
  authListeners.add(fn);
  return () => authListeners.delete(fn);
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** A file sent as it is (e.g. a photo), with its own content type. */
  raw?: Blob;
  signal?: AbortSignal;
  /** Do not notify auth listeners (the login call itself). */
  silentAuth?: boolean;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  const qs = new URLSearchParams();
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      qs.set(k, String(v));
    }
  }
  const s = qs.toString();
  return `${API_BASE}${path}${s ? `?${s}` : ''}`;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | Blob | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.type;
    body = opts.raw;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'internal', 'network error', { network: true });
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const errObj = typeof data === 'object' && data !== null ? (data as { error?: unknown }).error : undefined;
    let err: ApiError;
    if (typeof errObj === 'object' && errObj !== null) {
      const e = errObj as { code?: unknown; message?: unknown; details?: unknown };
      const code: ErrorCode = isErrorCode(e.code) ? e.code : fallbackCode(res.status);
      const details = typeof e.details === 'object' && e.details !== null ? (e.details as Record<string, unknown>) : {};
      err = new ApiError(res.status, code, typeof e.message === 'string' ? e.message : res.statusText, details);
    } else {
      err = new ApiError(res.status, fallbackCode(res.status), res.statusText);
    }
    if (!opts.silentAuth && (err.code === 'unauthenticated' || err.code === 'password_change_required')) {
      for (const l of authListeners) l(err);
    }
    throw err;
  }
  return data as T;
}

function fallbackCode(status: number): ErrorCode {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  return 'internal';
}

export const api = {
  get: <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('POST', path, { ...opts, body: body ?? {} }),
  putFile: <T>(path: string, file: Blob) => request<T>('PUT', path, { raw: file }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  del: <T>(path: string) => request<T>('DELETE', path),
};
