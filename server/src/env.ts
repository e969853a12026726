/** The only reader of process.env. Validated once; everything else receives a Config. */
import { z } from 'zod';
import path from 'node:path';

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DB_PATH: z.string().default('./data/yishi.db'),
  /** 32-byte key (hex or base64) for ID-number encryption and keyed hashes. Generated into data/ if absent. */
  YISHI_SECRET: z.string().min(32).optional(),
  SEED: z.enum(['demo', 'none']).default('demo'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_ORIGIN: z.string().optional(),
  SESSION_HOURS: z.coerce.number().int().min(1).max(720).default(12),
  NODE_ENV: z.string().default('production'),
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

export function resolveFromCwd(p: string): string {
  return path.resolve(process.cwd(), p);
}
