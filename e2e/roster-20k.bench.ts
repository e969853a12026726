/**
 * A street office's 20,000-row roster imported through the console in Chromium, measured (not a test: the figures
 * go into the README's Performance section). Run after `pnpm build`:
 *
 *   pnpm exec tsx e2e/roster-20k.bench.ts            # the Excel file and the CSV file, 20,000 rows each
 *   ROWS=5000 pnpm exec tsx e2e/roster-20k.bench.ts  # another size
 *
 * For each file: time from choosing the file to the column-mapping preview (read and parsed in the page's worker),
 * from 检查 to every row checked by the server (uploaded in chunks of 500), from 确认导入 to written; and the
 * page's longest main-thread task in each phase (PerformanceObserver 'longtask': anything over 50 ms; a page that
 * freezes shows tasks of seconds). The server runs in this process, as in the browser tests.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../server/src/seed';
import { ExcelJS } from '../server/test/files';
import { startE2E } from './harness';

const ROWS = Number(process.argv[2] ?? process.env.ROWS ?? 20_000);
const CANTEEN = 'ct-shipai-huashi';

const SURNAMES = '陈李黄张梁刘林何罗郑谢吴冯杨蔡邓周曾许叶苏潘卢钟麦彭朱郭胡'.split('');
const GIVEN = '秀英 美华 伯坚 桂芳 志强 玉兰 国华 淑珍 建国 丽娟 少芬 锦和 润生 月娥 家豪 惠贞 炳坤 雪梅 荣发 丽霞 金凤 德明 碧云 永康'.split(' ');
const CATEGORIES: [string, string][] = [
  ['', ''],
  ['', ''],
  ['', ''],
  ['低保', '穗天民低字第2026-{n}号'],
  ['特困', '穗天民特字第2026-{n}号'],
  ['低收入', '穗天民低收字第2026-{n}号'],
  ['优抚对象', '优待证 天退役-{n}'],
];

function idFor(birth: string, seq: number): string {
  const body = `440106${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i]!;
  return body + '10X98765432'[sum % 11]!;
}

/** A deterministic pseudo-random sequence (the same roster every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const HEADERS = ['序号', '姓名', '身份证号码', '性别', '户籍所在地', '居住社区', '联系电话', '人员类别', '认定依据', '类别起止日期', '是否独居'];

/** `count` elders of 石牌街道 with unique, valid ID numbers; `offset` keeps two rosters' people apart. */
function roster(count: number, communities: string[], offset: number): string[][] {
  const rand = rng(20261123 + offset);
  const seen = new Set<string>();
  const rows: string[][] = [];
  for (let n = 1; rows.length < count; n++) {
    const year = 1931 + Math.floor(rand() * 34);
    const month = 1 + Math.floor(rand() * 12);
    const day = 1 + Math.floor(rand() * 28);
    const birth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const seq = Math.floor(rand() * 1000);
    const id = idFor(birth, seq);
    if (seen.has(id)) continue;
    seen.add(id);
    const female = Number(id[16]) % 2 === 0;
    const [cat, evidence] = CATEGORIES[Math.floor(rand() * CATEGORIES.length)]!;
    rows.push([
      String(rows.length + 1),
      `${SURNAMES[Math.floor(rand() * SURNAMES.length)]}${GIVEN[Math.floor(rand() * GIVEN.length)]}`,
      id,
      female ? '女' : '男',
      '广州市天河区石牌街道',
      communities[Math.floor(rand() * communities.length)]!,
      rand() < 0.8 ? `13${String(Math.floor(rand() * 1e9)).padStart(9, '0')}` : '',
      cat,
      evidence.replace('{n}', String(offset + n)),
      cat ? '2026-01-01至2026-12-31' : '',
      rand() < 0.12 ? '是' : '否',
    ]);
  }
  return rows;
}

interface Phase {
  ms: number;
  longest: number;
  longTasks: number;
}

async function longTasksSince(page: Page, mark: number): Promise<{ longest: number; count: number }> {
  const all = await page.evaluate(
    (since) => (window as unknown as { __long: { start: number; duration: number }[] }).__long.filter((t) => t.start >= since),
    mark,
  );
  if (process.env.VERBOSE) for (const t of all) process.stdout.write(`  long task at +${Math.round(t.start - mark)} ms: ${Math.round(t.duration)} ms\n`);
  return { longest: Math.round(Math.max(0, ...all.map((t) => t.duration))), count: all.length };
}

async function phase(page: Page, run: () => Promise<void>): Promise<Phase> {
  const mark = await page.evaluate(() => performance.now());
  const t0 = Date.now();
  await run();
  const ms = Date.now() - t0;
  const lt = await longTasksSince(page, mark);
  return { ms, longest: lt.longest, longTasks: lt.count };
}

