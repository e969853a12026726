/**
 * Backup of the running database under write load, and restore: the same data comes back with a valid audit
 * chain; restore refuses while the server has the file, refuses a damaged backup, and keeps what it replaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { TestClock } from '../src/lib/clock';
import { withQuote, as, LUNCH_MONDAY, makeApp, pairKiosk, startApp, testConfig, TEST_SECRET, type TestApp } from './helpers';
import { SERVER_DIR } from './process';
import { backupDatabase, checkDatabase, restoreDatabase } from '../scripts/db-backup-restore';

let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await makeApp();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-backup-'));
});
afterAll(async () => {
  await t.close().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

const orderIds = (file: string) => {
  const c = new Database(file, { readonly: true });
  const ids = new Set((c.prepare('SELECT id FROM orders').all() as { id: string }[]).map((r) => r.id));
  c.close();
  return ids;
};

describe('backup and restore', () => {
  it('backs up the running database under write load; restore brings back exactly that, with its audit chain', async () => {
    const kiosk = as(t.app, await pairKiosk(t.app));
    const acked: string[] = [];
    const order = async () => {
      const id = uuidv7();
      const res = await kiosk.post(
        '/api/v1/orders',
        await withQuote(kiosk, {
          id,
          identifyMethod: 'guest',
          lines: [{ dishId: 'ct-shipai-huashi__mifan', quantity: 1 }],
          paymentMethod: 'cash',
        }),
      );
      expect(res.statusCode, res.body).toBe(201);
      acked.push(id);
    };
    for (let i = 0; i < 20; i++) await order();

    // Orders keep coming while the backup runs.
    let writing = true;
    const load = (async () => {
      while (writing) await Promise.all([order(), order(), order()]);
    })();
    const ackedBefore = [...acked];
    const backup = await backupDatabase(t.dbPath, dir);
    const ackedAfterBackup = acked.length;
    await new Promise((r) => setTimeout(r, 100));
    writing = false;
    await load;
    expect(acked.length).toBeGreaterThan(ackedAfterBackup);

    // Named with the real time, not the server's business clock (which says 2026-11-23).
    expect(path.basename(backup.file)).toMatch(new RegExp(`^yishi-${new Date().toISOString().slice(0, 10)}T\\d\\d-\\d\\d-\\d\\d-\\d{3}Z\\.db$`));
    const inBackup = orderIds(backup.file);
    for (const id of ackedBefore) expect(inBackup.has(id)).toBe(true);
    expect(checkDatabase(backup.file).orders).toBe(inBackup.size);

    // While the server holds the file, restore refuses and changes nothing.
    const liveBefore = orderIds(t.dbPath);
    expect(() => restoreDatabase(t.dbPath, backup.file)).toThrow(/in use.*stop the server/);
    expect(orderIds(t.dbPath)).toEqual(liveBefore);
    expect(fs.readdirSync(path.dirname(t.dbPath)).some((f) => f.includes('before-restore'))).toBe(false);

    await t.app.close();
    const { restored, keptAs } = restoreDatabase(t.dbPath, backup.file);
    expect(orderIds(t.dbPath)).toEqual(inBackup);
    expect(restored.orders).toBe(inBackup.size);
    // What it replaced is kept, later orders and all.
    expect(orderIds(keptAs!)).toEqual(liveBefore);
    expect(liveBefore.size).toBeGreaterThan(inBackup.size);

    // The server starts on the restored file and finds the orders it had acknowledged before the backup.
    const clock = new TestClock(new Date(LUNCH_MONDAY));
    const { app } = await startApp(testConfig(t.dbPath, clock));
    try {
      const again = as(app, await pairKiosk(app));
      expect((await again.get(`/api/v1/orders/${ackedBefore[0]}`)).statusCode).toBe(200);
      const later = [...liveBefore].find((id) => !inBackup.has(id))!;
      expect((await again.get(`/api/v1/orders/${later}`)).statusCode).toBe(404);
    } finally {
      await app.close();
    }
    expect(checkDatabase(t.dbPath).auditRows).toBeGreaterThan(restored.auditRows);
  });

  it('refuses a damaged backup or one whose audit chain was edited, and leaves the database alone', async () => {
    const good = (await backupDatabase(t.dbPath, path.join(dir, 'more'))).file;
    const before = orderIds(t.dbPath);

    const garbage = path.join(dir, 'garbage.db');
    fs.writeFileSync(garbage, Buffer.alloc(8192, 7));
    expect(() => restoreDatabase(t.dbPath, garbage)).toThrow(/not a (readable )?SQLite database|integrity/);

    const edited = path.join(dir, 'edited.db');
    fs.copyFileSync(good, edited);
    const c = new Database(edited);
    c.prepare("UPDATE audit_log SET details = '{\"amountFen\":1}' WHERE seq = (SELECT min(seq) FROM audit_log WHERE action = 'order.created')").run();
    c.close();
    expect(() => restoreDatabase(t.dbPath, edited)).toThrow(/audit chain is broken/);
    expect(orderIds(t.dbPath)).toEqual(before);
  });

  it('pnpm db:backup and db:restore work from the command line on DB_PATH', () => {
    const env = { ...process.env, DB_PATH: t.dbPath, YISHI_SECRET: TEST_SECRET.toString('hex'), INIT_CWD: dir };
    const run = (script: string, ...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: SERVER_DIR, env, encoding: 'utf8' });
    const b = run('db-backup', 'cli');
    expect(b.status, b.stderr).toBe(0);
    const file = /backup written: (\S+):/.exec(b.stdout)![1]!;
    expect(path.dirname(file)).toBe(path.join(dir, 'cli'));
    const r = run('db-restore', file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/restored: .*audit chain of \d+ rows intact/);
    expect(run('db-restore').status).toBe(2);
  });
});
