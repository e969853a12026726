/**
 * A whole lunch with the network down (issue 11): the kiosk fills its offline cache while online, then with no
 * server it identifies a resident by card from keyed hashes, prices with the shared engine, and keeps each order
 * in the outbox with what it showed, its own id and clock, and how it identified the resident.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { KioskDb } from '../db';
import { dexieOfflineStore } from '../storage';
import { dishPricesFor } from './quote';
import { PIN_MAX_FAILURES } from '@yishi/shared/domain';
import { down, OFFLINE_CARD, OFFLINE_PHONE, OFFLINE_PIN, refused, resident, testKiosk, type TestKiosk } from '../test/kit';

function offlineKiosk(): { k: TestKiosk; db: KioskDb } {
  const db = new KioskDb(`offline-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange });
  const k = testKiosk({ offline: dexieOfflineStore(async () => db) });
  return { k, db };
}

/** The server is gone: every call fails as a dropped network does. */
function networkDown(k: TestKiosk) {
  for (const name of Object.keys(k.server.handlers) as (keyof typeof k.server.handlers)[]) {
    (k.server.handlers as unknown as Record<string, () => Promise<never>>)[name] = async () => {
      throw down();
    };
  }
}

async function orderSet(k: TestKiosk, payment: 'cash' | 'wallet') {
  const s = k.store.getState();
  expect(await s.identifyCard(OFFLINE_CARD)).toBe(true);
  k.store.getState().addDish('set');
  await k.store.getState().requestQuote({ immediate: true });
  const quote = k.store.getState().quote;
  await k.store.getState().placeOrder(payment, null);
  await k.settle();
  const body = k.store.getState().pendingOrder;
  return { quote, body };
}

