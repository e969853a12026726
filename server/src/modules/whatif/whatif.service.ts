import { CATEGORY_LABELS } from '@yishi/shared';
/**
 * What-if: re-price a month of real orders with a draft standing in for its policy line (the other published
 * policies stay as they were), and say what would change and for whom. Nothing is written.
 *
 * Every order of the policy's city is priced again, in the order it was placed, through the same pricing context
 * as a live order (a `Replay` per scenario that starts from the stored history before the month), in lock-step:
 *
 * - **published**: the policies published for each date, with the residents' facts as they are recorded now. On an
 *   unchanged policy this gives back the stored figures to the fen, except where facts changed after the order
 *   (a death recorded late, a category that ended) or a version was published since: those are reported apart
 *   ("facts changed"), never as the draft's effect;
 * - **each draft** (one, or two side by side): its effect is the difference from the published scenario.
 *
 * The figures count only the canteens the caller may see; names are shown as the caller may see them.
 */
import { addDays, datesFrom, reasonText, type Evaluation, type LayerResult, type PolicyVersion } from '@yishi/shared';
import type { SimulationResult } from '@yishi/shared/schemas';
import type { Writable } from 'node:stream';
import { table, writeXlsx, type Table } from '../../lib/exports';
import type { Reader } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { maskIdNumber } from '../../lib/crypto';
import { areaContains, canSeeCanteen, canSeeResident, requireUser, type Actor } from '../../lib/actor';
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

/** A version standing in for its whole policy line (the versions it replaces), in force on every replayed date. */
export interface StandIn {
  version: PolicyVersion;
  replaces: ReadonlySet<string>;
}

/** A stored order and what it costs when priced again under each scenario. */
export interface Repriced {
  stored: orders.StoredOrder;
  /** The resident as they are recorded now (null for a guest). */
  resident: residents.ResidentForReplay | null;
  /** One per scenario, in the order given. */
  evaluations: Evaluation[];
}

/**
 * Price the stored orders of some canteens between two service dates again, in the order they were placed, once per
 * scenario (undefined = the published policies of each date; a StandIn = those with the stand-in in place of its
 * line). Each order is priced through the same context as a live order; each scenario's replay starts from the stored
 * history before `from` and then sees only its own prices. `visit` is called for every order in turn (nothing is
 * kept, so a city month fits in memory).
 */
export function repriceStoredOrders(
  db: Reader,
  args: { from: string; to: string; canteens: sites.CanteenRow[]; scenarios: readonly (StandIn | undefined)[] },
  visit: (r: Repriced) => void,
): void {
  const { from, to } = args;
  const canteenById = new Map(args.canteens.map((c) => [c.id, c]));
  const calendar = sites.calendar(db);
  const earlier = orders.subsidyHistoryBetween(db, addDays(from, -pricing.HISTORY_DAYS), addDays(from, -1));
  const published = new Map<string, PolicyVersion[]>();
  const publishedOn = (date: string) => {
    let p = published.get(date);
    if (!p) published.set(date, (p = policy.versionsInForce(db, date)));
    return p;
  };
  const replays = args.scenarios.map(
    (standIn) =>
      new pricing.Replay({
        policiesOn: (date) => (standIn ? [...publishedOn(date).filter((p) => !standIn.replaces.has(p.versionId)), standIn.version] : publishedOn(date)),
        calendar,
        earlier,
        spentBefore: (keys) => orders.layerSpentBefore(db, keys, from),
      }),
  );
  // A day at a time (days in order, each in the order its orders were placed): a city month is never held whole, only
  // the residents' facts and the dishes met so far, and each scenario's history.
  const canteenIds = new Set(canteenById.keys());
  const people = new Map<string, residents.ResidentForReplay>();
  const dishes = new Map<string, { tags: string[]; fullPay: boolean }>();
  for (const day of datesFrom(from, to)) {
    const stored = orders.storedOrdersBetween(db, day, day, canteenIds);
    const newPeople = new Set(stored.flatMap((s) => (s.row.residentId && !people.has(s.row.residentId) ? [s.row.residentId] : [])));
    if (newPeople.size) for (const [id, p] of residents.factsForReplay(db, [...newPeople])) people.set(id, p);
    const newDishes = new Set(stored.flatMap((s) => s.lines.map((l) => l.dishId)).filter((id) => !dishes.has(id)));
    if (newDishes.size) for (const [id, d] of menus.pricingFactsOf(db, [...newDishes])) dishes.set(id, d);
    for (const s of stored) {
      const o = s.row;
      const person = o.residentId ? (people.get(o.residentId) ?? null) : null;
      const lines = s.lines.map((l) => {
        const d = dishes.get(l.dishId);
        return { ...l, tags: d?.tags ?? [], ...(d?.fullPay ? { fullPay: true } : {}) };
      });
      const evaluations = replays.map((replay) => {
        const pc = pricing.pricingContext(replay, {
          canteen: canteenById.get(o.canteenId)!,
          slot: { serviceDate: o.serviceDate, mealPeriod: o.mealPeriod },
          resident: person?.facts ?? null,
        });
        const ev = pricing.evaluateLines(pc, lines, o.fulfilment);
        replay.record(pc, ev);
        return ev;
      });
      visit({ stored: s, resident: person, evaluations });
    }
  }
}

