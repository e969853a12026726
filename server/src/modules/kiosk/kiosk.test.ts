import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { as, login, makeApp, ORIGIN, type TestApp } from '../../../test/helpers';
import { DEMO_KIOSK } from '../../seed';
import { createStartupPairing } from './kiosk.service';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

async function code(canteenId = 'ct-shipai-huashi') {
  const op = as(t.app, await login(t.app, 'yikang'));
  const res = await op.post('/api/v1/devices/pairing', { canteenId, name: '1号自助机' });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { deviceId: string; code: string; expiresAt: string };
}

describe('kiosk pairing', () => {
  it('a code pairs one kiosk once, then it is used up', async () => {
    const { code: c } = await code();
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: c } });
    expect(first.statusCode).toBe(200);
    const cookie = first.cookies.find((k) => k.name === 'yishi_device')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: c } });
    expect(again.json().error.code).toBe('pairing_code_invalid');
  });

  it('the start-up code is made by the system for the first demo canteen, and pairs a kiosk there', async () => {
    const made = await createStartupPairing(t.ctx, DEMO_KIOSK.canteenId, DEMO_KIOSK.name);
    expect(made).not.toBeNull();
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: made!.code } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().canteen).toMatchObject({ id: 'ct-shipai-huashi', shortName: DEMO_KIOSK.canteenName });
    const row = t.ctx.db.readerConn
      .prepare("SELECT actor_type AS actorType, actor_id AS actorId FROM audit_log WHERE action = 'device.pairing_created' AND entity_id = ?")
      .get(made!.deviceId);
    expect(row).toEqual({ actorType: 'system', actorId: null });
    const device = t.ctx.db.readerConn.prepare('SELECT created_by AS createdBy, name FROM devices WHERE id = ?').get(made!.deviceId);
    expect(device).toEqual({ createdBy: null, name: DEMO_KIOSK.name });
  });

  it('no start-up code on a database without that canteen', async () => {
    const empty = await makeApp({ empty: true });
    try {
      expect(await createStartupPairing(empty.ctx, DEMO_KIOSK.canteenId, DEMO_KIOSK.name)).toBeNull();
    } finally {
      await empty.close();
    }
  });

  it('a code expires after 15 minutes', async () => {
    const { code: c } = await code();
    t.clock.advance(16 * 60_000);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: c } });
    expect(res.json().error.code).toBe('pairing_code_invalid');
  });

  it('an operator cannot make codes for another operator’s canteen', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    expect((await op.post('/api/v1/devices/pairing', { canteenId: 'ct-yuancun', name: 'x' })).statusCode).toBe(404);
  });

  it('call staff reaches the canteen’s console over the WebSocket', async () => {
    const { code: c } = await code();
    const paired = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: c } });
    const device = `yishi_device=${paired.cookies.find((k) => k.name === 'yishi_device')!.value}`;
    const staff = await login(t.app, 'yikang');
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`${address.replace('http', 'ws')}/api/v1/live?canteenId=ct-shipai-huashi`, { headers: { cookie: staff } });
    const events: { type: string; deviceName?: string }[] = [];
    await new Promise<void>((resolve) => ws.on('message', (m) => (events.push(JSON.parse(String(m))), events.length === 1 && resolve())));
    const got = new Promise<(typeof events)[number]>((resolve) => ws.on('message', (m) => resolve(JSON.parse(String(m)))));
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/help', payload: {}, headers: { cookie: device, origin: ORIGIN } });
    expect(res.statusCode, res.body).toBe(200);
    expect(await got).toMatchObject({ type: 'help.requested', deviceName: '1号自助机' });
    ws.close();
  });
});
