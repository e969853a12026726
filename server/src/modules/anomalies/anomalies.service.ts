/**
 * Anomalies: what the scan finds in a month of a canteen's (or a whole city's) orders for a reviewer to look at
 * before a claim is approved, each with a stable `kind`, a plain Chinese explanation with its figures, the orders
 * behind it, and a status (open → explained with a note, or confirmed). The detectors are SQL in the repo (see its
 * header); this service turns their rows into findings and keeps the anomalies table in step with each scan:
 * a finding seen again updates its anomaly (an explained or confirmed one is reopened when new orders of the same
 * kind of evidence join it), an open anomaly no longer found is withdrawn.
 *
 * The claims module sits above this one: it runs the scan when a claim is generated or submitted, adds the
 * refund_after_claim findings (it owns the claims), refuses to approve a claim while its anomalies are open, and
 * turns confirmed anomalies into disallowed orders (or adjustments, once a claim is approved). Thresholds are
 * in ./thresholds.ts.
 */
import { v7 as uuidv7 } from 'uuid';
import {
  addDays,
  datesFrom,
  ageOn,
  ANOMALY_KINDS,
  formatYuan,
  isoWeekday,
  layerKeyOf,
  localParts,
  MEAL_PERIOD_WORDS,
  orderCategoryWord,
  type AnomalyKind,
  type AnomalyStatus,
  type MealPeriod,
  type OrderCategory,
  type PolicyDocument,
} from '@yishi/shared';
import type { Anomaly, AnomalyListQuery, AnomalyOrder, AnomalyPage, AnomalyScanResult } from '@yishi/shared/schemas';
import { AppError } from '@yishi/shared/schemas';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { canSeeCanteen, requireUser, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import * as policy from '../policy/policy.service';
import * as residents from '../residents/residents.service';
import * as sites from '../sites/sites.service';
import { ANOMALY_STATUS_ZH, anomalyDocument, maskedExplanation } from './anomalies.export';
import * as repo from './anomalies.repo';
import * as T from './thresholds';

export type AnomalyRow = repo.AnomalyRow;

/** The age from which the city pays (the scan's under_age line). */
const MIN_AGE = 60;

/** Kinds whose evidence is a set of orders: new orders of the same finding reopen an explained or confirmed anomaly. */
const REOPENED_BY_NEW_ORDERS: ReadonlySet<AnomalyKind> = new Set([
  'double_subsidy',
  'after_death',
  'after_move_out',
  'under_age',
  'category_expired',
  'outside_hours',
  'closed_day',
  'delivery_level',
  'refund_after_claim',
]);

/** A month as a period of service dates. */
export function monthPeriod(month: string): { from: string; to: string } {
  const from = `${month}-01`;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from, to: `${month}-${String(last).padStart(2, '0')}` };
}

function monthsBack(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}

