/**
 * The database: one SQLite file in WAL mode, a single writer connection behind a queue, and a
 * read-only connection for reads.
 *
 * `write(fn)` is the one door for changes. Queued actions run one after another on the writer; under load
 * several queued actions share one `BEGIN IMMEDIATE … COMMIT` (group commit), each inside its own
 * savepoint so a failing action rolls back only itself. Callers are answered after the COMMIT, so an
 * acknowledged write is on disk (synchronous=FULL).
 *
 * Reads that hardly ever change (a canteen, its opening hours, the calendar, policies, dishes, menus) can be
 * kept in memory with `cachedRead`: what is kept is dropped when a statement on the writer writes one of its
 * tables, right after that COMMIT (every write through drizzle is seen, whoever makes it; see `Db.noteQuery`).
 * A kept value therefore always equals what a fresh read of the committed database would return.
 *
 * Reads that every order changes for one key only (a resident's subsidy history, wallet balance and subsidised meal;
 * a menu's stock) can be kept per key with `keyedRead`: the repo that owns the table names the key its writes change
 * (`touching`), and only that key is dropped (or amended) after the COMMIT; a write to the table that names no key
 * drops every key (nothing is missed). Only raw SQL on the writer connection, behind drizzle, is not seen: a tool or
 * test that writes so calls `forgetAll()`.
 */
import Database from 'better-sqlite3';
import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getTableConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { UniqueViolation } from './errors';
import { OffThreadReader } from './offload';
import * as schema from './schema';

export type Schema = typeof schema;
export type Tx = BetterSQLite3Database<Schema>;
export type Reader = BetterSQLite3Database<Schema>;

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

