/**
 * `pnpm start`: env → open the database → (backup +) migrate → seed the demo city if empty → build the app →
 * listen. Serves the API under /api/v1, the console at /, the kiosk at /kiosk and the API docs at /api/docs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { prettyLogs, readEnv, resolveFromCwd } from './env';
import { buildApp } from './app';
import { openDb } from './db/client';
import { DEMO_KIOSK, DEMO_PASSWORD, DEMO_PIN, DEMO_RESIDENTS, DEMO_USERS, seedIfEmpty } from './seed';
import { systemClock, type Clock } from './lib/clock';
import { createContext, type AppConfig } from './lib/context';
import { createStartupPairing } from './modules/kiosk/kiosk.service';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

/** The secret for ID-number encryption: from YISHI_SECRET, else a key file beside the database (made once). */
function loadSecret(dbPath: string, fromEnv: string | undefined): Buffer {
  if (fromEnv) return /^[0-9a-f]{64}$/i.test(fromEnv) ? Buffer.from(fromEnv, 'hex') : Buffer.from(fromEnv, 'utf8');
  const keyFile = path.join(path.dirname(dbPath), 'yishi.key');
  if (!fs.existsSync(keyFile)) {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true });
    fs.writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex');
}

/** YISHI_CLOCK=2026-11-23T12:00:00+08:00 starts the clock at that instant (for demos outside meal hours); it then runs. */
function clockFrom(start: string | undefined): Clock {
  if (!start) return systemClock;
  const offset = Date.parse(start) - Date.now();
  if (Number.isNaN(offset)) throw new Error(`YISHI_CLOCK is not a date: ${start}`);
  return { now: () => new Date(Date.now() + offset) };
}

async function main() {
  const started = Date.now();
  const env = readEnv();
  const dbPath = resolveFromCwd(env.DB_PATH, env);
  const config: AppConfig = {
    dbPath,
    secret: loadSecret(dbPath, env.YISHI_SECRET),
    clock: clockFrom(env.YISHI_CLOCK),
    logLevel: env.LOG_LEVEL,
    webDist: path.join(repo, 'web/dist'),
    kioskDist: path.join(repo, 'kiosk/dist'),
    sessionHours: env.SESSION_HOURS,
    allowedOrigins: env.PUBLIC_ORIGIN ? [env.PUBLIC_ORIGIN] : [],
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    trustProxy: env.TRUST_PROXY,
    overload: {
      maxEventLoopDelayMs: env.OVERLOAD_EVENT_LOOP_DELAY_MS,
      maxWriteQueue: env.OVERLOAD_WRITE_QUEUE,
      retryAfterSeconds: env.OVERLOAD_RETRY_AFTER_S,
    },
    bodyLimit: 256 * 1024,
    scryptN: 16384,
  };

  const db = openDb(dbPath);
  // A backup copy is named by the real time, never the business clock (YISHI_CLOCK may be set for a demo).
  const migrated = db.migrate(new Date());
  const ctx = createContext(db, config);
  const seeded = env.SEED === 'demo' ? await seedIfEmpty(ctx) : false;
  const { app } = await buildApp(ctx, { pretty: prettyLogs() });
  await app.listen({ port: env.PORT, host: env.HOST });

  const base = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${env.PORT}`;
  // A first kiosk can be paired before anyone logs in: the system makes a code for the first demo canteen.
  const pairing = await createStartupPairing(ctx, DEMO_KIOSK.canteenId, DEMO_KIOSK.name);
  const lines = [
    '',
    '  颐食 Yishi is running',
    `  console   ${base}/`,
    `  kiosk     ${base}/kiosk/`,
    `  API docs  ${base}/api/docs`,
    `  health    ${base}/api/v1/health`,
    `  database  ${dbPath}   (ready in ${((Date.now() - started) / 1000).toFixed(1)} s${migrated.applied ? `; ${migrated.applied} migration(s) applied` : ''}${migrated.backup ? `, backup ${migrated.backup}` : ''}${seeded ? '; demo city seeded' : ''})`,
    '',
    `  demo logins (password ${DEMO_PASSWORD}):`,
    ...DEMO_USERS.map((u) => `    ${u.username.padEnd(8)} ${u.role.padEnd(9)} ${u.displayName}`),
    '',
    pairing ? `  kiosk pairing code for ${DEMO_KIOSK.canteenName}: ${pairing.code}  (valid 15 minutes; more from the console → 设备)` : '',
    '  demo cards to tap (type the number + Enter on the kiosk start screen):',
    ...DEMO_RESIDENTS.map((r) => `    ${r.card}  ${r.name}  ${r.note}`),
    `  phone + PIN: ${DEMO_PIN.phone} / ${DEMO_PIN.pin}`,
    '',
  ];
  console.log(lines.join('\n'));
  const stop = () => {
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