// ───────────── the simulation the console shows ─────────────

type Result = SimulationResult;
type DraftResult = Result['drafts'][number];
type Totals = Result['stored'];
type PersonChange = DraftResult['payingMore'][number];
type FactsRow = Result['factsChanged']['list'][number];

/** How many people / orders a list in the answer names at most (the Excel export has them all). */
export const LIST_LIMIT = 200;

const zero = (): Totals => ({ elderPaysFen: 0, elderSubsidyFen: 0, operatorSubsidyFen: 0 });
function addTo(t: Totals, x: { elderPaysFen: number; elderSubsidyFen: number; operatorSubsidyFen: number }) {
  t.elderPaysFen += x.elderPaysFen;
  t.elderSubsidyFen += x.elderSubsidyFen;
  t.operatorSubsidyFen += x.operatorSubsidyFen;
}

/** "陈秀英" → "陈*英", "张伟" → "张*": for people the caller may not see in the register. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

interface LayerChange {
  layerName: string;
  payer: string;
  kind: string;
  publishedFen: number;
  simulatedFen: number;
  /** "reason under published → reason under the draft" → how many orders. */
  reasons: Map<string, number>;
}

interface PersonAcc {
  residentId: string;
  category: string | null;
  changeFen: number;
  orders: number;
  layers: Map<string, LayerChange>;
}

interface PayerAcc {
  payer: string;
  kind: string;
  storedFen: number;
  publishedFen: number;
  simulatedFen: number;
}

interface DraftAcc {
  totals: Totals;
  /** payer → kind → figures (no string key made per layer of every order). */
  byPayer: Map<string, Map<string, PayerAcc>>;
  byCategory: Map<
    string,
    { category: string; orders: number; storedSubsidyFen: number; publishedSubsidyFen: number; simulatedSubsidyFen: number; elderPaysChangeFen: number }
  >;
  byDay: Map<string, { date: string; storedSubsidyFen: number; publishedSubsidyFen: number; simulatedSubsidyFen: number }>;
  people: Map<string, PersonAcc>;
}

function payerRow(acc: DraftAcc, payer: string, kind: string): PayerAcc {
  let kinds = acc.byPayer.get(payer);
  if (!kinds) acc.byPayer.set(payer, (kinds = new Map<string, PayerAcc>()));
  let row = kinds.get(kind);
  if (!row) kinds.set(kind, (row = { payer, kind, storedFen: 0, publishedFen: 0, simulatedFen: 0 }));
  return row;
}