interface Job {
  fn: (tx: Tx) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * A write running inside `touching`: the kept read it names, its group, whether it says what it did; and the write it
 * runs inside, if any (one statement can change two kept reads of the same table, each naming its own group).
 */
interface Announced {
  store: KeptStore;
  group: string;
  amends: boolean;
  outer: Announced | null;
}

export interface DbStats {
  commits: number;
  actions: number;
  maxBatch: number;
}

/**
 * What one kept read (`cachedRead`, `keyedRead`) keeps on one database: values by group and key, and which groups the
 * batch now running changed. `cachedRead` keeps everything in one group, which every write of its tables changes.
 */
interface KeptStore {
  tables: readonly string[];
  /** group → key → the value kept and the arguments it was read with. */
  groups: Map<string, Map<string, { args: readonly unknown[]; value: unknown }>>;
  /** Groups written in the batch now running (the writer reads them afresh until it ends); `all` when a write named none. */
  touched: Set<string>;
  all: boolean;
  /** Touched groups that go after the COMMIT; the others are amended in place (`amends`). */
  dropped: Set<string>;
  /** What committed writes did to a group, as functions of a kept value and its arguments, in the order they ran. */
  amends: Map<string, ((value: unknown, args: readonly unknown[]) => unknown)[]>;
}

/** The database each drizzle instance belongs to (repos are handed the drizzle instance, not the Db). */
const owners = new WeakMap<object, Db>();

/** The tables an SQL statement writes (INSERT, UPDATE, DELETE, REPLACE), by its text, remembered per text. */
const WRITES = /\b(?:insert(?:\s+or\s+\w+)?\s+into|replace\s+into|update(?:\s+or\s+\w+)?|delete\s+from)\s+[`"[]?([A-Za-z_]\w*)/gi;
const writesByText = new Map<string, readonly string[]>();
export function tablesWritten(query: string): readonly string[] {
  let t = writesByText.get(query);
  if (t === undefined) {
    t = [...new Set([...query.matchAll(WRITES)].map((m) => m[1]!.toLowerCase()))];
    if (writesByText.size > 10_000) writesByText.clear(); // texts built with inline values would grow it for ever
    writesByText.set(query, t);
  }
  return t;
}

export class Db {
  readonly writer: Database.Database;
  readonly readerConn: Database.Database;
  readonly tx: Tx;
  readonly read: Reader;
  /** Long read-only work (a city month's aggregates, a what-if, the anomaly scan) runs here, off the event loop. */
  readonly offThread: OffThreadReader;
  private readonly queue: Job[] = [];
  private draining = false;
  private scheduled = false;
  private closed = false;
  readonly stats: DbStats = { commits: 0, actions: 0, maxBatch: 0 };
  /** Kept reads (`cachedRead`, `keyedRead`), by token, and which of them read each table. */
  private readonly stores = new Map<object, KeptStore>();
  private readonly storesByTable = new Map<string, Set<KeptStore>>();
  private inBatch = false;
  /** What the writer remembers between actions (`writerMemo`); forgotten whenever anything is rolled back. */
  private readonly memo = new Map<string, unknown>();
  /** Tables written by the batch now running (a kept read first used after such a write treats it as unnamed). */
  private readonly dirty = new Set<string>();
  /** Set while a repo runs a write it has named the group of (`touching`), and whether it says what the write did. */
  private announced: Announced | null = null;
  /** Write statements run on each table (in a batch or not, rolled back or not), and how many of them had ended (committed or rolled back) when the last batch ended. */
  private readonly writesRun = new Map<string, number>();
  private readonly writesDone = new Map<string, number>();

  constructor(
    readonly file: string,
    private readonly maxBatch = 64,
  ) {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.writer = new Database(file);
    this.writer.pragma('journal_mode = WAL');
    this.writer.pragma('synchronous = FULL');
    this.writer.pragma('busy_timeout = 5000');
    this.writer.pragma('foreign_keys = ON');
    // Every statement drizzle runs on the writer passes here first: what it writes drops what was kept of it.
    this.tx = drizzle(this.writer, { schema, logger: { logQuery: (query) => this.noteQuery(query) } });
    this.readerConn = new Database(file, { readonly: true, fileMustExist: true });
    this.readerConn.pragma('busy_timeout = 5000');
    this.read = drizzle(this.readerConn, { schema });
    this.offThread = new OffThreadReader(file);
    owners.set(this.tx, this);
    owners.set(this.read, this);
  }

  private noteQuery(query: string): void {
    const tables = tablesWritten(query);
    if (tables.length === 0) return;
    for (const t of tables) this.writesRun.set(t, (this.writesRun.get(t) ?? 0) + 1);
    if (!this.inBatch) for (const t of tables) this.writesDone.set(t, this.writesRun.get(t)!);
    if (this.inBatch) {
      for (const t of tables) {
        this.dirty.add(t);
        for (const store of this.storesByTable.get(t) ?? []) {
          let a = this.announced;
          while (a && a.store !== store) a = a.outer;
          if (a) {
            store.touched.add(a.group);
            if (!a.amends) store.dropped.add(a.group);
          } else store.all = true; // a write that named no group: every group goes after the COMMIT
        }
      }
    } else this.forget(tables); // a write outside the queue (migrations, tools): it commits by itself
  }

  /** Drop every kept read of these tables. */
  private forget(tables: Iterable<string>): void {
    for (const t of tables) for (const store of this.storesByTable.get(t) ?? []) store.groups.clear();
  }

  /** Drop everything kept (after migrations, or when a tool changed the file behind our back). */
  forgetAll(): void {
    for (const store of this.stores.values()) store.groups.clear();
    this.memo.clear();
  }

  private store(token: object, tables: readonly string[]): KeptStore {
    let store = this.stores.get(token);
    if (!store) {
      // First used in a batch that already wrote its tables: what that write changed is not known, so all of it.
      store = {
        tables,
        groups: new Map(),
        touched: new Set(),
        all: this.inBatch && tables.some((t) => this.dirty.has(t)),
        dropped: new Set(),
        amends: new Map(),
      };
      this.stores.set(token, store);
      for (const t of tables) {
        let set = this.storesByTable.get(t);
        if (!set) this.storesByTable.set(t, (set = new Set()));
        set.add(store);
      }
    }
    return store;
  }

  /** @internal `cachedRead`, `keyedRead`: the kept value of `group`/`key`, or `load()` kept (not while this batch has written the group). */
  keep<T>(token: object, tables: readonly string[], group: string, args: readonly unknown[], load: () => T, onWriter: boolean): T {
    const store = this.store(token, tables);
    // Inside a batch that wrote this group (or the tables without naming one), the writer sees changes not yet
    // committed: read them afresh and keep nothing. Readers keep seeing, and keeping, the committed state.
    if (onWriter && this.inBatch && (store.all || store.touched.has(group))) return load();
    const key = args.length === 1 ? String(args[0]) : args.join('\u0001');
    let values = store.groups.get(group);
    const kept = values?.get(key);
    if (kept) return kept.value as T;
    const value = deepFreeze(load());
    if (!values) {
      if (store.groups.size >= 50_000) store.groups.clear(); // a city's residents fit; beyond, start again
      store.groups.set(group, (values = new Map<string, { args: readonly unknown[]; value: unknown }>()));
    }
    if (values.size >= 10_000) values.clear(); // keys that only grow (dates, slots): start again
    values.set(key, { args, value });
    return value;
  }

  /**
   * @internal `touching`: run a write of `group` of a keyed read's tables, naming the group it changes; with `amend`,
   * what it did to a kept value of the group, applied after the COMMIT instead of dropping the group.
   */
  announce<T>(token: object, tables: readonly string[], group: string, write: () => T, amend?: (value: unknown, args: readonly unknown[]) => unknown): T {
    const outer = this.announced;
    const store = this.store(token, tables);
    this.announced = { store, group, amends: !!amend && this.inBatch, outer };
    try {
      const result = write();
      if (amend && this.inBatch) {
        let list = store.amends.get(group);
        if (!list) store.amends.set(group, (list = []));
        list.push(amend);
      }
      return result;
    } catch (error) {
      // It may have written part of what it meant to (and a caller could catch this and go on): what it did is not
      // known, so the group goes after the COMMIT whatever else amended it.
      if (this.inBatch) store.dropped.add(group);
      throw error;
    } finally {
      this.announced = outer;
    }
  }

  /** An action was rolled back: what its writes would have done is unknown now, so their groups go after the COMMIT. */
  private voidAmends(): void {
    for (const store of this.stores.values()) {
      for (const g of store.amends.keys()) store.dropped.add(g);
      store.amends.clear();
    }
  }

  /** @internal `writerMemo`. */
  get writerMemory(): Map<string, unknown> {
    return this.memo;
  }

  /** Apply pending migrations; copy the file first when it already holds data and something is pending. */
  migrate(clockNow: Date = new Date()): { applied: number; backup: string | null } {
    const journalPath = path.join(MIGRATIONS_DIR, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    const hasTable = this.writer.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'").get();
    const done = hasTable ? (this.writer.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n : 0;
    const pending = journal.entries.length - done;
    let backup: string | null = null;
    if (pending > 0 && done > 0) {
      backup = `${this.file}.bak-${clockNow.toISOString().replace(/[:.]/g, '-')}`;
      this.writer.pragma('wal_checkpoint(TRUNCATE)');
      fs.copyFileSync(this.file, backup);
    }
    if (pending > 0) migrate(this.tx, { migrationsFolder: MIGRATIONS_DIR });
    this.forgetAll();
    return { applied: Math.max(0, pending), backup };
  }

  /** Write actions queued and not yet started (load shedding refuses new writes beyond a limit). */
  get pending(): number {
    return this.queue.length;
  }

  /** The one door for changes. `fn` may be async but must not do slow I/O (network, files). */
  write<T>(fn: (tx: Tx) => T | Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('database is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      // Start on the next turn of the event loop, so the actions of requests that arrived together
      // share one commit (one fsync) instead of paying one each.
      if (!this.draining && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          void this.drain();
        });
      }
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch: { job: Job; ok: boolean; value: unknown }[] = [];
        this.inBatch = true;
        this.writer.exec('BEGIN IMMEDIATE');
        try {
          while (this.queue.length > 0 && batch.length < this.maxBatch) {
            const job = this.queue.shift()!;
            this.writer.exec('SAVEPOINT action');
            try {
              const value = await job.fn(this.tx);
              this.writer.exec('RELEASE action');
              batch.push({ job, ok: true, value });
            } catch (error) {
              this.writer.exec('ROLLBACK TO action');
              this.writer.exec('RELEASE action');
              this.memo.clear();
              this.voidAmends();
              batch.push({ job, ok: false, value: error });
            }
          }
          this.writer.exec('COMMIT');
        } catch (error) {
          if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
          this.memo.clear();
          this.voidAmends();
          this.endBatch();
          for (const b of batch) b.job.reject(error);
          continue;
        }
        this.endBatch();
        this.stats.commits += 1;
        this.stats.actions += batch.length;
        this.stats.maxBatch = Math.max(this.stats.maxBatch, batch.length);
        for (const b of batch) {
          if (b.ok) b.job.resolve(b.value);
          else b.job.reject(b.value);
        }
      }
    } finally {
      this.draining = false;
      if (this.inBatch) this.endBatch();
    }
  }

  /**
   * After COMMIT (or ROLLBACK): what the batch wrote is dropped from the kept reads, or amended in place where every
   * write of the group said what it did (and none was rolled back), in the same turn.
   */
  private endBatch(): void {
    this.inBatch = false;
    for (const [t, n] of this.writesRun) this.writesDone.set(t, n);
    this.dirty.clear();
    for (const store of this.stores.values()) {
      if (store.all) store.groups.clear();
      else
        for (const g of store.touched) {
          const values = store.groups.get(g);
          const amends = store.amends.get(g);
          if (!values) continue;
          if (store.dropped.has(g) || !amends) store.groups.delete(g);
          else
            for (const kept of values.values()) {
              let value = kept.value;
              for (const amend of amends) value = amend(value, kept.args);
              kept.value = deepFreeze(value);
            }
        }
      store.touched.clear();
      store.dropped.clear();
      store.amends.clear();
      store.all = false;
    }
  }

  /**
   * A mark of the committed state of some tables, for work that reads them outside a write (off the event loop) and
   * then writes what it read: take the mark, read, and inside the write ask `writtenSince(tables, mark)`. False
   * means no write to those tables ran between the mark and now, so the read saw exactly the state the write
   * builds on; true means read again (or read inside the write). Conservative: a write rolled back still counts,
   * and a mark taken while a batch that wrote the tables is running is already stale.
   */
  writeMark(tables: readonly string[]): number {
    return tables.reduce((a, t) => a + (this.writesDone.get(t) ?? 0), 0);
  }

  writtenSince(tables: readonly string[], mark: number): boolean {
    return tables.reduce((a, t) => a + (this.writesRun.get(t) ?? 0), 0) !== mark;
  }

  /** One trivial read on the read connection: the database answers (health checks). */
  ping(): void {
    this.readerConn.prepare('SELECT 1').get();
  }

  /** Wait for queued writes, then close both connections. */
  async close(): Promise<void> {
    while (this.draining || this.scheduled || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    this.closed = true;
    await this.offThread.close();
    this.readerConn.close();
    this.writer.close();
  }
}

/**
 * A query built and compiled once per connection, then run with fresh parameters (`sql.placeholder`): for the
 * statements every order runs, where building and compiling each time would cost more than running them.
 * Give it no `.limit(n)` for one row: drizzle binds the limit as a parameter, and SQLite runs a statement with
 * a bound LIMIT far slower (measured here: a select by primary key on orders, 23 µs instead of 7, as if it were
 * compiled again); `.get()` already stops at the first row.
 */
export function prepared<Q>(build: (db: Reader | Tx) => Q): (db: Reader | Tx) => Q {
  const cache = new WeakMap<object, Q>();
  return (db) => {
    let q = cache.get(db);
    if (!q) cache.set(db, (q = build(db)));
    return q;
  };
}

/**
 * A read kept in memory per database until one of `tables` is written (see the top of this file), by its
 * arguments. For what does not change within a meal period: canteens, opening hours, the calendar, policies,
 * dishes, menus. Never for what every order changes (stock, wallets, history). The value is frozen: callers
 * share it and must copy before changing anything.
 */
export function cachedRead<A extends (string | number)[], T>(
  tables: readonly SQLiteTable[],
  load: (db: Reader | Tx, ...args: A) => T,
): (db: Reader | Tx, ...args: A) => T {
  const names = tables.map((t) => getTableName(t).toLowerCase());
  const token = {};
  return (db, ...args) => {
    const owner = owners.get(db);
    if (!owner) return load(db, ...args);
    return owner.keep(token, names, '', args, () => load(db, ...args), db === owner.tx);
  };
}

/**
 * A read kept in memory per database by group and key, for what every order changes for one group only: a
 * resident's subsidy history, wallet balance and subsidised meal (group: the resident), a menu's stock (group: the
 * menu), each read by the card tap, the quote and the order. The repo that owns
 * `tables` wraps each of its writes of them in `touching(db, group)`: only that group is dropped after the COMMIT
 * (or the ROLLBACK); a write of the tables outside `touching` drops every group. Values are frozen.
 *
 * A write that can say what it did to a kept value (`touching(db, group, write, amend)`: an order's subsidy rows
 * appended to the resident's history) has its group amended after the COMMIT instead of dropped, so the next card tap
 * does not read again what the order just wrote. Inside the batch the writer still reads the group afresh; a rolled-back
 * action, or any write of the group without `amend`, drops it as before.
 */
export function keyedRead<A extends (string | number)[], T>(
  tables: readonly SQLiteTable[],
  load: (db: Reader | Tx, group: string, ...args: A) => T,
): {
  read: (db: Reader | Tx, group: string, ...args: A) => T;
  touching: <R>(db: Reader | Tx, group: string, write: () => R, amend?: (value: T, ...args: A) => T) => R;
} {
  const names = tables.map((t) => getTableName(t).toLowerCase());
  const token = {};
  return {
    read: (db, group, ...args) => {
      const owner = owners.get(db);
      if (!owner) return load(db, group, ...args);
      return owner.keep(token, names, group, args, () => load(db, group, ...args), db === owner.tx);
    },
    touching: (db, group, write, amend) => {
      const owner = owners.get(db);
      if (!owner) return write();
      return owner.announce(token, names, group, write, amend && ((value, args) => amend(value as T, ...(args as A))));
    },
  };
}

/**
 * Memory of the writer connection between actions, forgotten whenever an action or a batch is rolled back (so
 * it never remembers what was not committed): e.g. the audit chain's head. Only for tables no one else writes.
 */
export function writerMemo(tx: Tx): Map<string, unknown> | null {
  const owner = owners.get(tx);
  return owner && owner.tx === tx ? owner.writerMemory : null;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    if (value instanceof Map) for (const v of value.values()) deepFreeze(v);
    else for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * A prepared insert of one whole row of `table` (every column but `omit`, e.g. an autoincrement id). The row
 * must name every column, nulls included: a column left out would not fall back to its default.
 */
export function preparedInsert<T extends SQLiteTable>(table: T, omit: readonly string[] = []) {
  const values = Object.fromEntries(
    Object.keys(getTableColumns(table))
      .filter((k) => !omit.includes(k))
      .map((k) => [k, sql.placeholder(k)]),
  );
  return prepared((db) =>
    db
      .insert(table)
      .values(values as T['$inferInsert'])
      .prepare(),
  );
}

/**
 * Insert one row through a statement prepared once per connection, table and set of columns given (a column left out,
 * or undefined, gets its default, exactly as with `tx.insert(table).values(row)`): for inserts repeated row by row in
 * one long transaction (a roster of 20,000 elders), where building and compiling the statement each time cost more
 * than running it.
 */
export function insertRow<T extends SQLiteTable>(tx: Tx, table: T, row: T['$inferInsert']): void {
  const keys = Object.keys(row).filter((k) => (row as Record<string, unknown>)[k] !== undefined);
  let byKeys = rowInserts.get(table);
  if (!byKeys) rowInserts.set(table, (byKeys = new Map<string, (db: Reader | Tx) => RowInsert>()));
  const signature = keys.join(',');
  let statement = byKeys.get(signature);
  if (!statement) {
    const values = Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)]));
    statement = prepared((db) =>
      db
        .insert(table)
        .values(values as T['$inferInsert'])
        .prepare(),
    );
    byKeys.set(signature, statement);
  }
  statement(tx).run(row);
}
type RowInsert = { run(params: Record<string, unknown>): unknown };
/** Per table and set of columns, the statement `prepared` keeps per connection. */
const rowInserts = new Map<SQLiteTable, Map<string, (db: Reader | Tx) => RowInsert>>();

/** Insert many rows in statements of `chunk` rows (SQLite caps the parameters of one statement). */
export function insertMany<T extends SQLiteTable>(tx: Tx, table: T, rows: T['$inferInsert'][], chunk = 200): void {
  for (let i = 0; i < rows.length; i += chunk)
    tx.insert(table)
      .values(rows.slice(i, i + chunk))
      .run();
}

/**
 * Run a write on `table`; SQLite's unique and primary-key failures come back as a UniqueViolation naming the
 * index (SQLite's own message only lists the columns), so no service needs to know the database's words.
 */
export function guardUnique<T>(table: SQLiteTable, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw e;
    const config = getTableConfig(table);
    const failed = /constraint failed: (.*)$/.exec((e as Error).message)?.[1] ?? '';
    const columns = failed.split(',').map((c) => c.trim().replace(`${config.name}.`, ''));
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new UniqueViolation(`${config.name}_pkey`, config.name);
    const index = config.indexes.find(
      (i) => i.config.unique && i.config.columns.length === columns.length && i.config.columns.every((c, n) => 'name' in c && c.name === columns[n]),
    );
    throw new UniqueViolation(index?.config.name ?? `${config.name}(${columns.join(',')})`, config.name);
  }
}

export function openDb(file: string): Db {
  return new Db(file);
}

/** A drizzle reader over a read-only connection opened elsewhere (the off-thread worker's). */
export function readerOn(conn: Database.Database): Reader {
  return drizzle(conn, { schema });
}

/** Only a read-only connection, for tools that look and never write (`pnpm audit:verify`). The file must exist. */

export function openReadOnly(file: string): { read: Reader; close(): void } {
  const conn = new Database(file, { readonly: true, fileMustExist: true });
  conn.pragma('busy_timeout = 5000');
  return { read: drizzle(conn, { schema }), close: () => conn.close() };
}