const zh = (p: string) => MEAL_PERIOD_WORDS.zh[p as MealPeriod] ?? p;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const WEEKDAY_ZH = ['', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'];
const STATUS_ZH: Record<string, string> = { deceased: '去世', moved: '迁出', institutionalised: '入住养老机构' };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// ───────────── what the policies say the scan must know ─────────────

interface PolicyFacts {
  /** Meal prices at which a meal layer's subsidy reaches its cap (fraction with a cap: cap ÷ fraction; amount and elder cap: the meeting price). */
  capPrices: number[];
  /** Layers that pay only for some categories: layer key → the categories. */
  categoryLayers: { layerKey: string; codes: string[]; nameEn: string | null }[];
  /** Delivery layers that pay by care level: layer key → bands. */
  deliveryLayers: { layerKey: string; bands: repo.CareBand[] }[];
}

function policyFacts(db: Reader, from: string, to: string): PolicyFacts {
  const docs = new Map<string, PolicyDocument>();
  for (const d of datesFrom(from, to)) for (const v of policy.versionsInForce(db, d)) docs.set(v.versionId, v.document);
  const caps = new Set<number>();
  const categoryLayers: PolicyFacts['categoryLayers'] = [];
  const deliveryLayers: PolicyFacts['deliveryLayers'] = [];
  for (const [versionId, doc] of docs) {
    for (const layer of doc.layers) {
      const key = layerKeyOf(versionId, layer.id);
      const pays = [layer.pays, ...(layer.tiers ?? []).map((t) => t.pays)].filter((p) => p !== undefined);
      if (layer.kind === 'meal') {
        for (const p of pays) {
          if (p.type === 'fraction' && p.capFen !== undefined && p.numerator > 0) caps.add(Math.ceil((p.capFen * p.denominator) / p.numerator));
          if (p.type === 'amount_and_elder_cap') caps.add(p.amountFen + p.elderPaysAtMostFen);
        }
      }
      const codes = new Set<string>([...(layer.who.categoriesAny ?? []), ...(layer.tiers ?? []).flatMap((t) => t.who.categoriesAny ?? [])]);
      if (codes.size > 0) categoryLayers.push({ layerKey: key, codes: [...codes], nameEn: layer.nameEn ?? null });
      if (layer.kind === 'delivery' && layer.pays?.type === 'by_care_level') deliveryLayers.push({ layerKey: key, bands: layer.pays.amounts });
    }
  }
  return { capPrices: [...caps], categoryLayers, deliveryLayers };
}

// ───────────── findings ─────────────

export interface Finding {
  kind: AnomalyKind;
  key: string;
  canteenId: string;
  residentId: string | null;
  firstDate: string;
  lastDate: string;
  orders: { orderId: string; amountFen: number; serviceDate: string }[];
  figures: Record<string, unknown>;
  explanation: string;
}

/** An order of a submitted claim refunded after the claim's orders were snapshotted (the claims module finds these). */
export interface RefundAfterClaim {
  orderId: string;
  canteenId: string;
  residentId: string | null;
  serviceDate: string;
  amountFen: number;
  refundedAt: string;
  claimId: string;
  claimPeriod: string;
  payer: string;
  /** The payer's English name, where a policy gives one. */
  payerEn?: string | null;
  claimState: string;
}

interface Names {
  canteen(id: string): string;
  resident(id: string | null): string;
}

function span<T extends { serviceDate: string }>(rows: T[]) {
  const dates = rows.map((r) => r.serviceDate).sort();
  return { firstDate: dates[0]!, lastDate: dates[dates.length - 1]! };
}

function uniqueOrders(rows: { orderId: string; amountFen: number; serviceDate: string }[]) {
  const seen = new Map<string, { orderId: string; amountFen: number; serviceDate: string }>();
  for (const r of rows) if (!seen.has(r.orderId)) seen.set(r.orderId, { orderId: r.orderId, amountFen: Number(r.amountFen), serviceDate: r.serviceDate });
  return [...seen.values()];
}

const sumFen = (rows: { amountFen: number }[]) => rows.reduce((a, r) => a + Number(r.amountFen), 0);

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

export interface ScanInput {
  month: string;
  from: string;
  to: string;
  canteens: sites.CanteenRow[];
  all: boolean;
  refundsAfterClaim: RefundAfterClaim[] | null;
}

function detect(db: Reader, input: ScanInput, names: Names): { findings: Finding[]; kinds: AnomalyKind[] } {
  const { month, from, to } = input;
  const ids = input.all ? null : input.canteens.map((c) => c.id);
  const p: repo.Period = { from, to, canteenIds: ids };
  const facts = policyFacts(db, from, to);
  const findings: Finding[] = [];
  const byCanteen = new Map(input.canteens.map((c) => [c.id, c]));
  const known = (canteenId: string) => byCanteen.has(canteenId) || (input.all && !!sites.canteenById(db, canteenId));

  // after_death, after_move_out: per resident and canteen
  for (const [, rows] of groupBy(repo.afterStatus(db, p), (r) => `${r.residentId}|${r.canteenId}|${r.status}`)) {
    const r0 = rows[0]!;
    const kind: AnomalyKind = r0.status === 'deceased' ? 'after_death' : 'after_move_out';
    const orders = uniqueOrders(rows);
    const s = span(rows);
    findings.push({
      kind,
      key: `${kind}:${r0.residentId}:${r0.canteenId}:${month}`,
      canteenId: r0.canteenId,
      residentId: r0.residentId,
      ...s,
      orders,
      figures: { status: r0.status, since: r0.since, orders: orders.length, subsidyFen: sumFen(orders) },
      explanation: `${names.resident(r0.residentId)}登记于${r0.since}${STATUS_ZH[r0.status] ?? r0.status}，此后在${names.canteen(r0.canteenId)}仍有${orders.length}笔补贴订单（${s.firstDate}至${s.lastDate}），补贴合计${formatYuan(sumFen(orders))}。`,
    });
  }

  // under_age
  for (const [, rows] of groupBy(repo.underAge(db, p, MIN_AGE), (r) => `${r.residentId}|${r.canteenId}`)) {
    const r0 = rows[0]!;
    const orders = uniqueOrders(rows);
    const s = span(rows);
    findings.push({
      kind: 'under_age',
      key: `under_age:${r0.residentId}:${r0.canteenId}:${month}`,
      canteenId: r0.canteenId,
      residentId: r0.residentId,
      ...s,
      orders,
      figures: { birthDate: r0.birthDate, ageOnFirst: ageOn(r0.birthDate, s.firstDate), minAge: MIN_AGE, orders: orders.length, subsidyFen: sumFen(orders) },
      explanation: `${names.resident(r0.residentId)}出生于${r0.birthDate}，在${s.firstDate}至${s.lastDate}的${orders.length}笔补贴订单时未满${MIN_AGE}周岁（当时${ageOn(r0.birthDate, s.firstDate)}岁），补贴合计${formatYuan(sumFen(orders))}。`,
    });
  }

  // category_expired
  const catRows = facts.categoryLayers.flatMap((l) => repo.categoryExpired(db, p, l.layerKey, l.codes).map((r) => ({ ...r, layerEn: l.nameEn })));
  for (const [, rows] of groupBy(catRows, (r) => `${r.residentId}|${r.canteenId}`)) {
    const r0 = rows[0]!;
    const orders = uniqueOrders(rows);
    const s = span(rows);
    const records = (r0.held ?? '')
      .split(',')
      .filter(Boolean)
      .map((h) => {
        const [category, range] = h.split(':') as [string, string];
        const [from, to] = range.split('~') as [string, string | undefined];
        return { category, from, to: to || null };
      });
    const held = records.map((h) => `${orderCategoryWord(h.category as OrderCategory, 'zh')} ${h.from}至${h.to ?? '今'}`);
    const layerFen = rows.reduce((a, r) => a + Number(r.layerFen), 0);
    findings.push({
      kind: 'category_expired',
      key: `category_expired:${r0.residentId}:${r0.canteenId}:${month}`,
      canteenId: r0.canteenId,
      residentId: r0.residentId,
      ...s,
      orders,
      figures: { category: r0.category, layer: r0.layerName, layerEn: r0.layerEn, held: records, orders: orders.length, layerFen },
      explanation: `${names.resident(r0.residentId)}的${orders.length}笔订单按「${orderCategoryWord(r0.category as OrderCategory, 'zh')}」享受了${r0.layerName}（合计${formatYuan(layerFen)}），但登记记录显示该类别在这些日期（${s.firstDate}至${s.lastDate}）无效${held.length ? `（记录：${held.join('；')}）` : ''}。`,
    });
  }

  // delivery_level
  const delRows = facts.deliveryLayers.flatMap((l) => repo.deliveryLevel(db, p, l.layerKey, l.bands));
  for (const [, rows] of groupBy(delRows, (r) => `${r.residentId}|${r.canteenId}`)) {
    const r0 = rows[0]!;
    const orders = uniqueOrders(rows);
    const s = span(rows);
    const over = rows.reduce((a, r) => a + (Number(r.paidFen) - Number(r.expectedFen)), 0);
    findings.push({
      kind: 'delivery_level',
      key: `delivery_level:${r0.residentId}:${r0.canteenId}:${month}`,
      canteenId: r0.canteenId,
      residentId: r0.residentId,
      ...s,
      orders,
      figures: {
        careLevel: r0.careLevel,
        disabilityGrade: r0.disabilityGrade,
        paidFen: Number(r0.paidFen),
        expectedFen: Number(r0.expectedFen),
        orders: orders.length,
        overFen: over,
      },
      explanation: `${names.resident(r0.residentId)}登记的照护等级为${r0.careLevel}级${r0.disabilityGrade ? `（残疾等级${r0.disabilityGrade}级）` : ''}，每次送餐补贴应为${formatYuan(Number(r0.expectedFen))}，但${orders.length}笔送餐订单按${formatYuan(Number(r0.paidFen))}补贴，共多补${formatYuan(over)}。`,
    });
  }

  // outside_hours: per canteen
  const offsets: Record<string, number> = {};
  for (const c of input.all ? sites.allCanteens(db) : input.canteens) offsets[c.timeZone] ??= utcOffsetMinutes(c.timeZone, from);
  for (const [canteenId, rows] of groupBy(repo.outsideHours(db, p, offsets, T.OUTSIDE_HOURS_GRACE_MINUTES), (r) => r.canteenId)) {
    const orders = uniqueOrders(rows);
    const s = span(rows);
    const examples = rows.slice(0, 3).map((r) => ({ date: r.serviceDate, period: r.mealPeriod, localDate: r.localDate, time: r.localTime }));
    const examplesText = examples.map((e) => `${e.date}${zh(e.period)}于${e.localDate === e.date ? '' : `${e.localDate} `}${e.time}下单`);
    const hours = [...new Map(rows.map((r) => [r.mealPeriod, { period: r.mealPeriod, opens: r.opens, closes: r.closes }])).values()];
    const hoursText = hours.map((h) => `${zh(h.period)}${h.opens}–${h.closes}`);
    findings.push({
      kind: 'outside_hours',
      key: `outside_hours:${canteenId}:${month}`,
      canteenId,
      residentId: null,
      ...s,
      orders,
      figures: { orders: orders.length, subsidyFen: sumFen(orders), examples, hours, graceMinutes: T.OUTSIDE_HOURS_GRACE_MINUTES },
      explanation: `${names.canteen(canteenId)}有${orders.length}笔补贴订单下单于供餐时间（${hoursText.join('，')}）之外，如${examplesText.join('、')}，补贴合计${formatYuan(sumFen(orders))}。`,
    });
  }

  // slot-level kinds: volume_spike, closed_day, staff_keyed, price_clustering, no_elderly_diners
  const baseFrom = addDays(from, -T.VOLUME_BASELINE_DAYS);
  const noElderlyFrom = `${monthsBack(month, T.NO_ELDERLY_MONTHS - 1)}-01`;
  const slotFrom = baseFrom < noElderlyFrom ? baseFrom : noElderlyFrom;
  const slots = repo.slotCounts(db, slotFrom, to, ids, facts.capPrices).map((s) => ({
    ...s,
    orders: Number(s.orders),
    subsidised: Number(s.subsidised),
    residentOrders: Number(s.residentOrders),
    staffKeyed: Number(s.staffKeyed),
    atCap: Number(s.atCap),
  }));
  const cal = sites.calendar(db);
  const holidays = new Set(cal.holidays);
  const hours = new Map(sites.mealPeriodsOf(db, [...new Set(slots.map((s) => s.canteenId))]).map((h) => [`${h.canteenId}|${h.period}`, h]));

  // volume_spike
  const series = groupBy(
    slots.filter((s) => s.serviceDate >= baseFrom && !holidays.has(s.serviceDate)),
    (s) => `${s.canteenId}|${s.mealPeriod}|${isoWeekday(s.serviceDate)}`,
  );
  for (const s of slots) {
    if (s.serviceDate < from || holidays.has(s.serviceDate) || s.orders < T.VOLUME_MIN_ORDERS) continue;
    const base = (series.get(`${s.canteenId}|${s.mealPeriod}|${isoWeekday(s.serviceDate)}`) ?? [])
      .filter((b) => b.serviceDate !== s.serviceDate)
      .map((b) => b.orders);
    if (base.length < T.VOLUME_MIN_BASELINE_DAYS) continue;
    const med = median(base);
    const mad = median(base.map((x) => Math.abs(x - med)));
    const scale = 1.4826 * Math.max(mad, T.VOLUME_MAD_FLOOR_SHARE * med, 1);
    const z = (s.orders - med) / scale;
    if (s.orders < med * T.VOLUME_SPIKE_RATIO || z < T.VOLUME_SPIKE_Z) continue;
    if (!known(s.canteenId)) continue;
    const orders = uniqueOrders(repo.slotOrders(db, s.canteenId, s.serviceDate, s.mealPeriod, false));
    const ratio = s.orders / Math.max(med, 1);
    findings.push({
      kind: 'volume_spike',
      key: `volume_spike:${s.canteenId}:${s.serviceDate}:${s.mealPeriod}`,
      canteenId: s.canteenId,
      residentId: null,
      firstDate: s.serviceDate,
      lastDate: s.serviceDate,
      orders,
      figures: {
        mealPeriod: s.mealPeriod,
        orders: s.orders,
        subsidised: s.subsidised,
        median: med,
        mad,
        z: Math.round(z * 10) / 10,
        ratio: Math.round(ratio * 10) / 10,
        baselineDays: base.length,
        baseline: base,
      },
      explanation: `${names.canteen(s.canteenId)}${s.serviceDate}（${WEEKDAY_ZH[isoWeekday(s.serviceDate)]}）${zh(s.mealPeriod)}有${s.orders}笔订单（其中补贴${s.subsidised}笔），是前后${base.length}个同为${WEEKDAY_ZH[isoWeekday(s.serviceDate)]}的${zh(s.mealPeriod)}中位数${med}笔的${ratio.toFixed(1)}倍（稳健Z分数${z.toFixed(1)}）。`,
    });
  }

  // closed_day: per canteen
  const closedSlots = slots.filter((s) => {
    if (s.serviceDate < from || s.subsidised === 0) return false;
    const c = byCanteen.get(s.canteenId) ?? (input.all ? sites.canteenById(db, s.canteenId) : undefined);
    if (!c) return false;
    const h = hours.get(`${s.canteenId}|${s.mealPeriod}`);
    return !h || !h.days.includes(isoWeekday(s.serviceDate)) || closedOn(c, s.serviceDate);
  });
  for (const [canteenId, list] of groupBy(closedSlots, (s) => s.canteenId)) {
    const c = byCanteen.get(canteenId) ?? sites.canteenById(db, canteenId)!;
    const orders = uniqueOrders(list.flatMap((s) => repo.slotOrders(db, canteenId, s.serviceDate, s.mealPeriod, true)));
    const closed = list.map((s) => ({
      date: s.serviceDate,
      period: s.mealPeriod,
      why: closedOn(c, s.serviceDate) ? (c.status === 'closed' ? ('closed' as const) : ('suspended' as const)) : ('not_served' as const),
    }));
    const WHY_ZH = { closed: '停办', suspended: '暂停服务', not_served: '不供应' };
    const days = closed.map((d) => `${d.date}${zh(d.period)}（${WHY_ZH[d.why]}）`);
    findings.push({
      kind: 'closed_day',
      key: `closed_day:${canteenId}:${month}`,
      canteenId,
      residentId: null,
      ...span(list),
      orders,
      figures: { slots: closed, orders: orders.length, subsidyFen: sumFen(orders) },
      explanation: `${names.canteen(canteenId)}在不营业的餐次仍有${orders.length}笔补贴订单：${days.slice(0, 5).join('、')}${days.length > 5 ? `等${days.length}个餐次` : ''}，补贴合计${formatYuan(sumFen(orders))}。`,
    });
  }

  // staff_keyed, price_clustering: per canteen against the city's share of the same month
  // Scanning the whole city, the month's slots already hold the city's totals (one pass over the orders less).
  const city =
    ids === null
      ? slots
          .filter((s) => s.serviceDate >= from && s.serviceDate <= to)
          .reduce(
            (a, s) => ({
              residentOrders: a.residentOrders + s.residentOrders,
              staffKeyed: a.staffKeyed + s.staffKeyed,
              subsidised: a.subsidised + s.subsidised,
              atCap: a.atCap + s.atCap,
            }),
            { residentOrders: 0, staffKeyed: 0, subsidised: 0, atCap: 0 },
          )
      : repo.cityTotals(db, from, to, facts.capPrices);
  const cityStaff = Number(city.residentOrders) > 0 ? Number(city.staffKeyed) / Number(city.residentOrders) : 0;
  const cityCap = Number(city.subsidised) > 0 ? Number(city.atCap) / Number(city.subsidised) : 0;
  const monthSlots = groupBy(
    slots.filter((s) => s.serviceDate >= from),
    (s) => s.canteenId,
  );
  for (const [canteenId, list] of monthSlots) {
    if (!known(canteenId)) continue;
    const residentOrders = list.reduce((a, s) => a + s.residentOrders, 0);
    const staff = list.reduce((a, s) => a + s.staffKeyed, 0);
    const share = residentOrders > 0 ? staff / residentOrders : 0;
    if (residentOrders >= T.STAFF_KEYED_MIN_ORDERS && share >= T.STAFF_KEYED_MIN_SHARE && share >= cityStaff * T.STAFF_KEYED_CITY_RATIO) {
      const orders = uniqueOrders(repo.staffKeyedOrders(db, canteenId, from, to));
      findings.push({
        kind: 'staff_keyed',
        key: `staff_keyed:${canteenId}:${month}`,
        canteenId,
        residentId: null,
        firstDate: from,
        lastDate: to,
        orders,
        figures: { staffKeyed: staff, residentOrders, share, cityShare: cityStaff, minShare: T.STAFF_KEYED_MIN_SHARE, cityRatio: T.STAFF_KEYED_CITY_RATIO },
        explanation: `${names.canteen(canteenId)}${month.replace('-', '年')}月长者订单中有${pct(share)}由工作人员代为录入（${staff}/${residentOrders}笔），而非刷卡或凭密码；全市为${pct(cityStaff)}。`,
      });
    }
    const subsidised = list.reduce((a, s) => a + s.subsidised, 0);
    const atCap = list.reduce((a, s) => a + s.atCap, 0);
    const capShare = subsidised > 0 ? atCap / subsidised : 0;
    if (
      facts.capPrices.length > 0 &&
      subsidised >= T.PRICE_CLUSTER_MIN_ORDERS &&
      capShare >= T.PRICE_CLUSTER_MIN_SHARE &&
      capShare >= cityCap * T.PRICE_CLUSTER_CITY_RATIO
    ) {
      const orders = uniqueOrders(repo.cappedPriceOrders(db, canteenId, from, to, facts.capPrices));
      const prices = facts.capPrices.map((x) => formatYuan(x)).join('、');
      findings.push({
        kind: 'price_clustering',
        key: `price_clustering:${canteenId}:${month}`,
        canteenId,
        residentId: null,
        firstDate: from,
        lastDate: to,
        orders,
        figures: { atCap, subsidised, share: capShare, cityShare: cityCap, capPrices: facts.capPrices, minShare: T.PRICE_CLUSTER_MIN_SHARE },
        explanation: `${names.canteen(canteenId)}${month.replace('-', '年')}月${pct(capShare)}的补贴订单餐价正好是${prices}（就餐补贴达到上限的最低价格），${atCap}/${subsidised}笔；全市为${pct(cityCap)}。`,
      });
    }
  }

  // no_elderly_diners: open canteens that existed, and months the records cover
  const first = repo.firstServiceDate(db);
  const months = Array.from({ length: T.NO_ELDERLY_MONTHS }, (_, i) => monthsBack(month, T.NO_ELDERLY_MONTHS - 1 - i));
  const covered = first !== null && first <= monthPeriod(months[0]!).to;
  if (covered) {
    const elders = new Map<string, number>();
    for (const s of slots) if (s.serviceDate >= noElderlyFrom) elders.set(s.canteenId, (elders.get(s.canteenId) ?? 0) + s.residentOrders);
    for (const c of input.all ? sites.allCanteens(db) : input.canteens) {
      if (c.status !== 'open' || (c.openedOn !== null && c.openedOn > monthPeriod(months[0]!).from)) continue;
      if ((elders.get(c.id) ?? 0) > 0) continue;
      findings.push({
        kind: 'no_elderly_diners',
        key: `no_elderly_diners:${c.id}:${month}`,
        canteenId: c.id,
        residentId: null,
        firstDate: monthPeriod(months[0]!).from,
        lastDate: to,
        orders: [],
        figures: { months },
        explanation: `${names.canteen(c.id)}连续${T.NO_ELDERLY_MONTHS}个月（${months.map((m) => `${Number(m.slice(5))}月`).join('、')}）没有登记长者就餐，按规定应予整改或终止。`,
      });
    }
  }

  // double_subsidy: per resident (anywhere), attached to the canteen of the second meal
  for (const [, rows] of groupBy(repo.doubleSubsidy(db, p), (r) => r.residentId!)) {
    const slotsOf = groupBy(rows, (r) => `${r.serviceDate}|${r.mealPeriod}`);
    const second = [...slotsOf.values()][0]![1]!;
    if (!known(second.canteenId)) continue;
    const orders = uniqueOrders(rows);
    const s = span(rows);
    const examples = [...slotsOf.values()].slice(0, 3).map((list) => ({
      date: list[0]!.serviceDate,
      period: list[0]!.mealPeriod,
      orders: list.length,
      canteens: [...new Set(list.map((x) => names.canteen(x.canteenId)))],
    }));
    const text = examples.map((e) => `${e.date}${zh(e.period)}${e.orders}笔（${e.canteens.join('、')}）`);
    findings.push({
      kind: 'double_subsidy',
      key: `double_subsidy:${second.residentId}:${month}`,
      canteenId: second.canteenId,
      residentId: second.residentId,
      ...s,
      orders,
      figures: { mealPeriods: slotsOf.size, orders: orders.length, subsidyFen: sumFen(orders), examples },
      explanation: `${names.resident(second.residentId)}同一餐次多次享受补贴：${text.join('；')}${slotsOf.size > 3 ? `等${slotsOf.size}个餐次` : ''}。同一餐次只能补贴一次，涉及补贴${formatYuan(sumFen(orders))}。`,
    });
  }

  // refund_after_claim: from the claims module
  if (input.refundsAfterClaim) {
    for (const [canteenId, rows] of groupBy(input.refundsAfterClaim, (r) => r.canteenId)) {
      const orders = uniqueOrders(rows);
      const claims = [
        ...new Map(rows.map((r) => [`${r.claimPeriod} ${r.payer}`, { period: r.claimPeriod, payer: r.payer, payerEn: r.payerEn ?? null }])).values(),
      ];
      const claimsText = claims.map((c) => `${c.period} ${c.payer}`);
      const example = { serviceDate: rows[0]!.serviceDate, refundedOn: localParts(new Date(rows[0]!.refundedAt), 'Asia/Shanghai').date };
      findings.push({
        kind: 'refund_after_claim',
        key: `refund_after_claim:${canteenId}:${month}`,
        canteenId,
        residentId: null,
        ...span(rows),
        orders,
        figures: { orders: orders.length, subsidyFen: sumFen(orders), claims, example },
        explanation: `${names.canteen(canteenId)}有${orders.length}笔订单在申报（${claimsText.join('、')}）提交后退款（如${example.serviceDate}的订单于${example.refundedOn}退款），其补贴${formatYuan(sumFen(orders))}不应再申报。`,
      });
    }
  }

  const kinds = ANOMALY_KINDS.filter((k) => k !== 'refund_after_claim' || input.refundsAfterClaim !== null);
  return { findings, kinds };
}

/** Whether the canteen's (current) suspension or closure covers a date. */
function closedOn(c: sites.CanteenRow, date: string): boolean {
  if (c.status === 'open') return false;
  return (c.statusFrom === null || c.statusFrom <= date) && (c.statusUntil === null || date <= c.statusUntil);
}

/** The time zone's offset from UTC on a date, in minutes (Asia/Shanghai: +480). */
function utcOffsetMinutes(timeZone: string, date: string): number {
  const at = new Date(`${date}T12:00:00Z`);
  const { date: d, time } = localParts(at, timeZone);
  const local = Date.parse(`${d}T${time}:00Z`);
  return Math.round((local - at.getTime()) / 60_000);
}

// ───────────── the scan ─────────────

export interface ScanOptions {
  month: string;
  /** null: every canteen of the city. */
  canteens: sites.CanteenRow[] | null;
  /** Findings of the claims module (orders refunded after their claim was submitted); null when not looked for. */
  refundsAfterClaim: RefundAfterClaim[] | null;
}

/**
 * The detectors over a month, with residents' names filled in (the scan's reads: on a read worker thread, db/offload.ts; at city
 * scale they take seconds, which on the event loop every kiosk's order would wait for). Exported for that thread.
 */
export function findAnomalies(db: Reader, input: ScanInput): { findings: Finding[]; kinds: AnomalyKind[] } {
  const canteenNames = new Map(sites.allCanteens(db).map((c) => [c.id, c]));
  const pending = new Set<string>();
  // Names are looked up after detection, once, for every resident a finding names.
  const names: Names = {
    canteen: (id) => canteenNames.get(id)?.shortName ?? id,
    resident: (id) => {
      if (id) pending.add(id);
      return id ? `⟦${id}⟧` : '散客';
    },
  };
  const { findings, kinds } = detect(db, input, names);
  const residentNames = residents.namesOf(db, [...pending]);
  for (const f of findings) f.explanation = f.explanation.replace(/⟦([^⟧]+)⟧/g, (_, id: string) => residentNames.get(id) ?? id);
  return { findings, kinds };
}

/**
 * Scan a month (the detectors read off the event loop, outside any write) and bring the anomalies table in step in
 * one transaction, with one audit row for the scan.
 */
export async function scan(ctx: Ctx, actor: Actor | null, opts: ScanOptions): Promise<AnomalyScanResult> {
  const t0 = performance.now();
  const db = ctx.db.read;
  const { from, to } = monthPeriod(opts.month);
  const all = opts.canteens === null;
  const canteens = opts.canteens ?? sites.allCanteens(db);
  const canteenNames = new Map(sites.allCanteens(db).map((c) => [c.id, c]));
  const input: ScanInput = { month: opts.month, from, to, canteens, all, refundsAfterClaim: opts.refundsAfterClaim };
  const { findings, kinds } = await ctx.db.offThread.run<ReturnType<typeof findAnomalies>>(import.meta.url, 'findAnomalies', [input]);

  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const counts = { created: 0, updated: 0, reopened: 0, withdrawn: 0 };
  await ctx.db.write((tx) => {
    const existing = new Map(
      repo
        .byKeys(
          tx,
          findings.map((f) => f.key),
        )
        .map((a) => [a.key, a]),
    );
    for (const f of findings) {
      const c = canteenNames.get(f.canteenId)!;
      const values = {
        explanation: f.explanation,
        figures: f.figures,
        firstDate: f.firstDate,
        lastDate: f.lastDate,
        orderCount: f.orders.length,
        amountFen: sumFen(f.orders),
        updatedAt: nowIso,
      };
      const before = existing.get(f.key);
      if (!before) {
        const id = uuidv7();
        repo.insert(tx, {
          id,
          kind: f.kind,
          key: f.key,
          canteenId: f.canteenId,
          streetCode: c.streetCode,
          districtCode: c.districtCode,
          residentId: f.residentId,
          periodFrom: from,
          periodTo: to,
          status: 'open',
          detectedAt: nowIso,
          note: null,
          resolvedAt: null,
          resolvedBy: null,
          resolvedByName: null,
          ...values,
        });
        repo.addOrders(
          tx,
          id,
          f.orders.map((o) => o.orderId),
        );
        counts.created += 1;
      } else if (before.status === 'open') {
        repo.update(tx, before.id, values);
        repo.replaceOrders(
          tx,
          before.id,
          f.orders.map((o) => o.orderId),
        );
        counts.updated += 1;
      } else {
        const had = new Set(repo.orderIdsOf(tx, before.id));
        const added = f.orders.filter((o) => !had.has(o.orderId)).map((o) => o.orderId);
        repo.addOrders(tx, before.id, added);
        const reopen = added.length > 0 && REOPENED_BY_NEW_ORDERS.has(f.kind);
        repo.update(tx, before.id, {
          ...values,
          orderCount: had.size + added.length,
          amountFen: Math.max(before.amountFen, values.amountFen),
          ...(reopen ? { status: 'open' as const, resolvedAt: null, resolvedBy: null, resolvedByName: null } : {}),
        });
        if (reopen) {
          counts.reopened += 1;
          audit.record(tx, actor, now, {
            action: 'anomaly.reopened',
            entityType: 'anomaly',
            entityId: before.id,
            details: { kind: f.kind, before: { status: before.status }, after: { status: 'open' }, newOrders: added.length },
            scope: { canteenId: f.canteenId, areaCode: c.areaCode },
          });
        } else counts.updated += 1;
      }
    }
    // Open anomalies of this scope, period and kinds that the scan no longer finds: the records were corrected.
    const found = new Set(findings.map((f) => f.key));
    for (const a of repo.inPeriod(tx, from, from, all ? null : canteens.map((c) => c.id), kinds)) {
      if (a.status !== 'open' || found.has(a.key)) continue;
      repo.remove(tx, a.id);
      counts.withdrawn += 1;
    }
    audit.record(tx, actor, now, {
      action: 'anomaly.scan',
      entityType: 'anomaly_scan',
      entityId: opts.month,
      details: { month: opts.month, canteens: all ? 'all' : canteens.length, found: findings.length, ...counts },
      ...(canteens.length === 1 ? { scope: { canteenId: canteens[0]!.id, areaCode: canteens[0]!.areaCode } } : {}),
    });
  });
  const byKind = Object.fromEntries(ANOMALY_KINDS.map((k) => [k, findings.filter((f) => f.kind === k).length])) as Record<AnomalyKind, number>;
  return {
    month: opts.month,
    canteens: all ? canteenNames.size : canteens.length,
    byKind,
    found: findings.length,
    ...counts,
    ms: Math.round(performance.now() - t0),
  };
}

// ───────────── reading ─────────────

export function toAnomaly(db: Reader | Tx, rows: AnomalyRow[]): Anomaly[] {
  const canteens = new Map(sites.allCanteens(db).map((c) => [c.id, c]));
  const names = residents.namesOf(
    db,
    rows.map((r) => r.residentId).filter((x): x is string => x !== null),
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    canteenId: r.canteenId,
    canteenName: canteens.get(r.canteenId)?.shortName ?? r.canteenId,
    streetCode: r.streetCode,
    districtCode: r.districtCode,
    residentId: r.residentId,
    residentName: r.residentId ? (names.get(r.residentId) ?? null) : null,
    periodFrom: r.periodFrom,
    periodTo: r.periodTo,
    firstDate: r.firstDate,
    lastDate: r.lastDate,
    explanation: r.explanation,
    figures: r.figures,
    orderCount: r.orderCount,
    amountFen: r.amountFen,
    detectedAt: r.detectedAt,
    updatedAt: r.updatedAt,
    note: r.note,
    resolvedAt: r.resolvedAt,
    resolvedByName: r.resolvedByName,
  }));
}

