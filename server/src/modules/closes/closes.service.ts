import { CATEGORY_LABELS } from '@yishi/shared';
/**
 * The daily close (日结) of a canteen's service date. The day's figures are added up in SQL (orders service
 * aggregates): orders by category and meal period, the elders' money by state and by payment method, subsidy by
 * payer and kind, refunds; the cash the drawer should hold against what the operator counted. Closing freezes
 * the figures (`daily_closes.totals`, a flat map of integer counts and fen). A day changed after its close (a
 * refund, a late payment, a cancellation, a late order) is never rewritten: the next close carries the
 * difference as an adjustment, so frozen figures + every adjustment = the day as the orders stand now, to the fen.
 * A day with counter orders still awaiting payment cannot be closed until each is confirmed or cancelled.
 */
import type { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { AppError, type CloseAdjustment, type CloseDayRequest, type CloseFigures, type CloseList, type DailyClose } from '@yishi/shared/schemas';
import { daysBetween, localParts, MEAL_PERIODS, ORDER_CATEGORIES, ORDER_STATES, PAYMENT_METHODS, type MealPeriod, type OrderState } from '@yishi/shared';
import type { LayerKind } from '@yishi/shared/policy';
import { formatYuan } from '@yishi/shared/money';
import type { Reader, Tx } from '../../db/client';
import { UniqueViolation } from '../../db/errors';
import type { Ctx } from '../../lib/context';
import { actorId, assertOperates, type Actor } from '../../lib/actor';
import { table, type PdfDoc, type Table } from '../../lib/exports';
import * as audit from '../audit/audit.service';
import * as foodsafety from '../foodsafety/foodsafety.service';
import * as orders from '../orders/orders.service';
import * as sites from '../sites/sites.service';
import * as repo from './closes.repo';

/** A day's figures as a flat map of integer counts and fen: what is frozen, and what adjustments subtract. */
export type Flat = Record<string, number>;

const RECEIVED: readonly OrderState[] = ['paid', 'ready', 'completed'];
const COUNTED = (s: OrderState) => s !== 'cancelled' && s !== 'refunded';

/** The day as the orders and payments stand now, added up in SQL. */
export function flatDay(db: Reader | Tx, canteenId: string, serviceDate: string): Flat {
  const agg = orders.dayAggregates(db, canteenId, serviceDate);
  const f: Flat = {};
  const add = (k: string, v: number) => {
    if (v !== 0) f[k] = (f[k] ?? 0) + v;
  };
  for (const g of agg.orders) {
    add(`state|${g.state}`, g.n);
    add(`pays|${g.state}`, g.elderPaysFen);
    if (!COUNTED(g.state)) continue;
    add('counted', g.n);
    add(`meals|${g.category ?? 'guest'}|${g.mealPeriod}`, g.n);
    add('value|meal', g.mealPriceFen);
    add('value|elderSubsidy', g.elderSubsidyFen);
    add('value|operatorSubsidy', g.operatorSubsidyFen);
    if (g.fulfilment === 'delivery') add('deliveries', g.n);
  }
  for (const p of agg.payments) {
    add(`${p.direction}|${p.method}`, p.amountFen);
    add(`${p.direction}#|${p.method}`, p.n);
  }
  for (const s of agg.subsidies) {
    add(`subsidy|${s.kind}|${s.payer}`, s.amountFen);
    add(`subsidy#|${s.kind}|${s.payer}`, s.n);
  }
  return f;
}

export function minus(a: Flat, b: Flat): Flat {
  const out: Flat = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const v = (a[k] ?? 0) - (b[k] ?? 0);
    if (v !== 0) out[k] = v;
  }
  return out;
}

export function plus(a: Flat, b: Flat): Flat {
  return minus(a, minus({}, b));
}

const CATEGORY_ORDER = [...ORDER_CATEGORIES, 'guest'] as const;

