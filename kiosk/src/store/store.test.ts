import { describe, expect, it, vi } from 'vitest';
import type { KioskState } from '@yishi/shared/schemas';
import { item, kioskState, OFFLINE_FACTS, refused, down, resident, testKiosk, type TestKiosk } from '../test/kit';
import { PRICING_REFRESH_MS } from './kiosk';
import { basketKey, dishPricesFor } from './quote';

async function onMenu(k: TestKiosk, as: 'guest' | 'resident' = 'guest') {
  await k.store.getState().loadState();
  if (as === 'guest') k.store.getState().startGuest();
  else await k.store.getState().identifyCard('4401100001');
  expect(k.store.getState().screen.name).toBe('menu');
}

async function toConfirm(k: TestKiosk) {
  k.store.getState().go({ name: 'confirm' });
  await k.store.getState().requestQuote({ immediate: true });
}

describe('kiosk store: one person at a time', () => {
  it('every new person starts in Chinese with voice on, whatever the last person chose', async () => {
    const k = testKiosk();
    await onMenu(k);
    k.store.getState().setLang('en');
    k.store.getState().toggleVoice();
    k.store.getState().addDish('fish');
    expect(k.store.getState()).toMatchObject({ lang: 'en', voice: false });
    k.store.getState().endSession();
    expect(k.store.getState()).toMatchObject({ lang: 'zh-CN', voice: true, cart: [], resident: null, screen: { name: 'start' } });
  });

  it('two stores never share state (tests and kiosks start fresh)', async () => {
    const a = testKiosk();
    const b = testKiosk();
    await onMenu(a);
    a.store.getState().addDish('fish');
    expect(b.store.getState().cart).toEqual([]);
  });

  it('adds and removes with a stepper, never past the portions left', async () => {
    const k = testKiosk({ state: kioskState([item('fish', 800, { remaining: 2 }), item('rice', 100)]) });
    await onMenu(k);
    const s = k.store.getState();
    s.addDish('fish');
    s.addDish('fish');
    s.addDish('fish');
    s.addDish('rice');
    s.removeDish('rice');
    expect(k.store.getState().cart.map((l) => [l.dishId, l.quantity])).toEqual([['fish', 2]]);
  });
});

