import type { z } from 'zod';
import { ERROR_CODES, ErrorBody, type ErrorCode } from '@yishi/shared/schemas';

export const API_BASE = '/api/v1';

type Segment = string | number;

/**
 * One problem with one field. From the server (details.issues[], details.field) or from the client's own check of a
 * request against its schema (then `check` carries the zod issue, so the message can say exactly what is wrong).
 */
export interface FieldIssue {
  path: Segment[];
  message: string;
  check?: z.core.$ZodIssue;
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

  /** No answer came back (network down, server restarting). */
  get network(): boolean {
    return this.status === 0;
  }

  /** Every field this error names: details.issues[].path (schema checks) and details.field (a service's refusal). */
  get issues(): FieldIssue[] {
    const out: FieldIssue[] = [];
    const field = this.details.field;
    if (typeof field === 'string' && field && field !== 'body') out.push({ path: splitPath(field), message: this.message });
    const raw = this.details.issues;
    if (!Array.isArray(raw)) return out;
    for (const item of raw as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const rec = item as Record<string, unknown>;
      const message = typeof rec.message === 'string' ? rec.message : '';
      let path: Segment[] = [];
      if (Array.isArray(rec.path)) path = (rec.path as unknown[]).filter((p): p is Segment => typeof p === 'string' || typeof p === 'number');
      else if (typeof rec.path === 'string') path = splitPath(rec.path);
      const check = typeof rec.check === 'object' && rec.check !== null ? (rec.check as z.core.$ZodIssue) : undefined;
      out.push(check ? { path, message, check } : { path, message });
    }
    return out;
  }
}

/** The server answered, but not in the shape its shared schema promises: a broken contract, never shown as data. */
export class ContractError extends ApiError {
  constructor(method: string, path: string, status: number, issues: z.core.$ZodIssue[]) {
    const where = issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    super(status, 'internal', `${method} ${path} answered outside its contract: ${where}`, { contract: { method, path, issues: issues.slice(0, 10) } });
    this.name = 'ContractError';
  }
}

/** "categories.0.evidence" → ['categories', 0, 'evidence']; a leading "body" (where the server found it) is dropped. */
export function splitPath(p: string): Segment[] {
  const segs = p
    .split(/[./]/)
    .filter(Boolean)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return segs[0] === 'body' ? segs.slice(1) : segs;
}

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && (ERROR_CODES as readonly string[]).includes(v);
}

type AuthListener = (err: ApiError) => void;
const authListeners = new Set<AuthListener>();
/** Called for 401 unauthenticated and 403 password_change_required on any request. */
export function onAuthError(fn: AuthListener): () => void {
  authListeners.add(fn);
  return () => authListeners.delete(fn);
}

/** Query parameters: strings, numbers and booleans are sent; empty ones are left out. */
export type Query = Record<string, unknown>;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One call, with the schemas it is checked against. `request` checks `body` (or `query` for a GET) before anything
 * is sent, and a refusal comes back as a bad_request ApiError whose issues carry the zod issue; `response` checks
 * the answer, and an answer outside it is a ContractError.
 */
export interface Call<Res extends z.ZodType> {
  method: Method;
  path: string;
  response: Res;
  request?: z.ZodType;
  body?: unknown;
  query?: Query;
  /** A file sent as it is (e.g. a photo), with its own content type. */
  raw?: Blob;
  signal?: AbortSignal;
  /** Do not notify auth listeners (the login call itself). */
  silentAuth?: boolean;
}

export function buildUrl(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (typeof v === 'string' ? v === '' : typeof v !== 'number' && typeof v !== 'boolean') continue;
      qs.set(k, String(v));
    }
  }
  const s = qs.toString();
  return `${API_BASE}${path}${s ? `?${s}` : ''}`;
}

/** Check a request against its schema before it leaves; the value sent is the caller's own (defaults are the server's). */
export function checkRequest(schema: z.ZodType, value: unknown): void {
  const parsed = schema.safeParse(value);
  if (parsed.success) return;
  const issues = parsed.error.issues.map((i) => ({ path: i.path.filter((p): p is Segment => typeof p !== 'symbol'), message: i.message, check: i }));
  const first = issues[0];
  throw new ApiError(400, 'bad_request', first ? `${first.path.join('.') || 'request'}: ${first.message}` : 'invalid request', { issues, client: true });
}