/** The flat map as the report shows it. */
export function figuresOf(f: Flat): CloseFigures {
  const v = (k: string) => f[k] ?? 0;
  const byState = Object.fromEntries(ORDER_STATES.map((s) => [s, v(`state|${s}`)])) as Record<OrderState, number>;
  const meals: CloseFigures['meals'] = [];
  for (const k of Object.keys(f)) {
    if (!k.startsWith('meals|')) continue;
    const [, category, mealPeriod] = k.split('|') as [string, (typeof CATEGORY_ORDER)[number], MealPeriod];
    meals.push({ category, mealPeriod, count: f[k]! });
  }
  meals.sort(
    (a, b) =>
      CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) || MEAL_PERIODS.indexOf(a.mealPeriod) - MEAL_PERIODS.indexOf(b.mealPeriod),
  );
  const methods = PAYMENT_METHODS.map((m) => ({
    method: m,
    inFen: v(`in|${m}`),
    inCount: v(`in#|${m}`),
    refundFen: v(`refund|${m}`),
    refundCount: v(`refund#|${m}`),
    netFen: v(`in|${m}`) - v(`refund|${m}`),
  }));
  const subsidies: CloseFigures['subsidies'] = [];
  for (const k of Object.keys(f)) {
    if (!k.startsWith('subsidy|')) continue;
    const rest = k.slice('subsidy|'.length);
    const at = rest.indexOf('|');
    const kind = rest.slice(0, at) as LayerKind;
    const payer = rest.slice(at + 1);
    subsidies.push({ payer, kind, amountFen: f[k]!, count: v(`subsidy#|${kind}|${payer}`) });
  }
  subsidies.sort((a, b) => a.payer.localeCompare(b.payer) || a.kind.localeCompare(b.kind));
  return {
    byState,
    ordersCounted: v('counted'),
    deliveries: v('deliveries'),
    meals,
    mealValueFen: v('value|meal'),
    elderSubsidyFen: v('value|elderSubsidy'),
    operatorSubsidyFen: v('value|operatorSubsidy'),
    paidFen: RECEIVED.reduce((s, st) => s + v(`pays|${st}`), 0),
    awaitingFen: v('pays|awaiting_payment'),
    refundedFen: v('pays|refunded'),
    cancelledFen: v('pays|cancelled'),
    methods,
    subsidies,
    refundsFen: methods.reduce((s, m) => s + m.refundFen, 0),
    refundsCount: methods.reduce((s, m) => s + m.refundCount, 0),
    receivedNetFen: methods.reduce((s, m) => s + m.netFen, 0),
  };
}

const net = (f: Flat, m: string) => (f[`in|${m}`] ?? 0) - (f[`refund|${m}`] ?? 0);

interface StoredAdjustment {
  serviceDate: string;
  closedAt: string;
  delta: Flat;
  orders: orders.OrderRef[];
}

/**
 * Earlier closed days (before `date`) whose orders changed since their close, less what other closes already
 * carried for them: what a close of `date` carries now.
 */
function pendingAdjustments(db: Reader | Tx, canteenId: string, date: string): StoredAdjustment[] {
  const changed = repo.closedDaysChangedSince(db, canteenId, date);
  if (changed.length === 0) return [];
  const carried = new Map<string, Flat>();
  for (const c of repo.closesWithAdjustments(db, canteenId)) {
    for (const a of c.adjustments as StoredAdjustment[]) carried.set(a.serviceDate, plus(carried.get(a.serviceDate) ?? {}, a.delta));
  }
  const out: StoredAdjustment[] = [];
  for (const d of changed) {
    const now = flatDay(db, canteenId, d.serviceDate);
    const delta = minus(minus(now, d.totals as Flat), carried.get(d.serviceDate) ?? {});
    if (Object.keys(delta).length === 0) continue;
    out.push({ serviceDate: d.serviceDate, closedAt: d.closedAt, delta, orders: orders.changedSince(db, canteenId, d.serviceDate, d.closedAt) });
  }
  return out;
}

function toAdjustment(a: StoredAdjustment): CloseAdjustment {
  return { serviceDate: a.serviceDate, closedAt: a.closedAt, delta: figuresOf(a.delta), orders: a.orders };
}