describe('sold out while chosen', () => {
  it('a live stock event takes the dish out of the basket and names it', async () => {
    const k = testKiosk();
    await onMenu(k);
    k.store.getState().addDish('fish');
    k.store.getState().addDish('rice');
    const patched = k.store
      .getState()
      .applyStock({ type: 'stock.changed', canteenId: 'c1', serviceDate: '2026-11-23', mealPeriod: 'lunch', dishId: 'fish', remaining: 0, soldOut: true });
    expect(patched).toBe(true);
    const s = k.store.getState();
    expect(s.cart.map((l) => l.dishId)).toEqual(['rice']);
    expect(s.notice).toEqual({ kind: 'error', key: 'menu.justSoldOut', params: { name: '红烧鱼' } });
    // Back on sale and chosen again: the notice that it was taken out goes with the person's next choice.
    k.store
      .getState()
      .applyStock({ type: 'stock.changed', canteenId: 'c1', serviceDate: '2026-11-23', mealPeriod: 'lunch', dishId: 'fish', remaining: null, soldOut: false });
    k.store.getState().addDish('fish');
    expect(k.store.getState().cart.map((l) => l.dishId)).toEqual(['rice', 'fish']);
    expect(k.store.getState().notice).toBeNull();
  });

  it('on the confirm screen the bill is priced again without it; an empty basket goes back to the menu', async () => {
    const k = testKiosk();
    await onMenu(k);
    k.store.getState().addDish('fish');
    k.store.getState().addDish('rice');
    await toConfirm(k);
    expect(k.store.getState().quote?.mealPriceFen).toBe(900);
    k.store
      .getState()
      .onLiveEvent({ type: 'stock.changed', canteenId: 'c1', serviceDate: '2026-11-23', mealPeriod: 'lunch', dishId: 'fish', remaining: 0, soldOut: true });
    await k.settle();
    expect(k.store.getState().screen.name).toBe('confirm');
    expect(k.store.getState().quote?.mealPriceFen).toBe(100);
    k.store
      .getState()
      .onLiveEvent({ type: 'stock.changed', canteenId: 'c1', serviceDate: '2026-11-23', mealPeriod: 'lunch', dishId: 'rice', remaining: 0, soldOut: true });
    expect(k.store.getState().screen.name).toBe('menu');
    expect(k.store.getState().notice?.params).toEqual({ name: '米饭' });
  });

  it('a dish taken off the menu (or the meal ending) is named as no longer offered, not as sold out', async () => {
    const k = testKiosk();
    await onMenu(k);
    k.store.getState().addDish('fish');
    k.store.getState().addDish('set');
    k.server.handlers.state = async () => kioskState([item('set', 1200)]);
    await k.store.getState().loadState();
    expect(k.store.getState().cart.map((l) => l.dishId)).toEqual(['set']);
    expect(k.store.getState().notice).toEqual({ kind: 'error', key: 'menu.withdrawn', params: { name: '红烧鱼' } });
  });

  it('fewer portions left than chosen: the quantity comes down and the screen says so', async () => {
    const k = testKiosk();
    await onMenu(k);
    for (let i = 0; i < 3; i++) k.store.getState().addDish('fish');
    k.store
      .getState()
      .applyStock({ type: 'stock.changed', canteenId: 'c1', serviceDate: '2026-11-23', mealPeriod: 'lunch', dishId: 'fish', remaining: 1, soldOut: false });
    expect(k.store.getState().cart[0]?.quantity).toBe(1);
    expect(k.store.getState().notice).toEqual({ kind: 'error', key: 'menu.onlyLeft', params: { name: '红烧鱼', n: 1 } });
  });

  it("the server's 409 sold_out on the order names the dish and the confirm screen prices the rest", async () => {
    const k = testKiosk();
    await onMenu(k);
    k.store.getState().addDish('fish');
    k.store.getState().addDish('rice');
    await toConfirm(k);
    k.server.handlers.createOrder = async () => {
      throw refused('sold_out', 409, { dishId: 'fish' });
    };
    await k.store.getState().placeOrder('cash', null);
    await k.settle();
    const s = k.store.getState();
    expect(s.screen.name).toBe('confirm');
    expect(s.notice).toEqual({ kind: 'error', key: 'menu.justSoldOut', params: { name: '红烧鱼' } });
    expect(s.cart.map((l) => l.dishId)).toEqual(['rice']);
    expect(s.quote?.mealPriceFen).toBe(100);
    expect(s.kiosk?.menu?.items.find((i) => i.dish.id === 'fish')?.soldOut).toBe(true);
    expect(k.outbox.rows.size).toBe(1);
    expect([...k.outbox.rows.values()][0]).toMatchObject({ settled: 'rejected', lastError: 'sold_out' });
  });

  it('a quote refused as sold out does the same', async () => {
    const k = testKiosk();
    await onMenu(k);
    k.server.handlers.quote = async (body) => {
      if (body.lines.some((l) => l.dishId === 'fish')) throw refused('sold_out', 409, { dishId: 'fish' });
      return (await import('../test/kit')).priceBasket(kioskState([item('rice', 100)]), body);
    };
    k.store.getState().addDish('fish');
    k.store.getState().addDish('rice');
    await k.store.getState().requestQuote({ immediate: true });
    await k.settle();
    expect(k.store.getState().cart.map((l) => l.dishId)).toEqual(['rice']);
    expect(k.store.getState().notice?.params).toEqual({ name: '红烧鱼' });
  });
});

