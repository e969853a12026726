import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUPPLY_MODES, weekStart, addDays } from '@yishi/shared';
import { Db } from '../db/client';
import { seedIfEmpty } from './index';
import { TestClock } from '../lib/clock';
import { createContext } from '../lib/context';
import { testConfig, LUNCH_MONDAY } from '../../test/helpers';

describe('demo city seed', () => {
  it('builds a realistic city with 60 days of priced history and planted irregularities, once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-seed-'));
    const file = path.join(dir, 'y.db');
    const db = new Db(file);
    db.migrate();
    const clock = new TestClock(new Date(LUNCH_MONDAY));
    const ctx = createContext(db, testConfig(file, clock));
    expect(await seedIfEmpty(ctx)).toBe(true);
    expect(await seedIfEmpty(ctx)).toBe(false);
    const q = <T>(s: string, ...args: unknown[]) => db.writer.prepare(s).all(...args) as T[];
    const one = (s: string, ...args: unknown[]) => Object.values(db.writer.prepare(s).get(...args) as object)[0] as number;

    // Three districts with canteens; all eleven of Guangzhou's exist so any local 户籍 can be recorded.
    expect(one('SELECT count(DISTINCT district_code) FROM canteens')).toBe(3);
    expect(one("SELECT count(*) FROM areas WHERE level = 'district'")).toBe(11);
    expect(one("SELECT count(*) FROM areas WHERE level = 'street'")).toBe(8);
    expect(one('SELECT count(*) FROM canteens')).toBe(12);
    expect(new Set(q<{ m: string }>('SELECT supply_mode AS m FROM canteens').map((r) => r.m))).toEqual(new Set(SUPPLY_MODES));
    expect(one('SELECT count(*) FROM residents')).toBe(400);
    expect(one('SELECT count(DISTINCT name) FROM dishes')).toBeGreaterThanOrEqual(40);
    // A realistic mix: most are local 户籍, some are not; several categories; ages 60 to 100+.
    const nonHukou = one('SELECT count(*) FROM residents WHERE hukou_area_code IS NULL');
    expect(nonHukou).toBeGreaterThan(20);
    expect(nonHukou).toBeLessThan(100);
    expect(one('SELECT count(DISTINCT code) FROM resident_categories')).toBeGreaterThanOrEqual(4);
    expect(String(one('SELECT min(birth_date) FROM residents')) < '1926-01-01').toBe(true);
    // Menus for the whole current week at every canteen.
    const monday = weekStart('2026-11-23');
    expect(one('SELECT count(DISTINCT canteen_id) FROM menus WHERE service_date = ?', monday)).toBe(12);
    expect(one('SELECT count(*) FROM menus WHERE service_date = ?', addDays(monday, 6))).toBeGreaterThan(0);
    // 60 days of history, priced: subsidy only for 户籍 elders, and the stored splits add up.
    expect(one('SELECT count(DISTINCT service_date) FROM orders')).toBe(60);
    expect(one('SELECT count(*) FROM orders')).toBeGreaterThan(10_000);
    expect(one('SELECT count(*) FROM orders o JOIN residents r ON r.id = o.resident_id WHERE r.hukou_area_code IS NULL AND o.elder_subsidy_fen > 0')).toBe(0);
    expect(one('SELECT count(*) FROM orders WHERE meal_price_fen != elder_subsidy_fen + elder_pays_fen')).toBe(0);
    expect(
      one(
        "SELECT count(*) FROM orders o WHERE elder_subsidy_fen != (SELECT coalesce(sum(amount_fen),0) FROM order_subsidies s WHERE s.order_id = o.id AND s.kind = 'meal')",
      ),
    ).toBe(0);
    expect(one("SELECT count(*) FROM orders WHERE meal_period = 'breakfast' AND elder_subsidy_fen > 0")).toBe(0);
    // Wallets never go negative.
    expect(one('SELECT count(*) FROM (SELECT resident_id, sum(amount_fen) AS b FROM wallet_entries GROUP BY resident_id) WHERE b < 0')).toBe(0);
    // Planted irregularities.
    expect(
      one(
        "SELECT count(*) FROM orders o JOIN residents r ON r.id = o.resident_id WHERE r.status = 'deceased' AND o.service_date >= r.status_since AND o.elder_subsidy_fen > 0",
      ),
    ).toBeGreaterThan(0);
    expect(one("SELECT count(*) FROM orders WHERE canteen_id = 'ct-yuancun' AND time(created_at, '+8 hours') > '20:00:00'")).toBeGreaterThan(0);
    expect(one("SELECT 1.0 * sum(identify_method = 'staff') / count(*) FROM orders WHERE canteen_id = 'ct-hongde'")).toBeGreaterThan(0.5);
    // One login per role.
    expect(new Set(q<{ role: string }>('SELECT role FROM users').map((r) => r.role))).toEqual(new Set(['admin', 'city', 'district', 'street', 'operator']));
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