function todayAt(ctx: Ctx, canteen: sites.CanteenRow): string {
  return localParts(ctx.clock.now(), canteen.timeZone).date;
}

function build(db: Reader | Tx, canteen: sites.CanteenRow, date: string, close: repo.CloseRow | undefined): DailyClose {
  const flat = close ? (close.totals as Flat) : flatDay(db, canteen.id, date);
  const adjustments = close ? (close.adjustments as StoredAdjustment[]) : pendingAdjustments(db, canteen.id, date);
  const adjNet = (m: string) => adjustments.reduce((s, a) => s + net(a.delta, m), 0);
  const adjRefunds = adjustments.reduce((s, a) => s + PAYMENT_METHODS.reduce((t, m) => t + (a.delta[`refund|${m}`] ?? 0), 0), 0);
  const expected = close ? close.cashExpectedFen : net(flat, 'cash') + adjNet('cash');
  const served = new Set(orders.servedSlots(db, canteen.id, date, date).map((s) => s.mealPeriod));
  const missing = foodsafety.missingSamples(db, canteen.id, date, date).map((m) => m.mealPeriod);
  const changedSinceClose = close
    ? orders.changedSince(db, canteen.id, date, close.closedAt).length > 0 && Object.keys(minus(flatDay(db, canteen.id, date), flat)).length > 0
    : false;
  return {
    canteenId: canteen.id,
    canteenName: canteen.name,
    serviceDate: date,
    status: close ? 'closed' : 'open',
    figures: figuresOf(flat),
    adjustments: adjustments.map(toAdjustment),
    cash: {
      expectedFen: expected,
      countedFen: close ? close.cashCountedFen : null,
      differenceFen: close ? close.cashDifferenceFen : null,
      note: close?.cashNote ?? null,
    },
    totalWithAdjustments: {
      cashFen: net(flat, 'cash') + adjNet('cash'),
      walletFen: net(flat, 'wallet') + adjNet('wallet'),
      externalFen: net(flat, 'external') + adjNet('external'),
      refundsFen: PAYMENT_METHODS.reduce((t, m) => t + (flat[`refund|${m}`] ?? 0), 0) + adjRefunds,
    },
    unconfirmed: orders.awaitingPaymentOn(db, canteen.id, date),
    samplesMissing: MEAL_PERIODS.filter((p) => served.has(p) && missing.includes(p)),
    samplesKept: foodsafety.samplesOn(db, canteen.id, date),
    closedAt: close?.closedAt ?? null,
    closedBy: close?.closedBy ?? null,
    closedByName: close?.closedBy
      ? audit.nameRecorded(db, { entityType: 'canteen', entityId: canteen.id, action: 'day.closed', at: close.closedAt, actorId: close.closedBy })
      : null,
    changedSinceClose,
  };
}

function requireDay(ctx: Ctx, canteen: sites.CanteenRow, date: string) {
  if (date > todayAt(ctx, canteen)) throw new AppError('bad_request', 'a day in the future cannot be closed or reported', 400, { field: 'date' });
}

/** The close of a day: frozen if closed, else as it would be closed now. */
export function getClose(ctx: Ctx, actor: Actor, canteenId: string, date: string): DailyClose {
  const db = ctx.db.read;
  const canteen = sites.requireVisibleCanteen(db, actor, canteenId);
  requireDay(ctx, canteen, date);
  return build(db, canteen, date, repo.closeOf(db, canteenId, date));
}

