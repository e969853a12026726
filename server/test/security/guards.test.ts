/**
 * Guessing guards under attack: parallel wrong PINs and passwords are each counted and lock (even against the
 * right secret), and nothing in the answers or their timing tells whether a phone, a card or a user name is
 * registered. Real HTTP (inject), the real database; timings are compared loosely (medians of many samples within
 * a factor), never against a wall-clock figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { LOCK_MINUTES, MAX_FAILED_LOGINS } from '../../src/modules/auth/auth.service';
import { PIN_LOCK_MINUTES, PIN_MAX_FAILURES } from '../../src/modules/residents/residents.service';
import { makeApp, type TestApp } from '../helpers';
import { loginAs, pairAt, send } from './kit';

let t: TestApp;
let admin: string;
let kiosk: string;

const KNOWN_PHONE = '13800138001'; // 陈秀英 (rs-0001)
const KNOWN_PIN = '246810';

beforeAll(async () => {
  // A hash cost high enough that skipping it would show (the tests' default is kept low for speed). The per-kiosk
  // limit on identify (60 a minute) is lifted: these tests send hundreds.
  t = await makeApp({ config: { scryptN: 8192, rateLimitPerMinute: 0 } });
  admin = await loginAs(t.app, 'admin');
  kiosk = await pairAt(t.app, admin, 'ct-shipai-huashi');
  // The demo PIN was hashed at the template's cost: hash it again at this app's cost, as a real deployment would.
  const set = await send(t.app, admin, { method: 'POST', url: '/api/v1/residents/rs-0001/pin', payload: { pin: KNOWN_PIN } });
  expect(set.statusCode, set.body).toBe(200);
});
afterAll(async () => t.close());

const identifyPin = (phone: string, pin: string) =>
  send(t.app, kiosk, { method: 'POST', url: '/api/v1/kiosk/identify', payload: { method: 'phone_pin', phone, pin } });
const identifyCard = (cardNumber: string) => send(t.app, kiosk, { method: 'POST', url: '/api/v1/kiosk/identify', payload: { method: 'card', cardNumber } });
const login = (username: string, password: string) => send(t.app, null, { method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
const forgetTries = () => t.ctx.db.writer.prepare('DELETE FROM attempt_guards').run();
const guardRows = () =>
  t.ctx.db.readerConn.prepare('SELECT failures, locked_until AS lockedUntil FROM attempt_guards').all() as { failures: number; lockedUntil: string | null }[];
let phoneSeq = 0;
const unknownPhone = () => `139${String(55_000_000 + ++phoneSeq).padStart(8, '0')}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Time `a` and `b` alternately `n` times each (so a busy machine slows both alike); the medians in ms. */
async function medians(n: number, a: () => Promise<unknown>, b: () => Promise<unknown>, between?: () => void): Promise<[number, number]> {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const [fn, out] of i % 2
      ? ([
          [b, tb],
          [a, ta],
        ] as const)
      : ([
          [a, ta],
          [b, tb],
        ] as const)) {
      between?.();
      const t0 = performance.now();
      await fn();
      out.push(performance.now() - t0);
    }
  }
  return [median(ta), median(tb)];
}

