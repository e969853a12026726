/**
 * Export figures on this machine (not tests; nothing asserts on time): 100,000 rows to xlsx and to csv,
 * and a 30-page signing PDF. Each case runs in its own process so its peak memory is its own:
 *
 *   node --import tsx server/bench/exports.ts            all cases, a table to paste into the README
 *   node --import tsx server/bench/exports.ts xlsx       one case (xlsx | csv | pdf), JSON
 *
 * Rows come from a lazy generator, as they would from a repo read page by page. "event loop" is the
 * longest the server would have been unable to answer anything else while the export ran.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { table, writeCsv, writePdf, writeXlsx, type Column, type ExportMeta } from '../src/lib/exports';

const ROWS = Number(process.env.EXPORT_ROWS ?? 100_000);
const PDF_ROWS = 1_050; // 30 pages of A4 at this layout

interface OrderRow {
  placedAt: string;
  no: string;
  resident: string;
  category: string;
  meals: number;
  priceFen: number;
  subsidyFen: number;
  chargedFen: number;
  method: string;
}

const names = ['王银好', '陈伯', '李阿姨', '张桂英', '黄志强', '何淑贞', '梁国华', '周美玲'];
const categories = ['特困供养', '低保', '低收入', '高龄独居', '失能', '一般长者'];
const methods = ['钱包', '现场支付', '微信（员工录入）'];

async function* orders(n: number): AsyncGenerator<OrderRow> {
  const start = Date.UTC(2026, 10, 1, 3, 30);
  for (let i = 0; i < n; i++) {
    const price = 1200 + (i % 5) * 100;
    const subsidy = (i % 6) * 150;
    yield {
      placedAt: new Date(start + i * 37_000).toISOString(),
      no: `A-${String(i % 1000).padStart(3, '0')}`,
      resident: names[i % names.length]!,
      category: categories[i % categories.length]!,
      meals: 1 + (i % 2),
      priceFen: price,
      subsidyFen: subsidy,
      chargedFen: price - subsidy,
      method: methods[i % methods.length]!,
    };
  }
}

const listColumns: Column<OrderRow>[] = [
  { header: '下单时间', value: 'placedAt', kind: 'datetime' },
  { header: '取餐号', value: 'no' },
  { header: '长者', value: 'resident' },
  { header: '类别', value: 'category' },
  { header: '份数', value: 'meals', kind: 'int', total: true },
  { header: '原价', value: 'priceFen', kind: 'money', total: true },
  { header: '补贴', value: 'subsidyFen', kind: 'money', total: true },
  { header: '实收', value: 'chargedFen', kind: 'money', total: true },
  { header: '支付方式', value: 'method' },
];
// A signing document has fewer, wider columns.
const pdfColumns: Column<OrderRow>[] = [
  { header: '下单时间', value: 'placedAt', kind: 'datetime' },
  { header: '长者', value: 'resident' },
  { header: '类别', value: 'category' },
  { header: '份数', value: 'meals', kind: 'int', total: true },
  { header: '补贴（元）', value: 'subsidyFen', kind: 'money', total: true },
  { header: '实收（元）', value: 'chargedFen', kind: 'money', total: true },
];

const ordersTable = (columns: Column<OrderRow>[], n: number) =>
  table<OrderRow>({ title: '订单明细 颐康长者饭堂 2026年11月', columns, rows: orders(n), totals: true });

const meta: ExportMeta = { exportedBy: '张经理（颐康长者饭堂）', scope: '颐康长者饭堂 · 2026年11月' };

async function runCase(name: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yishi-export-bench-'));
  const file = path.join(dir, `out.${name}`);
  const before = process.memoryUsage().rss;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let heapPeak = 0;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 50);
  const t0 = performance.now();
  let pages: number | undefined;
  if (name === 'xlsx') await writeXlsx(fs.createWriteStream(file), [ordersTable(listColumns, ROWS)], meta);
  else if (name === 'csv') await writeCsv(fs.createWriteStream(file), ordersTable(listColumns, ROWS));
  else if (name === 'pdf') {
    const doc = { title: '2026年11月 长者助餐补贴申领表', subtitle: '天河区 · 石牌街道 · 颐康长者饭堂', content: [ordersTable(pdfColumns, PDF_ROWS)], meta };
    pages = (await writePdf(fs.createWriteStream(file), doc)).pages;
  } else throw new Error(`unknown case ${name}`);
  const ms = performance.now() - t0;
  clearInterval(sampler);
  loop.disable();
  const result = {
    case: name,
    rows: name === 'pdf' ? PDF_ROWS : ROWS,
    pages,
    seconds: ms / 1000,
    fileBytes: fs.statSync(file).size,
    rssBeforeMB: before / 2 ** 20,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
    peakHeapMB: heapPeak / 2 ** 20,
    maxLoopDelayMs: loop.max / 1e6,
  };
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(result) + '\n');
}

const which = process.argv[2];
if (which) await runCase(which);
else {
  const self = fileURLToPath(import.meta.url);
  const lines: string[] = ['| export | time | file | peak RSS (process) | peak heap | longest event-loop stall |', '| --- | --- | --- | --- | --- | --- |'];
  for (const name of ['xlsx', 'csv', 'pdf']) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, name], { encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!) as {
      rows: number;
      pages?: number;
      seconds: number;
      fileBytes: number;
      rssBeforeMB: number;
      peakRssMB: number;
      peakHeapMB: number;
      maxLoopDelayMs: number;
    };
    const what = name === 'pdf' ? `pdf, ${r.rows.toLocaleString('en-US')} rows, ${r.pages} pages` : `${name}, ${r.rows.toLocaleString('en-US')} rows`;
    lines.push(
      `| ${what} | ${r.seconds.toFixed(1)} s | ${(r.fileBytes / 2 ** 20).toFixed(1)} MB | ${r.peakRssMB.toFixed(0)} MB (${r.rssBeforeMB.toFixed(0)} MB before) | ${r.peakHeapMB.toFixed(0)} MB | ${r.maxLoopDelayMs.toFixed(0)} ms |`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
}