/** Days of a canteen in a range: orders, closed or not, and the close's key figures. */
export function listCloses(ctx: Ctx, actor: Actor, canteenId: string, q: { from: string; to: string }): CloseList {
  const db = ctx.db.read;
  const canteen = sites.requireVisibleCanteen(db, actor, canteenId);
  if (daysBetween(q.from, q.to) > 92) throw new AppError('bad_request', 'at most three months at a time', 400, { field: 'from' });
  const to = q.to < todayAt(ctx, canteen) ? q.to : todayAt(ctx, canteen);
  const perDay = new Map(repo.ordersPerDay(db, canteenId, q.from, to, RECEIVED).map((r) => [r.serviceDate, r]));
  const closes = new Map(repo.closesBetween(db, canteenId, q.from, to).map((c) => [c.serviceDate, c]));
  const days = [...new Set([...perDay.keys(), ...closes.keys()])].sort().reverse();
  return {
    items: days.map((d) => {
      const c = closes.get(d);
      return {
        serviceDate: d,
        orders: perDay.get(d)?.n ?? 0,
        closed: !!c,
        closedAt: c?.closedAt ?? null,
        closedBy: c?.closedBy ?? null,
        paidFen: c ? figuresOf(c.totals as Flat).paidFen : (perDay.get(d)?.receivedFen ?? 0),
        cashDifferenceFen: c ? c.cashDifferenceFen : null,
        adjustments: c ? c.adjustments.length : 0,
      };
    }),
  };
}

/**
 * Close a day: refuse while counter orders await payment (naming them), freeze the figures and the adjustments to
 * earlier days, record the cash counted against the cash expected (a difference needs a note). Closing again with
 * the same count answers the first close; with another count it is refused (day_closed).
 */
export async function closeDay(
  ctx: Ctx,
  actor: Actor,
  canteenId: string,
  date: string,
  body: z.infer<typeof CloseDayRequest>,
): Promise<{ close: DailyClose; created: boolean }> {
  const canteen = sites.requireVisibleCanteen(ctx.db.read, actor, canteenId);
  assertOperates(actor, canteen);
  requireDay(ctx, canteen, date);
  const now = ctx.clock.now();
  const note = body.cashNote?.trim() || null;
  const result = await ctx.db.write((tx) => {
    const existing = repo.closeOf(tx, canteenId, date);
    if (existing) {
      if (existing.cashCountedFen !== body.cashCountedFen) {
        throw new AppError(
          'day_closed',
          `${date} was already closed with ${formatYuan(existing.cashCountedFen)} counted; a change now goes to the next close`,
          409,
          {
            closedAt: existing.closedAt,
            cashCountedFen: existing.cashCountedFen,
          },
        );
      }
      return { row: existing, created: false };
    }
    const unconfirmed = orders.awaitingPaymentOn(tx, canteenId, date);
    if (unconfirmed.length > 0) {
      throw new AppError(
        'unconfirmed_orders',
        `confirm or cancel the counter orders still awaiting payment first: ${unconfirmed.map((o) => `#${o.pickupNumber}`).join(', ')}`,
        409,
        { orders: unconfirmed },
      );
    }
    const flat = flatDay(tx, canteenId, date);
    const adjustments = pendingAdjustments(tx, canteenId, date);
    const expected = net(flat, 'cash') + adjustments.reduce((s, a) => s + net(a.delta, 'cash'), 0);
    const difference = body.cashCountedFen - expected;
    if (difference !== 0 && !note) {
      throw new AppError('bad_request', `the cash counted differs from the cash expected by ${formatYuan(difference)}: say why in a note`, 400, {
        field: 'cashNote',
        expectedFen: expected,
        differenceFen: difference,
      });
    }
    const row: repo.CloseRow = {
      id: uuidv7(),
      canteenId,
      serviceDate: date,
      totals: flat,
      closedBy: actorId(actor),
      closedAt: now.toISOString(),
      cashExpectedFen: expected,
      cashCountedFen: body.cashCountedFen,
      cashDifferenceFen: difference,
      cashNote: note,
      adjustments,
    };
    try {
      repo.insertClose(tx, row);
    } catch (e) {
      if (e instanceof UniqueViolation) throw new AppError('day_closed', `${date} is already closed`);
      throw e;
    }
    const fig = figuresOf(flat);
    audit.record(tx, actor, now, {
      action: 'day.closed',
      entityType: 'canteen',
      entityId: canteenId,
      details: {
        serviceDate: date,
        ordersCounted: fig.ordersCounted,
        paidFen: fig.paidFen,
        refundsFen: fig.refundsFen,
        cashExpectedFen: expected,
        cashCountedFen: body.cashCountedFen,
        cashDifferenceFen: difference,
        cashNote: note,
        adjustedDays: adjustments.map((a) => a.serviceDate),
      },
    });
    return { row, created: true };
  });
  if (result.created) ctx.bus.publish({ type: 'day.closed', canteenId, serviceDate: date });
  return { close: build(ctx.db.read, canteen, date, result.row), created: result.created };
}