/** The people who would pay more (or less), most first, with the layers that changed for them and why. */
function peopleList(acc: DraftAcc, sign: 1 | -1, limit: number, who: (residentId: string) => { name: string; idMasked: string | null }): PersonChange[] {
  return [...acc.people.values()]
    .filter((p) => Math.sign(p.changeFen) === sign)
    .sort((a, b) => sign * (b.changeFen - a.changeFen) || a.residentId.localeCompare(b.residentId))
    .slice(0, limit)
    .map((p) => ({
      residentId: p.residentId,
      ...who(p.residentId),
      category: p.category,
      orders: p.orders,
      changeFen: p.changeFen,
      layers: [...p.layers.values()]
        .filter((l) => l.publishedFen !== l.simulatedFen)
        .sort((a, b) => Math.abs(b.simulatedFen - b.publishedFen) - Math.abs(a.simulatedFen - a.publishedFen))
        .map((l) => {
          const [pair] = [...l.reasons.entries()].sort((a, b) => b[1] - a[1]);
          const [publishedReason = 'applied', simulatedReason = 'applied'] = (pair?.[0] ?? '').split('→');
          return {
            layerName: l.layerName,
            payer: l.payer,
            publishedFen: l.publishedFen,
            simulatedFen: l.simulatedFen,
            publishedReason,
            simulatedReason,
            reasonText: reasonText(simulatedReason, 'zh'),
          };
        }),
    }));
}

export interface SimulateOptions {
  compareWith?: string | undefined;
  /** How many people / orders each list names (the export asks for all). */
  listLimit?: number;
}

/**
 * Simulate a month under a draft (and optionally a second one side by side): each draft against the published
 * policies, and what changed since the orders were priced apart from both.
 */
