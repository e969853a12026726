import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { as, login, makeApp, type TestApp } from '../../test/helpers';
import { verifyAuditChain } from './audit';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

describe('audit log', () => {
  it('is hash-chained: a changed or deleted row is detected', async () => {
    await login(t.app, 'yikang');
    await as(t.app, await login(t.app, 'city')).post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' });
    const ok = verifyAuditChain(t.ctx.db.read);
    expect(ok.ok).toBe(true);
    expect(ok.rows).toBeGreaterThan(2);
    t.ctx.db.writer.prepare('UPDATE audit_log SET details = \'{"tampered":true}\' WHERE seq = 2').run();
    expect(verifyAuditChain(t.ctx.db.read)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('detects a deleted row', async () => {
    await login(t.app, 'yikang');
    await login(t.app, 'jiajia');
    t.ctx.db.writer.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    expect(verifyAuditChain(t.ctx.db.read).ok).toBe(false);
  });
});
