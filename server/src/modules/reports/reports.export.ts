import { CATEGORY_LABELS } from '@yishi/shared';
/**
 * Reports and indicators as export tables (lib/exports): Chinese headers, counts as integers, money from integer
 * fen, ratios as percentages, a totals row where a sum means something. The routes send them as xlsx or PDF.
 */
import type { Writable } from 'node:stream';
import {
  GUEST_CATEGORY,
  type CanteenStatus,
  type Fulfilment,
  type MealPeriod,
  type OrderCategory,
  type PaymentMethod,
  type ReportGrouping,
} from '@yishi/shared';
import type { LayerKind } from '@yishi/shared/policy';
import type { IndicatorNode, Indicators, Report, ReportRow, SubsidyByPayer } from '@yishi/shared/schemas';
import { table, writePdf, writeXlsx, type Column, type ExportMeta, type Table } from '../../lib/exports';

// The server's own words for the shared vocabulary in exports (the console and kiosk have theirs in their i18n).
const CATEGORY_ZH: Readonly<Record<OrderCategory | typeof GUEST_CATEGORY, string>> = CATEGORY_LABELS.zh;
const PERIOD_ZH: Record<MealPeriod, string> = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' };
const FULFILMENT_ZH: Record<Fulfilment, string> = { dine_in: '堂食', delivery: '送餐' };
const PAYMENT_ZH: Record<PaymentMethod, string> = { wallet: '钱包', cash: '现金', external: '外部支付' };
const KIND_ZH: Record<LayerKind, string> = { meal: '就餐补贴', delivery: '送餐补贴', operating: '运营补贴' };
const STATUS_ZH: Record<CanteenStatus, string> = { open: '营业', suspended: '暂停', closed: '关闭' };
const GROUPING_ZH: Record<ReportGrouping, string> = {
  day: '日期',
  month: '月份',
  category: '类别',
  mealPeriod: '餐次',
  fulfilment: '取餐方式',
  paymentMethod: '支付方式',
  canteen: '饭堂',
  street: '街道',
  district: '区',
};
const GROUPING_TITLE: Record<ReportGrouping, string> = {
  day: '按日',
  month: '按月',
  category: '按类别',
  mealPeriod: '按餐次',
  fulfilment: '按取餐方式',
  paymentMethod: '按支付方式',
  canteen: '按饭堂',
  street: '按街道',
  district: '按区',
};

const lookup = (m: Record<string, string>, k: string): string => m[k] ?? k;

/** A report row's group in words. */
function groupName(g: ReportGrouping, r: Pick<ReportRow, 'key' | 'label'>): string {
  if (r.label) return r.label;
  switch (g) {
    case 'category':
      return lookup(CATEGORY_ZH, r.key);
    case 'mealPeriod':
      return lookup(PERIOD_ZH, r.key);
    case 'fulfilment':
      return lookup(FULFILMENT_ZH, r.key);
    case 'paymentMethod':
      return lookup(PAYMENT_ZH, r.key);
    default:
      return r.key;
  }
}

export function reportTitle(r: Report): string {
  return `${r.scope.name} 助餐报表（${GROUPING_TITLE[r.groupBy]}）`;
}

export function periodText(from: string, to: string): string {
  return `${from} 至 ${to}`;
}

/** The report's tables: the figures by group (with totals), the subsidy by payer per group, and in all. */
export function reportTables(r: Report): { figures: Table; byGroup: Table; byPayer: Table } {
  const g = r.groupBy;
  const figures = table<ReportRow>({
    title: reportTitle(r),
    sheetName: '报表',
    subtitle: `${r.scope.name} · ${periodText(r.from, r.to)}`,
    columns: [
      { header: GROUPING_ZH[g], value: (x) => groupName(g, x) },
      { header: '用餐人次', value: (x) => x.figures.meals, kind: 'int', total: true },
      { header: '补贴餐', value: (x) => x.figures.subsidisedMeals, kind: 'int', total: true },
      { header: '送餐', value: (x) => x.figures.deliveries, kind: 'int', total: true },
      { header: '散客', value: (x) => x.figures.guestMeals, kind: 'int', total: true },
      { header: '餐费（元）', value: (x) => x.figures.mealValueFen, kind: 'money', total: true },
      { header: '长者补贴（元）', value: (x) => x.figures.elderSubsidyFen, kind: 'money', total: true },
      { header: '运营方补贴（元）', value: (x) => x.figures.operatorSubsidyFen, kind: 'money', total: true },
      { header: '长者支付（元）', value: (x) => x.figures.elderPaysFen, kind: 'money', total: true },
      { header: '待付款（单）', value: (x) => x.figures.awaitingPaymentOrders, kind: 'int', total: true },
      { header: '退款（单）', value: (x) => x.figures.refundedOrders, kind: 'int', total: true },
      { header: '退款（元）', value: (x) => x.figures.refundedFen, kind: 'money', total: true },
      { header: '取消（单）', value: (x) => x.figures.cancelledOrders, kind: 'int', total: true },
    ],
    rows: r.rows,
    totals: true,
  });
  const flat = r.rows.flatMap((row) => row.subsidies.map((s) => ({ group: groupName(g, row), ...s })));
  const payerColumns: Column<SubsidyByPayer>[] = [
    { header: '付款方', value: 'payer' },
    { header: '补贴类型', value: (s) => lookup(KIND_ZH, s.kind) },
    { header: '补贴（元）', value: 'amountFen', kind: 'money', total: true },
    { header: '订单数', value: 'orders', kind: 'int', total: true },
  ];
  const byGroup = table<SubsidyByPayer & { group: string }>({
    title: `补贴明细（${GROUPING_TITLE[g]}、按付款方）`,
    sheetName: '补贴明细',
    subtitle: `${r.scope.name} · ${periodText(r.from, r.to)}`,
    columns: [{ header: GROUPING_ZH[g], value: 'group' }, ...(payerColumns as Column<SubsidyByPayer & { group: string }>[])],
    rows: flat,
    totals: true,
  });
  const byPayer = table<SubsidyByPayer>({
    title: '补贴合计（按付款方）',
    sheetName: '补贴合计',
    subtitle: `${r.scope.name} · ${periodText(r.from, r.to)}`,
    columns: payerColumns,
    rows: r.totals.subsidies,
    totals: true,
  });
  return { figures, byGroup, byPayer };
}

