/**
 * The server as its own process, exactly as `pnpm start` runs it (`tsx src/main.ts`), for the crash drill and
 * the benchmarks: start it on a database file, wait until it answers, read its CPU time and memory from /proc,
 * stop it gently (SIGINT) or kill it (SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  base: string;
  /** From spawn to the first healthy answer, ms. */
  startMs: number;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  /** User + system CPU time the process has used, ms (from /proc; 10 ms resolution). */
  cpuMs(): number;
  /** Resident memory now and its peak since start (or since resetPeak), bytes. */
  memory(): { rss: number; peak: number };
  resetPeak(): void;
  /** SIGINT, wait for the exit (graceful close: queued writes finish). */
  stop(): Promise<number | null>;
  /** SIGKILL, wait for the exit. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function procStat(pid: number): { cpuMs: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return { cpuMs: (ticks * 1000) / 100 };
}

function procMemory(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

export interface StartOptions {
  dbPath: string;
  /** Extra environment (SEED, YISHI_CLOCK, RATE_LIMIT_PER_MINUTE …). */
  env?: Record<string, string>;
  /** Node flags before the script, e.g. --cpu-prof. */
  nodeArgs?: string[];
  port?: number;
  /** Give up waiting for the first healthy answer after this long (ms). */
  timeoutMs?: number;
}

export async function startServer(opts: StartOptions): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    PORT: String(port),
    HOST: '127.0.0.1',
    DB_PATH: opts.dbPath,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    ...opts.env,
  };
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (gone) throw new Error(`the server exited before it answered:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not answer within ${opts.timeoutMs ?? 60_000} ms:\n${out}`);
    }
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const startMs = performance.now() - t0;
  const pid = child.pid!;
  return {
    child,
    pid,
    port,
    base,
    startMs,
    output: () => out,
    cpuMs: () => procStat(pid).cpuMs,
    memory: () => procMemory(pid),
    resetPeak: () => fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    stop: async () => {
      if (!gone) child.kill('SIGINT');
      return exited;
    },
    kill: async () => {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
  };
}