export function simulate(db: Reader, actor: Actor, versionId: string, month: string, opts: SimulateOptions = {}): SimulationResult {
  requireUser(actor);
  const ids = [versionId, ...(opts.compareWith !== undefined && opts.compareWith !== versionId ? [opts.compareWith] : [])];
  const versions = ids.map((id) => policy.versionForWhatIf(db, actor, id));
  const limit = opts.listLimit ?? LIST_LIMIT;
  const from = `${month}-01`;
  const to = lastDayOfMonth(month);
  const cities = new Set(versions.map((v) => v.areaCode.slice(0, 4)));
  // Every canteen of the policies' city is re-priced (limits count a resident's meals anywhere); the figures count
  // only the canteens the caller may see. Each draft stands in for its whole line, in force all month.
  const city = sites.allCanteens(db).filter((c) => [...cities].some((code) => areaContains(code, c.streetCode)));
  const canteenNames = new Map(city.map((c) => [c.id, c.name]));
  const visible = new Set(city.filter((c) => canSeeCanteen(actor, c)).map((c) => c.id));
  const keyOf = policy.policyKeysOf(db);
  const layerIdentity = (l: LayerResult, draftKey: Map<string, string>) => `${draftKey.get(l.versionId) ?? keyOf.get(l.versionId) ?? l.versionId}:${l.layerId}`;

  const stored = zero();
  const published = zero();
  const accs: DraftAcc[] = versions.map(() => ({ totals: zero(), byPayer: new Map(), byCategory: new Map(), byDay: new Map(), people: new Map() }));
  const draftKeys = new Map(versions.map((v) => [v.versionId, v.policyKey]));
  const residentIds = new Set<string>();
  const people = new Map<string, residents.ResidentForReplay>();
  let counted = 0;
  const facts = {
    orders: 0,
    residents: new Set<string>(),
    elderPaysChangeFen: 0,
    subsidyChangeFen: 0,
    changed: [] as { order: orders.StoredOrder['row']; resident: residents.ResidentForReplay | null; layers: LayerResult[]; pub: Evaluation }[],
  };

  repriceStoredOrders(
    db,
    {
      from,
      to,
      canteens: city,
      scenarios: [
        undefined,
        ...versions.map((v) => ({
          version: { versionId: v.versionId, document: { ...v.document, effectiveFrom: from, effectiveTo: to }, previousVersionIds: v.otherVersionIds },
          replaces: new Set([v.versionId, ...v.otherVersionIds]),
        })),
      ],
    },
    ({ stored: s, resident, evaluations: [pub, ...drafts] }) => {
      const o = s.row;
      if (!visible.has(o.canteenId) || !pub) return;
      counted += 1;
      if (o.residentId) residentIds.add(o.residentId);
      if (resident && o.residentId) people.set(o.residentId, resident);
      addTo(stored, o);
      addTo(published, pub);

      // What changed since the order was priced, before any draft: facts recorded later, or a version published since.
      if (o.elderPaysFen !== pub.elderPaysFen || o.elderSubsidyFen !== pub.elderSubsidyFen || o.operatorSubsidyFen !== pub.operatorSubsidyFen) {
        facts.orders += 1;
        if (o.residentId) facts.residents.add(o.residentId);
        facts.elderPaysChangeFen += pub.elderPaysFen - o.elderPaysFen;
        facts.subsidyChangeFen += pub.elderSubsidyFen + pub.operatorSubsidyFen - (o.elderSubsidyFen + o.operatorSubsidyFen);
        if (facts.changed.length < limit) facts.changed.push({ order: o, resident, layers: pub.layers, pub });
      }

      drafts.forEach((ev, i) => {
        const acc = accs[i]!;
        addTo(acc.totals, ev);
        for (const l of pub.layers) if (l.amountFen > 0) payerRow(acc, l.payer, l.kind).publishedFen += l.amountFen;
        for (const l of ev.layers) if (l.amountFen > 0) payerRow(acc, l.payer, l.kind).simulatedFen += l.amountFen;
        const category = o.residentId ? (o.residentCategory ?? 'ordinary') : 'guest';
        let c = acc.byCategory.get(category);
        if (!c)
          acc.byCategory.set(
            category,
            (c = { category, orders: 0, storedSubsidyFen: 0, publishedSubsidyFen: 0, simulatedSubsidyFen: 0, elderPaysChangeFen: 0 }),
          );
        c.orders += 1;
        c.storedSubsidyFen += o.elderSubsidyFen;
        c.publishedSubsidyFen += pub.elderSubsidyFen;
        c.simulatedSubsidyFen += ev.elderSubsidyFen;
        c.elderPaysChangeFen += ev.elderPaysFen - pub.elderPaysFen;
        let d = acc.byDay.get(o.serviceDate);
        if (!d) acc.byDay.set(o.serviceDate, (d = { date: o.serviceDate, storedSubsidyFen: 0, publishedSubsidyFen: 0, simulatedSubsidyFen: 0 }));
        d.storedSubsidyFen += o.elderSubsidyFen + o.operatorSubsidyFen;
        d.publishedSubsidyFen += pub.elderSubsidyFen + pub.operatorSubsidyFen;
        d.simulatedSubsidyFen += ev.elderSubsidyFen + ev.operatorSubsidyFen;

        // The draft's own effect on this elder: what they pay under it against the published policies, and which
        // layers made the difference (matched by policy line and layer id, so a new version lines up with the old).
        const change = ev.elderPaysFen - pub.elderPaysFen;
        if (o.residentId && change !== 0) {
          let p = acc.people.get(o.residentId);
          if (!p) acc.people.set(o.residentId, (p = { residentId: o.residentId, category: o.residentCategory, changeFen: 0, orders: 0, layers: new Map() }));
          p.changeFen += change;
          p.orders += 1;
          const before = new Map(pub.layers.map((l) => [layerIdentity(l, draftKeys), l]));
          const after = new Map(ev.layers.map((l) => [layerIdentity(l, draftKeys), l]));
          for (const k of new Set([...before.keys(), ...after.keys()])) {
            const a = before.get(k);
            const b = after.get(k);
            const shown = b ?? a!;
            if (shown.kind !== 'meal' || (a?.amountFen ?? 0) === (b?.amountFen ?? 0)) continue;
            let lc = p.layers.get(k);
            if (!lc)
              p.layers.set(
                k,
                (lc = { layerName: shown.layerName, payer: shown.payer, kind: shown.kind, publishedFen: 0, simulatedFen: 0, reasons: new Map() }),
              );
            lc.publishedFen += a?.amountFen ?? 0;
            lc.simulatedFen += b?.amountFen ?? 0;
            const pair = `${a?.reason ?? 'not_in_force'}→${b?.reason ?? 'not_in_force'}`;
            lc.reasons.set(pair, (lc.reasons.get(pair) ?? 0) + 1);
          }
        }
      });
    },
  );

  const who = (residentId: string) => {
    const r = people.get(residentId);
    if (!r) return { name: '*', idMasked: null };
    const maySee = canSeeResident(actor, { homeCanteenId: r.homeCanteenId, residenceAreaCode: r.residenceAreaCode });
    return { name: maySee ? r.name : maskName(r.name), idMasked: maySee ? maskIdNumber(r.idNumberLast4) : null };
  };
  // The changed orders as stored (their splits and versions, read for these orders only), against the re-pricing.
  const changedIds = facts.changed.map((c) => c.order.id);
  const splits = orders.splitsOf(db, changedIds);
  const versionsOf = orders.versionIdsOf(db, changedIds);
  const factsList: FactsRow[] = facts.changed.map(({ order: o, resident, layers, pub }) => {
    const byKey = new Map((splits.get(o.id) ?? []).map((x) => [x.layerKey, x]));
    const storedVersions = new Set(versionsOf.get(o.id) ?? []);
    return {
      orderId: o.id,
      serviceDate: o.serviceDate,
      mealPeriod: o.mealPeriod,
      canteenName: canteenNames.get(o.canteenId) ?? o.canteenId,
      residentId: o.residentId,
      name: o.residentId ? who(o.residentId).name : null,
      status: resident?.facts.status ?? null,
      statusSince: resident?.facts.statusSince ?? null,
      cause: layers.every((l) => storedVersions.has(l.versionId)) ? 'facts' : 'version',
      storedElderPaysFen: o.elderPaysFen,
      publishedElderPaysFen: pub.elderPaysFen,
      storedSubsidyFen: o.elderSubsidyFen + o.operatorSubsidyFen,
      publishedSubsidyFen: pub.elderSubsidyFen + pub.operatorSubsidyFen,
      layers: layers
        .filter((l) => {
          const was = byKey.get(l.layerKey);
          return !was || was.amountFen !== l.amountFen || was.reason !== l.reason;
        })
        .slice(0, 4)
        .map((l) => ({
          layerName: l.layerName,
          storedReason: byKey.get(l.layerKey)?.reason ?? null,
          reason: l.reason,
          reasonText: reasonText(l.reason, 'zh'),
        })),
    };
  });
  const storedByPayer = orders.paidByPayer(db, from, to, [...visible]);

  return {
    month,
    orders: counted,
    residents: residentIds.size,
    stored,
    published,
    factsChanged: {
      orders: facts.orders,
      residents: facts.residents.size,
      elderPaysChangeFen: facts.elderPaysChangeFen,
      subsidyChangeFen: facts.subsidyChangeFen,
      list: factsList,
    },
    drafts: versions.map((v, i) => {
      const acc = accs[i]!;
      const people = [...acc.people.values()];
      for (const p of storedByPayer) payerRow(acc, p.payer, p.kind).storedFen = p.amountFen;
      return {
        versionId: v.versionId,
        policyKey: v.policyKey,
        version: v.version,
        name: v.document.name,
        totals: acc.totals,
        byPayer: [...acc.byPayer.values()]
          .flatMap((kinds) => [...kinds.values()])
          .sort((a, b) => b.simulatedFen - a.simulatedFen || b.publishedFen - a.publishedFen)
          .map((p) => ({ ...p, yearPublishedFen: p.publishedFen * 12, yearSimulatedFen: p.simulatedFen * 12 })),
        byCategory: [...acc.byCategory.values()].sort((a, b) => b.orders - a.orders),
        byDay: [...acc.byDay.values()],
        eldersPayingMore: people.filter((p) => p.changeFen > 0).length,
        eldersPayingLess: people.filter((p) => p.changeFen < 0).length,
        payingMore: peopleList(acc, 1, limit, who),
        payingLess: peopleList(acc, -1, limit, who),
      };
    }),
  };
}