// ───────────── the printed report ─────────────

const PERIOD_ZH: Record<MealPeriod, string> = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' };
const METHOD_ZH: Record<string, string> = { cash: '现金', wallet: '钱包', external: '外部支付' };
const KIND_ZH: Record<LayerKind, string> = { meal: '就餐补贴', delivery: '送餐补贴', operating: '运营补贴' };
const STATE_ZH: Record<OrderState, string> = {
  awaiting_payment: '待付款',
  paid: '已付款',
  ready: '待取餐',
  completed: '已完成',
  cancelled: '已取消',
  refunded: '已退款',
};
const CATEGORY_ZH: Readonly<Record<string, string>> = CATEGORY_LABELS.zh;

/** The close as a document to sign (收银员 / 负责人): A4, the same figures as the screen. */
export function closePdf(ctx: Ctx, actor: Actor, canteenId: string, date: string, exportedBy: string): { doc: PdfDoc; filename: string } {
  const c = getClose(ctx, actor, canteenId, date);
  const canteen = sites.canteenById(ctx.db.read, canteenId)!;
  const f = c.figures;
  const y = (fen: number) => formatYuan(fen);
  const mealRows = CATEGORY_ORDER.flatMap((cat) => {
    const row = MEAL_PERIODS.map((p) => f.meals.find((m) => m.category === cat && m.mealPeriod === p)?.count ?? 0);
    return row.some((n) => n > 0)
      ? [{ category: CATEGORY_ZH[cat] ?? cat, breakfast: row[0]!, lunch: row[1]!, dinner: row[2]!, total: row[0]! + row[1]! + row[2]! }]
      : [];
  });
  const content: (Table | string)[] = [
    table({
      title: '就餐人次（按类别、餐次）',
      columns: [
        { header: '类别', value: 'category' },
        { header: PERIOD_ZH.breakfast, value: 'breakfast', kind: 'int', total: true },
        { header: PERIOD_ZH.lunch, value: 'lunch', kind: 'int', total: true },
        { header: PERIOD_ZH.dinner, value: 'dinner', kind: 'int', total: true },
        { header: '合计', value: 'total', kind: 'int', total: true },
      ],
      rows: mealRows,
      totals: true,
    }),
    table({
      title: '长者应付款（按状态）',
      columns: [
        { header: '状态', value: 'label' },
        { header: '单数', value: 'count', kind: 'int' },
        { header: '金额（元）', value: 'fen', kind: 'money' },
      ],
      rows: [
        { label: '已收（已付款/待取餐/已完成）', count: f.byState.paid + f.byState.ready + f.byState.completed, fen: f.paidFen },
        { label: STATE_ZH.awaiting_payment, count: f.byState.awaiting_payment, fen: f.awaitingFen },
        { label: STATE_ZH.refunded, count: f.byState.refunded, fen: f.refundedFen },
        { label: STATE_ZH.cancelled, count: f.byState.cancelled, fen: f.cancelledFen },
      ],
    }),
    table({
      title: '收款方式',
      columns: [
        { header: '方式', value: (m: CloseFigures['methods'][number]) => METHOD_ZH[m.method] ?? m.method },
        { header: '收款笔数', value: 'inCount', kind: 'int', total: true },
        { header: '收款（元）', value: 'inFen', kind: 'money', total: true },
        { header: '退款笔数', value: 'refundCount', kind: 'int', total: true },
        { header: '退款（元）', value: 'refundFen', kind: 'money', total: true },
        { header: '净额（元）', value: 'netFen', kind: 'money', total: true },
      ],
      rows: f.methods,
      totals: true,
    }),
    table({
      title: '补贴（按付款方、类型）',
      columns: [
        { header: '付款方', value: 'payer' },
        { header: '类型', value: (s: CloseFigures['subsidies'][number]) => KIND_ZH[s.kind] },
        { header: '笔数', value: 'count', kind: 'int', total: true },
        { header: '金额（元）', value: 'amountFen', kind: 'money', total: true },
      ],
      rows: f.subsidies,
      totals: true,
    }),
  ];
  if (c.adjustments.length > 0) {
    content.push(
      table({
        title: '对已日结日期的调整（结账后发生的退款、补收、取消）',
        columns: [
          { header: '日期', value: 'serviceDate', kind: 'date' },
          { header: '涉及单号', value: (a: CloseAdjustment) => a.orders.map((o) => `#${o.pickupNumber}`).join('、') },
          { header: '已收变动（元）', value: (a: CloseAdjustment) => a.delta.paidFen, kind: 'money', total: true },
          { header: '现金净额（元）', value: (a: CloseAdjustment) => a.delta.methods.find((m) => m.method === 'cash')!.netFen, kind: 'money', total: true },
          { header: '钱包净额（元）', value: (a: CloseAdjustment) => a.delta.methods.find((m) => m.method === 'wallet')!.netFen, kind: 'money', total: true },
          { header: '外部净额（元）', value: (a: CloseAdjustment) => a.delta.methods.find((m) => m.method === 'external')!.netFen, kind: 'money', total: true },
        ],
        rows: c.adjustments,
        totals: true,
      }),
    );
  }
  const warnings: string[] = [];
  if (c.samplesMissing.length) warnings.push(`提醒：${c.samplesMissing.map((p) => PERIOD_ZH[p]).join('、')}未登记食品留样。`);
  if (c.status === 'open') warnings.push('本日尚未日结：以下为当前数据，日结后以冻结数据为准。');
  if (c.changedSinceClose) warnings.push('本日结账后又有变动，差额将计入下一次日结的调整。');
  content.push(...warnings);
  const doc: PdfDoc = {
    title: '日结报表',
    subtitle: `${canteen.name} · ${date}`,
    fields: [
      ['饭堂', canteen.shortName],
      ['营业日期', date],
      ['有效订单', String(f.ordersCounted)],
      ['送餐', String(f.deliveries)],
      ['餐费总额', `${y(f.mealValueFen)}`],
      ['长者补贴', `${y(f.elderSubsidyFen)}`],
      ['给运营方的补贴（送餐+运营）', `${y(f.operatorSubsidyFen)}`],
      ['已收（净）', `${y(f.receivedNetFen)}`],
      ['应有现金', `${y(c.cash.expectedFen)}`],
      ['实点现金', c.cash.countedFen === null ? '（未日结）' : `${y(c.cash.countedFen)}`],
      ['现金差额', c.cash.differenceFen === null ? '—' : `${y(c.cash.differenceFen)}`],
      ['差额说明', c.cash.note ?? '—'],
      ['钱包收款（含调整）', `${y(c.totalWithAdjustments.walletFen)}`],
      ['外部支付（含调整）', `${y(c.totalWithAdjustments.externalFen)}`],
      ['退款（含调整）', `${y(c.totalWithAdjustments.refundsFen)}`],
      ['日结时间', c.closedAt ? localDateTimeZh(c.closedAt, canteen.timeZone) : '未日结'],
      ['日结人', c.closedByName ?? '—'],
    ],
    content,
    signatures: ['收银员', '负责人'],
    orientation: 'portrait',
    meta: { exportedBy, scope: `${canteen.shortName} · ${date}`, timeZone: canteen.timeZone },
  };
  return { doc, filename: `日结_${canteen.shortName}_${date}` };
}

function localDateTimeZh(iso: string, tz: string): string {
  const p = localParts(new Date(iso), tz);
  return `${p.date} ${p.time}`;
}
