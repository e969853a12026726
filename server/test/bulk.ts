/**
 * Bulk rows for scale tests: many orders in one INSERT … SELECT over a counter, straight into the SQLite file
 * (no pricing, no lines): enough to measure how the lists page and filter, not to price anything.
 */
import type { TestApp } from './helpers';

/** Insert `n` guest orders at a canteen, 500 a day backwards from `lastDate`, in mixed states and methods. */
export function bulkOrders(t: TestApp, canteenId: string, n: number, lastDate = '2026-11-22'): void {
  t.ctx.db.writer
    .prepare(
      `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
       INSERT INTO orders (id, canteen_id, resident_id, service_date, meal_period, fulfilment, state, identify_method, pickup_number,
         meal_price_fen, elder_subsidy_fen, elder_pays_fen, operator_subsidy_fen, payment_method, policy_version_ids,
         created_at, paid_at, request_hash)
       SELECT printf('bulk-%07d', i), ?, NULL, date(?, '-' || (i / 500) || ' days'), CASE i % 3 WHEN 0 THEN 'dinner' ELSE 'lunch' END,
         CASE WHEN i % 7 = 0 THEN 'delivery' ELSE 'dine_in' END,
         CASE i % 10 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'refunded' WHEN 2 THEN 'awaiting_payment' ELSE 'completed' END,
         'guest', 100000 - (i % 500), 1200, 0, 1200, 0, CASE i % 4 WHEN 0 THEN 'wallet' WHEN 1 THEN 'external' ELSE 'cash' END, '[]',
         strftime('%Y-%m-%dT%H:%M:%fZ', date(?, '-' || (i / 500) || ' days'), '+' || (i % 500) || ' seconds', '+3 hours'),
         NULL, printf('h%07d', i)
       FROM k`,
    )
    .run(n, canteenId, lastDate, lastDate);
  t.ctx.db.writer.exec('ANALYZE');
}