describe('lockouts hold under parallel attempts', () => {
  it('25 wrong PINs sent at once: each is counted, the phone locks, and the right PIN is refused while locked', async () => {
    forgetTries();
    const answers = await Promise.all(Array.from({ length: 25 }, () => identifyPin(KNOWN_PHONE, '975310')));
    const codes = answers.map((r) => r.json().error?.code as string);
    // The first four wrong tries say so; the fifth locks; the twenty after it are refused without a look at the PIN.
    expect(codes.filter((c) => c === 'pin_wrong')).toHaveLength(PIN_MAX_FAILURES - 1);
    expect(codes.filter((c) => c === 'pin_locked')).toHaveLength(25 - (PIN_MAX_FAILURES - 1));
    expect(answers.every((r) => r.statusCode === 401 || r.statusCode === 429)).toBe(true);
    expect(guardRows()).toEqual([{ failures: PIN_MAX_FAILURES, lockedUntil: new Date(t.clock.now().getTime() + PIN_LOCK_MINUTES * 60_000).toISOString() }]);
    const right = await identifyPin(KNOWN_PHONE, KNOWN_PIN);
    expect(right.statusCode).toBe(429);
    expect(right.json().error).toMatchObject({ code: 'pin_locked', details: { triesLeft: 0 } });
    // Staff unlock it (without a new PIN, audited); the right PIN works again.
    const operator = await loginAs(t.app, 'yikang');
    const drawer = await send(t.app, operator, { method: 'GET', url: '/api/v1/residents/rs-0001' });
    expect(drawer.json()).toMatchObject({ pinLocked: true, pinLockedUntil: right.json().error.details.lockedUntil });
    const unlocked = await send(t.app, operator, { method: 'POST', url: '/api/v1/residents/rs-0001/pin/unlock' });
    expect(unlocked.statusCode, unlocked.body).toBe(200);
    expect(unlocked.json()).toMatchObject({ pinLocked: false, pinLockedUntil: null, hasPin: true });
    const audit = t.ctx.db.readerConn.prepare(`SELECT actor_id AS actor FROM audit_log WHERE action = 'resident.pin_unlocked' AND entity_id = 'rs-0001'`).all();
    expect(audit).toEqual([{ actor: 'user-yikang' }]);
    expect((await identifyPin(KNOWN_PHONE, KNOWN_PIN)).statusCode).toBe(200);
    expect(guardRows()).toEqual([]);
  });

  it('parallel wrong PINs short of the limit are each counted: four at once, then one more locks', async () => {
    forgetTries();
    const four = await Promise.all(Array.from({ length: PIN_MAX_FAILURES - 1 }, () => identifyPin(KNOWN_PHONE, '975310')));
    expect(four.map((r) => r.json().error.details.triesLeft).sort()).toEqual([1, 2, 3, 4]);
    expect(guardRows()[0]!.failures).toBe(PIN_MAX_FAILURES - 1);
    expect((await identifyPin(KNOWN_PHONE, '975310')).json().error.code).toBe('pin_locked');
    expect((await identifyPin(KNOWN_PHONE, KNOWN_PIN)).json().error.code).toBe('pin_locked');
    forgetTries();
  });

  it('8 wrong passwords sent at once count 8: the account locks and the right password is refused until the lock passes', async () => {
    forgetTries();
    const answers = await Promise.all(Array.from({ length: 8 }, () => login('yikang', 'not-the-password-1')));
    const codes = answers.map((r) => r.json().error.code as string);
    expect(codes.filter((c) => c === 'login_failed')).toHaveLength(MAX_FAILED_LOGINS - 1);
    expect(codes.filter((c) => c === 'account_locked')).toHaveLength(8 - (MAX_FAILED_LOGINS - 1));
    expect(guardRows()[0]!.failures).toBe(MAX_FAILED_LOGINS);
    const right = await login('yikang', 'Demo2026yishi');
    expect(right.statusCode).toBe(429);
    expect(right.json().error.code).toBe('account_locked');
    // The user list says until when; unlocking clears it.
    const list = await send(t.app, admin, { method: 'GET', url: '/api/v1/users' });
    const yikang = (list.json() as { id: string; username: string; lockedUntil: string | null }[]).find((u) => u.username === 'yikang')!;
    expect(yikang.lockedUntil).toBe(right.json().error.details.lockedUntil);
    expect(new Date(yikang.lockedUntil!).getTime() - t.clock.now().getTime()).toBe(LOCK_MINUTES * 60_000);
    expect((await send(t.app, admin, { method: 'POST', url: `/api/v1/users/${yikang.id}/unlock` })).statusCode).toBe(200);
    expect((await login('yikang', 'Demo2026yishi')).statusCode).toBe(200);
  });

  it('four wrong passwords at once are four tries: the next wrong one locks', async () => {
    forgetTries();
    const four = await Promise.all(Array.from({ length: MAX_FAILED_LOGINS - 1 }, () => login('jiajia', 'not-the-password-2')));
    expect(four.every((r) => r.json().error.code === 'login_failed')).toBe(true);
    expect((await login('jiajia', 'not-the-password-2')).json().error.code).toBe('account_locked');
    forgetTries();
  });
});