/** The anomaly, if the caller may see its canteen; not_found otherwise. */
export function requireVisible(db: Reader | Tx, actor: Actor, id: string): AnomalyRow {
  const a = repo.byId(db, id);
  const c = a ? sites.canteenById(db, a.canteenId) : undefined;
  if (!a || !c || !canSeeCanteen(actor, c)) throw new AppError('not_found', 'no such anomaly');
  return a;
}

/** The list filter of a caller: area staff by their area, operators by their canteens, the administrator everything. */
function scopeFilter(actor: Actor): Pick<repo.ListFilter, 'scopeArea' | 'scopeCanteens'> {
  if (actor.kind !== 'user') throw new AppError('forbidden', 'a console user is required');
  const u = actor.user;
  if (u.role === 'admin') return {};
  if (u.role === 'operator') return { scopeCanteens: u.canteenIds };
  if (!u.scopeAreaCode) throw new AppError('forbidden', 'your account has no area');
  return { scopeArea: u.scopeAreaCode };
}

function listFilter(ctx: Ctx, actor: Actor, q: Omit<AnomalyListQuery, 'limit' | 'offset'>): repo.ListFilter {
  if (q.canteenId) sites.requireVisibleCanteen(ctx.db.read, actor, q.canteenId);
  const period = q.month ? monthPeriod(q.month) : null;
  return {
    ...scopeFilter(actor),
    ...(period ? { from: period.from, to: period.from } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.canteenId ? { canteenId: q.canteenId } : {}),
    ...(q.areaCode ? { areaPrefix: q.areaCode } : {}),
  };
}

