/**
 * Protection against too much traffic: a rate limit per credential (a kiosk's device, a console user) or, for
 * anonymous calls, per client address; and load shedding, so that beyond what the server can take it answers
 * 503 with Retry-After at once instead of queueing every request until all of them time out.
 *
 * Shedding looks at two things: the event loop's delay (@fastify/under-pressure; every request waits that
 * long) and the depth of the writer queue (only writes are refused there: reads still answer from the read
 * connection while the writer catches up).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import { AppError } from '@yishi/shared/schemas';
import type { Ctx, OverloadConfig } from '../lib/context';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whom a request counts against: the credential it was authenticated with, else its address (X-Forwarded-For behind a trusted proxy). */
export function rateLimitKey(req: FastifyRequest): string {
  const actor = req.actor;
  if (actor?.kind === 'device') return `device:${actor.deviceId}`;
  if (actor?.kind === 'user') return `user:${actor.user.id}`;
  return `ip:${req.ip ?? 'unknown'}`;
}

function shed(reply: FastifyReply, retryAfterSeconds: number, message: string, details: Record<string, unknown>) {
  return reply
    .code(503)
    .header('Retry-After', String(retryAfterSeconds))
    .send({ error: { code: 'overloaded', message, details: { retryAfterSeconds, ...details } } });
}

/** Load shedding; register before authentication so shed requests cost next to nothing. */
export async function registerOverload(app: FastifyInstance, ctx: Ctx, cfg: OverloadConfig) {
  if (cfg.maxEventLoopDelayMs > 0) {
    await app.register(underPressure, {
      maxEventLoopDelay: cfg.maxEventLoopDelayMs,
      sampleInterval: cfg.sampleIntervalMs ?? 1000,
      retryAfter: cfg.retryAfterSeconds,
      pressureHandler: (_req, reply, _type, value) => {
        shed(reply, cfg.retryAfterSeconds, 'the server is overloaded; try again shortly', { eventLoopDelayMs: Math.round(Number(value)) });
      },
    });
  }
  if (cfg.maxWriteQueue > 0) {
    app.addHook('onRequest', async (req, reply) => {
      if (!UNSAFE.has(req.method) || !req.url.startsWith('/api/')) return;
      const queued = ctx.db.pending;
      if (queued >= cfg.maxWriteQueue) return shed(reply, cfg.retryAfterSeconds, 'too many changes are waiting to be written; try again shortly', { queued });
    });
  }
}

type StoreCallback = (err: Error | null, res: { current: number; ttl: number }) => void;

/**
 * The in-memory counter behind the rate limit: one fixed window per key, least recently used keys dropped
 * beyond `capacity`. The plugin's own LocalStore hands back its live counter object and the plugin reads it
 * after an await, so requests arriving together all saw the final count and were ALL refused once together
 * they passed the limit; here every request gets its own snapshot of the count it made.
 */
export class RateLimitStore {
  private readonly windows = new Map<string, { count: number; start: number }>();
  constructor(private readonly capacity = 100_000) {}

  incr(key: string, cb: StoreCallback, timeWindow: number): void {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.start + timeWindow <= now) w = { count: 0, start: now };
    w.count += 1;
    this.windows.delete(key);
    this.windows.set(key, w);
    if (this.windows.size > this.capacity) this.windows.delete(this.windows.keys().next().value!);
    cb(null, { current: w.count, ttl: w.start + timeWindow - now });
  }

  /** A route with its own limit counts in its own store. */
  child(): RateLimitStore {
    return new RateLimitStore(this.capacity);
  }
}

/** The global rate limit (per route limits ride on it); `perMinute` 0 switches rate limiting off (load tests). */
export async function registerRateLimit(app: FastifyInstance, perMinute: number) {
  if (perMinute <= 0) return;
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: '1 minute',
    store: RateLimitStore as unknown as NonNullable<Parameters<typeof rateLimit>[1]>['store'],
    // Runs after authentication (route-level hook), so a kiosk or a user has its own budget whatever address
    // it comes from; anonymous calls count per address.
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_req, context) =>
      new AppError('rate_limited', `too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`, 429, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
}
