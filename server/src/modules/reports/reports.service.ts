/**
 * Reports over any date range, the canteen evaluation indicators with their street → district → city roll-up,
 * and the kiosk's one-tap meal rating. Every figure is an aggregate computed by SQL (reports.repo) per group or
 * per canteen; this service checks scope first, then only adds up those few rows (a canteen's figures into its
 * street, district and city). Definitions: docs/indicators.md.
 */
import {
  addDays,
  datesFrom,
  GUEST_CATEGORY,
  isWorkingDay,
  isoWeekday,
  LayerKindSchema,
  localParts,
  MEAL_PERIODS,
  MEAL_RATINGS,
  ORDER_CATEGORIES,
  FULFILMENTS,
  PAYMENT_METHODS,
  type AreaLevel,
  type ReportGrouping,
} from '@yishi/shared';
import {
  AppError,
  type IndicatorFigures,
  type IndicatorNode,
  type Indicators,
  type IndicatorsQuery,
  type Report,
  type ReportFigures,
  type ReportQuery,
  type ReportRow,
  type RatingRequest,
  type RatingResponse,
  type ScopeRef,
  type SubsidyByPayer,
} from '@yishi/shared/schemas';
import type { Tx } from '../../db/client';
import { UniqueViolation } from '../../db/errors';
import type { Ctx } from '../../lib/context';
import { areaContains, requireUser, type Actor, type UserActor } from '../../lib/actor';
import * as orders from '../orders/orders.service';
import * as sites from '../sites/sites.service';
import * as repo from './reports.repo';

// ───────────── period and scope ─────────────

export interface Period {
  from: string;
  to: string;
}

/** The period a query names: a whole month, or from … to (the schema has checked one of the two is given). */
export function periodOf(q: { month?: string | undefined; from?: string | undefined; to?: string | undefined }): Period {
  if (q.month) {
    const [y, m] = q.month.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return { from: `${q.month}-01`, to: `${q.month}-${String(last).padStart(2, '0')}` };
  }
  return { from: q.from!, to: q.to! };
}

interface AreaInfo {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
}

/** What a query covers, after the scope check. */
export interface Scope {
  ref: ScopeRef;
  /** The area asked for (null for one canteen, an operator's canteens, or everything). */
  area: AreaInfo | null;
  /** The canteens counted, in district / street / code order. */
  canteens: sites.CanteenRow[];
  /** The same as a filter for SQL: null when it is every canteen. */
  filter: repo.CanteenFilter;
  /** Every area by code (names, parents). */
  areas: Map<string, AreaInfo>;
  actor: UserActor;
}

function canSeeArea(u: UserActor, code: string): boolean {
  if (u.user.role === 'admin') return true;
  if (u.user.role === 'operator') return false;
  return u.user.scopeAreaCode !== null && areaContains(u.user.scopeAreaCode, code);
}

/**
 * One canteen (in the caller's scope), an area (inside the caller's area), or, when neither is named, the caller's
 * own scope: an operator's canteens, a street / district / city officer's area, everything for the administrator.
 * Out of scope (or unknown) answers 404, so other canteens' and areas' existence is not confirmed.
 */