// ───────────── the simulation as a workbook ─────────────

const KIND_ZH: Record<string, string> = { meal: '就餐补贴', delivery: '送餐补贴', operating: '运营补贴' };
const CATEGORY_ZH: Readonly<Record<string, string>> = CATEGORY_LABELS.zh;
const MEAL_ZH: Record<string, string> = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' };
const yuanWords = (fen: number) => `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}元`;

/** The simulation's tables: a summary, then per draft its payers, categories and people, then what changed since. */
export function simulationTables(r: SimulationResult): Table[] {
  const two = r.drafts.length > 1;
  const tag = (i: number) => (two ? `${i === 0 ? 'A' : 'B'}-` : '');
  const summaryRows: { item: string; stored: number | null; published: number | null; drafts: (number | null)[] }[] = [
    { item: '长者自付', stored: r.stored.elderPaysFen, published: r.published.elderPaysFen, drafts: r.drafts.map((d) => d.totals.elderPaysFen) },
    { item: '就餐补贴', stored: r.stored.elderSubsidyFen, published: r.published.elderSubsidyFen, drafts: r.drafts.map((d) => d.totals.elderSubsidyFen) },
    {
      item: '送餐和运营补贴',
      stored: r.stored.operatorSubsidyFen,
      published: r.published.operatorSubsidyFen,
      drafts: r.drafts.map((d) => d.totals.operatorSubsidyFen),
    },
  ];
  const tables: Table[] = [
    table({
      title: `补贴模拟测算 ${r.month}`,
      sheetName: '概要',
      subtitle: `${r.orders} 份订单，${r.residents} 位长者；订单之后发生变化的订单 ${r.factsChanged.orders} 份（不计入草稿的影响）`,
      columns: [
        { header: '项目', value: 'item' },
        { header: '订单记录', value: 'stored', kind: 'money' },
        { header: '按现行政策重算', value: 'published', kind: 'money' },
        ...r.drafts.map((d, i) => ({
          header: `${tag(i)}${d.name} 第${d.version}版`,
          value: (x: (typeof summaryRows)[number]) => x.drafts[i] ?? null,
          kind: 'money' as const,
        })),
      ],
      rows: summaryRows,
    }),
  ];
  r.drafts.forEach((d, i) => {
    tables.push(
      table({
        title: `${tag(i)}按出资方（月度与全年估算）`,
        sheetName: `${tag(i)}出资方`,
        subtitle: `${d.name} 第${d.version}版；全年 = 本月 × 12`,
        columns: [
          { header: '出资方', value: 'payer' },
          { header: '类型', value: (p: DraftResult['byPayer'][number]) => KIND_ZH[p.kind] ?? p.kind },
          { header: '订单记录（月）', value: 'storedFen', kind: 'money', total: true },
          { header: '现行政策（月）', value: 'publishedFen', kind: 'money', total: true },
          { header: '草稿（月）', value: 'simulatedFen', kind: 'money', total: true },
          { header: '变化（月）', value: (p: DraftResult['byPayer'][number]) => p.simulatedFen - p.publishedFen, kind: 'money', total: true },
          { header: '现行政策（全年估算）', value: 'yearPublishedFen', kind: 'money', total: true },
          { header: '草稿（全年估算）', value: 'yearSimulatedFen', kind: 'money', total: true },
        ],
        rows: d.byPayer,
        totals: true,
      }),
      table({
        title: `${tag(i)}按长者类别`,
        sheetName: `${tag(i)}类别`,
        columns: [
          { header: '类别', value: (c: DraftResult['byCategory'][number]) => CATEGORY_ZH[c.category] ?? c.category },
          { header: '订单', value: 'orders', kind: 'int', total: true },
          { header: '就餐补贴（订单记录）', value: 'storedSubsidyFen', kind: 'money', total: true },
          { header: '就餐补贴（现行政策）', value: 'publishedSubsidyFen', kind: 'money', total: true },
          { header: '就餐补贴（草稿）', value: 'simulatedSubsidyFen', kind: 'money', total: true },
          { header: '长者自付变化', value: 'elderPaysChangeFen', kind: 'money', total: true },
        ],
        rows: d.byCategory,
        totals: true,
      }),
    );
    for (const [list, title] of [
      [d.payingMore, '多付的长者'],
      [d.payingLess, '少付的长者'],
    ] as const) {
      tables.push(
        table({
          title: `${tag(i)}${title}（与现行政策相比）`,
          sheetName: `${tag(i)}${title}`,
          columns: [
            { header: '长者', value: 'name' },
            { header: '身份证号', value: (p: PersonChange) => p.idMasked ?? '' },
            { header: '类别', value: (p: PersonChange) => (p.category ? (CATEGORY_ZH[p.category] ?? p.category) : '') },
            { header: '涉及订单', value: 'orders', kind: 'int' },
            { header: '本月自付变化', value: 'changeFen', kind: 'money', total: true },
            {
              header: '原因（哪一项补贴变了）',
              value: (p: PersonChange) =>
                p.layers.map((l) => `${l.layerName}：${yuanWords(l.publishedFen)} → ${yuanWords(l.simulatedFen)}（${l.reasonText}）`).join('；'),
            },
          ],
          rows: list,
          totals: true,
        }),
      );
    }
  });
  tables.push(
    table({
      title: '订单之后发生的变化（不是草稿的影响）',
      sheetName: '订单之后的变化',
      subtitle: '按订单日期的现行政策重算与订单记录不同：长者的登记信息在下单后改变（如死亡延迟登记、类别结束），或该日期之后发布了新版本',
      columns: [
        { header: '日期', value: 'serviceDate', kind: 'date' },
        { header: '餐次', value: (f: FactsRow) => MEAL_ZH[f.mealPeriod] ?? f.mealPeriod },
        { header: '饭堂', value: 'canteenName' },
        { header: '长者', value: (f: FactsRow) => f.name ?? '非登记' },
        { header: '原因', value: (f: FactsRow) => (f.cause === 'version' ? '之后发布了新版本' : '登记信息在下单后改变') },
        {
          header: '登记状态',
          value: (f: FactsRow) => (f.status && f.status !== 'active' ? `${f.status}${f.statusSince ? `（自 ${f.statusSince}）` : ''}` : ''),
        },
        { header: '补贴（订单记录）', value: 'storedSubsidyFen', kind: 'money', total: true },
        { header: '补贴（现在重算）', value: 'publishedSubsidyFen', kind: 'money', total: true },
        { header: '自付（订单记录）', value: 'storedElderPaysFen', kind: 'money', total: true },
        { header: '自付（现在重算）', value: 'publishedElderPaysFen', kind: 'money', total: true },
        { header: '哪一项补贴', value: (f: FactsRow) => f.layers.map((l) => `${l.layerName}：${l.reasonText}`).join('；') },
      ],
      rows: r.factsChanged.list,
      totals: true,
    }),
  );
  return tables;
}