export function list(ctx: Ctx, actor: Actor, q: AnomalyListQuery): AnomalyPage {
  const f = listFilter(ctx, actor, q);
  const { items, total, counts } = repo.list(ctx.db.read, f, q.limit, q.offset);
  const byStatus = { open: 0, explained: 0, confirmed: 0 } as Record<AnomalyStatus, number>;
  for (const c of counts) byStatus[c.status] = Number(c.n);
  return { items: toAnomaly(ctx.db.read, items), total: Number(total), byStatus };
}

/** Every anomaly a filter matches, read page by page (exports). */
export async function* listAll(ctx: Ctx, actor: Actor, q: Omit<AnomalyListQuery, 'limit' | 'offset'>): AsyncGenerator<Anomaly> {
  const f = listFilter(ctx, actor, q);
  let after: string | null = null;
  for (;;) {
    const rows = repo.listAfter(ctx.db.read, f, after, 500);
    if (rows.length === 0) return;
    for (const a of toAnomaly(ctx.db.read, rows)) yield a;
    after = rows[rows.length - 1]!.id;
    await new Promise((r) => setImmediate(r));
  }
}

export function get(ctx: Ctx, actor: Actor, id: string): Anomaly {
  return toAnomaly(ctx.db.read, [requireVisible(ctx.db.read, actor, id)])[0]!;
}

