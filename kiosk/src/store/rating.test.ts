import { describe, expect, it } from 'vitest';
import { down, refused, testKiosk } from '../test/kit';

const ORDER = '0190a000-0000-7000-8000-000000000042';

describe('the one-tap meal rating', () => {
  it('is sent once: a second tap for the same order sends nothing more', async () => {
    const k = testKiosk();
    await k.store.getState().rateMeal(ORDER, 'satisfied');
    await k.store.getState().rateMeal(ORDER, 'unsatisfied');
    expect(k.server.calls.filter((c) => c.name === 'rateMeal').map((c) => c.args)).toEqual([[ORDER, 'satisfied']]);
    expect(k.store.getState().mealRating).toEqual({ orderId: ORDER, rating: 'satisfied', status: 'sent' });
  });

  it('waits out a busy or unreachable server a few times, then lets go without troubling the elder', async () => {
    const k = testKiosk();
    let tries = 0;
    k.server.handlers.rateMeal = async (orderId, rating) => {
      tries += 1;
      if (tries < 3) throw tries === 1 ? down() : refused('rate_limited', 429, undefined, 2000);
      return { orderId, rating, ratedAt: '2026-11-23T04:00:00.000Z' };
    };
    await k.store.getState().rateMeal(ORDER, 'neutral');
    expect(tries).toBe(3);
    expect(k.sleeps[1]).toBeGreaterThanOrEqual(2000); // the server's Retry-After is respected
    expect(k.store.getState().mealRating?.status).toBe('sent');

    const k2 = testKiosk();
    k2.server.handlers.rateMeal = async () => {
      throw down();
    };
    await k2.store.getState().rateMeal(ORDER, 'neutral');
    expect(k2.server.count('rateMeal')).toBe(4);
    expect(k2.store.getState().mealRating).toEqual({ orderId: ORDER, rating: 'neutral', status: 'failed' });
  });

  it('an answer the server already has stands; a refusal is not sent again', async () => {
    const k = testKiosk();
    k.server.handlers.rateMeal = async () => {
      throw refused('already_rated', 409, { rating: 'satisfied' });
    };
    await k.store.getState().rateMeal(ORDER, 'neutral');
    expect(k.server.count('rateMeal')).toBe(1);
    expect(k.store.getState().mealRating?.status).toBe('sent');
    const k2 = testKiosk();
    k2.server.handlers.rateMeal = async () => {
      throw refused('not_found', 404);
    };
    await k2.store.getState().rateMeal(ORDER, 'neutral');
    expect(k2.server.count('rateMeal')).toBe(1);
    expect(k2.store.getState().mealRating?.status).toBe('failed');
  });
});
