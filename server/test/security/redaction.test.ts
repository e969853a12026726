/**
 * Personal data and secrets never reach a log line, even at trace level; the API shows ID numbers and phones
 * masked except through the audited reveal, to a role allowed to see it.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_PIN } from '../../src/seed';
import { as, cookieOf, makeApp, ORIGIN, type TestApp } from '../helpers';
import { idNumber, loginAs, nextIp, send } from './kit';

const lines: string[] = [];
let t: TestApp;

const ID = idNumber(777);
const PHONE = '13912345678';
const NEW_PIN = '480251';
const CARD = 'RC20261123Z';
const secrets: Record<string, string> = {};

beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  t = await makeApp({ logStream, config: { logLevel: 'trace' } });
});
afterAll(async () => t.close());

describe('redaction', () => {
  let residentId: string;
  let shipai: string;

  it('walks the sensitive flows at trace level', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'shipai', password: DEMO_PASSWORD },
      headers: { origin: ORIGIN },
      remoteAddress: nextIp(),
    });
    expect(login.statusCode).toBe(200);
    shipai = cookieOf(login, 'yishi_session');
    secrets.session = shipai.split('=')[1]!;
    const staff = as(t.app, shipai);

    const created = await staff.post('/api/v1/residents', {
      name: '罗淑芬',
      gender: 'female',
      birthDate: '1950-01-01',
      idNumber: ID,
      phone: PHONE,
      hukouAreaCode: '440106',
      residenceAreaCode: '440106004001',
      homeCanteenId: 'ct-shipai-huashi',
    });
    expect(created.statusCode, created.body).toBe(201);
    residentId = created.json().id;
    expect(created.json().idNumberMasked).not.toContain(ID.slice(0, 14));
    expect(created.body).not.toContain(ID);
    expect(created.body).not.toContain(PHONE);

    expect((await staff.post(`/api/v1/residents/${residentId}/pin`, { pin: NEW_PIN })).statusCode).toBe(200);
    expect((await staff.post(`/api/v1/residents/${residentId}/cards`, { kind: 'ss_card', number: CARD })).statusCode).toBe(201);
    const qr = await staff.post(`/api/v1/residents/${residentId}/cards`, { kind: 'qr' });
    secrets.qr = qr.json().qrToken;

    // Searching by phone or ID number puts them in the URL: the URL is logged, its query must not be.
    expect((await staff.get(`/api/v1/residents?q=${PHONE}`)).json().total).toBe(1);
    expect((await staff.get(`/api/v1/residents?q=${ID}`)).json().total).toBe(1);

    const reveal = await staff.post(`/api/v1/residents/${residentId}/reveal-id`);
    expect(reveal.json()).toEqual({ idNumber: ID });

    // Kiosk: pairing code, device credential, identify by card, by QR and by phone + PIN (also a wrong PIN).
    const yikang = await loginAs(t.app, 'yikang');
    const pairing = await send(t.app, yikang, { method: 'POST', url: '/api/v1/devices/pairing', payload: { canteenId: 'ct-shipai-huashi', name: '前台' } });
    secrets.pairingCode = pairing.json().code;
    const paired = await t.app.inject({ method: 'POST', url: '/api/v1/kiosk/pair', payload: { code: secrets.pairingCode }, remoteAddress: nextIp() });
    secrets.credential = paired.json().credential;
    const kiosk = cookieOf(paired, 'yishi_device');
    const byHeader = await t.app.inject({ method: 'GET', url: '/api/v1/kiosk/state', headers: { authorization: `Device ${secrets.credential}` } });
    expect(byHeader.statusCode).toBe(200);
    for (const body of [
      { method: 'card', cardNumber: CARD },
      { method: 'qr', token: secrets.qr },
      { method: 'phone_pin', phone: PHONE, pin: NEW_PIN },
      { method: 'phone_pin', phone: PHONE, pin: '000111' },
      { method: 'phone_pin', phone: DEMO_PIN.phone, pin: DEMO_PIN.pin },
    ]) {
      const res = await send(t.app, kiosk, { method: 'POST', url: '/api/v1/kiosk/identify', payload: body });
      expect(res.statusCode).toBeLessThan(500);
      if (res.statusCode === 200) secrets[`ticket-${body.method}`] = res.json().ticket;
    }
    // A wrong password, a password change, a bad body carrying secrets, a 5xx-free validation error.
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'jiajia', password: 'Wrong-Secret-99' },
      headers: { origin: ORIGIN },
      remoteAddress: nextIp(),
    });
    await staff.post('/api/v1/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'Shipai2026secret' });
    await staff.post('/api/v1/residents', { idNumber: ID, phone: PHONE, pin: NEW_PIN, password: DEMO_PASSWORD });
    await as(t.app, kiosk).post('/api/v1/kiosk/identify', { method: 'phone_pin', phone: PHONE, pin: NEW_PIN, extra: 1 });
    expect(lines.length).toBeGreaterThan(10);
  });

  it('no ID number, phone, password, PIN, card number, session token, device credential, pairing code or ticket is in any log line', () => {
    const log = lines.join('');
    const forbidden: Record<string, string> = {
      idNumber: ID,
      idNumberBody: ID.slice(0, 14),
      phone: PHONE,
      demoPhone: DEMO_PIN.phone,
      password: DEMO_PASSWORD,
      wrongPassword: 'Wrong-Secret-99',
      newPassword: 'Shipai2026secret',
      pin: NEW_PIN,
      demoPin: DEMO_PIN.pin,
      card: CARD,
      ...secrets,
    };
    for (const [what, value] of Object.entries(forbidden)) {
      expect(value, what).toBeTruthy();
      expect(log.includes(value), `${what} (${value.slice(0, 6)}…) appears in the logs`).toBe(false);
    }
    // The logs are still useful: requests are there, with the query keys.
    expect(log).toContain('/api/v1/residents?q=[redacted]');
  });

  it('the API never returns a full ID number or phone except from reveal-id; reveal needs canSeeIdNumbers and is audited', async () => {
    const yikang = as(t.app, await loginAs(t.app, 'yikang'));
    const city = as(t.app, await loginAs(t.app, 'city'));
    const tianhe = as(t.app, await loginAs(t.app, 'tianhe'));
    for (const res of [
      await yikang.get(`/api/v1/residents/${residentId}`),
      await yikang.get(`/api/v1/residents?q=${PHONE}`),
      await tianhe.get(`/api/v1/residents/${residentId}`),
      await city.get('/api/v1/residents?limit=200'),
      await yikang.get(`/api/v1/residents/${residentId}/wallet`),
    ]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(ID);
      expect(res.body).not.toContain(ID.slice(0, 14));
      expect(res.body).not.toContain(PHONE);
    }
    const detail = (await yikang.get(`/api/v1/residents/${residentId}`)).json();
    expect(detail.idNumberMasked).toMatch(/^\*+.{4}$|^.{0,6}\*+.{4}$/);
    expect(detail.idNumberMasked.endsWith(ID.slice(-4))).toBe(true);
    expect(detail.phoneMasked.endsWith(PHONE.slice(-4))).toBe(true);
    expect(detail.phoneMasked).not.toContain(PHONE.slice(3, 7));

    // yikang (operator) and city lack canSeeIdNumbers: 403, and no audit row for them.
    expect((await yikang.post(`/api/v1/residents/${residentId}/reveal-id`)).statusCode).toBe(403);
    expect((await city.post(`/api/v1/residents/${residentId}/reveal-id`)).statusCode).toBe(403);
    const audits = () =>
      t.ctx.db.readerConn.prepare(`SELECT actor_id AS who FROM audit_log WHERE action = 'resident.id_number_viewed' AND entity_id = ?`).all(residentId) as {
        who: string;
      }[];
    const before = audits().length;
    const ok = await tianhe.post(`/api/v1/residents/${residentId}/reveal-id`);
    expect(ok.json()).toEqual({ idNumber: ID });
    const after = audits();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.who).toBe('user-tianhe');
    // Stored encrypted: the plain number is nowhere in the database file's resident row.
    const row = t.ctx.db.readerConn.prepare('SELECT * FROM residents WHERE id = ?').get(residentId) as Record<string, unknown>;
    expect(JSON.stringify(row)).not.toContain(ID);
    expect(JSON.stringify(row)).not.toContain(PHONE);
  });
});
