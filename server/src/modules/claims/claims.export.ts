/**
 * The claims module's documents: a claim for signing (PDF) or checking (Excel) — summary by category, meal and
 * kind, disallowed orders, adjustments, anomalies and the per-order annex — and the list of claims. Residents go
 * out masked (family name and the last character).
 */
import type { Writable } from 'node:stream';
import { formatYuan, MEAL_PERIOD_WORDS, orderCategoryWord, type ClaimState, type OrderCategory } from '@yishi/shared';
import type { ClaimDetail, ClaimOrder, ClaimSummary, Clearing, ClearingFigures } from '@yishi/shared/schemas';
import { ANOMALY_KIND_ZH, ANOMALY_STATUS_ZH, maskName } from '../anomalies/anomalies.service';
import { table, writePdf, writeXlsx, listExport, localDateTime, type ExportMeta, type Table } from '../../lib/exports';

export const CLAIM_STATE_ZH: Record<ClaimState, string> = {
  draft: '草稿',
  submitted: '已提交，待街道审核',
  checked: '街道已审核，待区审批',
  returned: '街道退回',
  rejected: '区驳回',
  approved: '区已审批',
  paid: '已付款',
};

const KIND_ZH: Record<string, string> = { meal: '就餐补贴', delivery: '送餐补贴', operating: '运营补贴' };
const ADJ_ZH: Record<string, string> = { refund: '退款', disallowed: '审批后核减', anomaly: '异常确认' };
const METHOD_ZH: Record<string, string> = { card: '刷卡', qr: '扫码', phone_pin: '手机号+密码', staff: '工作人员代录', guest: '散客' };

const meal = (p: string) => MEAL_PERIOD_WORDS.zh[p as keyof typeof MEAL_PERIOD_WORDS.zh] ?? p;
const cat = (c: string | null) => orderCategoryWord(c as OrderCategory | null, 'zh');

function periodLabel(c: Pick<ClaimSummary, 'period' | 'cadence'>): string {
  const [y, p] = c.period.split('-') as [string, string];
  return c.cadence === 'quarter' ? `${y}年第${p.slice(1)}季度` : `${y}年${Number(p)}月`;
}

/** When a step was taken, as the rest of the document writes it: '2026-12-01 09:34' (Guangzhou time). */
function at(iso: string | null): string {
  if (!iso) return '—';
  return localDateTime(new Date(iso));
}

function summaryTable(d: ClaimDetail): Table {
  return table<ClaimDetail['lines'][number]>({
    title: '一、申报汇总（按类别、餐次、补贴类型）',
    sheetName: '汇总',
    columns: [
      { header: '长者类别', value: (l) => cat(l.category) },
      { header: '餐次', value: (l) => meal(l.mealPeriod) },
      { header: '补贴类型', value: (l) => KIND_ZH[l.kind] ?? l.kind },
      // Not totalled: an order is on up to three lines (its meal, delivery and operator subsidy), so the lines' counts
      // add up to more orders than the claim has; the cover gives the claim's own count.
      { header: '订单数', value: 'orderCount', kind: 'int' },
      { header: '申报金额（元）', value: 'amountFen', kind: 'money', total: true },
      { header: '核减订单', value: 'disallowedCount', kind: 'int' },
      { header: '核减金额（元）', value: 'disallowedFen', kind: 'money', total: true },
      { header: '核定金额（元）', value: (l) => l.amountFen - l.disallowedFen, kind: 'money', total: true },
    ],
    rows: d.lines,
    totals: true,
  });
}

function disallowanceTable(d: ClaimDetail): Table {
  return table<ClaimDetail['disallowances'][number]>({
    title: '二、核减订单',
    sheetName: '核减',
    columns: [
      { header: '订单号', value: (x) => x.orderId.slice(-12) },
      { header: '服务日期', value: 'serviceDate', kind: 'date' },
      { header: '餐次', value: (x) => meal(x.mealPeriod) },
      { header: '长者', value: (x) => maskName(x.residentName) },
      { header: '金额（元）', value: 'amountFen', kind: 'money', total: true },
      { header: '核减原因', value: 'reason', width: 40 },
      { header: '来源', value: (x) => (x.source === 'anomaly' ? '异常确认' : '审核') },
      { header: '核减人', value: (x) => x.byName ?? '系统' },
      { header: '时间', value: 'at', kind: 'datetime' },
    ],
    rows: d.disallowances,
    totals: true,
  });
}

function adjustmentTable(d: ClaimDetail): Table {
  return table<ClaimDetail['adjustments'][number]>({
    title: '三、以前期间调整',
    sheetName: '调整',
    columns: [
      { header: '原申报期间', value: 'sourcePeriod' },
      { header: '订单号', value: (x) => x.orderId.slice(-12) },
      { header: '原因', value: (x) => ADJ_ZH[x.reason] ?? x.reason },
      { header: '说明', value: 'note', width: 40 },
      { header: '调整金额（元）', value: 'amountFen', kind: 'money', total: true },
      { header: '时间', value: 'createdAt', kind: 'datetime' },
    ],
    rows: d.adjustments,
    totals: true,
  });
}

