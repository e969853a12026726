import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, login, makeApp, type TestApp } from '../../../test/helpers';
import { verify } from './audit.service';

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../cli/audit-verify.ts');

/** `pnpm audit:verify` as an operator runs it: a separate process on DB_PATH. */
async function runScript(dbPath: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', SCRIPT], { env: { ...process.env, DB_PATH: dbPath } });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

describe('audit log', () => {
  it('is hash-chained: a changed row is detected', async () => {
    await login(t.app, 'yikang');
    await as(t.app, await login(t.app, 'city')).post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' });
    const ok = verify(t.ctx.db.read);
    expect(ok.ok).toBe(true);
    expect(ok.rows).toBeGreaterThan(2);
    t.ctx.db.writer.prepare('UPDATE audit_log SET details = \'{"tampered":true}\' WHERE seq = 2').run();
    expect(verify(t.ctx.db.read)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('detects a deleted row at the row after it', async () => {
    await login(t.app, 'yikang');
    await login(t.app, 'jiajia');
    t.ctx.db.writer.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verify(t.ctx.db.read)).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('GET /audit/verify and pnpm audit:verify both pass on an intact log and both fail on a changed row, naming it', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' });
    const good = await city.get('/api/v1/audit/verify');
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toMatchObject({ ok: true, brokenAt: null });
    const clean = await runScript(t.dbPath);
    expect(clean.code, clean.out).toBe(0);
    expect(clean.out).toContain('intact');

    // Someone edits the SQLite file behind the server's back: the amount of the last change is altered.
    const last = t.ctx.db.writer.prepare('SELECT max(seq) AS seq FROM audit_log').get() as { seq: number };
    t.ctx.db.writer.prepare("UPDATE audit_log SET details = json_set(details, '$.policyKey', 'forged') WHERE seq = ?").run(last.seq);

    const bad = await city.get('/api/v1/audit/verify');
    expect(bad.statusCode).toBe(200);
    expect(bad.json()).toMatchObject({ ok: false, brokenAt: last.seq });
    const script = await runScript(t.dbPath);
    expect(script.code, script.out).toBe(1);
    expect(script.out).toContain(`BROKEN at row ${last.seq}`);
  });

  it('only city and platform staff may verify; a missing database is an error, not a pass', async () => {
    expect((await as(t.app, await login(t.app, 'yikang')).get('/api/v1/audit/verify')).statusCode).toBe(403);
    expect((await as(t.app, await login(t.app, 'tianhe')).get('/api/v1/audit/verify')).statusCode).toBe(403);
    expect((await as(t.app, await login(t.app, 'admin')).get('/api/v1/audit/verify')).json().ok).toBe(true);
    const none = await runScript(path.join(path.dirname(t.dbPath), 'missing.db'));
    expect(none.code).toBe(2);
  });
});