describe('who is registered does not leak', () => {
  it('phone + PIN: an unknown phone gets word for word the answers of a known one, tries left and lock included', async () => {
    forgetTries();
    const stranger = unknownPhone();
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < PIN_MAX_FAILURES + 2; i++) {
      known.push((await identifyPin(KNOWN_PHONE, '975310')).json());
      unknown.push((await identifyPin(stranger, '975310')).json());
    }
    expect(unknown).toEqual(known);
    expect(known.map((k) => (k as { error: { code: string } }).error.code)).toEqual([
      ...Array<string>(PIN_MAX_FAILURES - 1).fill('pin_wrong'),
      'pin_locked',
      'pin_locked',
      'pin_locked',
    ]);
    expect((known[0] as { error: { details: unknown } }).error.details).toEqual({ triesLeft: PIN_MAX_FAILURES - 1 });
    forgetTries();
  });

  it('phone + PIN: a known phone with a wrong PIN and an unknown phone take the same time (medians of 30 each)', async () => {
    const [knownMs, unknownMs] = await medians(
      30,
      () => identifyPin(KNOWN_PHONE, '975310'),
      () => identifyPin(unknownPhone(), '975310'),
      forgetTries,
    );
    // Without the dummy hash the unknown phone answered many times faster; within a factor of 2 either way here.
    expect(knownMs / unknownMs, `known ${knownMs.toFixed(1)} ms, unknown ${unknownMs.toFixed(1)} ms`).toBeGreaterThan(0.5);
    expect(knownMs / unknownMs, `known ${knownMs.toFixed(1)} ms, unknown ${unknownMs.toFixed(1)} ms`).toBeLessThan(2);
    forgetTries();
  });

  it('card: a revoked card and a card nobody has get the same answer in the same time', async () => {
    const card = 'RV20261123';
    const added = await send(t.app, admin, { method: 'POST', url: '/api/v1/residents/rs-0003/cards', payload: { kind: 'ss_card', number: card } });
    expect(added.statusCode, added.body).toBe(201);
    await send(t.app, admin, { method: 'DELETE', url: `/api/v1/residents/rs-0003/cards/${added.json().card.id}` });
    const revoked = await identifyCard(card);
    const nobody = await identifyCard('NB20261123');
    expect(revoked.statusCode).toBe(404);
    expect(revoked.json()).toEqual(nobody.json());
    const [revokedMs, nobodyMs] = await medians(
      30,
      () => identifyCard(card),
      () => identifyCard(`NB${String(++phoneSeq).padStart(8, '0')}`),
    );
    expect(revokedMs / nobodyMs, `revoked ${revokedMs.toFixed(1)} ms, unknown ${nobodyMs.toFixed(1)} ms`).toBeGreaterThan(0.5);
    expect(revokedMs / nobodyMs).toBeLessThan(2);
  });

  it('console login: an unknown user name gets the same answers as a real one, lock included, in the same time', async () => {
    // A real account hashed at this app's cost (the demo users were hashed when the template was made).
    const made = await send(t.app, admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'timing-op', displayName: '计时店员', role: 'operator', canteenIds: ['ct-shipai-huashi'], initialPassword: 'Kitchen2026go' },
    });
    expect(made.statusCode, made.body).toBe(201);
    forgetTries();
    const known: unknown[] = [];
    const unknown: unknown[] = [];
    for (let i = 0; i < MAX_FAILED_LOGINS + 1; i++) {
      known.push((await login('timing-op', 'wrong-password-9')).json());
      unknown.push((await login('nobody-at-all', 'wrong-password-9')).json());
    }
    expect(unknown).toEqual(known);
    expect((known.at(-1) as { error: { code: string } }).error.code).toBe('account_locked');
    const [knownMs, unknownMs] = await medians(
      30,
      () => login('timing-op', 'wrong-password-9'),
      () => login(`nobody-${++phoneSeq}`, 'wrong-password-9'),
      forgetTries,
    );
    expect(knownMs / unknownMs, `known ${knownMs.toFixed(1)} ms, unknown ${unknownMs.toFixed(1)} ms`).toBeGreaterThan(0.5);
    expect(knownMs / unknownMs).toBeLessThan(2);
    forgetTries();
  });

  it('a lock is kept per phone or name as typed, never by record: the key is a keyed hash, not the phone', async () => {
    forgetTries();
    await identifyPin(KNOWN_PHONE, '975310');
    await login('yikang', 'not-the-password-1');
    const keys = (t.ctx.db.readerConn.prepare('SELECT key FROM attempt_guards').all() as { key: string }[]).map((r) => r.key);
    expect(keys).toHaveLength(2);
    expect(keys.join(' ')).not.toContain(KNOWN_PHONE);
    expect(keys.join(' ')).not.toContain('yikang');
    forgetTries();
  });
});