describe('ordering exactly once', () => {
  it('keeps the order in the outbox before sending, and a double tap sends one id', async () => {
    const k = testKiosk();
    await onMenu(k, 'resident');
    k.store.getState().addDish('set');
    await toConfirm(k);
    const real = k.server.handlers.createOrder;
    const seenWhileSending: { kept: boolean; waiting: number }[] = [];
    k.server.handlers.createOrder = async (body) => {
      // Kept before it is sent (a reload now loses nothing), but not shown as "waiting for the network".
      seenWhileSending.push({ kept: k.outbox.rows.has(body.id), waiting: k.store.getState().pendingOrders });
      return real(body);
    };
    const a = k.store.getState().placeOrder('wallet', null);
    const b = k.store.getState().placeOrder('wallet', null);
    expect(a).toBe(b);
    await a;
    expect(k.server.count('createOrder')).toBe(1);
    expect(seenWhileSending).toEqual([{ kept: true, waiting: 0 }]);
    const s = k.store.getState();
    expect(s.screen).toMatchObject({ name: 'ticket', order: { elderPaysFen: 900 } });
    expect(s.cart).toEqual([]);
    expect([...k.outbox.rows.values()]).toEqual([expect.objectContaining({ settled: 'created', pickupNumber: 1 })]);
  });

  it('no answer: the same id is tried again, then the order is saved and sent later by the outbox, once', async () => {
    const k = testKiosk();
    await onMenu(k);
    k.store.getState().addDish('rice');
    await toConfirm(k);
    const real = k.server.handlers.createOrder;
    k.server.handlers.createOrder = async () => {
      throw down();
    };
    await k.store.getState().placeOrder('cash', null);
    expect(k.store.getState().submitStatus).toBe('saved');
    expect(k.server.count('createOrder')).toBe(4);
    const ids = new Set(k.server.calls.filter((c) => c.name === 'createOrder').map((c) => (c.args[0] as { id: string }).id));
    expect(ids.size).toBe(1);
    expect(k.store.getState().network).toBe('offline');
    await k.store.getState().refreshPending();
    expect(k.store.getState().pendingOrders).toBe(1);

    // The person leaves; the network comes back without any browser "online" event: the probe notices.
    k.store.getState().endSession();
    k.server.handlers.createOrder = real;
    for (let i = 0; i < 10 && k.store.getState().pendingOrders > 0; i++) {
      k.clock.now += 30_000;
      await k.store.getState().backgroundTick();
      await k.store.getState().backgroundTick();
    }
    expect(k.store.getState().network).toBe('online');
    expect(k.store.getState().pendingOrders).toBe(0);
    expect(k.server.orders.size).toBe(1);
    expect(k.store.getState().screen.name).toBe('start'); // not pulled back to a ticket for someone who left
  });

  it('a basket left unpriced by a dropped network is priced again as soon as the network is back', async () => {
    const k = testKiosk();
    await onMenu(k, 'resident');
    k.store.getState().addDish('rice');
    const real = k.server.handlers.quote;
    k.server.handlers.quote = async () => {
      throw down();
    };
    await toConfirm(k);
    expect(k.store.getState()).toMatchObject({ quoteStatus: 'unreachable', quote: null });
    k.server.handlers.quote = real;
    // Nobody touches the basket; the probe notices the network is back.
    for (let i = 0; i < 10 && k.store.getState().quoteStatus !== 'ready'; i++) {
      k.clock.now += 30_000;
      await k.store.getState().backgroundTick();
      await new Promise((r) => setTimeout(r, 0));
    }
    expect(k.store.getState()).toMatchObject({ network: 'online', quoteStatus: 'ready' });
    expect(k.store.getState().quoteKey).toBe(basketKey(k.store.getState()));
  });

  it('a busy server (503, Retry-After) is waited for as long as it asks, then the order goes through', async () => {
    const k = testKiosk();
    await onMenu(k);
    k.store.getState().addDish('rice');
    await toConfirm(k);
    const real = k.server.handlers.createOrder;
    let n = 0;
    k.server.handlers.createOrder = async (body) => {
      if (n++ === 0) throw refused('internal', 503, undefined, 7000);
      return real(body);
    };
    await k.store.getState().placeOrder('cash', null);
    expect(k.sleeps).toContain(7000);
    expect(k.store.getState().screen.name).toBe('ticket');
    expect(k.server.orders.size).toBe(1);
  });

  it('a server asking for a long wait: the order is saved, and the outbox waits before sending it', async () => {
    const k = testKiosk();
    await onMenu(k);
    k.store.getState().addDish('rice');
    await toConfirm(k);
    const real = k.server.handlers.createOrder;
    k.server.handlers.createOrder = async () => {
      throw refused('rate_limited', 429, { retryAfterSeconds: 60 }, 60_000);
    };
    await k.store.getState().placeOrder('cash', null);
    expect(k.store.getState().submitStatus).toBe('saved');
    expect(k.server.count('createOrder')).toBe(1);
    expect(k.store.getState().busyUntil).toBe(k.clock.now + 60_000);
    k.store.getState().endSession();
    k.server.handlers.createOrder = real;
    k.clock.now += 30_000;
    await k.store.getState().backgroundTick();
    expect(k.server.count('createOrder')).toBe(1);
    k.clock.now += 31_000;
    await k.store.getState().backgroundTick();
    expect(k.server.orders.size).toBe(1);
  });

  it('the outbox sends in the order the orders were made, and stops at the first one without an answer', async () => {
    const k = testKiosk();
    await k.store.getState().loadState();
    const bodies = ['a', 'b', 'c'].map((x, i) => ({
      id: `0190a000-0000-7000-8000-00000000000${i}`,
      identifyMethod: 'guest' as const,
      lines: [{ dishId: 'rice', quantity: 1 }],
      fulfilment: 'dine_in' as const,
      paymentMethod: 'cash' as const,
      x,
    }));
    const { enqueue } = await import('../outbox');
    for (const [i, { x: _x, ...b }] of bodies.entries()) await enqueue(k.outbox, b, new Date(Date.UTC(2026, 10, 23, 3, 0, 10 - i)));
    const sent: string[] = [];
    const real = k.server.handlers.createOrder;
    k.server.handlers.createOrder = async (b) => {
      sent.push(b.id);
      if (sent.length === 2) throw down();
      return real(b);
    };
    await k.store.getState().flushOutbox();
    expect(sent.map((id) => id.slice(-1))).toEqual(['2', '1']);
    await k.store.getState().refreshPending();
    expect(k.store.getState().pendingOrders).toBe(2);
  });
});

