import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { CHINA_CALENDAR_2026 } from '../domain/time';
import { DISH_TAGS, MEAL_PERIODS, RESIDENT_CATEGORIES, RESIDENT_STATUSES, SUPPLY_MODES } from '../domain/enums';
import { REASON_CODES } from './reasons';
import {
  evaluate,
  historyEntriesFor,
  historyWindow,
  inForce,
  layerKeyOf,
  LEVEL_ORDER,
  type EvaluateInput,
  type HistoryEntry,
  type PolicyVersion,
  type ResidentFacts,
} from './evaluate';
import { parsePolicy, type AllowancePeriod, type Layer, type LayerInput, type PolicyDocument, type PolicyDocumentInput } from './schema';
import { slotAlreadySubsidised } from './slot';
import { addDays, monthOf, weekStart } from '../domain/time';

// ---------------------------------------------------------------- arbitraries

const AREAS = ['440106001', '440106002', '440104001', '440118100', '440304001'];
const DATES = ['2026-03-09', '2026-03-10', '2026-03-14', '2026-04-05', '2026-05-09', '2026-07-01'];
const fenA = fc.integer({ min: 0, max: 3000 });
const subset = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1 });
/** Mostly absent, so that random layers still apply often enough to exercise the arithmetic. */
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });
/** Drop undefined keys (exactOptionalPropertyTypes). */
const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** Tags a generated policy declares on top of the base list. */
const DECLARED_TAGS = [
  { code: 'basic_set', zh: '基本套餐', en: 'basic set meal' },
  { code: 'extra', zh: '加点菜品', en: 'extra dish' },
];
const ALL_TAGS = [...DISH_TAGS, ...DECLARED_TAGS.map((t) => t.code)];

const who = fc
  .record({
    hukou: rarely(fc.constantFrom('any', 'issuer_area', 'city')),
    residence: rarely(fc.constantFrom('any', 'issuer_area', 'city')),
    hukouOrResidence: rarely(fc.boolean()),
    minAge: rarely(fc.integer({ min: 55, max: 85 })),
    maxAge: rarely(fc.integer({ min: 86, max: 110 })),
    categoriesAny: rarely(subset(RESIDENT_CATEGORIES)),
    categoriesNone: rarely(subset(RESIDENT_CATEGORIES)),
    careLevels: rarely(subset([0, 1, 2, 3, 4, 5])),
    requireRegistered: rarely(fc.boolean()),
  })
  // "either" only with both scopes set
  .map(({ hukouOrResidence, ...w }) =>
    compact({
      ...w,
      hukouOrResidence:
        hukouOrResidence === true && w.hukou !== undefined && w.hukou !== 'any' && w.residence !== undefined && w.residence !== 'any' ? true : undefined,
    }),
  );
const tierWho = who.map(({ requireRegistered: _r, ...rest }) => rest);

const pays = fc.oneof(
  fc.record({ type: fc.constant('fixed' as const), amountFen: fenA }),
  fc
    .record({ type: fc.constant('fraction' as const), denominator: fc.integer({ min: 1, max: 10 }), n: fc.nat(), capFen: fc.option(fenA, { nil: undefined }) })
    .map(({ type, denominator, n, capFen }) => ({ type, denominator, numerator: n % (denominator + 1), ...(capFen === undefined ? {} : { capFen }) })),
  fc.record({ type: fc.constant('elder_pays_at_most' as const), amountFen: fenA }),
  fc.record({ type: fc.constant('percent_off' as const), basisPoints: fc.integer({ min: 0, max: 10_000 }) }),
  fc.record({ type: fc.constant('by_supply_mode' as const), amounts: fc.dictionary(fc.constantFrom(...SUPPLY_MODES), fenA) }),
  fc.record({
    type: fc.constant('by_care_level' as const),
    amounts: fc.tuple(fenA, fenA).map(([a, b]) => [
      { minLevel: 0, maxLevel: 2, amountFen: a },
      { minLevel: 3, maxLevel: 5, amountFen: b },
    ]),
  }),
  fc.record({ type: fc.constant('actual_spend_up_to' as const), amountFen: fenA }),
  fc.record({
    type: fc.constant('amount_and_elder_cap' as const),
    amountFen: fenA,
    elderPaysAtMostFen: fenA,
    belowMeet: fc.constantFrom('elder_pays_less' as const, 'layer_pays_less' as const),
    aboveMeet: fc.constantFrom('layer_pays_more' as const, 'elder_pays_more' as const, 'no_subsidy' as const),
  }),
);

