import type { Db } from '../db/client';
import type { Clock } from './clock';
import { FieldCrypto } from './crypto';
import { InProcessBus, type EventBus } from './events';

/** Load shedding (plugins/limits.ts): beyond these the server answers 503 with Retry-After. */
export interface OverloadConfig {
  /** Shed every request while the event loop's mean delay over the last sample exceeds this (ms). */
  maxEventLoopDelayMs: number;
  /** Refuse new writes while this many write actions are already queued for the writer. */
  maxWriteQueue: number;
  /** What 503 answers tell clients to wait before trying again (s). */
  retryAfterSeconds: number;
  /** How often the event loop is sampled (ms); default 1000. */
  sampleIntervalMs?: number;
}

export interface AppConfig {
  /** Where the database file is (uploaded photos go beside it unless mediaDir says otherwise). */
  dbPath: string;
  secret: Buffer;
  clock: Clock;
  logLevel: string;
  /** Where uploaded dish photos are kept; default: a `media` folder beside the database. */
  mediaDir?: string;
  /** Where the built console and kiosk are; served when present. */
  webDist?: string;
  kioskDist?: string;
  sessionHours: number;
  /** Origins allowed to make cookie-authenticated writes (besides the request's own host). */
  allowedOrigins: string[];
  /** Rate limit per minute per credential (kiosk, user) or, for anonymous calls, per address; 0 = off (load tests). */
  rateLimitPerMinute: number;
  /** Fastify's trustProxy: true, a hop count, or the proxies' addresses; then X-Forwarded-For names the client. */
  trustProxy?: boolean | number | string[];
  /** Load shedding (503 + Retry-After); off when absent. */
  overload?: OverloadConfig;
  /** Maximum request body, in bytes. */
  bodyLimit: number;
  /** How often an open WebSocket re-checks its session or device (ms); default 15 s. */
  liveRecheckMs?: number;
  /** Console password hashing cost (scrypt N); tests lower it. */
  scryptN: number;
}

/** What every service receives. */
export interface Ctx {
  db: Db;
  clock: Clock;
  crypto: FieldCrypto;
  bus: EventBus;
  config: AppConfig;
}

/** The services' context over an open (migrated) database: keys from the secret, an in-process event bus. */
export function createContext(db: Db, config: AppConfig): Ctx {
  return { db, clock: config.clock, crypto: new FieldCrypto(config.secret), bus: new InProcessBus(), config };
}