export function orders(ctx: Ctx, actor: Actor, id: string, limit: number, offset: number): { items: AnomalyOrder[]; total: number } {
  requireVisible(ctx.db.read, actor, id);
  const { items, total } = repo.ordersPage(ctx.db.read, id, limit, offset);
  const names = residents.namesOf(
    ctx.db.read,
    items.map((o) => o.residentId).filter((x): x is string => x !== null),
  );
  return {
    total: Number(total),
    items: items.map((o) => ({ ...o, subsidyFen: Number(o.subsidyFen), residentName: o.residentId ? (names.get(o.residentId) ?? null) : null })),
  };
}

// ───────────── for the claims module ─────────────

/** Anomalies of a canteen whose scanned month lies in a claim's period. */
export function ofCanteen(db: Reader | Tx, canteenId: string, from: string, to: string): AnomalyRow[] {
  return repo.ofCanteen(db, canteenId, from, to);
}

/** A canteen's anomalies of a period with their explanations as an export carries them (the resident's name masked), by id. */
export function explanationsForExport(db: Reader | Tx, canteenId: string, from: string, to: string): Map<string, string> {
  const rows = repo.ofCanteen(db, canteenId, from, to);
  const names = residents.namesOf(db, [...new Set(rows.flatMap((r) => (r.residentId ? [r.residentId] : [])))]);
  return new Map(rows.map((r) => [r.id, maskedExplanation(r.explanation, r.residentId ? (names.get(r.residentId) ?? null) : null)]));
}

