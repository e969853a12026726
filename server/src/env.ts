/** The only reader of process.env. Validated once; everything else receives a Config. */
import { z } from 'zod';
import path from 'node:path';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Relative paths are taken from where the command was run (pnpm's INIT_CWD), so `pnpm start` at the repo root uses ./data. */
  DB_PATH: z.string().default('./data/yishi.db'),
  INIT_CWD: z.string().optional(),
  /** 32-byte key (hex or base64) for ID-number encryption and keyed hashes. Generated into data/ if absent. */
  YISHI_SECRET: z.string().min(32).optional(),
  SEED: z.enum(['demo', 'none']).default('demo'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_ORIGIN: z.string().optional(),
  SESSION_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  NODE_ENV: z.string().default('production'),
  /** Start the business clock at this instant (demos outside meal hours, load tests); it then runs. */
  YISHI_CLOCK: z.string().optional(),
  /** Requests a minute per kiosk, per console user, or per address for anonymous calls; 0 switches rate limiting off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
  /** Behind a reverse proxy: `true`, a hop count, or the proxies' addresses (comma-separated); then X-Forwarded-For names the client. */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, c): boolean | number | string[] => {
      const t = v.trim();
      if (t === '' || t === 'false') return false;
      if (t === 'true') return true;
      if (/^\d+$/.test(t)) return Number(t);
      const list = t.split(',').map((x) => x.trim());
      if (list.some((x) => !/^[0-9a-f.:/]+$/i.test(x))) {
        c.addIssue({ code: 'custom', message: 'true, false, a hop count, or comma-separated proxy addresses / CIDR ranges' });
        return z.NEVER;
      }
      return list;
    }),
  /** Shed load (503 + Retry-After) while the event loop lags more than this (ms); 0 = never. */
  OVERLOAD_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  /** Refuse new writes (503 + Retry-After) while this many are already queued for the writer; 0 = never. */
  OVERLOAD_WRITE_QUEUE: z.coerce.number().int().min(0).default(2000),
  OVERLOAD_RETRY_AFTER_S: z.coerce.number().int().min(1).max(600).default(2),
});

export type Env = z.infer<typeof EnvSchema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`bad configuration:\n${lines}`);
  }
  return parsed.data;
}

/** Resolve a configured path against the directory the user ran the command in (pnpm runs scripts in the package folder). */
export function resolveFromCwd(p: string, env: Env): string {
  return path.resolve(env.INIT_CWD ?? process.cwd(), p);
}

/** Pretty logs for a person at a terminal; JSON lines otherwise (files, log collectors). */
export function prettyLogs(): boolean {
  return process.stdout.isTTY === true;
}
