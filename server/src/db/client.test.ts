import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { Db } from './client';
import { areas } from './schema';

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