export function writeReport(out: Writable, r: Report, format: 'xlsx' | 'pdf', meta: ExportMeta): Promise<unknown> {
  const t = reportTables(r);
  if (format === 'xlsx') return writeXlsx(out, [t.figures, t.byGroup, t.byPayer], meta);
  return writePdf(out, {
    title: reportTitle(r),
    subtitle: `${r.scope.name} · ${periodText(r.from, r.to)}`,
    fields: [
      ['范围', r.scope.name],
      ['期间', periodText(r.from, r.to)],
    ],
    content: [t.figures, t.byPayer, '说明：用餐人次按服务日期统计，已取消和已退款的订单不计入；金额单位为元。'],
    orientation: 'landscape',
    meta,
  });
}

// ───────────── indicators ─────────────

const LEVEL_ZH: Record<IndicatorNode['level'], string> = { city: '市', district: '区', street: '街道', community: '社区', canteen: '饭堂' };

/** The indicator columns shared by the roll-up and the comparison. */
function indicatorColumns(): Column<IndicatorNode>[] {
  return [
    { header: '饭堂数', value: (x) => x.figures.canteens, kind: 'int', total: true },
    { header: '用餐人次', value: (x) => x.figures.meals, kind: 'int', total: true },
    { header: '补贴餐', value: (x) => x.figures.subsidisedMeals, kind: 'int', total: true },
    { header: '补贴餐占比', value: (x) => x.figures.rates.subsidised, kind: 'percent' },
    { header: '困难长者在册', value: (x) => x.figures.needy.registered, kind: 'int', total: true },
    { header: '困难长者已就餐', value: (x) => x.figures.needy.served, kind: 'int', total: true },
    { header: '困难长者覆盖率', value: (x) => x.figures.rates.coverage, kind: 'percent' },
    { header: '自费用餐', value: (x) => x.figures.selfPayingMeals, kind: 'int', total: true },
    { header: '散客', value: (x) => x.figures.guestMeals, kind: 'int', total: true },
    { header: '送餐', value: (x) => x.figures.deliveries, kind: 'int', total: true },
    { header: '满意', value: (x) => x.figures.satisfaction.satisfied, kind: 'int', total: true },
    { header: '一般', value: (x) => x.figures.satisfaction.neutral, kind: 'int', total: true },
    { header: '不满意', value: (x) => x.figures.satisfaction.unsatisfied, kind: 'int', total: true },
    { header: '满意率', value: (x) => x.figures.rates.satisfaction, kind: 'percent' },
    { header: '供餐天数', value: (x) => x.figures.foodSamples.servedDays, kind: 'int', total: true },
    { header: '留样天数', value: (x) => x.figures.foodSamples.sampledDays, kind: 'int', total: true },
    { header: '留样率', value: (x) => x.figures.rates.foodSamples, kind: 'percent' },
    { header: '菜单周数', value: (x) => x.figures.menus.weeks, kind: 'int', total: true },
    { header: '菜单更新周数', value: (x) => x.figures.menus.updatedWeeks, kind: 'int', total: true },
    { header: '菜单更新率', value: (x) => x.figures.rates.menuUpdates, kind: 'percent' },
    { header: '工作日', value: (x) => x.figures.serving.workingDays, kind: 'int', total: true },
    { header: '按营业时间应开午餐', value: (x) => x.figures.serving.scheduledDays, kind: 'int', total: true },
    { header: '午餐供应天数', value: (x) => x.figures.serving.servedDays, kind: 'int', total: true },
    { header: '暂停或关闭天数', value: (x) => x.figures.serving.suspendedDays, kind: 'int', total: true },
    { header: '工作日供餐率', value: (x) => x.figures.rates.compliance, kind: 'percent' },
  ];
}

export function indicatorsTitle(x: Indicators): string {
  return `${x.scope.name} 长者饭堂评价指标`;
}