function claimAnomalyTable(d: ClaimDetail): Table {
  return table<ClaimDetail['anomalies'][number]>({
    title: '四、异常及处理',
    sheetName: '异常',
    columns: [
      { header: '类型', value: (a) => ANOMALY_KIND_ZH[a.kind] },
      { header: '状态', value: (a) => ANOMALY_STATUS_ZH[a.status] },
      { header: '订单数', value: 'orderCount', kind: 'int' },
      { header: '说明', value: 'explanation', width: 60 },
      { header: '处理意见', value: (a) => a.note ?? '', width: 30 },
    ],
    rows: d.anomalies,
  });
}

function annexTable(orders: AsyncIterable<ClaimOrder>): Table {
  return table<ClaimOrder>({
    title: '附件：订单明细',
    sheetName: '订单明细',
    columns: [
      { header: '服务日期', value: 'serviceDate', kind: 'date' },
      { header: '餐次', value: (o) => meal(o.mealPeriod) },
      { header: '订单号', value: (o) => o.orderId.slice(-12) },
      { header: '长者', value: (o) => maskName(o.residentName) },
      { header: '类别', value: (o) => cat(o.category) },
      { header: '识别方式', value: (o) => METHOD_ZH[o.identifyMethod] ?? o.identifyMethod },
      { header: '餐价（元）', value: 'mealPriceFen', kind: 'money' },
      { header: '就餐补贴（元）', value: 'mealFen', kind: 'money', total: true },
      { header: '送餐补贴（元）', value: 'deliveryFen', kind: 'money', total: true },
      { header: '运营补贴（元）', value: 'operatingFen', kind: 'money', total: true },
      { header: '合计（元）', value: 'amountFen', kind: 'money', total: true },
      { header: '核减', value: (o) => (o.disallowed ? `核减：${o.disallowed.reason}` : '') },
    ],
    rows: orders,
    totals: true,
  });
}

function fields(d: ClaimDetail): [string, string][] {
  return [
    ['申报单位', d.canteenName],
    ['饭堂编号', d.canteenCode],
    ['运营机构', d.operatorName ?? '—'],
    ['所属街道', `${d.districtName ?? ''}${d.streetName ?? ''}`],
    ['付款方', d.payer],
    ['申报期间', `${periodLabel(d)}（${d.periodFrom} 至 ${d.periodTo}）`],
    ['状态', CLAIM_STATE_ZH[d.state]],
    ['申报订单', `${d.orderCount} 笔`],
    ['申报金额', formatYuan(d.claimedFen)],
    ['核减金额', `${formatYuan(d.disallowedFen)}（${d.disallowedCount} 笔）`],
    ['以前期间调整', formatYuan(d.adjustmentFen)],
    ['应付金额', formatYuan(d.totalFen)],
    ['提交', d.submittedAt ? `${d.submittedByName ?? ''} ${at(d.submittedAt)}` : '—'],
    // The claim's checked/decided stamps are the street's return and the district's rejection as well: the row
    // says which, so a signature line never names an officer as passing what they sent back.
    [d.state === 'returned' ? '街道退回' : '街道审核', d.checkedAt ? `${d.checkedByName ?? ''} ${at(d.checkedAt)}` : '—'],
    [d.state === 'rejected' ? '区驳回' : '区审批', d.decidedAt ? `${d.decidedByName ?? ''} ${at(d.decidedAt)}` : '—'],
    ['付款', d.paidOn ? `${formatYuan(d.paidFen ?? 0)} ${d.paidOn} ${d.paymentReference ?? ''}` : '—'],
    // Corrections after approval: this claim does not move; the signers read what goes into the next one.
    ...(d.laterAdjustments.length
      ? [
          [
            '审批后更正',
            d.pendingAdjustmentFen !== 0
              ? `待记入下一期申报 ${formatYuan(d.pendingAdjustmentFen)}`
              : `已记入 ${[...new Set(d.laterAdjustments.map((a) => a.period))].join('、')} 申报`,
          ] as [string, string],
        ]
      : []),
  ];
}

export function claimFileName(d: ClaimDetail): string {
  return `补贴申报_${d.canteenName}_${d.payer}_${d.period}`;
}

/** The claim for signing (PDF) or checking (Excel): everything a district signs for, with the annex of orders. */
export function claimDocument(d: ClaimDetail, orders: () => AsyncIterable<ClaimOrder>, format: 'xlsx' | 'pdf', meta: ExportMeta) {
  return async (out: Writable) => {
    const tables = [summaryTable(d), disallowanceTable(d), adjustmentTable(d), claimAnomalyTable(d), annexTable(orders())];
    if (format === 'xlsx') return writeXlsx(out, tables, meta);
    const [summary, dis, adj, anom, annex] = tables as [Table, Table, Table, Table, Table];
    return writePdf(out, {
      title: `${periodLabel(d)} 长者助餐补贴申报表`,
      subtitle: `${d.districtName ?? ''}${d.streetName ?? ''} · ${d.canteenName} · 付款方：${d.payer}`,
      fields: fields(d),
      content: [
        summary,
        d.disallowances.length ? dis : '二、核减订单：无。',
        d.adjustments.length ? adj : '三、以前期间调整：无。',
        d.anomalies.length ? anom : '四、异常及处理：本期未发现异常。',
        `应付金额 = 申报金额 ${formatYuan(d.claimedFen)} − 核减 ${formatYuan(d.disallowedFen)} + 调整 ${formatYuan(d.adjustmentFen)} = ${formatYuan(d.totalFen)}。订单以平台服务记录为准，金额为各订单已存储的补贴拆分之和（按付款方）。`,
        annex,
      ],
      signatures: ['申报单位（盖章）', '街道审核', '区民政审批'],
      meta,
    });
  };
}