describe('the bill', () => {
  it('is the server quote for exactly this basket, and per-line shares add up to the charge', async () => {
    const k = testKiosk();
    await onMenu(k, 'resident');
    k.store.getState().addDish('fish');
    k.store.getState().addDish('rice');
    await k.store.getState().requestQuote({ immediate: true });
    const q = k.store.getState().quote!;
    expect(q.elderSubsidyFen).toBe(225);
    const { billFromQuote } = await import('../basket');
    const bill = billFromQuote(q);
    expect(bill.lines.reduce((n, l) => n + (l.paysFen ?? 0), 0)).toBe(q.elderPaysFen);
    // A changed basket has no current quote until the server has priced it again.
    k.store.getState().addDish('rice');
    expect(k.store.getState().quoteKey).not.toBe(basketKey(k.store.getState()));
    await k.settle();
    expect(k.store.getState().quoteKey).toBe(basketKey(k.store.getState()));
    expect(k.store.getState().quote?.mealPriceFen).toBe(1000);
  });
});

describe('呼叫工作人员', () => {
  it('says when the call did not reach the server, retries with backoff, and says when it did', async () => {
    const k = testKiosk();
    let fails = 2;
    const ids: string[] = [];
    const answer = k.server.handlers.callStaff;
    k.server.handlers.callStaff = async (requestId) => {
      ids.push(requestId);
      if (fails-- > 0) throw down();
      return answer(requestId);
    };
    const statuses: string[] = [];
    const stop = k.store.subscribe((s) => statuses.push(s.help.status));
    await k.store.getState().callStaff();
    stop();
    expect([...new Set(statuses)]).toEqual(['sending', 'retrying', 'sent']);
    // Every attempt is the same call: the server stores it once.
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(k.sleeps.filter((ms) => ms >= 1000)).toEqual([1000, 2000]);
    expect(k.store.getState().help).toMatchObject({ status: 'sent', overlay: true, attempts: 3 });
    k.store.getState().helpAcknowledged('someone-else');
    expect(k.store.getState().help.status).toBe('sent');
    k.store.getState().helpAcknowledged(k.store.getState().help.requestId!);
    expect(k.store.getState().help.status).toBe('acknowledged');
  });

  it('gives up after its attempts and tells the person to wave to the counter', async () => {
    const k = testKiosk();
    k.server.handlers.callStaff = async () => {
      throw down();
    };
    await k.store.getState().callStaff();
    expect(k.store.getState().help.status).toBe('failed');
    expect(k.server.count('callStaff')).toBe(k.deps.timing.helpMaxAttempts);
  });
});