export function indicatorTables(x: Indicators): { rollup: Table; canteens: Table; categories: Table; daily: Table } {
  const sub = `${x.scope.name} · ${periodText(x.from, x.to)}（供餐天数计至 ${x.servedUpTo}）`;
  const scopeRow: IndicatorNode = {
    kind: x.scope.kind === 'canteen' ? 'canteen' : 'area',
    code: x.scope.code ?? '',
    name: `${x.scope.name}（合计）`,
    level: x.scope.level ?? 'canteen',
    status: null,
    streetName: null,
    districtName: null,
    figures: x.figures,
  };
  const rollup = table<IndicatorNode>({
    title: indicatorsTitle(x),
    sheetName: '指标汇总',
    subtitle: sub,
    columns: [{ header: '名称', value: 'name' }, { header: '层级', value: (n) => LEVEL_ZH[n.level] }, ...indicatorColumns()],
    rows: [scopeRow, ...x.children],
  });
  const canteens = table<IndicatorNode>({
    title: '饭堂对比',
    sheetName: '饭堂对比',
    subtitle: sub,
    columns: [
      { header: '饭堂', value: 'name' },
      { header: '区', value: (n) => n.districtName ?? '' },
      { header: '街道', value: (n) => n.streetName ?? '' },
      { header: '状态', value: (n) => (n.status ? STATUS_ZH[n.status] : '') },
      ...indicatorColumns().slice(1),
    ],
    rows: x.canteens,
    totals: true,
  });
  const categories = table<Indicators['figures']['byCategory'][number]>({
    title: '按类别的用餐与补贴',
    sheetName: '按类别',
    subtitle: sub,
    columns: [
      { header: '类别', value: (c) => lookup(CATEGORY_ZH, c.category) },
      { header: '用餐人次', value: 'meals', kind: 'int', total: true },
      { header: '补贴餐', value: 'subsidisedMeals', kind: 'int', total: true },
    ],
    rows: x.figures.byCategory,
    totals: true,
  });
  const daily = table<Indicators['daily'][number]>({
    title: '每日用餐',
    sheetName: '每日用餐',
    subtitle: sub,
    columns: [
      { header: '日期', value: 'date', kind: 'date' },
      { header: '用餐人次', value: 'meals', kind: 'int', total: true },
      { header: '补贴餐', value: 'subsidisedMeals', kind: 'int', total: true },
    ],
    rows: x.daily,
    totals: true,
  });
  return { rollup, canteens, categories, daily };
}

/** A short set of columns that fits a signed A4 page. */
function pdfSummary(x: Indicators): Table {
  return table<IndicatorNode>({
    title: '指标汇总',
    columns: [
      { header: '名称', value: 'name' },
      { header: '用餐人次', value: (n) => n.figures.meals, kind: 'int' },
      { header: '补贴餐', value: (n) => n.figures.subsidisedMeals, kind: 'int' },
      { header: '困难长者覆盖率', value: (n) => n.figures.rates.coverage, kind: 'percent' },
      { header: '自费用餐', value: (n) => n.figures.selfPayingMeals, kind: 'int' },
      { header: '送餐', value: (n) => n.figures.deliveries, kind: 'int' },
      { header: '满意率', value: (n) => n.figures.rates.satisfaction, kind: 'percent' },
      { header: '留样率', value: (n) => n.figures.rates.foodSamples, kind: 'percent' },
      { header: '菜单更新率', value: (n) => n.figures.rates.menuUpdates, kind: 'percent' },
      { header: '工作日供餐率', value: (n) => n.figures.rates.compliance, kind: 'percent' },
    ],
    rows: [
      {
        kind: 'area',
        code: x.scope.code ?? '',
        name: `${x.scope.name}（合计）`,
        level: x.scope.level ?? 'canteen',
        status: null,
        streetName: null,
        districtName: null,
        figures: x.figures,
      },
      ...x.children,
    ],
  });
}

export function writeIndicators(out: Writable, x: Indicators, format: 'xlsx' | 'pdf', meta: ExportMeta): Promise<unknown> {
  const t = indicatorTables(x);
  if (format === 'xlsx') return writeXlsx(out, [t.rollup, t.canteens, t.categories, t.daily], meta);
  return writePdf(out, {
    title: indicatorsTitle(x),
    subtitle: `${x.scope.name} · ${periodText(x.from, x.to)}`,
    fields: [
      ['范围', x.scope.name],
      ['期间', periodText(x.from, x.to)],
      ['饭堂数', String(x.figures.canteens)],
      ['供餐天数计至', x.servedUpTo],
    ],
    content: [
      pdfSummary(x),
      t.categories,
      '说明：困难长者覆盖率 = 期间内在册的特困、低保、低保边缘长者中吃过补贴餐的比例；留样率 = 有留样记录的供餐天数 / 供餐天数；菜单更新率 = 菜品与上周同日不同的周数 / 有菜单的周数；工作日供餐率 = 供应午餐的法定工作日 / 法定工作日（自开办日起，计至前一天）。',
    ],
    orientation: 'landscape',
    meta,
  });
}