// ───────────── off the event loop ─────────────

/**
 * `simulate` on a read worker thread (db/offload.ts, with its own read-only connection, which sees the last committed state as
 * the main read connection does): a city month takes seconds of CPU, and on the event loop every kiosk's order
 * would wait for it. Same answer, same errors.
 */
export function simulateOffThread(ctx: Ctx, actor: Actor, versionId: string, month: string, opts: SimulateOptions = {}): Promise<SimulationResult> {
  requireUser(actor);
  return ctx.db.offThread.run<SimulationResult>(import.meta.url, 'simulate', [actor, versionId, month, opts]);
}

/** The whole simulation (every person and order, not only the first 200) as an .xlsx `build` for sendExport. */
export async function simulationWorkbook(
  ctx: Ctx,
  actor: Actor,
  versionId: string,
  q: { month: string; compareWith?: string | undefined },
): Promise<{ filename: string; build: (out: Writable) => Promise<void> }> {
  const u = requireUser(actor);
  const r = await simulateOffThread(ctx, actor, versionId, q.month, { compareWith: q.compareWith, listLimit: Number.MAX_SAFE_INTEGER });
  const tables = simulationTables(r);
  const names = r.drafts.map((d) => `${d.name}第${d.version}版`).join('_对比_');
  return {
    filename: `补贴模拟_${names}_${q.month}`,
    build: (out) => writeXlsx(out, tables, { exportedBy: u.user.displayName, scope: `${names} · ${q.month}` }),
  };
}
