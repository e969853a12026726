import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { as, login, makeApp, ORIGIN, pairKiosk, type TestApp } from '../../../test/helpers';

let t: TestApp;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

const DAY = '2026-11-23';
const MENU = `/api/v1/canteens/ct-shipai-huashi/menus/${DAY}/lunch`;

describe('menus and stock', () => {
  it('an operator edits a menu; another operator cannot', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const menu = (await op.get(MENU)).json();
    const dishIds = menu.items.map((i: { dish: { id: string } }) => i.dish.id);
    const put = await op.put(MENU.replace(DAY, '2026-11-30'), { items: dishIds.slice(0, 3).map((dishId: string) => ({ dishId, portions: 20 })) });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().items).toHaveLength(3);
    const other = as(t.app, await login(t.app, 'jiajia'));
    expect((await other.put(MENU.replace(DAY, '2026-11-30'), { items: [] })).statusCode).toBe(404);
    // A dish of another canteen cannot go on this menu.
    const bad = await op.put(MENU.replace(DAY, '2026-11-30'), { items: [{ dishId: 'ct-yuancun__set-a', portions: null }] });
    expect(bad.statusCode).toBe(400);
  });

  it('marking a dish sold out reaches a kiosk over the WebSocket', async () => {
    const device = await pairKiosk(t.app);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`${address.replace('http', 'ws')}/api/v1/live`, { headers: { cookie: device } });
    const messages: { type: string; dishId?: string; soldOut?: boolean }[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (m) => {
        messages.push(JSON.parse(String(m)));
        if (messages.length === 1) resolve();
      });
      ws.on('error', reject);
    });
    expect(messages[0]).toMatchObject({ type: 'hello', canteenIds: ['ct-shipai-huashi'] });
    const op = as(t.app, await login(t.app, 'yikang'));
    const got = new Promise<(typeof messages)[number]>((resolve) => ws.on('message', (m) => resolve(JSON.parse(String(m)))));
    const res = await op.post(`${MENU}/items/ct-shipai-huashi__set-a/sold-out`, { soldOut: true });
    expect(res.statusCode).toBe(200);
    expect(await got).toMatchObject({ type: 'stock.changed', dishId: 'ct-shipai-huashi__set-a', soldOut: true });
    ws.close();
  });

  it('a WebSocket without credentials is refused', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`${address.replace('http', 'ws')}/api/v1/live`);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(401);
  });

  it('an open socket closes once its session is logged out', async () => {
    const staff = await login(t.app, 'yikang');
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const ws = new WebSocket(`${address.replace('http', 'ws')}/api/v1/live`, { headers: { cookie: staff } });
    await new Promise<void>((resolve) => ws.on('message', () => resolve()));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    expect((await as(t.app, staff).post('/api/v1/auth/logout')).statusCode).toBe(200);
    expect(await closed).toBe(4001);
  });

  it('a dish photo must really be a JPEG, PNG or WebP of at most 2 MB; it is then served under /media', async () => {
    const op = as(t.app, await login(t.app, 'yikang'));
    const cookie = await login(t.app, 'yikang');
    const put = (body: Buffer, type: string, dish = 'ct-shipai-huashi__set-a', who = cookie) =>
      t.app.inject({ method: 'PUT', url: `/api/v1/dishes/${dish}/photo`, payload: body, headers: { cookie: who, origin: ORIGIN, 'content-type': type } });
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const ok = await put(png, 'image/png');
    expect(ok.statusCode, ok.body).toBe(200);
    const url = ok.json().photoUrl as string;
    expect(url).toMatch(/^\/media\/dish-.+\.png$/);
    const served = await t.app.inject({ method: 'GET', url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.rawPayload.equals(png)).toBe(true);
    // The kiosk menu shows it.
    expect((await op.get(MENU)).json().items.find((i: { dish: { id: string } }) => i.dish.id === 'ct-shipai-huashi__set-a').dish.photoUrl).toBe(url);

    const fake = await put(Buffer.from('<script>alert(1)</script>'), 'image/png');
    expect(fake.statusCode).toBe(400);
    expect(fake.json().error.code).toBe('bad_request');
    const mislabelled = await put(png, 'image/jpeg');
    expect(mislabelled.statusCode).toBe(400);
    const gif = await put(Buffer.from('GIF89a....'), 'image/gif');
    expect(gif.statusCode).toBe(415);
    expect(gif.json().error).toHaveProperty('code');
    const huge = await put(Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]), 'image/png');
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
    const other = await put(png, 'image/png', 'ct-shipai-huashi__set-a', await login(t.app, 'jiajia'));
    expect(other.statusCode).toBe(404);
  });
});
