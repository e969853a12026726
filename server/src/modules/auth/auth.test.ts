import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../seed';
import { as, cookieOf, login, makeApp, ORIGIN, pairKiosk, type TestApp } from '../../../test/helpers';
import { LOCK_MINUTES, MAX_FAILED_LOGINS } from './auth.service';
import { PIN_MAX_FAILURES } from '../residents/residents.service';

let t: TestApp;
let ip = 0;
beforeEach(async () => {
  t = await makeApp();
});
afterEach(async () => t.close());

/** Login from its own address each time, so the per-address login rate limit never decides the answer. */
function tryLogin(username: string, password: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    headers: { origin: ORIGIN },
    remoteAddress: `10.9.${(++ip >> 8) & 255}.${ip & 255}`,
  });
}

describe('login and sessions', () => {
  it('sets an httpOnly, SameSite=Strict session cookie on path /', async () => {
    const res = await tryLogin('yikang', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'yishi_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Strict');
    expect(c.path).toBe('/');
    expect(c.value.length).toBeGreaterThanOrEqual(40);
    // Only a hash of the token is stored.
    const stored = t.ctx.db.readerConn.prepare('SELECT id FROM sessions').all() as { id: string }[];
    expect(stored.some((s) => s.id === c.value)).toBe(false);
  });

  it(`locks the account after ${MAX_FAILED_LOGINS} wrong passwords (429 account_locked with lockedUntil); the right one is refused until the lock passes`, async () => {
    for (let i = 1; i < MAX_FAILED_LOGINS; i++) {
      const res = await tryLogin('yikang', 'not-the-password-1');
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('login_failed');
    }
    const locked = await tryLogin('yikang', 'not-the-password-1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('account_locked');
    const until = locked.json().error.details.lockedUntil as string;
    expect(new Date(until).getTime() - t.clock.now().getTime()).toBe(LOCK_MINUTES * 60_000);

    const right = await tryLogin('yikang', DEMO_PASSWORD);
    expect(right.statusCode).toBe(429);
    expect(right.json().error).toMatchObject({ code: 'account_locked', details: { lockedUntil: until } });

    t.clock.advance((LOCK_MINUTES - 1) * 60_000);
    expect((await tryLogin('yikang', DEMO_PASSWORD)).statusCode).toBe(429);
    t.clock.advance(2 * 60_000);
    expect((await tryLogin('yikang', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('an unknown user gets word for word the answers a real user gets, the lock included', async () => {
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < MAX_FAILED_LOGINS + 1; i++) {
      known.push((await tryLogin('jiajia', 'whatever-123')).json());
      unknown.push((await tryLogin('nobody-here', 'whatever-123')).json());
    }
    // Nothing tells which usernames exist: the same login_failed, then the same account_locked with the same time.
    expect(unknown).toEqual(known);
    expect((known.at(-1) as { error: { code: string } }).error.code).toBe('account_locked');
  });

  it('the login route is rate limited per address with the error shape', async () => {
    let last;
    for (let i = 0; i < 25; i++)
      last = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody-here', password: 'x' },
        headers: { origin: ORIGIN },
        remoteAddress: '10.99.0.1',
      });
    expect(last!.statusCode).toBe(429);
    expect(last!.json().error.code).toBe('rate_limited');
  });

  it('an expired session is 401', async () => {
    const me = as(t.app, await login(t.app, 'yikang'));
    expect((await me.get('/api/v1/auth/me')).statusCode).toBe(200);
    t.clock.advance(t.ctx.config.sessionHours * 3600_000 + 1000);
    const res = await me.get('/api/v1/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthenticated');
  });

  it('logout ends this session; logout-all ends every other session of the user', async () => {
    const a = as(t.app, await login(t.app, 'yikang'));
    const b = as(t.app, await login(t.app, 'yikang'));
    const other = as(t.app, await login(t.app, 'jiajia'));
    expect((await a.post('/api/v1/auth/logout-all')).statusCode).toBe(200);
    expect((await a.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await b.get('/api/v1/auth/me')).statusCode).toBe(401);
    expect((await other.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await other.post('/api/v1/auth/logout')).statusCode).toBe(200);
    expect((await other.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('disabling a user ends their sessions at once; they cannot log in until enabled', async () => {
    const victim = as(t.app, await login(t.app, 'jiajia'));
    const admin = as(t.app, await login(t.app, 'admin'));
    expect((await admin.post('/api/v1/users/user-jiajia/disable')).statusCode).toBe(200);
    expect((await victim.get('/api/v1/auth/me')).statusCode).toBe(401);
    const again = await tryLogin('jiajia', DEMO_PASSWORD);
    expect(again.statusCode).toBe(403);
    expect(again.json().error.code).toBe('account_disabled');
    expect((await admin.post('/api/v1/users/user-jiajia/enable')).statusCode).toBe(200);
    expect((await tryLogin('jiajia', DEMO_PASSWORD)).statusCode).toBe(200);
  });
});

describe('created users and passwords', () => {
  const newUser = { username: 'wang.ops', displayName: '王店长', role: 'operator', canteenIds: ['ct-yuancun'], initialPassword: 'Yuancun2026start' };

  it('a created user must change the password first (403 password_change_required elsewhere)', async () => {
    const admin = as(t.app, await login(t.app, 'admin'));
    expect((await admin.post('/api/v1/users', newUser)).statusCode).toBe(201);
    const u = as(t.app, await login(t.app, newUser.username, newUser.initialPassword));
    expect((await u.get('/api/v1/auth/me')).json().mustChangePassword).toBe(true);
    const blocked = await u.get('/api/v1/canteens');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');
    const weak = await u.post('/api/v1/auth/password', { currentPassword: newUser.initialPassword, newPassword: 'short1' });
    expect(weak.statusCode).toBe(400);
    expect((await u.post('/api/v1/auth/password', { currentPassword: newUser.initialPassword, newPassword: 'wang.ops-2026-x' })).json().error.code).toBe(
      'weak_password',
    );
    expect((await u.post('/api/v1/auth/password', { currentPassword: newUser.initialPassword, newPassword: 'Rice-and-soup-2026' })).statusCode).toBe(200);
    expect((await u.get('/api/v1/canteens')).statusCode).toBe(200);
  });

  it('weak passwords are refused: too short, letters only, digits only, same as before', async () => {
    const admin = as(t.app, await login(t.app, 'admin'));
    for (const initialPassword of ['short1', 'onlyletterspassword', '12345678901234']) {
      const res = await admin.post('/api/v1/users', { ...newUser, initialPassword });
      expect(res.statusCode, initialPassword).toBe(400);
    }
    const me = as(t.app, await login(t.app, 'yikang'));
    const same = await me.post('/api/v1/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: DEMO_PASSWORD });
    expect([400]).toContain(same.statusCode);
    expect((await me.post('/api/v1/auth/password', { currentPassword: 'wrong-current-1', newPassword: 'Another-pass-2026' })).statusCode).toBe(401);
  });

  it('the city cannot mint an account that sees full ID numbers (a right it does not hold), nor an admin', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    const res = await city.post('/api/v1/users', { ...newUser, canSeeIdNumbers: true });
    expect(res.statusCode).toBe(403);
    expect((await city.post('/api/v1/users', { ...newUser, username: 'root2', role: 'admin' })).statusCode).toBe(403);
    expect((await city.post('/api/v1/users', newUser)).statusCode).toBe(201);
  });
});

describe('kiosk devices and resident PINs', () => {
  it('revoking a device makes its credential 401 at once (cookie and header)', async () => {
    const cookie = await pairKiosk(t.app, 'ct-shipai-huashi');
    const credential = cookie.split('=')[1]!;
    const kiosk = as(t.app, cookie);
    expect((await kiosk.get('/api/v1/kiosk/state')).statusCode).toBe(200);
    const staff = as(t.app, await login(t.app, 'yikang'));
    const devices = (await staff.get('/api/v1/canteens/ct-shipai-huashi/devices')).json() as { id: string; revokedAt: string | null }[];
    const live = devices.filter((d) => !d.revokedAt);
    for (const d of live) expect((await staff.post(`/api/v1/devices/${d.id}/revoke`)).statusCode).toBe(200);
    const after = await kiosk.get('/api/v1/kiosk/state');
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/kiosk/state', headers: { authorization: `Device ${credential}` } })).statusCode).toBe(401);
    // The credential is stored only as a hash.
    expect(JSON.stringify(t.ctx.db.readerConn.prepare('SELECT * FROM devices').all())).not.toContain(credential);
  });

  it(`a resident PIN locks after ${PIN_MAX_FAILURES} wrong tries (pin_locked), even with the right PIN; staff setting a new PIN clears it`, async () => {
    const kiosk = as(t.app, await pairKiosk(t.app, 'ct-shipai-huashi'));
    const phone = '13800138001';
    for (let i = 1; i < PIN_MAX_FAILURES; i++) {
      const res = await kiosk.post('/api/v1/kiosk/identify', { method: 'phone_pin', phone, pin: '975310' });
      expect(res.statusCode).toBe(401);
      // The tries left are said, and counted per phone: an unknown phone counts down exactly the same way.
      expect(res.json().error).toEqual({ code: 'pin_wrong', message: 'the phone number or PIN is wrong', details: { triesLeft: PIN_MAX_FAILURES - i } });
    }
    const unknown = await kiosk.post('/api/v1/kiosk/identify', { method: 'phone_pin', phone: '13912345678', pin: '975310' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error).toEqual({ code: 'pin_wrong', message: 'the phone number or PIN is wrong', details: { triesLeft: PIN_MAX_FAILURES - 1 } });
    const locked = await kiosk.post('/api/v1/kiosk/identify', { method: 'phone_pin', phone, pin: '975310' });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('pin_locked');
    const right = await kiosk.post('/api/v1/kiosk/identify', { method: 'phone_pin', phone, pin: '246810' });
    expect(right.json().error.code).toBe('pin_locked');

    const staff = as(t.app, await login(t.app, 'yikang'));
    expect((await staff.get('/api/v1/residents/rs-0001')).json().pinLocked).toBe(true);
    expect((await staff.post('/api/v1/residents/rs-0001/pin', { pin: '864213' })).statusCode).toBe(200);
    expect((await staff.get('/api/v1/residents/rs-0001')).json().pinLocked).toBe(false);
    expect((await kiosk.post('/api/v1/kiosk/identify', { method: 'phone_pin', phone, pin: '864213' })).statusCode).toBe(200);
    // PINs are stored hashed.
    const row = t.ctx.db.readerConn.prepare(`SELECT pin_hash FROM residents WHERE id = 'rs-0001'`).get() as { pin_hash: string };
    expect(row.pin_hash).not.toContain('864213');
  });
});

describe('web hardening', () => {
  it('a cookie-authenticated write with a foreign Origin, or none, is 403 csrf_rejected; reads are fine', async () => {
    const cookie = await login(t.app, 'yikang');
    const body = { canteenId: 'ct-shipai-huashi', name: '偷偷配对' };
    for (const headers of [
      { cookie, origin: 'https://evil.example' },
      { cookie },
      { cookie, referer: 'https://evil.example/page' },
      { cookie, origin: 'null' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/devices/pairing', payload: body, headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().error.code).toBe('csrf_rejected');
    }
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/devices/pairing',
          payload: body,
          headers: { cookie, host: 'yishi.test:3000', referer: 'http://yishi.test:3000/console' },
        })
      ).statusCode,
    ).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/canteens', headers: { cookie } })).statusCode).toBe(200);
    // A login form posted from another site is refused too.
    const cross = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'yikang', password: DEMO_PASSWORD },
      headers: { origin: 'https://evil.example' },
    });
    expect(cross.json().error.code).toBe('csrf_rejected');
  });

  it('the kiosk device cookie gets the same Origin check', async () => {
    const cookie = await pairKiosk(t.app);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kiosk/identify',
      payload: { method: 'card', cardNumber: '4401100001' },
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf_rejected');
  });

  it('security headers on API and error responses: CSP with frame-ancestors none, nosniff, no referrer', async () => {
    for (const url of ['/api/v1/health', '/api/v1/canteens', '/api/v1/nope', '/some/page']) {
      const res = await t.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBeDefined();
    }
  });

  it('security headers on the HTML of the console and the kiosk when they are served', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-dist-'));
    fs.mkdirSync(path.join(dir, 'web'));
    fs.mkdirSync(path.join(dir, 'kiosk'));
    fs.writeFileSync(path.join(dir, 'web', 'index.html'), '<!doctype html><title>console</title>');
    fs.writeFileSync(path.join(dir, 'kiosk', 'index.html'), '<!doctype html><title>kiosk</title>');
    const served = await makeApp({ config: { webDist: path.join(dir, 'web'), kioskDist: path.join(dir, 'kiosk') } });
    try {
      for (const url of ['/', '/orders/today', '/kiosk/', '/kiosk/order']) {
        const res = await served.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        expect(String(res.headers['content-type'])).toContain('text/html');
        expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
        expect(res.headers['x-content-type-options']).toBe('nosniff');
      }
    } finally {
      await served.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an oversized body is 413 payload_too_large with the error shape', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'yikang', password: 'x'.repeat(t.ctx.config.bodyLimit + 10) },
      headers: { origin: ORIGIN },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'payload_too_large', message: expect.any(String) } });
  });
});

describe('the session cookie from login works, and a forged one does not', () => {
  it('forged, truncated or other-user tokens are 401', async () => {
    const res = await tryLogin('yikang', DEMO_PASSWORD);
    const good = cookieOf(res, 'yishi_session');
    for (const cookie of ['yishi_session=', 'yishi_session=AAAA', `${good.slice(0, -2)}xx`, `${good}x`]) {
      expect((await as(t.app, cookie).get('/api/v1/auth/me')).statusCode, cookie).toBe(401);
    }
    expect((await as(t.app, good).get('/api/v1/auth/me')).statusCode).toBe(200);
  });
});