export async function call<Res extends z.ZodType>(c: Call<Res>): Promise<z.output<Res>> {
  if (c.request) checkRequest(c.request, c.method === 'GET' ? (c.query ?? {}) : c.body);
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | Blob | undefined;
  if (c.raw) {
    headers['Content-Type'] = c.raw.type;
    body = c.raw;
  } else if (c.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(c.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(c.path, c.query), { method: c.method, headers, body, credentials: 'same-origin', signal: c.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'internal', 'network error', { network: true });
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = errorFrom(res, data);
    if (!c.silentAuth && (err.code === 'unauthenticated' || err.code === 'password_change_required')) {
      for (const l of authListeners) l(err);
    }
    throw err;
  }
  const parsed = c.response.safeParse(data);
  if (!parsed.success) {
    const err = new ContractError(c.method, c.path, res.status, parsed.error.issues);
    console.error('[console]', err.message);
    throw err;
  }
  return parsed.data;
}

/** The error body in the shared shape; anything else (a proxy's page, an empty 502) by its status. */
function errorFrom(res: Response, data: unknown): ApiError {
  const body = ErrorBody.safeParse(data);
  if (body.success) {
    const e = body.data.error;
    return new ApiError(res.status, e.code, e.message, e.details ?? {});
  }
  // A body with a code the console does not know yet still says what happened, by its HTTP status.
  const loose = typeof data === 'object' && data !== null ? (data as { error?: { message?: unknown; details?: unknown } }).error : undefined;
  const message = typeof loose?.message === 'string' ? loose.message : res.statusText || `HTTP ${res.status}`;
  const details = typeof loose?.details === 'object' && loose.details !== null ? (loose.details as Record<string, unknown>) : {};
  return new ApiError(res.status, fallbackCode(res.status), message, details);
}

export function fallbackCode(status: number): ErrorCode {
  if (status === 400) return 'bad_request';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  return 'internal';
}

/** Shorthands: each names the schema of what it sends and of what it expects back. */
export const http = {
  get: <Res extends z.ZodType>(path: string, response: Res, opts: { query?: Query; request?: z.ZodType; signal?: AbortSignal | undefined } = {}) =>
    call({ method: 'GET', path, response, ...opts }),
  post: <Req extends z.ZodType, Res extends z.ZodType>(
    path: string,
    request: Req,
    body: z.input<Req>,
    response: Res,
    opts: { signal?: AbortSignal | undefined; silentAuth?: boolean } = {},
  ) => call({ method: 'POST', path, request, body, response, ...opts }),
  put: <Req extends z.ZodType, Res extends z.ZodType>(path: string, request: Req, body: z.input<Req>, response: Res) =>
    call({ method: 'PUT', path, request, body, response }),
  patch: <Req extends z.ZodType, Res extends z.ZodType>(path: string, request: Req, body: z.input<Req>, response: Res) =>
    call({ method: 'PATCH', path, request, body, response }),
  del: <Res extends z.ZodType>(path: string, response: Res) => call({ method: 'DELETE', path, response }),
  putFile: <Res extends z.ZodType>(path: string, file: Blob, response: Res) => call({ method: 'PUT', path, raw: file, response }),
};

/** A path segment from an id (ids come from the server, but are never trusted to be URL-safe). */
export const seg = (id: string): string => encodeURIComponent(id);

/** A file the server sends (an export): its bytes, and the name it gave it. */
export interface Download {
  blob: Blob;
  filename: string;
}

/** The download name from `Content-Disposition` (the UTF-8 `filename*` when there is one). */
export function filenameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      /* a malformed name: try the plain one */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1]!.trim() : fallback;
}

/**
 * Fetch a file (an export), reading it as it arrives: `onProgress` is told the bytes received so far (and the total
 * when the server says it; a streamed export does not). The query is checked against its schema first; a refusal
 * comes back as an ApiError like any other call.
 */
export async function download(
  path: string,
  opts: { query?: Query; request?: z.ZodType; signal?: AbortSignal; onProgress?: (received: number, total: number | null) => void },
): Promise<Download> {
  if (opts.request) checkRequest(opts.request, opts.query ?? {});
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), { credentials: 'same-origin', signal: opts.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'internal', 'network error', { network: true });
  }
  if (!res.ok) {
    const text = await res.text();
    let data: unknown = undefined;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    const err = errorFrom(res, data);
    if (err.code === 'unauthenticated' || err.code === 'password_change_required') for (const l of authListeners) l(err);
    throw err;
  }
  const length = Number(res.headers.get('Content-Length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const parts: Uint8Array[] = [];
  let received = 0;
  opts.onProgress?.(0, total);
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      received += value.byteLength;
      opts.onProgress?.(received, total);
    }
  }
  const type = res.headers.get('Content-Type') ?? 'application/octet-stream';
  return { blob: new Blob(parts as BlobPart[], { type }), filename: filenameOf(res.headers.get('Content-Disposition'), 'export') };
}