/** A layer's allowance: none (mostly), its own, or one of the policy's two pools. */
const allowanceChoice = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 3 },
  { arbitrary: fc.record({ period: fc.constantFrom<AllowancePeriod>('day', 'week', 'month'), amountFen: fc.integer({ min: 1, max: 2000 }) }), weight: 1 },
  { arbitrary: fc.constantFrom('p1', 'p2'), weight: 2 },
);

const layer = (id: string) =>
  fc
    .record({
      kind: fc.constantFrom('meal', 'meal', 'meal', 'delivery', 'operating'),
      who,
      pays,
      tiers: fc.option(fc.array(fc.record({ who: tierWho, pays }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
      when: fc
        .record({
          mealPeriods: rarely(subset(MEAL_PERIODS)),
          workingDaysOnly: rarely(fc.boolean()),
          validFrom: rarely(fc.constantFrom('2026-01-01', '2026-03-12')),
          fulfilment: rarely(subset(['dine_in', 'delivery'] as const)),
          dishTagsAny: rarely(subset(ALL_TAGS)),
          dishTagsNone: rarely(subset(ALL_TAGS)),
        })
        .map(compact)
        // a tag cannot be both required and excluded
        .map((w) => (w.dishTagsAny !== undefined && w.dishTagsNone !== undefined ? compact({ ...w, dishTagsNone: undefined }) : w)),
      where: fc.constantFrom('issuer_area', 'issuer_area', 'any', 'any', 'own_district', 'own_street'),
      home: fc.constantFrom('hukou', 'hukou', 'residence', 'hukou_or_residence'),
      limits: fc
        .record({
          perMealPeriod: rarely(fc.integer({ min: 1, max: 2 })),
          perDay: rarely(fc.integer({ min: 1, max: 3 })),
          perWeek: rarely(fc.integer({ min: 1, max: 5 })),
          minMealPriceFen: rarely(fenA),
          budgetFen: rarely(fc.integer({ min: 0, max: 5000 })),
        })
        .map(compact),
      allowance: allowanceChoice,
      canteens: rarely(subset(['c', 'c2', 'c3'])),
    })
    .map(({ kind, who: w, pays: p, tiers, when, where, home, limits, allowance, canteens }): LayerInput & { allowanceChoice?: string } => {
      const fix = <T extends { type: string }>(x: T) =>
        kind !== 'meal' && (x.type === 'elder_pays_at_most' || x.type === 'amount_and_elder_cap') ? { type: 'fixed' as const, amountFen: 100 } : x;
      const w2 = kind === 'delivery' && when.fulfilment !== undefined ? { ...when, fulfilment: ['delivery' as const] } : when;
      const lim = typeof allowance === 'object' ? { ...limits, allowance } : limits;
      const base = {
        id,
        name: id,
        payer: `payer-${id}`,
        kind,
        who: w,
        when: w2,
        where,
        home,
        limits: lim,
        ...(canteens === undefined ? {} : { canteens }),
        ...(typeof allowance === 'string' ? { allowanceChoice: allowance } : {}),
      };
      return tiers !== undefined ? { ...base, tiers: tiers.map((t) => ({ ...t, pays: fix(t.pays) })) } : { ...base, pays: fix(p) };
    });

const LEVEL_AREAS = { city: '4401', district: '440106', street: '440106001', charity: '4401' } as const;

const pool = fc.record({ period: fc.constantFrom<AllowancePeriod>('day', 'week', 'month'), amountFen: fc.integer({ min: 1, max: 1500 }) });

const policy = fc
  .record({
    level: fc.constantFrom(...LEVEL_ORDER),
    from: fc.constantFrom('2024-01-01', '2024-01-01', '2024-01-01', '2026-03-11'),
    to: fc.constantFrom(null, null, null, '2026-06-30'),
    layers: fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => layer(`l${i}`)))),
    pools: fc.record({ p1: pool, p2: pool }),
    /** replaces[i][j]: layer i replaces layer j (used only when j is later and of the same kind). */
    replaces: fc.array(fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), { minLength: 4, maxLength: 4 }),
  })
  .map(({ level, from, to, layers, pools, replaces }): PolicyDocumentInput => ({
    name: `p-${level}`,
    level,
    areaCode: LEVEL_AREAS[level],
    effectiveFrom: from,
    effectiveTo: to,
    dishTags: DECLARED_TAGS,
    layers: layers.map(({ allowanceChoice, ...l }, i) => {
      const withPool =
        allowanceChoice === 'p1' || allowanceChoice === 'p2'
          ? { ...l, limits: { ...l.limits, allowance: { ...pools[allowanceChoice], pool: allowanceChoice } } }
          : l;
      const targets = layers
        .filter((t, j) => j > i && t.kind === l.kind && replaces[i]![j] === true && (replaces[i]![0] === true || j === i + 1))
        .map((t) => t.id);
      return targets.length > 0 ? { ...withPool, replaces: targets } : withPool;
    }),
  }));

