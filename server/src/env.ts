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
  /** Start the business clock at this instant (a demo outside meal hours); it then runs. */
  YISHI_CLOCK: z.string().optional(),
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