describe("the server's clock", () => {
  it('is unknown (no clock shown) until the server has answered, then remembered for the next first paint', async () => {
    const k = testKiosk();
    expect(k.store.getState().serverOffsetMs).toBeNull();
    await k.store.getState().loadState();
    expect(k.store.getState().serverOffsetMs).toBe(60_000);
    const next = testKiosk({ prefs: k.prefs });
    expect(next.store.getState().serverOffsetMs).toBe(60_000);
    const later = testKiosk({ prefs: k.prefs, startAt: k.clock.now + 49 * 3600_000 });
    expect(later.store.getState().serverOffsetMs).toBeNull();
  });
});

describe('offline start', () => {
  it('with no network the last saved state is shown and the kiosk says it is offline', async () => {
    const first = testKiosk();
    await first.store.getState().loadState();
    // Kept once the start screen is up, not before it (the storage code is not part of the first paint).
    expect(first.store.getState().screen).toEqual({ name: 'start' });
    expect(first.stateCache.saved).toBeNull();
    await vi.waitFor(() => expect(first.stateCache.saved).not.toBeNull(), { timeout: 3000 });
    const k = testKiosk();
    k.stateCache.saved = first.stateCache.saved;
    k.server.handlers.state = async () => {
      throw down();
    };
    await k.store.getState().loadState();
    expect(k.store.getState()).toMatchObject({ network: 'offline', stateFromCache: true, screen: { name: 'start' } });
    expect(k.store.getState().kiosk?.canteen.name).toBe('华师社区长者饭堂');
  });

  it('a revoked kiosk forgets its canteen and goes back to pairing', async () => {
    const k = testKiosk();
    await k.store.getState().loadState();
    k.server.handlers.state = async () => {
      throw refused('device_revoked', 401);
    };
    await k.store.getState().loadState();
    expect(k.store.getState().screen).toEqual({ name: 'pairing', revoked: true });
    expect(k.stateCache.saved).toBeNull();
  });
});

describe('phone + PIN refused', () => {
  it('says how many tries are left, then until when it is locked (in the canteen’s time)', async () => {
    const k = testKiosk();
    await k.store.getState().loadState();
    k.server.handlers.identifyPhonePin = async () => {
      throw refused('pin_wrong', 401, { triesLeft: 2 });
    };
    expect(await k.store.getState().identifyPhonePin('13800001111', '111111')).toBe(false);
    expect(k.store.getState().notice).toEqual({ kind: 'error', key: 'error.pin_wrong_tries', params: { n: 2 } });
    k.server.handlers.identifyPhonePin = async () => {
      throw refused('pin_locked', 429, { triesLeft: 0, lockedUntil: '2026-11-23T04:30:00.000Z' });
    };
    await k.store.getState().identifyPhonePin('13800001111', '111111');
    expect(k.store.getState().notice).toEqual({ kind: 'error', key: 'error.pin_locked_until', params: { time: '12:30' } });
    // Without the figures (an older server): the plain words.
    k.server.handlers.identifyPhonePin = async () => {
      throw refused('pin_wrong', 401);
    };
    await k.store.getState().identifyPhonePin('13800001111', '111111');
    expect(k.store.getState().notice).toEqual({ kind: 'error', key: 'error.pin_wrong' });
  });
});