const resident: fc.Arbitrary<ResidentFacts | null> = fc.option(
  fc.record({
    id: fc.constant('r'),
    birthDate: fc.date({ min: new Date('1915-01-01'), max: new Date('1975-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    hukouAreaCode: fc.constantFrom('440106001', '440106001', ...AREAS, null),
    residenceAreaCode: fc.constantFrom(...AREAS, null),
    categories: fc.array(
      fc.record({
        code: fc.constantFrom(...RESIDENT_CATEGORIES),
        validFrom: fc.constantFrom('2020-01-01', '2026-03-11'),
        validTo: fc.constantFrom(null, '2026-04-01'),
      }),
      { maxLength: 3 },
    ),
    careLevel: fc.integer({ min: 0, max: 5 }),
    disabilityGrade: fc.constantFrom(null, 1, 2, 3, 4),
    status: fc.oneof({ arbitrary: fc.constant('active' as const), weight: 8 }, { arbitrary: fc.constantFrom(...RESIDENT_STATUSES), weight: 1 }),
    statusSince: fc.constantFrom(null, '2026-03-11'),
  }),
  { freq: 5 },
);

const lines = fc.array(
  fc
    .record({
      dishId: fc.constantFrom('a', 'b', 'c', 'd'),
      unitPriceFen: fc.integer({ min: 0, max: 2500 }),
      quantity: fc.integer({ min: 0, max: 3 }),
      tags: fc.subarray(ALL_TAGS),
      fullPay: rarely(fc.constant(true)),
    })
    .map(compact),
  { maxLength: 5 },
);

const evaluateInput: fc.Arbitrary<EvaluateInput> = fc
  .record({
    docs: fc.array(policy, { minLength: 1, maxLength: 4 }),
    resident,
    canteenId: fc.constantFrom('c', 'c', 'c2', 'c4'),
    canteenArea: fc.constantFrom('440106001', '440106001', ...AREAS),
    supplyMode: fc.constantFrom(...SUPPLY_MODES),
    serviceDate: fc.constantFrom(...DATES),
    mealPeriod: fc.constantFrom(...MEAL_PERIODS),
    fulfilment: fc.constantFrom('dine_in' as const, 'dine_in' as const, 'delivery' as const),
    lines,
    history: fc.array(
      fc.record({
        serviceDate: fc.constantFrom(...DATES),
        mealPeriod: fc.constantFrom(...MEAL_PERIODS),
        policy: fc.integer({ min: 1, max: 4 }),
        layer: fc.integer({ min: 0, max: 3 }),
        amountFen: fc.integer({ min: 0, max: 1000 }),
      }),
      { maxLength: 8 },
    ),
    spent: fc.dictionary(fc.constantFrom('v1:l0', 'v1:l1', 'v2:l0', 'v3:l2'), fc.integer({ min: 0, max: 6000 })),
    includeNotInForce: fc.boolean(),
  })
  .map((r) => {
    const policies: PolicyVersion[] = r.docs.map((d, i) => {
      const parsed = parsePolicy(d);
      if (!parsed.ok) throw new Error(`generator made an invalid policy: ${JSON.stringify(parsed.issues)}`);
      return { versionId: `v${i + 1}`, document: parsed.policy };
    });
    const history: HistoryEntry[] = r.history.map((h) => ({
      serviceDate: h.serviceDate,
      mealPeriod: h.mealPeriod,
      canteenId: 'c',
      layerKey: `v${h.policy}:l${h.layer}`,
      amountFen: h.amountFen,
    }));
    return {
      policies,
      resident: r.resident,
      canteen: { id: r.canteenId, areaCode: r.canteenArea, supplyMode: r.supplyMode },
      serviceDate: r.serviceDate,
      mealPeriod: r.mealPeriod,
      fulfilment: r.fulfilment,
      lines: r.lines,
      history,
      layerSpentFen: r.spent,
      calendar: CHINA_CALENDAR_2026,
      includeNotInForce: r.includeNotInForce,
    };
  });

// ---------------------------------------------------------------- properties

const NUM_RUNS = 500;

describe('evaluate (properties)', () => {
  test.prop([evaluateInput], { numRuns: NUM_RUNS })('the parts sum exactly and nobody pays below zero', (input) => {
    const e = evaluate(input);
    expect(e.elderPaysFen + e.elderSubsidyFen).toBe(e.mealPriceFen);
    expect(e.elderPaysFen).toBeGreaterThanOrEqual(0);
    expect(e.lineShares.reduce((s, l) => s + l.elderSubsidyFen, 0)).toBe(e.elderSubsidyFen);
    input.lines.forEach((line, i) => {
      const share = e.lineShares[i]!;
      expect(share.dishId).toBe(line.dishId);
      expect(share.elderSubsidyFen).toBeGreaterThanOrEqual(0);
      expect(share.elderSubsidyFen).toBeLessThanOrEqual(line.unitPriceFen * line.quantity);
    });
    const applied = (k: (kind: string) => boolean) => e.layers.filter((l) => l.reason === 'applied' && k(l.kind)).reduce((s, l) => s + l.amountFen, 0);
    expect(applied((k) => k === 'meal')).toBe(e.elderSubsidyFen);
    expect(applied((k) => k !== 'meal')).toBe(e.operatorSubsidyFen);
  });

  test.prop([evaluateInput], { numRuns: NUM_RUNS })('no meal layer pays more than what is left; all amounts are whole fen', (input) => {
    const e = evaluate(input);
    let left: number = e.mealPriceFen - e.fullPayFen;
    for (const l of e.layers) {
      expect(Number.isSafeInteger(l.amountFen)).toBe(true);
      expect(l.amountFen).toBeGreaterThanOrEqual(0);
      if (l.kind === 'meal') {
        expect(l.amountFen).toBeLessThanOrEqual(left);
        left -= l.amountFen;
      }
      expect(l.amountFen > 0).toBe(l.reason === 'applied');
    }
    for (const v of [e.mealPriceFen, e.fullPayFen, e.elderPaysFen, e.elderSubsidyFen, e.operatorSubsidyFen]) expect(Number.isSafeInteger(v)).toBe(true);
  });

  // Pricing reads only the history window (pricingContext, the kiosk's snapshot): nothing before it may count.
  test.prop([evaluateInput, fc.array(fc.integer({ min: 0, max: 45 }), { minLength: 8, maxLength: 8 })], { numRuns: NUM_RUNS })(
    'history before historyWindow(serviceDate).from changes nothing',
    (input, daysBefore) => {
      const history = input.history.map((h, i) => ({ ...h, serviceDate: addDays(input.serviceDate, -daysBefore[i]!) }));
      const { from } = historyWindow(input.serviceDate);
      expect(evaluate({ ...input, history: history.filter((h) => h.serviceDate >= from) })).toEqual(evaluate({ ...input, history }));
    },
  );

  test.prop([evaluateInput], { numRuns: NUM_RUNS })('is deterministic and does not modify its input', (input) => {
    const before = JSON.stringify(input);
    const a = evaluate(input);
    const b = evaluate(JSON.parse(before) as EvaluateInput);
    expect(b).toEqual(a);
    expect(JSON.stringify(input)).toBe(before);
  });

  test.prop([evaluateInput], { numRuns: NUM_RUNS })('every layer in force appears exactly once, in level order, with a known reason', (input) => {
    const e = evaluate(input);
    const expected = input.policies
      .filter((p) => input.includeNotInForce || inForce(p.document, input.serviceDate))
      .flatMap((p) => p.document.layers.map((l) => `${p.versionId}:${l.id}`));
    expect([...e.layers.map((l) => l.layerKey)].sort()).toEqual([...expected].sort());
    const ranks = e.layers.map((l) => LEVEL_ORDER.indexOf(l.level));
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    for (const l of e.layers) {
      expect(REASON_CODES).toContain(l.reason);
      const doc = input.policies.find((p) => p.versionId === l.versionId)!.document;
      if (!inForce(doc, input.serviceDate)) expect(l.reason).toBe('not_in_force');
    }
  });

  test.prop([evaluateInput], { numRuns: NUM_RUNS })('guests only get layers open to unregistered diners; ineligible statuses get nothing', (input) => {
    const e = evaluate(input);
    for (const l of e.layers.filter((x) => x.reason === 'applied')) {
      const layer = input.policies.find((p) => p.versionId === l.versionId)!.document.layers.find((x) => x.id === l.layerId)!;
      if (input.resident === null) expect(layer.who.requireRegistered).toBe(false);
      else if (input.resident.status !== 'active') expect(input.resident.statusSince! > input.serviceDate).toBe(true);
      if (l.kind === 'delivery') expect(input.fulfilment).toBe('delivery');
    }
  });
  test.prop([evaluateInput], { numRuns: NUM_RUNS })('a full-pay line is never subsidised, and the elder always pays it', (input) => {
    const e = evaluate(input);
    const fullPay = input.lines.reduce((sum, l) => sum + (l.fullPay === true ? l.unitPriceFen * l.quantity : 0), 0);
    expect(e.fullPayFen).toBe(fullPay);
    expect(e.elderPaysFen).toBeGreaterThanOrEqual(fullPay);
    input.lines.forEach((line, i) => {
      if (line.fullPay === true) expect(e.lineShares[i]!.elderSubsidyFen).toBe(0);
    });
  });

  test.prop([evaluateInput], { numRuns: NUM_RUNS })('an allowance is never overdrawn: history plus this meal stays within it', (input) => {
    const e = evaluate(input);
    for (const p of input.policies) {
      for (const [poolKey, members] of pools(p.document)) {
        const a = members[0]!.limits.allowance!;
        const keys = new Set(members.map((l) => layerKeyOf(p.versionId, l.id)));
        const before = input.history
          .filter((h) => keys.has(h.layerKey) && samePeriod(a.period, h.serviceDate, input.serviceDate))
          .reduce((sum, h) => sum + h.amountFen, 0);
        const now = e.layers.filter((l) => keys.has(l.layerKey)).reduce((sum, l) => sum + l.amountFen, 0);
        if (before >= a.amountFen) expect(now, poolKey).toBe(0);
        else expect(before + now, poolKey).toBeLessThanOrEqual(a.amountFen);
      }
    }
  });

  test.prop([evaluateInput], { numRuns: NUM_RUNS })('a layer that pays takes the place of every layer it replaces', (input) => {
    const e = evaluate(input);
    for (const l of e.layers.filter((x) => x.reason === 'applied')) {
      const layer = input.policies.find((p) => p.versionId === l.versionId)!.document.layers.find((x) => x.id === l.layerId)!;
      for (const id of layer.replaces ?? []) {
        expect(e.layers.find((x) => x.versionId === l.versionId && x.layerId === id)).toMatchObject({ amountFen: 0, reason: 'replaced' });
      }
    }
    for (const l of e.layers.filter((x) => x.reason === 'replaced')) {
      const by = e.layers.find((x) => x.versionId === l.versionId && x.layerId === l.detail?.replacedBy);
      expect(by?.reason).toBe('applied');
    }
  });

  test.prop([evaluateInput], { numRuns: NUM_RUNS })('a layer limited to named canteens pays only at them', (input) => {
    const e = evaluate(input);
    for (const l of e.layers) {
      const layer = input.policies.find((p) => p.versionId === l.versionId)!.document.layers.find((x) => x.id === l.layerId)!;
      if (layer.canteens !== undefined && !layer.canteens.includes(input.canteen.id)) {
        expect(l.amountFen).toBe(0);
        expect(l.reason === 'applied').toBe(false);
      }
    }
  });

  test.prop([evaluateInput], { numRuns: NUM_RUNS })('户籍 / residence scopes hold for every applied layer; "either" needs one of them', (input) => {
    const e = evaluate(input);
    for (const l of e.layers.filter((x) => x.reason === 'applied' && input.resident !== null)) {
      const doc = input.policies.find((p) => p.versionId === l.versionId)!.document;
      const who = doc.layers.find((x) => x.id === l.layerId)!.who;
      const r = input.resident!;
      const ok = (code: string | null, scope: string | undefined) =>
        scope === undefined ||
        scope === 'any' ||
        (code !== null && (scope === 'issuer_area' ? code.startsWith(doc.areaCode) : code.slice(0, 4) === doc.areaCode.slice(0, 4)));
      const hukou = ok(r.hukouAreaCode, who.hukou);
      const residence = ok(r.residenceAreaCode, who.residence);
      if (who.hukouOrResidence === true) expect(hukou || residence).toBe(true);
      else expect(hukou && residence).toBe(true);
    }
  });
});

// ---------------------------------------------------------------- a resident's days, meal after meal

/** The layers of a document grouped by allowance (a pool, or a layer's own). */
function pools(doc: PolicyDocument): Map<string, Layer[]> {
  const out = new Map<string, Layer[]>();
  for (const l of doc.layers) {
    const a = l.limits.allowance;
    if (a === undefined) continue;
    const key = a.pool === undefined ? `layer:${l.id}` : `pool:${a.pool}`;
    out.set(key, [...(out.get(key) ?? []), l]);
  }
  return out;
}

function samePeriod(period: AllowancePeriod, a: string, b: string): boolean {
  return period === 'day' ? a === b : period === 'week' ? weekStart(a) === weekStart(b) : monthOf(a) === monthOf(b);
}

const mealsOfDays = fc.array(
  fc.record({
    serviceDate: fc.constantFrom('2026-03-09', '2026-03-10', '2026-03-10', '2026-03-11', '2026-03-30'),
    mealPeriod: fc.constantFrom(...MEAL_PERIODS),
    lines,
    fulfilment: fc.constantFrom('dine_in' as const, 'delivery' as const),
  }),
  { minLength: 1, maxLength: 8 },
);

describe('evaluate over a sequence of meals (properties)', () => {
  test.prop([fc.array(policy, { minLength: 1, maxLength: 3 }), resident.filter((r) => r !== null), mealsOfDays], { numRuns: 300 })(
    'fed its own history, as the server does, no allowance is ever exceeded in any day, week or month',
    (docs, who, meals) => {
      const policies: PolicyVersion[] = docs.map((d, i) => {
        const parsed = parsePolicy(d);
        if (!parsed.ok) throw new Error(`generator made an invalid policy: ${JSON.stringify(parsed.issues)}`);
        return { versionId: `v${i + 1}`, document: parsed.policy };
      });
      const history: HistoryEntry[] = [];
      const subsidisedSlots = new Set<string>();
      for (const m of [...meals].sort((a, b) => a.serviceDate.localeCompare(b.serviceDate))) {
        const slot = `${m.serviceDate}|${m.mealPeriod}`;
        const e = evaluate({
          policies,
          resident: who,
          canteen: { id: 'c', areaCode: '440106001', supplyMode: 'own_kitchen' },
          serviceDate: m.serviceDate,
          mealPeriod: m.mealPeriod,
          fulfilment: m.fulfilment,
          lines: m.lines,
          history: subsidisedSlots.has(slot) ? [...history, ...slotAlreadySubsidised(policies, m.serviceDate, m.mealPeriod)] : [...history],
          calendar: CHINA_CALENDAR_2026,
        });
        expect(e.elderPaysFen + e.elderSubsidyFen).toBe(e.mealPriceFen);
        history.push(...historyEntriesFor(e, m.serviceDate, m.mealPeriod, 'c'));
        if (e.elderSubsidyFen > 0) subsidisedSlots.add(slot);
      }
      for (const p of policies) {
        for (const [poolKey, members] of pools(p.document)) {
          const a = members[0]!.limits.allowance!;
          const keys = new Set(members.map((l) => layerKeyOf(p.versionId, l.id)));
          for (const h of history) {
            const total = history
              .filter((x) => keys.has(x.layerKey) && samePeriod(a.period, x.serviceDate, h.serviceDate))
              .reduce((sum, x) => sum + x.amountFen, 0);
            expect(total, `${p.versionId} ${poolKey} ${a.period} of ${h.serviceDate}`).toBeLessThanOrEqual(a.amountFen);
          }
        }
      }
    },
  );
});