async function main() {
  const e = await startE2E();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-roster-bench-'));
  try {
    const communities = (e.ctx.db.readerConn.prepare("SELECT name FROM areas WHERE parent_code = '440106004' ORDER BY code").all() as { name: string }[]).map(
      (a) => a.name,
    );
    if (!communities.length) throw new Error('no communities under 石牌街道 in the seed');

    const xlsxFile = path.join(dir, `石牌街道资格名册_${ROWS}.xlsx`);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxFile });
    const ws = wb.addWorksheet('名册');
    ws.addRow(['石牌街道2026年长者助餐资格名册']).commit();
    ws.addRow(HEADERS).commit();
    for (const r of roster(ROWS, communities, 0)) ws.addRow(r).commit();
    await wb.commit();
    const csvFile = path.join(dir, `石牌街道资格名册_${ROWS}.csv`);
    fs.writeFileSync(csvFile, '\uFEFF' + [HEADERS, ...roster(ROWS, communities, 500_000)].map((r) => r.join(',')).join('\r\n') + '\r\n');
    const size = (f: string) => `${(fs.statSync(f).size / 1024 / 1024).toFixed(1)} MB`;

    const context = await e.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN' });
    await context.addInitScript(() => {
      const w = window as unknown as { __long: { start: number; duration: number }[] };
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const t of list.getEntries()) w.__long.push({ start: t.startTime, duration: t.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(600_000);
    await page.goto(`${e.base}/login`);
    await page.getByTestId('login-username').fill('yikang');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/canteens\//);

    const lines: string[] = [];
    const only = process.env.FORMAT; // 'xlsx' or 'csv': one of the two files
    for (const file of [xlsxFile, csvFile].filter((f) => !only || f.endsWith(`.${only}`))) {
      await page.goto(`${e.base}/canteens/${CANTEEN}/roster-import`);
      await page.getByTestId('roster-pick').waitFor();
      const before = (e.ctx.db.readerConn.prepare('SELECT count(*) AS n FROM residents').get() as { n: number }).n;
      const preview = await phase(page, async () => {
        await page.locator('input[type=file]').setInputFiles(file);
        await page.getByTestId('roster-mapping').waitFor();
      });
      const shown = await page.getByTestId('roster-row-count').textContent();
      if (shown !== String(ROWS)) throw new Error(`the preview counts ${shown} rows, not ${ROWS}`);
      const check = await phase(page, async () => {
        await page.getByTestId('roster-check').click();
        await page.getByTestId('roster-ok').or(page.getByTestId('roster-errors')).waitFor();
      });
      if (await page.getByTestId('roster-errors').count()) throw new Error(`rows refused: ${await page.getByTestId('roster-errors').textContent()}`);
      // While the roster is written, the counter tops up a wallet (a write, as an order is): how long does it wait?
      const cookie = `yishi_session=${(await context.cookies()).find((c) => c.name === 'yishi_session')!.value}`;
      const resident = (
        e.ctx.db.readerConn.prepare("SELECT id FROM residents WHERE home_canteen_id = ? AND status = 'active' LIMIT 1").get(CANTEEN) as { id: string }
      ).id;
      let topupMs = -1;
      const commit = await phase(page, async () => {
        await page.getByTestId('roster-confirm').click();
        await page.getByTestId('roster-confirm-ok').click();
        await new Promise((r) => setTimeout(r, 1000));
        const t0 = Date.now();
        const res = await e.app.inject({
          method: 'POST',
          url: '/api/v1/wallet/topups',
          payload: { id: randomUUID(), residentId: resident, canteenId: CANTEEN, amountFen: 1000, method: 'cash' },
          headers: { cookie, origin: 'http://localhost:80' },
        });
        if (res.statusCode !== 200) throw new Error(`top-up during the commit: ${res.body}`);
        topupMs = Date.now() - t0;
        await page.getByTestId('roster-done').waitFor();
      });
      const written = (e.ctx.db.readerConn.prepare('SELECT count(*) AS n FROM residents').get() as { n: number }).n - before;
      const line =
        `${path.extname(file).slice(1)} ${size(file)}, ${ROWS} rows (${written} written): ` +
        `preview ${(preview.ms / 1000).toFixed(1)} s (longest main-thread task ${preview.longest} ms, ${preview.longTasks} over 50 ms); ` +
        `check ${(check.ms / 1000).toFixed(1)} s (longest ${check.longest} ms, ${check.longTasks} over 50 ms); ` +
        `commit ${(commit.ms / 1000).toFixed(1)} s (longest ${commit.longest} ms; a top-up sent 1 s into it answered in ${topupMs} ms)`;
      process.stdout.write(`${line}\n`);
      lines.push(line);
    }
    await context.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await e.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
