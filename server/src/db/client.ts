/**
 * The database: one SQLite file in WAL mode, a single writer connection behind a queue, and a
 * read-only connection for reads.
 *
 * `write(fn)` is the one door for changes. Queued actions run one after another on the writer; under load
 * several queued actions share one `BEGIN IMMEDIATE … COMMIT` (group commit), each inside its own
 * savepoint so a failing action rolls back only itself. Callers are answered after the COMMIT, so an
 * acknowledged write is on disk (synchronous=FULL).
 */
import Database from 'better-sqlite3';
import { getTableColumns, sql } from 'drizzle-orm';
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

export interface DbStats {
  commits: number;
  actions: number;
  maxBatch: number;
}

export class Db {
  readonly writer: Database.Database;
  readonly readerConn: Database.Database;
  readonly tx: Tx;
  readonly read: Reader;
  /** Long read-only aggregates (reports over a city month) run here, off the event loop. */
  readonly offThread: OffThreadReader;
  private readonly queue: Job[] = [];
  private draining = false;
  private scheduled = false;
  private closed = false;
  readonly stats: DbStats = { commits: 0, actions: 0, maxBatch: 0 };

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
    this.tx = drizzle(this.writer, { schema });
    this.readerConn = new Database(file, { readonly: true, fileMustExist: true });
    this.readerConn.pragma('busy_timeout = 5000');
    this.read = drizzle(this.readerConn, { schema });
    this.offThread = new OffThreadReader(file);
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
              batch.push({ job, ok: false, value: error });
            }
          }
          this.writer.exec('COMMIT');
        } catch (error) {
          if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
          for (const b of batch) b.job.reject(error);
          continue;
        }
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
    }
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

/** Only a read-only connection, for tools that look and never write (`pnpm audit:verify`). The file must exist. */
export function openReadOnly(file: string): { read: Reader; close(): void } {
  const conn = new Database(file, { readonly: true, fileMustExist: true });
  conn.pragma('busy_timeout = 5000');
  return { read: drizzle(conn, { schema }), close: () => conn.close() };
}
