/**
 * What-if: re-price a month of real orders with a policy version standing in for its policy line (the other
 * published policies stay as they were), and compare with what was charged and paid. Nothing is written.
 *
 * Every order of the policy's city is re-priced in the order it was placed, through the same pricing context
 * as a live order (a `Replay` that starts from the stored history before the month), so a resident's limits
 * count what the version itself would have paid, and the unchanged policy gives back the stored figures to the
 * fen. The figures count only the canteens the caller may see.
 */
import { addDays, type DishTag, type Evaluation, type PolicyVersion, type ResidentFacts } from '@yishi/shared';
import type { SimulationResult } from '@yishi/shared/schemas';
import type { Reader } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { areaContains, canSeeCanteen, type Actor } from '../../lib/actor';
import * as menus from '../menus/menus.service';
import * as orders from '../orders/orders.service';
import * as policy from '../policy/policy.service';
import * as pricing from '../pricing/pricing.service';
import * as residents from '../residents/residents.service';
import * as sites from '../sites/sites.service';

function lastDayOfMonth(month: string): string {
  const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, '0')}`;
}

/** A stored order and what it costs when priced again. */
export interface Repriced {
  stored: orders.StoredOrder;
  /** The resident as they are recorded now (null for a guest). */
  resident: ResidentFacts | null;
  evaluation: Evaluation;
}

/**
 * Price the stored orders of some canteens between two service dates again, in the order they were placed,
 * with the policies in force on each date (or with `standIn` in place of its whole policy line). Each order is
 * priced through the same context as a live order; the replay starts from the stored history before `from`.
 */
export function repriceStoredOrders(
  db: Reader,
  args: { from: string; to: string; canteens: sites.CanteenRow[]; standIn?: { version: PolicyVersion; replaces: ReadonlySet<string> } },
): Repriced[] {
  const { from, to, standIn } = args;
  const canteenById = new Map(args.canteens.map((c) => [c.id, c]));
  const stored = orders.storedOrdersBetween(db, from, to, [...canteenById.keys()]);
  const facts = residents.allFacts(db);
  const tags = new Map(menus.dishesByIds(db, [...new Set(stored.flatMap((s) => s.lines.map((l) => l.dishId)))]).map((d) => [d.id, d.tags as DishTag[]]));
  const replay = new pricing.Replay({
    policiesOn: (date) => {
      const published = policy.versionsInForce(db, date);
      return standIn ? [...published.filter((p) => !standIn.replaces.has(p.versionId)), standIn.version] : published;
    },
    calendar: sites.calendar(db),
    earlier: orders.subsidyHistoryBetween(db, addDays(from, -pricing.HISTORY_DAYS), addDays(from, -1)),
    spentBefore: (keys) => orders.layerSpentBefore(db, keys, from),
  });
  return stored.map((s) => {
    const o = s.row;
    const resident = o.residentId ? (facts.get(o.residentId) ?? null) : null;
    const pc = pricing.pricingContext(replay, {
      canteen: canteenById.get(o.canteenId)!,
      slot: { serviceDate: o.serviceDate, mealPeriod: o.mealPeriod },
      resident,
    });
    const evaluation = pricing.evaluateLines(
      pc,
      s.lines.map((l) => ({ ...l, tags: tags.get(l.dishId) ?? [] })),
      o.fulfilment,
    );
    replay.record(pc, evaluation);
    return { stored: s, resident, evaluation };
  });
}

export function simulate(ctx: Ctx, actor: Actor, versionId: string, month: string): SimulationResult {
  const v = policy.versionForWhatIf(ctx, actor, versionId);
  const db = ctx.db.read;
  const from = `${month}-01`;
  const to = lastDayOfMonth(month);
  // Every canteen of the policy's city is re-priced (limits count a resident's meals anywhere); the figures
  // count only the canteens the caller may see. The version stands in for its whole line, in force all month.
  const city = sites.allCanteens(db).filter((c) => areaContains(v.areaCode.slice(0, 4), c.streetCode));
  const visible = new Set(city.filter((c) => canSeeCanteen(actor, c)).map((c) => c.id));
  const repriced = repriceStoredOrders(db, {
    from,
    to,
    canteens: city,
    standIn: {
      version: { versionId: v.versionId, document: { ...v.document, effectiveFrom: from, effectiveTo: to }, previousVersionIds: v.otherVersionIds },
      replaces: new Set([v.versionId, ...v.otherVersionIds]),
    },
  });

  const byPayer = new Map<string, { payer: string; kind: string; baselineFen: number; simulatedFen: number }>();
  const byCategory = new Map<
    string,
    { category: string; orders: number; baselineSubsidyFen: number; simulatedSubsidyFen: number; elderPaysChangeFen: number }
  >();
  const byDay = new Map<string, { date: string; baselineSubsidyFen: number; simulatedSubsidyFen: number }>();
  const base = { elderPaysFen: 0, elderSubsidyFen: 0, operatorSubsidyFen: 0 };
  const sim = { elderPaysFen: 0, elderSubsidyFen: 0, operatorSubsidyFen: 0 };
  const change = new Map<string, number>();
  let counted = 0;
  const payer = (name: string, kind: string) => {
    const k = `${name}|${kind}`;
    if (!byPayer.has(k)) byPayer.set(k, { payer: name, kind, baselineFen: 0, simulatedFen: 0 });
    return byPayer.get(k)!;
  };

  for (const { stored: s, resident, evaluation: ev } of repriced) {
    const o = s.row;
    if (!visible.has(o.canteenId)) continue;
    counted += 1;
    base.elderPaysFen += o.elderPaysFen;
    base.elderSubsidyFen += o.elderSubsidyFen;
    base.operatorSubsidyFen += o.operatorSubsidyFen;
    sim.elderPaysFen += ev.elderPaysFen;
    sim.elderSubsidyFen += ev.elderSubsidyFen;
    sim.operatorSubsidyFen += ev.operatorSubsidyFen;
    for (const sub of s.subsidies) if (sub.amountFen > 0) payer(sub.payer, sub.kind).baselineFen += sub.amountFen;
    for (const l of ev.layers) if (l.amountFen > 0) payer(l.payer, l.kind).simulatedFen += l.amountFen;
    const category = !resident
      ? 'guest'
      : (resident.categories.find((c) => c.validFrom <= o.serviceDate && (c.validTo === null || c.validTo >= o.serviceDate))?.code ?? 'none');
    const c = byCategory.get(category) ?? { category, orders: 0, baselineSubsidyFen: 0, simulatedSubsidyFen: 0, elderPaysChangeFen: 0 };
    c.orders += 1;
    c.baselineSubsidyFen += o.elderSubsidyFen;
    c.simulatedSubsidyFen += ev.elderSubsidyFen;
    c.elderPaysChangeFen += ev.elderPaysFen - o.elderPaysFen;
    byCategory.set(category, c);
    const d = byDay.get(o.serviceDate) ?? { date: o.serviceDate, baselineSubsidyFen: 0, simulatedSubsidyFen: 0 };
    d.baselineSubsidyFen += o.elderSubsidyFen + o.operatorSubsidyFen;
    d.simulatedSubsidyFen += ev.elderSubsidyFen + ev.operatorSubsidyFen;
    byDay.set(o.serviceDate, d);
    if (o.residentId) change.set(o.residentId, (change.get(o.residentId) ?? 0) + ev.elderPaysFen - o.elderPaysFen);
  }
  return {
    versionId: v.versionId,
    month,
    orders: counted,
    residents: change.size,
    baseline: base,
    simulated: sim,
    byPayer: [...byPayer.values()].sort((a, b) => b.simulatedFen - a.simulatedFen),
    byCategory: [...byCategory.values()].sort((a, b) => b.orders - a.orders),
    byDay: [...byDay.values()],
    eldersPayingMore: [...change.values()].filter((x) => x > 0).length,
    eldersPayingLess: [...change.values()].filter((x) => x < 0).length,
  };
}