export function resolveScope(ctx: Ctx, actor: Actor | null, q: { canteenId?: string | undefined; areaCode?: string | undefined }): Scope {
  const u = requireUser(actor);
  const db = ctx.db.read;
  const all = sites.allCanteens(db);
  const areas = new Map<string, AreaInfo>(sites.listAreas(ctx).map((a) => [a.code, a]));
  const filterOf = (cs: sites.CanteenRow[]): repo.CanteenFilter => (cs.length === all.length ? null : cs.map((c) => c.id));
  if (q.canteenId !== undefined) {
    const c = sites.requireVisibleCanteen(db, u, q.canteenId);
    return { ref: { kind: 'canteen', code: c.id, name: c.shortName, level: null }, area: null, canteens: [c], filter: [c.id], areas, actor: u };
  }
  let code = q.areaCode;
  if (code === undefined) {
    if (u.user.role === 'operator') {
      const mine = all.filter((c) => u.user.canteenIds.includes(c.id));
      return {
        ref: { kind: 'canteens', code: null, name: mine.map((c) => c.shortName).join('、'), level: null },
        area: null,
        canteens: mine,
        filter: mine.map((c) => c.id),
        areas,
        actor: u,
      };
    }
    if (u.user.role === 'admin') {
      const cities = [...areas.values()].filter((a) => a.level === 'city');
      if (cities.length !== 1)
        return { ref: { kind: 'area', code: null, name: '全部', level: null }, area: null, canteens: all, filter: null, areas, actor: u };
      code = cities[0]!.code;
    } else {
      code = u.user.scopeAreaCode ?? undefined;
      if (code === undefined) throw new AppError('forbidden', 'this account has no area');
    }
  }
  const area = areas.get(code);
  if (!area || !canSeeArea(u, code)) throw new AppError('not_found', 'no such area');
  const canteens = all.filter((c) => areaContains(code, c.areaCode));
  return { ref: { kind: 'area', code, name: area.name, level: area.level }, area, canteens, filter: filterOf(canteens), areas, actor: u };
}

// ───────────── reports ─────────────

const zeroFigures = (): ReportFigures => ({
  meals: 0,
  subsidisedMeals: 0,
  deliveries: 0,
  guestMeals: 0,
  mealValueFen: 0,
  elderSubsidyFen: 0,
  operatorSubsidyFen: 0,
  elderPaysFen: 0,
  awaitingPaymentOrders: 0,
  awaitingPaymentFen: 0,
  refundedOrders: 0,
  refundedFen: 0,
  cancelledOrders: 0,
});

function addFigures(into: ReportFigures, f: ReportFigures | repo.FigureRow): void {
  for (const k of Object.keys(into) as (keyof ReportFigures)[]) into[k] += f[k];
}

function addSubsidy(into: Map<string, SubsidyByPayer>, s: Pick<SubsidyByPayer, 'payer' | 'kind' | 'amountFen' | 'orders'>): void {
  const k = `${s.payer}\u0000${s.kind}`;
  const cur = into.get(k);
  if (cur) {
    cur.amountFen += s.amountFen;
    cur.orders += s.orders;
  } else into.set(k, { payer: s.payer, kind: s.kind, amountFen: s.amountFen, orders: s.orders });
}

const sortedSubsidies = (m: Map<string, SubsidyByPayer>): SubsidyByPayer[] =>
  [...m.values()].sort((a, b) => a.payer.localeCompare(b.payer, 'zh-CN') || LayerKindSchema.options.indexOf(a.kind) - LayerKindSchema.options.indexOf(b.kind));

/** Keys in their natural order for each grouping, and the keys that appear even with nothing in them. */
function orderedKeys(g: ReportGrouping, period: Period, scope: Scope): string[] {
  switch (g) {
    case 'day':
      return datesFrom(period.from, period.to);
    case 'month':
      return [...new Set(datesFrom(period.from, period.to).map((d) => d.slice(0, 7)))];
    case 'category':
      return [...ORDER_CATEGORIES, GUEST_CATEGORY];
    case 'mealPeriod':
      return [...MEAL_PERIODS];
    case 'fulfilment':
      return [...FULFILMENTS];
    case 'paymentMethod':
      return [...PAYMENT_METHODS];
    case 'canteen':
      return scope.canteens.map((c) => c.id);
    case 'street':
      return [...new Set(scope.canteens.map((c) => c.streetCode))];
    case 'district':
      return [...new Set(scope.canteens.map((c) => c.districtCode))];
  }
}

/** Keys shown even when nothing happened under them (a day without meals is a figure too). */
const ALWAYS_SHOWN: readonly ReportGrouping[] = ['day', 'month', 'canteen', 'street', 'district'];

