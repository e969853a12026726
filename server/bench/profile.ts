/**
 * Reads a V8 .cpuprofile of the server process (node --cpu-prof) and says where the time went, per order:
 * by kind of work (each sample counted once, by what its innermost frames are doing) and by the server's own
 * functions (time with that function anywhere on the stack). Usable on its own:
 *   node --import tsx server/bench/profile.ts <file.cpuprofile> <orders>
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const SQLITE_NATIVE = new Set(['prepare', 'run', 'get', 'all', 'iterate', 'raw', 'exec', 'pragma']);

/** What kind of work a stack (innermost first) is doing. */
function kindOf(stack: CallFrame[]): string {
  const leaf = stack[0]!;
  const f = leaf.functionName;
  if (f === '(idle)') return 'idle';
  if (f === '(garbage collector)') return 'garbage collection';
  if (f === '(program)') return 'V8 / native (program)';
  const native = leaf.url === '';
  if (leaf.url.includes('better-sqlite3/lib')) {
    if (f === 'prepare') return 'SQLite: prepare statement (per query)';
    if (f === 'exec') return stack.some((c) => c.url.includes('db/client')) ? 'SQLite: BEGIN / SAVEPOINT / RELEASE / COMMIT (fsync)' : 'SQLite: exec';
    return 'SQLite: other';
  }
  if (leaf.url.includes('drizzle-orm/better-sqlite3/session') && ['values', 'get', 'run', 'all'].includes(f)) return 'SQLite: execute statement';
  if (native && SQLITE_NATIVE.has(f)) return 'SQLite: execute statement';
  if (native && (f === 'stringify' || f === 'parse')) return 'JSON stringify / parse';
  if (native && (f === 'writev' || f === 'writeBuffer' || f === 'writeUtf8String' || f === 'onStreamRead')) return 'Node HTTP / streams / sockets';
  if (stack.some((c) => c.functionName === 'localParts' && c.url.includes('shared/src/domain'))) return 'time zones (localParts: Intl formatting per call)';
  if (leaf.url.includes('modules/esm') || leaf.url.includes('modules/cjs') || leaf.url.includes('/tsx/')) return 'module loading (start-up)';
  for (const c of stack) {
    const u = c.url;
    if (u === '') continue;
    if (u.includes('drizzle-orm')) return 'drizzle: build query, map rows';
    if (u.includes('/zod/') || u.includes('fastify-type-provider-zod')) return 'zod: validate requests, serialize responses';
    if (u.includes('shared/src/policy')) return 'policy engine (evaluate)';
    if (u.includes('shared/src')) return 'shared (money, dates, schemas)';
    if (u.includes('/ws/')) return 'WebSocket fan-out (ws)';
    if (u.includes('pino')) return 'logging (pino)';
    if (u.includes('@fastify/rate-limit') || u.includes('@fastify/under-pressure')) return 'rate limit / load shedding';
    if (u.includes('/fastify/') || u.includes('find-my-way') || u.includes('avvio') || u.includes('@fastify/') || u.includes('fast-json-stringify'))
      return 'Fastify (routing, hooks, reply)';
    if (u.includes('node:crypto') || u.includes('lib/crypto') || u.includes('lib/ticket')) return 'crypto (hashes, HMAC, tickets)';
    if (u.includes('uuid')) return 'uuid';
    if (u.startsWith('node:')) return 'Node HTTP / streams / sockets';
    if (u.includes('server/src')) return 'Yishi server code (own time)';
    return `other (${u.split('/node_modules/').pop()?.split('/')[0] ?? u})`;
  }
  return native ? `native (${f || 'anonymous'})` : 'other';
}

