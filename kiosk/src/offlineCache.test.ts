import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { KioskDb } from './db';
import {
  credentialHash,
  dropIfExpired,
  dropOfflineCache,
  importHashKey,
  isMaskedName,
  lookupCredential,
  lookupPhonePin,
  offlineCacheStatus,
  offlinePricingData,
  offlineWalletSpent,
  phonePinValue,
  recordOfflineOrder,
  replaceOfflineCache,
  type CachedResident,
  type OfflineSnapshot,
} from './offlineCache';
import { PIN_MAX_FAILURES } from '@yishi/shared/domain';
import { item, kioskState } from './test/kit';

const RAW_KEY = 'q1r2s3t4u5v6w7x8y9z0AbCdEfGhIjKlMnOpQrStUvW'; // 43 base64url chars = 32 bytes
const CARD = '4401100001';
const PHONE = '13800001111';
const PIN = '246810';
const QR = 'YS1.qr-token-of-chen-xiuying';
const FULL_NAME = '陈秀英';
const NOW = new Date('2026-11-23T02:00:00.000Z');

function db(): KioskDb {
  return new KioskDb(`test-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
}

async function snapshot(overrides: Partial<OfflineSnapshot> = {}): Promise<OfflineSnapshot> {
  const key = await importHashKey(RAW_KEY);
  const resident: CachedResident = {
    residentKey: 'rs-0001',
    maskedName: '陈*英',
    gender: 'female',
    dietNeeds: ['diabetes'],
    allergies: [],
    balanceFen: 3000,
    facts: {
      id: 'rs-0001',
      birthDate: '1944-05-02',
      hukouAreaCode: '440106004',
      residenceAreaCode: '440106004',
      categories: [],
      careLevel: 0,
      disabilityGrade: null,
      status: 'active',
      statusSince: null,
    },
  };
  return {
    issuedAt: '2026-11-23T02:00:00.000Z',
    expiresAt: '2026-11-25T02:00:00.000Z',
    key: { id: 'k1', raw: RAW_KEY },
    canteen: { id: 'ct-1', areaCode: '440106004', supplyMode: 'own_kitchen' },
    calendar: { holidays: [], adjustedWorkingDays: [] },
    walletOfflineLimitFen: 2000,
    residents: [resident],
    credentials: [
      { hash: await credentialHash(key, 'card', CARD), kind: 'card', residentKey: 'rs-0001' },
      { hash: await credentialHash(key, 'qr', QR), kind: 'qr', residentKey: 'rs-0001' },
      { hash: await credentialHash(key, 'phone_pin', phonePinValue(PHONE, PIN)), kind: 'phone_pin', residentKey: 'rs-0001' },
    ],
    subsidisedMeals: [{ residentKey: 'rs-0001', serviceDate: '2026-11-22', mealPeriod: 'lunch', canteenId: 'ct-1', layerKey: 'v1:meal', amountFen: 300 }],
    subsidisedSlots: [{ residentKey: 'rs-0001', serviceDate: '2026-11-22', mealPeriod: 'lunch' }],
    timeZone: 'Asia/Shanghai',
    mealPeriods: [{ period: 'lunch', opens: '10:30', closes: '13:30', days: [1, 2, 3, 4, 5, 6, 7] }],
    policies: [],
    policiesByDate: [
      { date: '2026-11-22', versionIds: [] },
      { date: '2026-11-23', versionIds: [] },
    ],
    layerSpentFen: {},
    menus: [kioskState([item('set', 1200)]).menu!],
    ...overrides,
  };
}

describe('offline identification cache', () => {
  it('finds a resident by a tapped card or a QR code, from keyed hashes alone', async () => {
    const d = db();
    await replaceOfflineCache(d, await snapshot(), NOW);
    const byCard = await lookupCredential(d, 'card', ` ${CARD.toLowerCase()} `, NOW);
    expect(byCard?.resident.maskedName).toBe('陈*英');
    expect(byCard?.keyId).toBe('k1');
    expect(byCard?.credentialHash).toBe(await credentialHash(await importHashKey(RAW_KEY), 'card', CARD));
    expect((await lookupCredential(d, 'qr', QR, NOW))?.resident.residentKey).toBe('rs-0001');
    expect(await lookupCredential(d, 'qr', CARD, NOW)).toBeNull(); // a card number is not a QR token
    const lunch = await offlinePricingData(d, 'rs-0001', { serviceDate: '2026-11-22', mealPeriod: 'lunch' }, NOW);
    expect(lunch).toMatchObject({ subsidisedThisSlot: true, history: [expect.objectContaining({ amountFen: 300 })] });
    // A date the snapshot does not cover is not priced from it.
    expect(await offlinePricingData(d, 'rs-0001', { serviceDate: '2026-11-30', mealPeriod: 'lunch' }, NOW)).toBeNull();
  });

  it('finds a resident by phone + PIN from its keyed hash; a wrong PIN or an unknown phone is the same pin_wrong', async () => {
    const d = db();
    await replaceOfflineCache(d, await snapshot(), NOW);
    const found = await lookupPhonePin(d, PHONE, PIN, NOW);
    expect(found).toMatchObject({ ok: true, identity: { resident: { residentKey: 'rs-0001' }, keyId: 'k1' } });
    expect(found?.ok && found.identity.credentialHash).toBe(await credentialHash(await importHashKey(RAW_KEY), 'phone_pin', `${PHONE}:${PIN}`));
    expect(await lookupPhonePin(d, PHONE, '975310', NOW)).toEqual({ ok: false, code: 'pin_wrong', triesLeft: PIN_MAX_FAILURES - 1 });
    expect(await lookupPhonePin(d, '13900002222', PIN, NOW)).toEqual({ ok: false, code: 'pin_wrong', triesLeft: PIN_MAX_FAILURES - 1 });
    // A card number typed as a phone is not a card: kinds do not cross.
    expect((await lookupPhonePin(d, CARD, PIN, NOW))?.ok).toBe(false);
    // Right PIN: the tries are forgotten.
    expect((await lookupPhonePin(d, PHONE, PIN, NOW))?.ok).toBe(true);
    expect(await lookupPhonePin(d, PHONE, '975310', NOW)).toEqual({ ok: false, code: 'pin_wrong', triesLeft: PIN_MAX_FAILURES - 1 });
    expect(await lookupPhonePin(d, PHONE, PIN, new Date(NOW.getTime() + 49 * 3600_000))).toBeNull(); // expired cache
  });

  it(`counts parallel wrong PINs in one write each: ${PIN_MAX_FAILURES + 3} at once lock the phone, and the right PIN then fails too`, async () => {
    const d = db();
    await replaceOfflineCache(d, await snapshot(), NOW);
    const wrong = ['111357', '222468', '333579', '444680', '555791', '666802', '777913', '888024'];
    const answers = await Promise.all(wrong.map((pin) => lookupPhonePin(d, PHONE, pin, NOW)));
    const codes = answers.map((a) => (a?.ok ? 'ok' : a?.code));
    expect(codes.filter((c) => c === 'pin_wrong')).toHaveLength(PIN_MAX_FAILURES - 1);
    expect(codes.filter((c) => c === 'pin_locked')).toHaveLength(wrong.length - (PIN_MAX_FAILURES - 1));
    expect(await lookupPhonePin(d, PHONE, PIN, new Date(NOW.getTime() + 29 * 60_000))).toMatchObject({ ok: false, code: 'pin_locked' });
    expect((await lookupPhonePin(d, PHONE, PIN, new Date(NOW.getTime() + 31 * 60_000)))?.ok).toBe(true);
  });

  it('keeps wrong-PIN counters across a refresh with the same key, and forgets them with the next day’s key', async () => {
    const d = db();
    await replaceOfflineCache(d, await snapshot(), NOW);
    await lookupPhonePin(d, PHONE, '975310', NOW);
    await replaceOfflineCache(d, await snapshot(), NOW);
    expect(await lookupPhonePin(d, PHONE, '975310', NOW)).toEqual({ ok: false, code: 'pin_wrong', triesLeft: PIN_MAX_FAILURES - 2 });
    await replaceOfflineCache(d, await snapshot({ key: { id: 'd20261124', raw: RAW_KEY } }), NOW);
    expect(await d.kv.where('key').startsWith('pinTries:').count()).toBe(0);
  });

  it('holds no card number, token, phone, PIN or full name anywhere in its tables (also after wrong PIN tries)', async () => {
    const d = db();
    await replaceOfflineCache(d, await snapshot(), NOW);
    await lookupPhonePin(d, PHONE, '975310', NOW);
    await lookupPhonePin(d, PHONE, PIN, NOW);
    await lookupPhonePin(d, '13900002222', '975310', NOW);
    expect(await d.credentials.where({ residentKey: 'rs-0001' }).count()).toBe(3); // card, QR and phone + PIN hashes
    const dump = JSON.stringify(
      await Promise.all([d.credentials.toArray(), d.residents.toArray(), d.subsidisedMeals.toArray(), d.policies.toArray(), d.menus.toArray(), d.kv.toArray()]),
    );
    for (const secret of [CARD, QR, PHONE, PIN, '13900002222', '975310', FULL_NAME, RAW_KEY]) expect(dump).not.toContain(secret);
    // The key is there to hash with, but it cannot be read back.
    const meta = (await d.kv.get('offlineCacheMeta'))!.value as { hashKey: CryptoKey };
    expect(meta.hashKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', meta.hashKey)).rejects.toThrow();
  });

  it('refuses a snapshot that would store a full name or a raw credential', async () => {
    const snap = await snapshot();
    await expect(replaceOfflineCache(db(), { ...snap, residents: [{ ...snap.residents[0]!, maskedName: FULL_NAME }] }, NOW)).rejects.toThrow(/unmasked/);
    await expect(replaceOfflineCache(db(), { ...snap, credentials: [{ hash: CARD, kind: 'card', residentKey: 'rs-0001' }] }, NOW)).rejects.toThrow(/hash/);
    expect(['陈*英', '张*', '欧阳**', '欧**明'].map(isMaskedName)).toEqual([true, true, true, true]);
    expect(['陈秀英', '*', '***', '陈秀*英'].map(isMaskedName)).toEqual([false, false, false, false]);
  });

  it('expires 48 hours after it was filled, however long the server said, and is then dropped', async () => {
    const d = db();
    await replaceOfflineCache(d, await snapshot({ expiresAt: '2026-12-30T00:00:00.000Z' }), NOW);
    const in47h = new Date(NOW.getTime() + 47 * 3600_000);
    const in49h = new Date(NOW.getTime() + 49 * 3600_000);
    expect((await offlineCacheStatus(d, in47h)).state).toBe('fresh');
    expect(await lookupCredential(d, 'card', CARD, in49h)).toBeNull();
    expect(await dropIfExpired(d, in47h)).toBe(false);
    expect(await dropIfExpired(d, in49h)).toBe(true);
    expect(await offlineCacheStatus(d, in49h)).toEqual({ state: 'none' });
    expect(await d.credentials.count()).toBe(0);
  });

  it('is dropped whole (kiosk revoked), and meals subsidised here offline survive a refresh', async () => {
    const d = db();
    await replaceOfflineCache(d, await snapshot(), NOW);
    await recordOfflineOrder(
      d,
      {
        residentKey: 'rs-0001',
        serviceDate: '2026-11-23',
        mealPeriod: 'lunch',
        canteenId: 'ct-1',
        subsidies: [{ layerKey: 'v1:meal', amountFen: 300 }],
        walletFen: 900,
      },
      NOW,
    );
    await replaceOfflineCache(d, await snapshot(), NOW);
    const lunch = await offlinePricingData(d, 'rs-0001', { serviceDate: '2026-11-23', mealPeriod: 'lunch' }, NOW);
    expect(lunch?.subsidisedThisSlot).toBe(true);
    expect(
      await d.subsidisedMeals
        .where({ residentKey: 'rs-0001' })
        .filter((m) => m.source === 'kiosk')
        .toArray(),
    ).toEqual([expect.objectContaining({ serviceDate: '2026-11-23', amountFen: 300 })]);
    expect(await offlineWalletSpent(d, 'rs-0001', '2026-11-23')).toBe(900);
    await d.outbox.put({
      id: 'o1',
      body: {} as never,
      createdAt: NOW.toISOString(),
      attempts: 0,
      lastTriedAt: null,
      lastError: null,
      settled: null,
      pickupNumber: null,
    });
    await dropOfflineCache(d);
    expect(await Promise.all([d.credentials.count(), d.residents.count(), d.subsidisedMeals.count(), d.menus.count()])).toEqual([0, 0, 0, 0]);
    expect(await d.outbox.count()).toBe(1); // orders are not part of the cache
    expect(await offlineWalletSpent(d, 'rs-0001', '2026-11-23')).toBe(0);
  });
});
