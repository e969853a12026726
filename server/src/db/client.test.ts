import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { cachedRead, Db, guardUnique, insertRow, keyedRead, tablesWritten, writerMemo, type Tx } from './client';
import { UniqueViolation } from './errors';
import { areas, orders, residents } from './schema';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-db-'));
  db = new Db(path.join(dir, 'a.db'));
  db.migrate();
});
afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = () => db.read.get<{ n: number }>(sql`SELECT count(*) AS n FROM areas`)!.n;

describe('Db.write', () => {
  it('commits each action and answers only after the commit', async () => {
    await db.write((tx) => tx.insert(areas).values({ code: '4401', name: '广州市', level: 'city' }).run());
    expect(count()).toBe(1); // visible to the read-only connection: committed
  });

  it('groups queued actions into one commit, and a failing action rolls back only itself', async () => {
    const commitsBefore = db.stats.commits;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        db.write(async (tx) => {
          tx.insert(areas)
            .values({ code: `44${String(i).padStart(2, '0')}`, name: `a${i}`, level: 'city' })
            .run();
          await Promise.resolve();
          if (i % 5 === 0) throw new Error(`boom ${i}`);
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
    expect(count()).toBe(16);
    expect(db.stats.commits - commitsBefore).toBeLessThan(20);
    expect(db.stats.maxBatch).toBeGreaterThan(1);
  });

  it('writeMark: a mark of committed writes to some tables, stale once a write to them ran (committed or not), not for other tables', async () => {
    const mark = db.writeMark(['areas']);
    expect(db.writtenSince(['areas'], mark)).toBe(false);
    await db.write((tx) => tx.update(residents).set({ name: 'x' }).where(eq(residents.id, 'none')).run());
    expect(db.writtenSince(['areas'], mark)).toBe(false);
    // Inside a batch: a write queued before this one already ran, uncommitted; a mark taken meanwhile is stale too.
    let inBatch: number | null = null;
    const first = db.write((tx) => {
      tx.insert(areas).values({ code: '4401', name: '广州市', level: 'city' }).run();
      inBatch = db.writeMark(['areas']);
    });
    const seen = db.write(() => db.writtenSince(['areas'], mark));
    await first;
    expect(await seen).toBe(true);
    expect(db.writtenSince(['areas'], inBatch!)).toBe(true);
    const after = db.writeMark(['areas']);
    expect(db.writtenSince(['areas'], after)).toBe(false);
    await expect(
      db.write((tx) => {
        tx.insert(areas).values({ code: '4401', name: 'duplicate', level: 'city' }).run();
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(db.writtenSince(['areas'], after)).toBe(true);
  });

  it('a failed action leaves nothing behind', async () => {
    await expect(
      db.write((tx) => {
        tx.insert(areas).values({ code: '4401', name: '广州市', level: 'city' }).run();
        tx.insert(areas).values({ code: '4401', name: 'duplicate', level: 'city' }).run();
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(count()).toBe(0);
  });

  it('migrating an existing database again changes nothing and makes no backup', () => {
    const again = db.migrate();
    expect(again).toEqual({ applied: 0, backup: null });
  });
});

describe('insertRow: one statement per table and set of columns', () => {
  const resident = (id: string) => ({
    id,
    name: '陈秀英',
    gender: 'female' as const,
    birthDate: '1948-03-02',
    idNumberEnc: 'enc',
    idNumberHash: `hash-${id}`,
    idNumberLast4: '1234',
    residenceAreaCode: '440106004001',
  });

  it('writes what a built insert writes: columns left out or undefined take their defaults, JSON and booleans encoded', async () => {
    await db.write((tx) => {
      insertRow(tx, residents, resident('r1'));
      insertRow(tx, residents, { ...resident('r2'), careLevel: 3, livesAlone: true, dietNeeds: ['low_salt'], address: undefined });
      insertRow(tx, residents, { ...resident('r3'), careLevel: 2 });
      tx.insert(residents)
        .values({ ...resident('r4'), careLevel: 3, livesAlone: true, dietNeeds: ['low_salt'] })
        .run();
    });
    const rows = db.read.select().from(residents).all();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('r1')).toMatchObject({ careLevel: 0, livesAlone: false, status: 'active', dietNeeds: [], allergies: [], address: null });
    expect(byId.get('r2')).toMatchObject({ careLevel: 3, livesAlone: true, dietNeeds: ['low_salt'], address: null });
    expect(byId.get('r3')).toMatchObject({ careLevel: 2, livesAlone: false });
    const { id: _2, idNumberHash: _h2, createdAt: _c2, updatedAt: _u2, ...two } = byId.get('r2')!;
    const { id: _4, idNumberHash: _h4, createdAt: _c4, updatedAt: _u4, ...four } = byId.get('r4')!;
    expect(two).toEqual(four);
  });

  it('compiles a statement once per set of columns, and a unique index it breaks still fails the insert', async () => {
    const prepare = db.writer.prepare.bind(db.writer);
    let compiled = 0;
    db.writer.prepare = ((source: string) => {
      if (source.startsWith('insert into "residents"')) compiled += 1;
      return prepare(source);
    }) as typeof db.writer.prepare;
    await db.write((tx) => {
      for (let i = 0; i < 50; i++) insertRow(tx, residents, resident(`a${i}`));
      for (let i = 0; i < 50; i++) insertRow(tx, residents, { ...resident(`b${i}`), careLevel: 1 });
    });
    expect(compiled).toBe(2);
    await expect(db.write((tx) => insertRow(tx, residents, resident('a1')))).rejects.toThrow(/UNIQUE|PRIMARY/);
    expect(db.read.select().from(residents).all()).toHaveLength(100);
  });
});

describe('guardUnique', () => {
  const order = (id: string, residentId: string, pickup: number) => ({
    id,
    canteenId: 'c1',
    residentId,
    serviceDate: '2026-11-23',
    mealPeriod: 'lunch' as const,
    fulfilment: 'dine_in' as const,
    state: 'paid' as const,
    identifyMethod: 'card' as const,
    pickupNumber: pickup,
    mealPriceFen: 1200,
    elderSubsidyFen: 300,
    elderPaysFen: 900,
    operatorSubsidyFen: 0,
    paymentMethod: 'wallet' as const,
    policyVersionIds: [],
    createdAt: '2026-11-23T04:00:00.000Z',
    requestHash: 'h',
  });
  const insert = (row: ReturnType<typeof order>) => db.write((tx) => guardUnique(orders, () => tx.insert(orders).values(row).run()));

  it('names the unique index a write breaks, whatever the database says in its own words', async () => {
    await insert(order('o1', 'r1', 1));
    await expect(insert(order('o2', 'r1', 2))).rejects.toMatchObject({ name: 'UniqueViolation', constraint: 'orders_one_subsidised_meal', table: 'orders' });
    await expect(insert(order('o3', 'r2', 1))).rejects.toMatchObject({ constraint: 'orders_pickup' });
    await expect(insert(order('o1', 'r3', 3))).rejects.toMatchObject({ constraint: 'orders_pkey' });
    await expect(insert(order('o4', 'r2', 2))).resolves.toMatchObject({ changes: 1 });
    // Other failures (here NOT NULL) pass through as they are.
    const notNull = await insert({ ...order('o5', 'r5', 5), canteenId: null as never }).catch((e: unknown) => e);
    expect(notNull).toBeInstanceOf(Error);
    expect(notNull).not.toBeInstanceOf(UniqueViolation);
  });
});

describe('cachedRead: kept until its table is written', () => {
  let loads = 0;
  const areaName = cachedRead([areas], (d, code: string) => {
    loads += 1;
    return d.select().from(areas).where(eq(areas.code, code)).get()?.name ?? null;
  });
  const rename = (tx: Tx, name: string) => tx.update(areas).set({ name }).where(eq(areas.code, '4401')).run();
  beforeEach(async () => {
    loads = 0;
    await db.write((tx) => tx.insert(areas).values({ code: '4401', name: '广州市', level: 'city' }).run());
  });

  it('reads once, then answers from memory until a write through the queue commits', async () => {
    expect(areaName(db.read, '4401')).toBe('广州市');
    expect(areaName(db.read, '4401')).toBe('广州市');
    expect(loads).toBe(1);
    await db.write((tx) => rename(tx, '羊城'));
    expect(areaName(db.read, '4401')).toBe('羊城');
    expect(loads).toBe(2);
  });

  it('while a batch that wrote the table runs, readers keep the committed value and the writer sees its own change', async () => {
    expect(areaName(db.read, '4401')).toBe('广州市');
    let seenByReader: string | null = null;
    let seenByWriter: string | null = null;
    await db.write(async (tx) => {
      rename(tx, '羊城');
      await new Promise((r) => setImmediate(r)); // other requests run here
      seenByReader = areaName(db.read, '4401');
      seenByWriter = areaName(tx, '4401');
    });
    expect(seenByReader).toBe('广州市');
    expect(seenByWriter).toBe('羊城');
    expect(areaName(db.read, '4401')).toBe('羊城'); // the value a reader kept during the batch was dropped at COMMIT
  });

  it('a rolled-back write leaves the committed value, and a write to another table keeps it', async () => {
    expect(areaName(db.read, '4401')).toBe('广州市');
    await expect(
      db.write((tx) => {
        rename(tx, '不算数');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(areaName(db.read, '4401')).toBe('广州市');
    const before = loads;
    await db.write((tx) => tx.insert(orders).values(orderRow('o1')).run());
    expect(areaName(db.read, '4401')).toBe('广州市');
    expect(loads).toBe(before);
  });

  it('first used on the writer after a write in the same batch, it keeps nothing of that batch (rolled back here)', async () => {
    const fresh = cachedRead([areas], (d, code: string) => d.select().from(areas).where(eq(areas.code, code)).get()?.name ?? null);
    let seen: string | null = null;
    await expect(
      db.write((tx) => {
        rename(tx, '不算数');
        seen = fresh(tx, '4401');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(seen).toBe('不算数');
    expect(fresh(db.read, '4401')).toBe('广州市');
  });

  it('a write outside the queue (a tool on the writer) drops it too', () => {
    expect(areaName(db.read, '4401')).toBe('广州市');
    rename(db.tx, '羊城');
    expect(areaName(db.read, '4401')).toBe('羊城');
  });

  it('gives frozen values, so no caller can change what the next one gets', () => {
    const row = cachedRead([areas], (d) => d.select().from(areas).get()!)(db.read);
    expect(Object.isFrozen(row)).toBe(true);
    expect(() => {
      (row as { name: string }).name = 'x';
    }).toThrow(TypeError);
  });

  it('knows which tables a statement writes', () => {
    expect(tablesWritten('insert into "orders" ("id") values (?)')).toEqual(['orders']);
    expect(tablesWritten('update "menu_items" set "sold" = "sold" + ? where "menu_id" = ?')).toEqual(['menu_items']);
    expect(tablesWritten('delete from "dishes" where "id" = ?')).toEqual(['dishes']);
    expect(tablesWritten('INSERT OR REPLACE INTO areas (code) VALUES (?)')).toEqual(['areas']);
    expect(tablesWritten('select "id", "updated_at" from "menus" where "id" = ?')).toEqual([]);
  });
});

describe('keyedRead: kept per group until a write naming that group (or none) commits', () => {
  let loads = 0;
  // Areas by parent code stand in for a resident's history: the group is the parent, the key the level.
  const children = keyedRead([areas], (d, parent: string, level: string) => {
    loads += 1;
    return d
      .select({ code: areas.code })
      .from(areas)
      .where(sql`${areas.parentCode} = ${parent} AND ${areas.level} = ${level}`)
      .orderBy(areas.code)
      .all()
      .map((r) => r.code);
  });
  const add = (tx: Tx, code: string, parent: string) =>
    children.touching(tx, parent, () => tx.insert(areas).values({ code, name: code, level: 'district', parentCode: parent }).run());
  const group = (parent: string) => children.read(db.read, parent, 'district');
  beforeEach(async () => {
    loads = 0;
    await db.write((tx) => {
      tx.insert(areas).values({ code: '4401', name: '广州市', level: 'city' }).run();
      tx.insert(areas).values({ code: '4403', name: '深圳市', level: 'city' }).run();
      add(tx, '440106', '4401');
      add(tx, '440303', '4403');
    });
  });

  it('a write naming one group drops that group after its COMMIT and keeps the others', async () => {
    expect([group('4401'), group('4403'), group('4401'), group('4403')]).toEqual([['440106'], ['440303'], ['440106'], ['440303']]);
    expect(loads).toBe(2);
    await db.write((tx) => add(tx, '440104', '4401'));
    expect(group('4403')).toEqual(['440303']);
    expect(loads).toBe(2); // Shenzhen kept
    expect(group('4401')).toEqual(['440104', '440106']);
    expect(loads).toBe(3); // Guangzhou read again
  });

  it('inside the batch that wrote a group the writer sees its own change; readers keep the committed one until the COMMIT', async () => {
    expect(group('4401')).toEqual(['440106']);
    let seenByReader: string[] = [];
    let seenByWriter: string[] = [];
    await db.write(async (tx) => {
      add(tx, '440104', '4401');
      await new Promise((r) => setImmediate(r)); // other requests run here
      seenByReader = group('4401');
      seenByWriter = children.read(tx, '4401', 'district');
    });
    expect(seenByReader).toEqual(['440106']);
    expect(seenByWriter).toEqual(['440104', '440106']);
    expect(group('4401')).toEqual(['440104', '440106']);
  });

  it('a write of the table that names no group drops every group', async () => {
    group('4401');
    group('4403');
    await db.write((tx) => tx.insert(areas).values({ code: '440305', name: '南山区', level: 'district', parentCode: '4403' }).run());
    expect(group('4403')).toEqual(['440303', '440305']);
    expect(group('4401')).toEqual(['440106']);
    expect(loads).toBe(4);
  });

  it('a rolled-back action that named a group leaves the committed value; a write outside the queue drops all', async () => {
    group('4401');
    await expect(
      db.write((tx) => {
        add(tx, '440199', '4401');
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(group('4401')).toEqual(['440106']);
    db.tx.insert(areas).values({ code: '440111', name: '白云区', level: 'district', parentCode: '4401' }).run(); // a tool, outside the queue
    expect(group('4401')).toEqual(['440106', '440111']);
  });

  it('gives frozen values', () => {
    expect(Object.isFrozen(group('4401'))).toBe(true);
  });

  // A write that says what it did to a kept value (the level it added, for each kept key) amends the group in place.
  const addSaying = (tx: Tx, code: string, parent: string, level: 'district' | 'street' = 'district') =>
    children.touching(
      tx,
      parent,
      () => tx.insert(areas).values({ code, name: code, level, parentCode: parent }).run(),
      (kept, keptLevel) => (keptLevel === level ? [...kept, code].sort() : kept),
    );

  it('a write that says what it did amends the kept group after its COMMIT: nothing is read again, and it equals a fresh read', async () => {
    expect(group('4401')).toEqual(['440106']);
    expect(children.read(db.read, '4401', 'street')).toEqual([]);
    expect(loads).toBe(2);
    let seenByWriter: string[] = [];
    await db.write((tx) => {
      addSaying(tx, '440104', '4401');
      seenByWriter = children.read(tx, '4401', 'district'); // uncommitted: read afresh, not amended
    });
    expect(seenByWriter).toEqual(['440104', '440106']);
    expect(loads).toBe(3);
    expect(group('4401')).toEqual(['440104', '440106']);
    expect(children.read(db.read, '4401', 'street')).toEqual([]);
    expect(loads).toBe(3); // both keys of the group amended, none read again
    expect(Object.isFrozen(group('4401'))).toBe(true);
    db.forgetAll();
    expect(group('4401')).toEqual(['440104', '440106']); // what a fresh read finds
  });

  it('an amending write that is rolled back, or a write of the same group that says nothing, drops the group instead', async () => {
    group('4401');
    group('4403');
    await Promise.allSettled([
      db.write((tx) => addSaying(tx, '440104', '4401')),
      db.write((tx) => {
        addSaying(tx, '440305', '4403');
        throw new Error('no'); // rolled back: its amendment must not reach the kept value
      }),
    ]);
    expect(group('4403')).toEqual(['440303']);
    expect(group('4401')).toEqual(['440104', '440106']);
    const before = loads;
    await db.write((tx) => {
      addSaying(tx, '440111', '4401');
      add(tx, '440113', '4401'); // says nothing
    });
    expect(group('4401')).toEqual(['440104', '440106', '440111', '440113']);
    expect(loads).toBe(before + 1);
  });

  it('a touching write that fails part way, caught by its action, drops its group even where another write amended it', async () => {
    group('4401');
    await db.write((tx) => {
      addSaying(tx, '440104', '4401');
      try {
        children.touching(
          tx,
          '4401',
          () => {
            tx.insert(areas).values({ code: '440111', name: '白云区', level: 'district', parentCode: '4401' }).run();
            throw new Error('the second row failed');
          },
          (kept) => kept,
        );
      } catch {
        /* the action goes on and commits the first row */
      }
    });
    const before = loads;
    expect(group('4401')).toEqual(['440104', '440106', '440111']);
    expect(loads).toBe(before + 1); // read again, not amended
  });

  it('one write inside the touching of two kept reads of its table amends both; inside only one, the other drops every group', async () => {
    let counts = 0;
    // A second kept read of the same table: how many districts a parent has.
    const count = keyedRead([areas], (d, parent: string) => {
      counts += 1;
      return d
        .select({ n: sql<number>`count(*)` })
        .from(areas)
        .where(sql`${areas.parentCode} = ${parent} AND ${areas.level} = 'district'`)
        .get()!.n;
    });
    const addBoth = (tx: Tx, code: string, parent: string) =>
      count.touching(
        tx,
        parent,
        () => addSaying(tx, code, parent),
        (n) => n + 1,
      );
    expect([group('4401'), count.read(db.read, '4401'), count.read(db.read, '4403')]).toEqual([['440106'], 1, 1]);
    expect([loads, counts]).toEqual([1, 2]);
    await db.write((tx) => addBoth(tx, '440104', '4401'));
    expect([group('4401'), count.read(db.read, '4401'), count.read(db.read, '4403')]).toEqual([['440104', '440106'], 2, 1]);
    expect([loads, counts]).toEqual([1, 2]); // both amended, nothing read again
    await db.write((tx) => addSaying(tx, '440111', '4401')); // names a group of `children` only
    expect(count.read(db.read, '4403')).toBe(1);
    expect(counts).toBe(3); // `count` was not named: every group of it went
    expect([group('4401'), count.read(db.read, '4401')]).toEqual([['440104', '440106', '440111'], 3]);
    expect(loads).toBe(1);
  });
});

describe('writerMemo', () => {
  it('keeps what the writer put there across actions and forgets it when an action is rolled back', async () => {
    await db.write((tx) => writerMemo(tx)!.set('k', 1));
    await db.write((tx) => expect(writerMemo(tx)!.get('k')).toBe(1));
    await expect(
      db.write((tx) => {
        writerMemo(tx)!.set('k', 2);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await db.write((tx) => expect(writerMemo(tx)!.has('k')).toBe(false));
    expect(writerMemo(db.read as unknown as Tx)).toBeNull();
  });
});

function orderRow(id: string) {
  return {
    id,
    canteenId: 'c1',
    residentId: null,
    serviceDate: '2026-11-23',
    mealPeriod: 'lunch' as const,
    fulfilment: 'dine_in' as const,
    state: 'paid' as const,
    identifyMethod: 'guest' as const,
    pickupNumber: 1,
    mealPriceFen: 1200,
    elderSubsidyFen: 0,
    elderPaysFen: 1200,
    operatorSubsidyFen: 0,
    paymentMethod: 'cash' as const,
    policyVersionIds: [],
    createdAt: '2026-11-23T04:00:00.000Z',
    requestHash: 'h',
  };
}
