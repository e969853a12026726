import { describe, expect, it } from 'vitest';
import type { CreateOrderRequest, Order } from '@yishi/shared/schemas';
import { ApiError, NetworkError } from './api';
import { enqueue, flush, memoryOutbox, prune } from './outbox';

const body = (id: string): CreateOrderRequest => ({
  id,
  identifyMethod: 'guest',
  lines: [{ dishId: 'd1', quantity: 1 }],
  fulfilment: 'dine_in',
  paymentMethod: 'cash',
});

const order = (id: string, pickupNumber: number) => ({ id, pickupNumber }) as unknown as Order;

describe('order outbox', () => {
  it('retries with the same id and settles once the server answers', async () => {
    const store = memoryOutbox();
    await enqueue(store, body('a'), new Date('2025-01-01T03:00:00Z'), new Date('2025-01-01T03:05:00Z'));
    await enqueue(store, body('a'), new Date('2025-01-01T03:00:01Z')); // no duplicate
    expect(store.rows.size).toBe(1);
    expect(store.rows.get('a')).toMatchObject({ createdAt: '2025-01-01T03:00:00.000Z', serverTimeAtCreate: '2025-01-01T03:05:00.000Z' });
    const seen: string[] = [];
    let online = false;
    const send = async (b: CreateOrderRequest) => {
      seen.push(b.id);
      if (!online) throw new NetworkError('down');
      return order(b.id, 7);
    };
    const r1 = await flush(store, send);
    expect(r1).toMatchObject({ stillPending: 1, unreachable: true });
    online = true;
    const r2 = await flush(store, send);
    expect(r2.sent.map((o) => o.pickupNumber)).toEqual([7]);
    expect(seen).toEqual(['a', 'a']);
    expect(await store.get('a')).toMatchObject({ settled: 'created', pickupNumber: 7, body: null }); // nothing personal kept once answered
    expect((await flush(store, send)).sent).toEqual([]);
  });

  it('marks definitive errors as rejected and keeps going; busy answers stop it with the wait asked for', async () => {
    const store = memoryOutbox();
    await enqueue(store, body('a'), new Date('2025-01-01T03:00:00Z'));
    await enqueue(store, body('b'), new Date('2025-01-01T03:00:01Z'));
    await enqueue(store, body('c'), new Date('2025-01-01T03:00:02Z'));
    const r = await flush(store, async (b) => {
      if (b.id === 'a') throw new ApiError('sold_out', 'gone', 409, { dishId: 'd1' });
      if (b.id === 'c') throw new ApiError('rate_limited', 'busy', 429, undefined, 20_000);
      return order(b.id, 8);
    });
    expect(r.rejected).toEqual([{ id: 'a', code: 'sold_out' }]);
    expect(r.sent).toHaveLength(1);
    expect(r).toMatchObject({ stillPending: 1, retryAfterMs: 20_000, unreachable: false });
    await prune(store, new Date('2025-01-03T00:00:00Z'));
    expect([...store.rows.keys()]).toEqual(['c']); // unsent orders are never pruned
  });
});