/** Canteens with a confirmed anomaly whose period starts in [from, to] (the claims module asks once, not per claim). */
export function canteensWithConfirmed(db: Reader | Tx, from: string, to: string): string[] {
  return repo.canteensWithConfirmed(db, from, to);
}

/** Orders behind the confirmed anomalies of a canteen's period, with the anomaly that names each. */
export function confirmedOrders(db: Reader | Tx, canteenId: string, from: string, to: string) {
  return repo.confirmedOrders(db, canteenId, from, to);
}

export function orderIdsOf(db: Reader | Tx, anomalyId: string): string[] {
  return repo.orderIdsOf(db, anomalyId);
}

/** Kinds of the anomalies (any status) behind each of some orders. */
export function kindsOfOrders(db: Reader | Tx, orderIds: string[]): Map<string, AnomalyKind[]> {
  const out = new Map<string, AnomalyKind[]>();
  for (let i = 0; i < orderIds.length; i += 5000) {
    for (const r of repo.forOrders(db, orderIds.slice(i, i + 5000))) out.set(r.orderId, [...(out.get(r.orderId) ?? []), r.kind]);
  }
  return out;
}

/**
 * Explain or confirm an anomaly, inside the caller's transaction (the claims module's, which also disallows the
 * orders of a confirmed one). Only an open anomaly changes; the audit row carries before and after.
 */