/** Figures of the orders served in a period, for a canteen or an area, grouped one way. */
export async function report(ctx: Ctx, actor: Actor | null, q: ReportQuery): Promise<Report> {
  const scope = resolveScope(ctx, actor, q);
  const period = periodOf(q);
  const g = q.groupBy;
  const canteenById = new Map(scope.canteens.map((c) => [c.id, c]));
  const keyFor = (k: string): string =>
    g === 'street' ? (canteenById.get(k)?.streetCode ?? k) : g === 'district' ? (canteenById.get(k)?.districtCode ?? k) : k;

  const groups = new Map<string, { figures: ReportFigures; subsidies: Map<string, SubsidyByPayer> }>();
  const group = (k: string) => {
    let v = groups.get(k);
    if (!v) groups.set(k, (v = { figures: zeroFigures(), subsidies: new Map() }));
    return v;
  };
  const [figures, subsidies] = await Promise.all([
    repo.reportFigures(ctx.db, period.from, period.to, g, scope.filter),
    repo.reportSubsidies(ctx.db, period.from, period.to, g, scope.filter),
  ]);
  for (const r of figures) addFigures(group(keyFor(r.key)).figures, r);
  for (const s of subsidies) addSubsidy(group(keyFor(s.key)).subsidies, s as SubsidyByPayer);

  const order = orderedKeys(g, period, scope);
  const keys = ALWAYS_SHOWN.includes(g) ? order : order.filter((k) => groups.has(k));
  for (const k of groups.keys()) if (!keys.includes(k)) keys.push(k); // a value outside the vocabulary still shows
  const label = (k: string): string | null => {
    if (g === 'canteen') return canteenById.get(k)?.shortName ?? k;
    if (g === 'street' || g === 'district') return scope.areas.get(k)?.name ?? k;
    return null;
  };
  const rows: ReportRow[] = keys.map((k) => {
    const v = groups.get(k);
    return { key: k, label: label(k), figures: v?.figures ?? zeroFigures(), subsidies: v ? sortedSubsidies(v.subsidies) : [] };
  });
  const totals = zeroFigures();
  const totalSubsidies = new Map<string, SubsidyByPayer>();
  for (const r of rows) {
    addFigures(totals, r.figures);
    for (const s of r.subsidies) addSubsidy(totalSubsidies, s);
  }
  return { from: period.from, to: period.to, groupBy: g, scope: scope.ref, rows, totals: { figures: totals, subsidies: sortedSubsidies(totalSubsidies) } };
}

// ───────────── indicators ─────────────

type Base = Omit<IndicatorFigures, 'rates' | 'byCategory'> & { byCategory: Map<string, { meals: number; subsidisedMeals: number }> };

const zeroBase = (): Base => ({
  canteens: 0,
  meals: 0,
  subsidisedMeals: 0,
  deliveries: 0,
  selfPayingMeals: 0,
  guestMeals: 0,
  byCategory: new Map(),
  needy: { registered: 0, served: 0 },
  satisfaction: { satisfied: 0, neutral: 0, unsatisfied: 0 },
  foodSamples: { servedDays: 0, sampledDays: 0 },
  menus: { weeks: 0, updatedWeeks: 0 },
  serving: { workingDays: 0, scheduledDays: 0, servedDays: 0, suspendedDays: 0 },
});