export function claimListTable(rows: AsyncIterable<ClaimSummary>, title: string): Table {
  return table<ClaimSummary>({
    title,
    sheetName: '申报',
    columns: [
      { header: '期间', value: (c) => periodLabel(c) },
      { header: '饭堂', value: 'canteenName' },
      { header: '付款方', value: 'payer' },
      { header: '状态', value: (c) => CLAIM_STATE_ZH[c.state] },
      { header: '订单数', value: 'orderCount', kind: 'int', total: true },
      { header: '申报金额（元）', value: 'claimedFen', kind: 'money', total: true },
      { header: '核减金额（元）', value: 'disallowedFen', kind: 'money', total: true },
      { header: '调整（元）', value: 'adjustmentFen', kind: 'money', total: true },
      { header: '应付金额（元）', value: 'totalFen', kind: 'money', total: true },
      { header: '提交时间', value: 'submittedAt', kind: 'datetime' },
      { header: '审批时间', value: 'decidedAt', kind: 'datetime' },
      { header: '付款日期', value: 'paidOn', kind: 'date' },
    ],
    rows,
    totals: true,
  });
}

export function claimListDocument(rows: AsyncIterable<ClaimSummary>, format: 'xlsx' | 'csv', title: string, meta: ExportMeta) {
  return listExport(format, claimListTable(rows, title), meta);
}

// ───────────── annual clearing ─────────────

type ClearingRow = ClearingFigures & { district: string; payer?: string; openClaims?: number };

const FIGURE_COLUMNS = [
  { header: '已批准申报', value: 'claims', kind: 'int', total: true },
  { header: '订单数', value: 'orders', kind: 'int', total: true },
  { header: '申报金额（元）', value: 'claimedFen', kind: 'money', total: true },
  { header: '核减金额（元）', value: 'disallowedFen', kind: 'money', total: true },
  { header: '调整（元）', value: 'adjustmentFen', kind: 'money', total: true },
  { header: '批准金额（元）', value: 'totalFen', kind: 'money', total: true },
  { header: '已付（元）', value: 'paidFen', kind: 'money', total: true },
  { header: '未付（元）', value: 'outstandingFen', kind: 'money', total: true },
] as const;

/** The annual clearing for the city (or a district) to sign: per district, then per district and payer. */
export function clearingDocument(c: Clearing, where: string, format: 'xlsx' | 'pdf', meta: ExportMeta) {
  const byDistrict = table<ClearingRow>({
    title: `${c.year}年度 长者助餐补贴清算（按区）`,
    sheetName: '按区',
    subtitle: `${where} · 各区报送截止 ${c.districtReportBy} · 全市清算截止 ${c.cityClearingBy}`,
    columns: [{ header: '区', value: 'district' }, ...FIGURE_COLUMNS, { header: '未批准申报', value: 'openClaims', kind: 'int', total: true }],
    rows: c.districts.map((d) => ({ ...d, district: d.name })),
    totals: '合计',
  });
  const byPayer = table<ClearingRow>({
    title: `${c.year}年度 长者助餐补贴清算（按区和付款方）`,
    sheetName: '按付款方',
    columns: [{ header: '区', value: 'district' }, { header: '付款方', value: (r) => r.payer ?? '' }, ...FIGURE_COLUMNS],
    rows: c.districts.flatMap((d) => d.byPayer.map((p) => ({ ...p, district: d.name }))),
    totals: '合计',
  });
  return async (out: Writable) => {
    if (format === 'xlsx') return writeXlsx(out, [byDistrict, byPayer], meta);
    return writePdf(out, {
      title: `${c.year}年度 长者助餐补贴清算表`,
      subtitle: where,
      fields: [
        ['已批准申报', String(c.total.claims)],
        ['未批准申报', String(c.total.openClaims)],
        ['批准金额', formatYuan(c.total.totalFen)],
        ['未付', formatYuan(c.total.outstandingFen)],
        ['各区报送截止', c.districtReportBy],
        ['全市清算截止', c.cityClearingBy],
      ],
      content: [
        byDistrict,
        byPayer,
        `批准金额 = 申报金额 − 核减 + 调整，取各申报审批时冻结的金额；期间起始日在${c.year}年内的申报计入本年度。未批准的申报不计入，需在报送截止前完成审批。`,
      ],
      signatures: ['区民政局（盖章）', '市民政局审核', '负责人'],
      orientation: 'landscape',
      meta,
    });
  };
}