export function resolve(tx: Tx, actor: Actor, now: Date, id: string, status: 'explained' | 'confirmed', note: string): AnomalyRow {
  const a = repo.byId(tx, id)!;
  if (a.status !== 'open') throw new AppError('invalid_state', `this anomaly is already ${a.status}`, 409, { status: a.status });
  const name = actor.kind === 'user' ? actor.user.displayName : null;
  repo.update(tx, id, {
    status,
    note,
    resolvedAt: now.toISOString(),
    resolvedBy: actor.kind === 'user' ? actor.user.id : actor.deviceId,
    resolvedByName: name,
    updatedAt: now.toISOString(),
  });
  const c = sites.canteenById(tx, a.canteenId);
  audit.record(tx, actor, now, {
    action: `anomaly.${status}`,
    entityType: 'anomaly',
    entityId: id,
    details: { kind: a.kind, before: { status: a.status }, after: { status, note }, orders: a.orderCount, amountFen: a.amountFen },
    scope: { canteenId: a.canteenId, areaCode: c?.areaCode ?? null },
  });
  return repo.byId(tx, id)!;
}

// ───────────── exports ─────────────

export { ANOMALY_KIND_ZH, ANOMALY_STATUS_ZH, maskName } from './anomalies.export';

/** The anomaly list as filtered, to Excel or to a PDF for signing (scope checked before the first byte). */
export function exportList(ctx: Ctx, actor: Actor, q: Omit<AnomalyListQuery, 'limit' | 'offset'>, format: 'xlsx' | 'pdf') {
  const u = requireUser(actor);
  listFilter(ctx, actor, q); // throws out of scope before anything is sent
  const areas = sites.areaNames(ctx.db.read);
  const where = q.canteenId
    ? (sites.canteenById(ctx.db.read, q.canteenId)?.name ?? q.canteenId)
    : q.areaCode
      ? (areas.get(q.areaCode) ?? q.areaCode)
      : u.user.scopeAreaCode
        ? (areas.get(u.user.scopeAreaCode) ?? u.user.scopeAreaCode)
        : '全市';
  const month = q.month ? `${q.month.replace('-', '年')}月` : '全部月份';
  const title = `异常情况清单 ${where} ${month}`;
  return {
    filename: `异常清单_${where}_${q.month ?? '全部'}`,
    build: anomalyDocument(listAll(ctx, actor, q), format, title, `${where} · ${month}${q.status ? ` · ${ANOMALY_STATUS_ZH[q.status]}` : ''}`, {
      exportedBy: u.user.displayName,
      scope: `${where} · ${month}`,
    }),
  };
}