/** Server functions worth knowing the whole cost of (time with the function anywhere on the stack). */
const WATCH: [string, (c: CallFrame) => boolean][] = [
  ['POST /orders: createOrder', (c) => c.functionName === 'createOrder'],
  ['POST /quotes: quote', (c) => c.functionName === 'quote' && c.url.includes('orders.service')],
  ['POST /kiosk/identify: identify', (c) => c.functionName === 'identify' && c.url.includes('kiosk.service')],
  ['authenticate the kiosk (resolveDevice)', (c) => c.functionName === 'resolveDevice'],
  ['pricing context reads (pricingContext)', (c) => c.functionName === 'pricingContext'],
  ['policy engine (evaluate)', (c) => c.functionName === 'evaluate' && c.url.includes('policy')],
  ['open meal period (openSlot / requireOpenSlot)', (c) => c.functionName === 'openSlot' || c.functionName === 'requireOpenSlot'],
  ['order views read from the database (toOrders)', (c) => c.functionName === 'toOrders'],
  ['audit row (record: chain head + insert)', (c) => c.functionName === 'record' && c.url.includes('audit.service')],
  ["a resident's subsidy history (subsidyHistory: kept per resident, read again after each of their orders)", (c) => c.functionName === 'subsidyHistory'],
  ['security headers (helmet middleware, built once)', (c) => c.url.includes('/helmet')],
  ['writer queue (drain: transactions and commits)', (c) => c.functionName === 'drain' && c.url.includes('db/client')],
  ['the order transaction (placeOrder)', (c) => c.functionName === 'placeOrder' && c.url.includes('orders.service')],
  ['card tap: price each dish (personalPricesOf)', (c) => c.functionName === 'personalPricesOf' && c.url.includes('kiosk.service')],
  ['kept reads (cachedRead: hit, or load on a miss)', (c) => c.functionName === 'keep' && c.url.includes('db/client')],
  ['request validation + response serialization (zod type provider)', (c) => c.url.includes('fastify-type-provider-zod')],
  ['drizzle (all of it, SQLite calls included)', (c) => c.url.includes('drizzle-orm')],
  ['SQLite prepare (native, any caller)', (c) => c.url === '' && c.functionName === 'prepare'],
  ['live fan-out (bus publish → sockets)', (c) => c.functionName === 'publish' && c.url.includes('lib/events')],
  ['JSON.stringify', (c) => c.url === '' && c.functionName === 'stringify'],
  ['time zones (localParts)', (c) => c.functionName === 'localParts'],
  ['drizzle instance checks (is)', (c) => c.functionName === 'is' && c.url.includes('drizzle-orm/entity')],
];

/** `window`: only samples between these instants (µs, the monotonic clock V8 and process.hrtime share on Linux). */
export function summariseProfile(profile: CpuProfile, orders: number, window?: [number, number], cpuPerOrderMs?: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackCache = new Map<number, CallFrame[]>();
  const stackOf = (id: number): CallFrame[] => {
    let s = stackCache.get(id);
    if (s) return s;
    s = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      if (n.callFrame.functionName !== '(root)') s.push(n.callFrame);
    }
    stackCache.set(id, s);
    return s;
  };
  const kinds = new Map<string, number>();
  const watched = new Map<string, number>();
  let busy = 0;
  let total = 0;
  const inWindow = window && window[0] >= profile.startTime && window[1] <= profile.endTime;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (inWindow && (at < window[0] || at > window[1])) continue;
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000; // ms; a sample's time runs to the next one
    const stack = stackOf(profile.samples[i]!);
    if (stack.length === 0) continue;
    total += dt;
    const kind = kindOf(stack);
    kinds.set(kind, (kinds.get(kind) ?? 0) + dt);
    if (kind !== 'idle') busy += dt;
    for (const [name, match] of WATCH) if (stack.some(match)) watched.set(name, (watched.get(name) ?? 0) + dt);
  }
  // The profiler slows the server several times over; shares hold, so each share is also shown as a part of the
  // CPU an order costs without the profiler (cpuPerOrderMs, measured in the unprofiled rush).
  const per = (ms: number) => (cpuPerOrderMs ? ((ms / Math.max(1, busy)) * cpuPerOrderMs).toFixed(2) : (ms / Math.max(1, orders)).toFixed(2));
  const pct = (ms: number) => `${((100 * ms) / Math.max(1, busy)).toFixed(1)} %`;
  const lines: string[] = [];
  lines.push(
    `${inWindow ? 'during the rush only: ' : 'whole run: '}sampled ${(total / 1000).toFixed(1)} s, busy ${(busy / 1000).toFixed(1)} s; ${orders} orders → ${(busy / Math.max(1, orders)).toFixed(1)} ms of server CPU per order under the profiler` +
      (cpuPerOrderMs ? `; "ms per order" below are shares of the ${cpuPerOrderMs.toFixed(1)} ms an order (with its tap and quote) costs without it` : ''),
  );
  lines.push('', '| kind of work (each sample once) | ms per order | share of busy time |', '| --- | --- | --- |');
  for (const [k, ms] of [...kinds].filter(([k]) => k !== 'idle').sort((a, b) => b[1] - a[1])) lines.push(`| ${k} | ${per(ms)} | ${pct(ms)} |`);
  lines.push('', '| server function (inclusive: with everything it calls) | ms per order | share of busy time |', '| --- | --- | --- |');
  for (const [k, ms] of [...watched].sort((a, b) => b[1] - a[1])) lines.push(`| ${k} | ${per(ms)} | ${pct(ms)} |`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === fs.realpathSync(process.argv[1])) {
  const [file, orders] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile.ts <file.cpuprofile> <orders>');
  console.log(summariseProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, Number(orders ?? 1)));
}