/** Add b into a (every count but the needy residents, which are counted per person, not per canteen). */
function addBase(a: Base, b: Base): void {
  for (const k of ['canteens', 'meals', 'subsidisedMeals', 'deliveries', 'selfPayingMeals', 'guestMeals'] as const) a[k] += b[k];
  for (const [cat, v] of b.byCategory) {
    const cur = a.byCategory.get(cat) ?? { meals: 0, subsidisedMeals: 0 };
    a.byCategory.set(cat, { meals: cur.meals + v.meals, subsidisedMeals: cur.subsidisedMeals + v.subsidisedMeals });
  }
  for (const r of MEAL_RATINGS) a.satisfaction[r] += b.satisfaction[r];
  a.foodSamples.servedDays += b.foodSamples.servedDays;
  a.foodSamples.sampledDays += b.foodSamples.sampledDays;
  a.menus.weeks += b.menus.weeks;
  a.menus.updatedWeeks += b.menus.updatedWeeks;
  for (const k of ['workingDays', 'scheduledDays', 'servedDays', 'suspendedDays'] as const) a.serving[k] += b.serving[k];
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

const CATEGORY_ORDER: readonly string[] = [...ORDER_CATEGORIES, GUEST_CATEGORY];

/** The figures with their rates (definitions: docs/indicators.md). */
function finish(b: Base): IndicatorFigures {
  const ratings = b.satisfaction.satisfied + b.satisfaction.neutral + b.satisfaction.unsatisfied;
  return {
    ...b,
    byCategory: [...b.byCategory.entries()]
      .sort(([x], [y]) => CATEGORY_ORDER.indexOf(x) - CATEGORY_ORDER.indexOf(y))
      .map(([category, v]) => ({ category, meals: v.meals, subsidisedMeals: v.subsidisedMeals })),
    rates: {
      subsidised: ratio(b.subsidisedMeals, b.meals),
      coverage: ratio(b.needy.served, b.needy.registered),
      selfPaying: ratio(b.selfPayingMeals, b.meals),
      satisfaction: ratio(b.satisfaction.satisfied, ratings),
      foodSamples: ratio(b.foodSamples.sampledDays, b.foodSamples.servedDays),
      menuUpdates: ratio(b.menus.updatedWeeks, b.menus.weeks),
      compliance: ratio(b.serving.servedDays, b.serving.workingDays),
    },
  };
}

/** The last day whose service is over: yesterday in the canteens' time zone (or `to`, if earlier). */
function servedUpTo(ctx: Ctx, period: Period): string {
  const today = localParts(ctx.clock.now(), 'Asia/Shanghai').date;
  const yesterday = addDays(today, -1);
  return period.to < yesterday ? period.to : yesterday;
}

/** Each canteen's own figures for the period (needy residents registered at it included). */
async function canteenFigures(ctx: Ctx, scope: Scope, period: Period, upTo: string): Promise<{ base: Map<string, Base>; needy: repo.NeedyRow[] }> {
  const db = ctx.db.read;
  const { from, to } = period;
  const base = new Map<string, Base>(scope.canteens.map((c) => [c.id, { ...zeroBase(), canteens: 1 }]));
  const of = (id: string) => base.get(id);

  // Serving days: official working days from the canteen's opening up to the last completed day.
  const calendar = sites.calendar(db);
  const days = upTo >= from ? datesFrom(from, upTo).map((d) => [d, isWorkingDay(d, calendar)] as [string, boolean]) : [];
  const since = (c: sites.CanteenRow) => (c.openedOn && c.openedOn > from ? c.openedOn : from);
  // The aggregates are independent: they run side by side, off the event loop.
  const [categories, needy, ratings, menuWeeks, served] = await Promise.all([
    repo.mealsByCanteenAndCategory(ctx.db, from, to, scope.filter),
    repo.needyCoverage(ctx.db, from, to, {
      areaCode: scope.ref.kind === 'area' ? scope.ref.code : null,
      canteens: scope.filter,
    }),
    repo.ratingCounts(ctx.db, from, to, scope.filter),
    repo.menuWeeks(ctx.db, from, to, scope.filter),
    repo.servingDays(
      ctx.db,
      scope.canteens.map((c) => ({ id: c.id, since: since(c) })),
      days,
    ),
  ]);

  for (const r of categories) {
    const b = of(r.canteenId);
    if (!b) continue;
    b.meals += r.meals;
    b.subsidisedMeals += r.subsidisedMeals;
    b.deliveries += r.deliveries;
    b.selfPayingMeals += r.selfPayingMeals;
    if (r.category === GUEST_CATEGORY) b.guestMeals += r.meals;
    b.byCategory.set(r.category, { meals: r.meals, subsidisedMeals: r.subsidisedMeals });
  }

  for (const r of needy) {
    const b = r.homeCanteenId ? of(r.homeCanteenId) : undefined;
    if (!b) continue;
    b.needy.registered += r.registered;
    b.needy.served += r.served;
  }

  for (const r of ratings) {
    const b = of(r.canteenId);
    if (b && (MEAL_RATINGS as readonly string[]).includes(r.rating)) b.satisfaction[r.rating] += r.count;
  }

  for (const r of menuWeeks) {
    const b = of(r.canteenId);
    if (b) b.menus = { weeks: r.weeks, updatedWeeks: r.updatedWeeks };
  }

  const lunchDaysOf = new Map(
    sites
      .mealPeriodsOf(
        db,
        scope.canteens.map((c) => c.id),
      )
      .filter((h) => h.period === 'lunch')
      .map((h) => [h.canteenId, h.days]),
  );
  for (const c of scope.canteens) {
    const b = of(c.id)!;
    const lunchDays = lunchDaysOf.get(c.id) ?? [];
    const start = since(c);
    for (const [d, working] of days) {
      if (!working || d < start) continue;
      b.serving.workingDays += 1;
      if (lunchDays.includes(isoWeekday(d))) b.serving.scheduledDays += 1;
      if (c.status !== 'open' && c.statusFrom !== null && c.statusFrom <= d && (c.statusUntil === null || d <= c.statusUntil)) b.serving.suspendedDays += 1;
    }
  }
  for (const r of served) {
    const b = of(r.canteenId);
    if (!b) continue;
    b.serving.servedDays = r.lunchWorkingDays;
    b.foodSamples = { servedDays: r.servedDays, sampledDays: r.sampledDays };
  }
  return { base, needy };
}

const CHILD_LEVEL: Record<AreaLevel, AreaLevel | 'canteen'> = { city: 'district', district: 'street', street: 'canteen', community: 'canteen' };

/** The indicators of a canteen or an area for a period, one level down, and every canteen in it for comparison. */
export async function indicators(ctx: Ctx, actor: Actor | null, q: IndicatorsQuery): Promise<Indicators> {
  const scope = resolveScope(ctx, actor, q);
  const period = periodOf(q);
  const upTo = servedUpTo(ctx, period);
  const [{ base, needy }, dailyRows] = await Promise.all([
    canteenFigures(ctx, scope, period, upTo),
    repo.mealsByDay(ctx.db, period.from, period.to, scope.filter),
  ]);
  const name = (code: string) => scope.areas.get(code)?.name ?? code;

  const canteenNode = (c: sites.CanteenRow): IndicatorNode => ({
    kind: 'canteen',
    code: c.id,
    name: c.shortName,
    level: 'canteen',
    status: c.status,
    streetName: name(c.streetCode),
    districtName: name(c.districtCode),
    figures: finish(base.get(c.id)!),
  });
  /** An area: its canteens added up; its needy residents are those who live in it. */
  const areaBase = (code: string): Base => {
    const b = zeroBase();
    for (const c of scope.canteens) if (areaContains(code, c.areaCode)) addBase(b, base.get(c.id)!);
    for (const r of needy) {
      if (!areaContains(code, r.residenceAreaCode)) continue;
      b.needy.registered += r.registered;
      b.needy.served += r.served;
    }
    return b;
  };
  const areaNode = (code: string): IndicatorNode => {
    const a = scope.areas.get(code);
    const district = a?.level === 'street' ? a.parentCode : null;
    return {
      kind: 'area',
      code,
      name: name(code),
      level: a?.level ?? 'street',
      status: null,
      streetName: null,
      districtName: district ? name(district) : null,
      figures: finish(areaBase(code)),
    };
  };
  /** Canteens added up with the needy residents registered at them (an operator's canteens, or everything). */
  const canteensBase = (): Base => {
    const b = zeroBase();
    for (const c of scope.canteens) addBase(b, base.get(c.id)!);
    const ids = new Set(scope.canteens.map((c) => c.id));
    for (const r of needy) {
      if (r.homeCanteenId === null || !ids.has(r.homeCanteenId)) continue;
      b.needy.registered += r.registered;
      b.needy.served += r.served;
    }
    return b;
  };

  let figures: IndicatorFigures;
  let children: IndicatorNode[];
  const canteens = scope.canteens.map(canteenNode);
  if (scope.ref.kind === 'canteen') {
    figures = canteens[0]!.figures;
    children = [];
  } else if (scope.area) {
    figures = finish(areaBase(scope.area.code));
    const childLevel = CHILD_LEVEL[scope.area.level];
    if (childLevel === 'canteen') children = canteens;
    else {
      const codes = [...scope.areas.values()]
        .filter((a) => a.parentCode === scope.area!.code && a.level === childLevel && scope.canteens.some((c) => areaContains(a.code, c.areaCode)))
        .map((a) => a.code)
        .sort();
      children = codes.map(areaNode);
    }
  } else {
    figures = finish(canteensBase());
    children =
      scope.ref.kind === 'canteens'
        ? canteens
        : [...scope.areas.values()]
            .filter((a) => a.level === 'city')
            .map((a) => a.code)
            .sort()
            .map(areaNode);
  }

  const daily = new Map(dailyRows.map((d) => [d.date, d]));
  return {
    from: period.from,
    to: period.to,
    servedUpTo: upTo < period.from ? period.from : upTo,
    scope: scope.ref,
    path: pathOf(scope),
    figures,
    children,
    canteens,
    daily: datesFrom(period.from, period.to).map((d) => daily.get(d) ?? { date: d, meals: 0, subsidisedMeals: 0 }),
  };
}

/** The areas from the top the caller may see down to the scope (or to a canteen's street). */
function pathOf(scope: Scope): Indicators['path'] {
  let code: string | null = scope.area?.code ?? (scope.ref.kind === 'canteen' ? (scope.canteens[0]?.streetCode ?? null) : null);
  const out: Indicators['path'] = [];
  while (code) {
    const a = scope.areas.get(code);
    if (!a || !canSeeArea(scope.actor, a.code)) break;
    out.unshift({ code: a.code, name: a.name, level: a.level });
    code = a.parentCode;
  }
  return out;
}

// ───────────── the kiosk's one-tap rating ─────────────

/**
 * A rating from the kiosk that placed the order: once per order. The same answer again (a retry, a double tap) is
 * the first result (created: false); another answer is 409 already_rated. Another kiosk's or canteen's order is 404.
 */
export async function rate(ctx: Ctx, actor: Actor | null, body: RatingRequest): Promise<{ rating: RatingResponse; created: boolean }> {
  if (actor?.kind !== 'device') throw new AppError('forbidden', 'ratings come from the kiosk that placed the order');
  const o = orders.orderOrigin(ctx.db.read, body.orderId);
  if (!o || o.canteenId !== actor.canteenId || o.deviceId !== actor.deviceId) throw new AppError('not_found', 'no such order');
  if (o.state === 'cancelled') throw new AppError('invalid_state', 'a cancelled order was never a meal', 409, { state: o.state });
  const nowIso = ctx.clock.now().toISOString();
  const toWire = (r: repo.RatingRow): RatingResponse => ({ orderId: r.orderId, rating: r.rating, ratedAt: r.createdAt });
  const answer = (r: repo.RatingRow) => {
    if (r.rating !== body.rating) throw new AppError('already_rated', 'this meal was already rated', 409, { rating: r.rating, ratedAt: r.createdAt });
    return { rating: toWire(r), created: false };
  };
  return ctx.db.write((tx) => {
    const before = repo.ratingOf(tx, body.orderId);
    if (before) return answer(before);
    const row: repo.RatingRow = {
      orderId: body.orderId,
      canteenId: o.canteenId,
      serviceDate: o.serviceDate,
      rating: body.rating,
      deviceId: actor.deviceId,
      createdAt: nowIso,
    };
    try {
      repo.insertRating(tx, row);
    } catch (e) {
      if (e instanceof UniqueViolation) return answer(repo.ratingOf(tx, body.orderId)!);
      throw e;
    }
    return { rating: toWire(row), created: true };
  });
}

/** The demo history's ratings (the seed writes them with its orders). */
export function loadDemoRatings(tx: Tx, rows: repo.RatingRow[]): void {
  repo.insertRatings(tx, rows);
}
