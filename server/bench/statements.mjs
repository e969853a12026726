// Loaded into the server process by `pnpm bench` with BENCH_STATEMENTS=1 (`node --import`): times every better-sqlite3
// statement the server runs (`run`, `get`, `all`, `iterate`, `exec`) by its SQL text. The bench asks for a reset when
// the rush starts and a dump when it ends, through files in BENCH_STATEMENTS_DIR (the server's code is not touched).
// The dump is JSON: [{ sql, calls, us }], most time first.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { setInterval } from 'node:timers';
import { isMainThread } from 'node:worker_threads';

const dir = process.env.BENCH_STATEMENTS_DIR;
// The server's thread only: worker threads inherit --require, and the read workers' month-end work is not the rush.
if (dir && isMainThread) {
  // The same module object the server's own import gets (Node keeps one per resolved file).
  const require = createRequire(path.join(process.cwd(), 'package.json'));
  const Database = require('better-sqlite3');
  const stats = new Map();
  const note = (sql, t0) => {
    const us = Number(process.hrtime.bigint() - t0) / 1e3;
    let s = stats.get(sql);
    if (!s) stats.set(sql, (s = { calls: 0, us: 0 }));
    s.calls += 1;
    s.us += us;
  };
  const probe = new Database(':memory:');
  const Statement = Object.getPrototypeOf(probe.prepare('SELECT 1'));
  probe.close();
  for (const name of ['run', 'get', 'all', 'iterate']) {
    const original = Statement[name];
    Statement[name] = function (...args) {
      const t0 = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        note(this.source, t0);
      }
    };
  }
  const exec = Database.prototype.exec;
  Database.prototype.exec = function (sql) {
    const t0 = process.hrtime.bigint();
    try {
      return exec.call(this, sql);
    } finally {
      note(sql, t0);
    }
  };
  setInterval(() => {
    const reset = path.join(dir, 'reset');
    const dump = path.join(dir, 'dump');
    if (fs.existsSync(reset)) {
      stats.clear();
      fs.rmSync(reset, { force: true });
    }
    if (fs.existsSync(dump)) {
      const rows = [...stats].map(([sql, s]) => ({ sql: sql.replace(/\s+/g, ' '), calls: s.calls, us: Math.round(s.us) }));
      fs.writeFileSync(path.join(dir, 'statements.json'), JSON.stringify(rows.sort((a, b) => b.us - a.us)));
      fs.rmSync(dump, { force: true });
    }
  }, 20).unref();
}