describe('a lunch with the network down', () => {
  it('identifies by card from the cache, prices with the shared engine, and keeps the order with what it showed', async () => {
    const { k } = offlineKiosk();
    await k.store.getState().loadState();
    // Online: the background work fills the cache and reports the kiosk's state.
    await k.store.getState().backgroundTick();
    expect(k.server.count('offlineCache')).toBe(1);
    expect(k.server.count('heartbeat')).toBe(1);
    expect(k.store.getState().offlineCacheIssuedAt).toBe('2026-11-23T04:00:00.000Z');

    networkDown(k);
    const { quote, body } = await orderSet(k, 'cash');
    const s = k.store.getState();
    expect(s.resident).toMatchObject({ id: 'rs-1', name: '陈*英', age: 82, subsidy: { available: true } });
    // ¥12 set meal: a quarter, at most ¥3, from the city policy the server priced with.
    expect(quote).toMatchObject({ offline: true, mealPriceFen: 1200, elderSubsidyFen: 300, elderPaysFen: 900, policyVersionIds: ['v1'] });
    expect(s.submitStatus).toBe('saved');
    expect(body).toMatchObject({
      residentId: 'rs-1',
      residentTicket: null,
      identifyMethod: 'card',
      paymentMethod: 'cash',
      clientCreatedAt: expect.any(String),
      offline: {
        serviceDate: '2026-11-23',
        mealPeriod: 'lunch',
        quotedElderPaysFen: 900,
        quotedElderSubsidyFen: 300,
        policyVersionIds: ['v1'],
        identifiedBy: { method: 'card', keyId: 'k1', credentialHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) },
      },
    });
    expect(JSON.stringify(body)).not.toContain(OFFLINE_CARD);
    expect([...k.outbox.rows.values()].map((r) => r.body?.id)).toEqual([body!.id]);
    expect(k.store.getState().pendingOrders).toBe(1);
  });

  it('gives one subsidy per meal period: a second order this lunch is priced without it', async () => {
    const { k } = offlineKiosk();
    await k.store.getState().loadState();
    await k.store.getState().refreshOfflineCache();
    networkDown(k);
    // Identified from the cache, the cards show this person's price: the ¥12 set at ¥9, as its quote will say.
    expect(await k.store.getState().identifyCard(OFFLINE_CARD)).toBe(true);
    expect(dishPricesFor(k.store.getState())?.get('set')?.addsFen).toBe(900);
    k.store.getState().endSession();
    const first = await orderSet(k, 'cash');
    expect(first.quote).toMatchObject({ elderPaysFen: 900 });
    k.store.getState().endSession();
    const second = await orderSet(k, 'cash');
    expect(second.quote).toMatchObject({ elderSubsidyFen: 0, elderPaysFen: 1200 });
    // The dish cards say so before the basket does: with the set in the basket, one more costs its list price.
    expect(dishPricesFor(k.store.getState())?.get('set')?.addsFen).toBe(1200);
    k.store.getState().endSession();
    expect(await k.store.getState().identifyCard(OFFLINE_CARD)).toBe(true);
    expect(Object.fromEntries([...dishPricesFor(k.store.getState())!].map(([id, p]) => [id, p.addsFen]))).toEqual({ fish: 800, rice: 100, set: 1200 });
    expect(second.body?.offline).toMatchObject({ quotedElderSubsidyFen: 0, quotedElderPaysFen: 1200 });
  });

  it('pays from the wallet only up to the canteen’s offline limit a day; beyond it, at the counter', async () => {
    const { k } = offlineKiosk();
    await k.store.getState().loadState();
    await k.store.getState().refreshOfflineCache();
    networkDown(k);
    const first = await orderSet(k, 'wallet'); // ¥9 of the ¥20 a day
    expect(first.body).toMatchObject({ paymentMethod: 'wallet', offline: { quotedElderPaysFen: 900 } });
    k.store.getState().endSession();
    const second = await orderSet(k, 'wallet'); // ¥12 (no subsidy now): ¥9 + ¥12 > ¥20
    expect(second.body).toBeNull();
    expect(k.store.getState().offlineWalletLeftFen).toBe(1100);
    await k.store.getState().placeOrder('cash', null);
    expect(k.store.getState().pendingOrder).toMatchObject({ paymentMethod: 'cash', offline: { quotedElderPaysFen: 1200 } });
  });

  it('a person identified online when the network drops goes on from the cache: priced there, the order kept with the hash', async () => {
    const { k } = offlineKiosk();
    await k.store.getState().loadState();
    await k.store.getState().refreshOfflineCache();
    const snap = await k.server.handlers.offlineCache();
    const facts = snap.residents[0]!.facts;
    const online = (id: string) => async () => ({
      ticket: `T-${id}`,
      ticketExpiresAt: '2026-11-23T04:15:00.000Z',
      resident: { ...resident, id, balanceFen: 3000, pricing: { facts: { ...facts, id }, history: [], subsidisedThisSlot: false } },
    });
    k.server.handlers.identifyCard = online('rs-1');
    expect(await k.store.getState().identifyCard(OFFLINE_CARD)).toBe(true);
    await k.settle();
    expect(k.store.getState()).toMatchObject({ residentTicket: 'T-rs-1', offlineId: null, offlineFallback: { resident: { residentKey: 'rs-1' } } });

    networkDown(k);
    k.store.getState().addDish('set');
    await k.store.getState().requestQuote({ immediate: true });
    // Before: "网络暂时断开，现在算不了您的补贴" and no way to pay. Now the cache prices it, as for a card tapped offline.
    expect(k.store.getState()).toMatchObject({
      quoteStatus: 'ready',
      quote: { offline: true, elderSubsidyFen: 300, elderPaysFen: 900, balanceFen: 3000 },
      residentTicket: null,
      resident: { name: '陈秀英' },
    });
    await k.store.getState().placeOrder('wallet', null);
    await k.settle();
    const body = k.store.getState().pendingOrder;
    expect(k.store.getState().submitStatus).toBe('saved');
    expect(body).toMatchObject({
      residentTicket: null,
      residentId: 'rs-1',
      identifyMethod: 'card',
      paymentMethod: 'wallet',
      offline: { quotedElderPaysFen: 900, identifiedBy: { method: 'card', keyId: 'k1', credentialHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) } },
    });
    expect(JSON.stringify(body)).not.toContain(OFFLINE_CARD);

    // Someone the cache does not hold (a record added since it was filled): the basket says it cannot be priced.
    k.store.getState().endSession();
    const other = testKiosk();
    other.server.handlers.identifyCard = online('rs-new');
    await other.store.getState().loadState();
    expect(await other.store.getState().identifyCard('4401199999')).toBe(true);
    await other.settle();
    networkDown(other);
    other.store.getState().addDish('set');
    await other.store.getState().requestQuote({ immediate: true });
    expect(other.store.getState()).toMatchObject({ offlineFallback: null, offlineId: null, quoteStatus: 'unreachable' });
  });

  it('identifies by phone + PIN from a keyed hash, and the order carries that hash, never the phone or PIN', async () => {
    const { k } = offlineKiosk();
    await k.store.getState().loadState();
    await k.store.getState().refreshOfflineCache();
    networkDown(k);
    expect(await k.store.getState().identifyPhonePin(OFFLINE_PHONE, OFFLINE_PIN)).toBe(true);
    expect(k.store.getState()).toMatchObject({ identifyMethod: 'phone_pin', resident: { id: 'rs-1', name: '陈*英', subsidy: { available: true } } });
    k.store.getState().addDish('set');
    await k.store.getState().requestQuote({ immediate: true });
    expect(k.store.getState().quote).toMatchObject({ offline: true, elderSubsidyFen: 300, elderPaysFen: 900 });
    await k.store.getState().placeOrder('cash', null);
    await k.settle();
    const body = k.store.getState().pendingOrder;
    expect(body).toMatchObject({
      residentId: 'rs-1',
      identifyMethod: 'phone_pin',
      offline: { quotedElderSubsidyFen: 300, identifiedBy: { method: 'phone_pin', keyId: 'k1', credentialHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) } },
    });
    expect(JSON.stringify(body)).not.toContain(OFFLINE_PHONE);
    expect(JSON.stringify(body)).not.toContain(OFFLINE_PIN);
  });

  it(`locks a phone offline after ${PIN_MAX_FAILURES} wrong PINs, also against the right one, until the lock times out`, async () => {
    const { k } = offlineKiosk();
    await k.store.getState().loadState();
    await k.store.getState().refreshOfflineCache();
    networkDown(k);
    for (let i = 0; i < PIN_MAX_FAILURES - 1; i++) {
      expect(await k.store.getState().identifyPhonePin(OFFLINE_PHONE, '975310')).toBe(false);
      expect(k.store.getState().notice).toMatchObject({ key: 'error.pin_wrong' });
    }
    expect(await k.store.getState().identifyPhonePin(OFFLINE_PHONE, '975310')).toBe(false);
    expect(k.store.getState().notice).toMatchObject({ key: 'error.pin_locked' });
    expect(await k.store.getState().identifyPhonePin(OFFLINE_PHONE, OFFLINE_PIN)).toBe(false);
    expect(k.store.getState().notice).toMatchObject({ key: 'error.pin_locked' });
    // Another phone is not locked by these tries; a phone nobody has answers as a wrong PIN does.
    expect(await k.store.getState().identifyPhonePin('13900002222', OFFLINE_PIN)).toBe(false);
    expect(k.store.getState().notice).toMatchObject({ key: 'error.pin_wrong' });
    k.clock.now += 31 * 60_000;
    expect(await k.store.getState().identifyPhonePin(OFFLINE_PHONE, OFFLINE_PIN)).toBe(true);
  });

  it('says calmly what it cannot do offline: an unknown card; phone + PIN with no cache', async () => {
    const { k } = offlineKiosk();
    await k.store.getState().loadState();
    await k.store.getState().refreshOfflineCache();
    networkDown(k);
    expect(await k.store.getState().identifyCard('4401999999')).toBe(false);
    expect(k.store.getState().notice).toMatchObject({ key: 'error.offline_unknown' });
    const bare = testKiosk();
    await bare.store.getState().loadState();
    networkDown(bare);
    expect(await bare.store.getState().identifyPhonePin(OFFLINE_PHONE, OFFLINE_PIN)).toBe(false);
    expect(bare.store.getState().notice).toMatchObject({ key: 'error.offline_phone' });
  });

  it('forgets the cache when the kiosk is revoked', async () => {
    const { k, db } = offlineKiosk();
    await k.store.getState().loadState();
    await k.store.getState().refreshOfflineCache();
    expect(await db.credentials.count()).toBe(2);
    k.server.handlers.state = async () => {
      throw refused('device_revoked', 403);
    };
    await k.store.getState().loadState();
    expect(await db.credentials.count()).toBe(0);
    expect(await db.residents.count()).toBe(0);
    expect(k.store.getState().offlineCacheIssuedAt).toBeNull();
  });
});