describe("the dish cards' prices for the person identified", () => {
  const facts = { ...OFFLINE_FACTS, id: 'r1' };
  const identified = (subsidisedThisSlot = false, state?: KioskState) => {
    const k = testKiosk(state ? { state } : {});
    k.server.handlers.identifyCard = async () => ({
      ticket: 'T1',
      ticketExpiresAt: '2026-11-23T04:15:00.000Z',
      resident: { ...resident, pricing: { facts, history: [], subsidisedThisSlot } },
    });
    return k;
  };

  /** The cards' "what one more adds", by dish. */
  const adds = (m: Map<string, { addsFen: number }> | null) => (m ? Object.fromEntries([...m].map(([id, p]) => [id, p.addsFen])) : null);

  it('with an empty basket each dish shows what it costs them on its own; once the subsidy is in the basket, what one more adds', async () => {
    const k = identified();
    await onMenu(k, 'resident');
    await k.settle();
    expect(k.server.count('pricing')).toBe(1);
    const s = () => k.store.getState();
    // Guangzhou 户籍, 82: a quarter of the meal, at most ¥3 (fish ¥8 → ¥2 off; the ¥12 set → ¥3 off); a ¥1 bowl
    // of rice on its own is under the policy's minimum meal price.
    expect(adds(dishPricesFor(s()))).toEqual({ fish: 600, rice: 100, set: 900 });
    s().addDish('set');
    // The ¥3 cap is used by the set: another set or a fish costs its list price, as the basket's quote will say.
    expect(adds(dishPricesFor(s()))).toEqual({ fish: 800, rice: 100, set: 1200 });
    s().removeDish('set');
    s().addDish('rice');
    // Rice alone costs ¥1; a fish with it makes a ¥9 meal, ¥2.25 off (¥6.75): the fish adds ¥5.75.
    expect(dishPricesFor(s())!.get('fish')).toEqual({ addsFen: 575, totalFen: 675 });
  });

  it('one more that lowers the total (the basket alone was under the minimum meal price) gives the whole, never a negative price', async () => {
    const k = identified(false, kioskState([item('veg', 480), item('rice', 100)]));
    await onMenu(k, 'resident');
    await k.settle();
    k.store.getState().addDish('veg');
    // ¥4.80 of greens alone is under ¥5: no subsidy. With a bowl of rice it is a ¥5.80 meal, a quarter off: ¥4.35.
    expect(dishPricesFor(k.store.getState())!.get('rice')).toEqual({ addsFen: -45, totalFen: 435 });
  });

  it('list prices when the meal is already subsidised, for a guest, and when the pricing facts are for another meal', async () => {
    const k = identified(true);
    await onMenu(k, 'resident');
    await k.settle();
    expect(adds(dishPricesFor(k.store.getState()))).toEqual({ fish: 800, rice: 100, set: 1200 });

    const g = testKiosk();
    await onMenu(g, 'guest');
    await g.settle();
    expect(dishPricesFor(g.store.getState())).toBeNull();

    const other = identified();
    await onMenu(other, 'resident');
    await other.settle();
    const mp = other.store.getState().mealPricing!;
    other.store.setState({ mealPricing: { ...mp, mealPeriod: 'dinner' } });
    expect(dishPricesFor(other.store.getState())).toBeNull();
  });

  it('the open meal is asked for once, and again when the menu changes or after a while', async () => {
    const k = identified();
    await k.store.getState().loadState();
    await k.settle();
    await k.store.getState().loadState();
    await k.settle();
    expect(k.server.count('pricing')).toBe(1);
    k.clock.now += PRICING_REFRESH_MS;
    await k.store.getState().loadState();
    await k.settle();
    expect(k.server.count('pricing')).toBe(2);
  });
});
