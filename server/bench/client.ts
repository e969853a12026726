/**
 * A small HTTP client for the load process: one keep-alive connection per kiosk (as a real kiosk has), JSON in
 * and out, latency of each call. node:http rather than fetch: fetch costs the load generator several times
 * more CPU per request, and on a 2-core machine the generator shares the cores with the server.
 */
import http from 'node:http';

export interface Answer<T = unknown> {
  status: number;
  body: T;
  ms: number;
  headers: http.IncomingHttpHeaders;
}

export class Conn {
  private readonly agent: http.Agent;
  readonly headers: Record<string, string>;

  constructor(
    private readonly base: URL,
    headers: Record<string, string> = {},
    sockets = 1,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
    this.headers = { ...headers };
  }

  request<T = unknown>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Answer<T>> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          agent: this.agent,
          headers: {
            ...this.headers,
            ...extra,
            ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json') && text) {
              try {
                parsed = JSON.parse(text);
              } catch {
                /* keep the text */
              }
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T, ms: performance.now() - t0, headers: res.headers });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  get<T = unknown>(path: string, extra?: Record<string, string>) {
    return this.request<T>('GET', path, undefined, extra);
  }
  post<T = unknown>(path: string, body: unknown, extra?: Record<string, string>) {
    return this.request<T>('POST', path, body, extra);
  }
  put<T = unknown>(path: string, body: unknown, extra?: Record<string, string>) {
    return this.request<T>('PUT', path, body, extra);
  }
  close() {
    this.agent.destroy();
  }
}

/** Latencies of one kind of call. */
export class Series {
  private values: number[] = [];
  add(ms: number) {
    this.values.push(ms);
  }
  get count() {
    return this.values.length;
  }
  percentile(p: number): number {
    if (this.values.length === 0) return NaN;
    const sorted = Float64Array.from(this.values).sort();
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }
  summary(): string {
    return `p50 ${this.percentile(50).toFixed(1)} ms, p99 ${this.percentile(99).toFixed(1)} ms`;
  }
}

/** Log in to the console API; returns a connection carrying the session cookie and the same-origin header. */
export async function loginConn(base: URL, username: string, password: string): Promise<Conn> {
  const anon = new Conn(base, { origin: base.origin });
  const res = await anon.post('/api/v1/auth/login', { username, password });
  anon.close();
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('yishi_session='));
  if (!cookie) throw new Error('no session cookie');
  return new Conn(base, { origin: base.origin, cookie: cookie.split(';')[0]! });
}
