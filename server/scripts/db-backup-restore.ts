/**
 * Online backup and safe restore of the SQLite database.
 *
 * Backup uses SQLite's backup API from its own read connection, so it can run beside the server: the copy is
 * one consistent snapshot (a commit that lands during the copy restarts it; the last pass copies every page in
 * one step under one read lock, which in WAL mode does not block the server's writes). The file is named with
 * the real time (never the business clock) and checked before it is reported.
 *
 * Restore refuses while anyone (the server) has the database open, checks the backup first (integrity, a Yishi
 * database, an intact audit chain), keeps a copy of what it replaces, and swaps the file in atomically.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import * as schema from '../src/db/schema';
import { verify as verifyAuditChain } from '../src/modules/audit/audit.service';

export interface DbSummary {
  file: string;
  bytes: number;
  orders: number;
  residents: number;
  walletEntries: number;
  auditRows: number;
}

/** A file name stamp from the real time: 2026-12-02T01-02-03-456Z. */
export function stamp(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

/** Integrity, the Yishi tables and the audit chain of a database file; throws with what is wrong. */
export function checkDatabase(file: string): DbSummary {
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`);
  let conn: Database.Database;
  try {
    conn = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Error(`${file}: not an SQLite database (${(err as Error).message})`);
  }
  try {
    let integrity: string;
    try {
      integrity = (conn.pragma('integrity_check', { simple: true }) as string) ?? 'no answer';
    } catch (err) {
      throw new Error(`${file}: not a readable SQLite database (${(err as Error).message})`);
    }
    if (integrity !== 'ok') throw new Error(`${file}: integrity check failed: ${integrity}`);
    const has = (t: string) => !!conn.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t);
    for (const t of ['__drizzle_migrations', 'orders', 'residents', 'wallet_entries', 'audit_log']) {
      if (!has(t)) throw new Error(`${file}: not a Yishi database (no ${t} table)`);
    }
    const chain = verifyAuditChain(drizzle(conn, { schema }));
    if (!chain.ok) throw new Error(`${file}: the audit chain is broken at row ${chain.brokenAt}`);
    const count = (t: string) => (conn.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return {
      file,
      bytes: fs.statSync(file).size,
      orders: count('orders'),
      residents: count('residents'),
      walletEntries: count('wallet_entries'),
      auditRows: chain.rows,
    };
  } finally {
    conn.close();
  }
}

/** Copy the (possibly running) database into `<dir>/yishi-<real time>.db` and check the copy. */
export async function backupDatabase(dbPath: string, dir = path.join(path.dirname(dbPath), 'backups'), at: Date = new Date()): Promise<DbSummary> {
  if (!fs.existsSync(dbPath)) throw new Error(`${dbPath}: no such database`);
  fs.mkdirSync(dir, { recursive: true });
  const dest = path.join(dir, `${path.basename(dbPath, '.db')}-${stamp(at)}.db`);
  if (fs.existsSync(dest)) throw new Error(`${dest} exists already`);
  const partial = `${dest}.partial`;
  const src = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    // After the first step, every remaining page in one step: one read snapshot.
    await src.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    src.close();
  }
  const summary = checkDatabase(partial);
  fs.renameSync(partial, dest);
  return { ...summary, file: dest };
}

/** Throws unless this process can take the database for itself (nobody else has it open). */
function takeExclusively(dbPath: string): Database.Database {
  const conn = new Database(dbPath, { fileMustExist: true, timeout: 0 });
  try {
    conn.pragma('locking_mode = EXCLUSIVE');
    conn.exec('BEGIN EXCLUSIVE');
    conn.prepare('SELECT count(*) FROM sqlite_master').get();
    conn.exec('COMMIT');
    return conn;
  } catch (err) {
    conn.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(`${dbPath} is in use (is the server running?); stop the server before restoring`);
    }
    throw err;
  }
}

function copyDurably(from: string, to: string) {
  fs.copyFileSync(from, to);
  const fd = fs.openSync(to, 'r+');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
}

/**
 * Replace the database with a backup. Returns what was restored and where the replaced database was kept.
 * The server must be stopped; it refuses otherwise.
 */
export function restoreDatabase(dbPath: string, backupFile: string, at: Date = new Date()): { restored: DbSummary; keptAs: string | null } {
  checkDatabase(backupFile);
  let keptAs: string | null = null;
  if (fs.existsSync(dbPath)) {
    const live = takeExclusively(dbPath);
    try {
      // Fold the write-ahead log into the file and leave WAL mode, so the file alone is the whole database.
      live.pragma('wal_checkpoint(TRUNCATE)');
      live.pragma('journal_mode = DELETE');
    } finally {
      live.close();
    }
    keptAs = `${dbPath}.before-restore-${stamp(at)}`;
    copyDurably(dbPath, keptAs);
  }
  const tmp = `${dbPath}.restoring`;
  copyDurably(backupFile, tmp);
  for (const side of ['-wal', '-shm']) fs.rmSync(`${dbPath}${side}`, { force: true });
  fs.renameSync(tmp, dbPath);
  const dirFd = fs.openSync(path.dirname(dbPath), 'r');
  fs.fsyncSync(dirFd);
  fs.closeSync(dirFd);
  const conn = new Database(dbPath);
  conn.pragma('journal_mode = WAL');
  conn.close();
  return { restored: { ...checkDatabase(dbPath), file: dbPath }, keptAs };
}

export function describeSummary(s: DbSummary): string {
  return `${s.file}: ${(s.bytes / 1024 / 1024).toFixed(1)} MB, ${s.orders} orders, ${s.residents} residents, ${s.walletEntries} wallet entries, audit chain of ${s.auditRows} rows intact`;
}
