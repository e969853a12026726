import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { CHINA_CALENDAR_2026 } from '../domain/time';
import { DISH_TAGS, MEAL_PERIODS, RESIDENT_CATEGORIES, RESIDENT_STATUSES, SUPPLY_MODES } from '../domain/enums';
import { evaluate, inForce, LEVEL_ORDER, REASON_CODES, type EvaluateInput, type HistoryEntry, type PolicyVersion, type ResidentFacts } from './evaluate';
import { parsePolicy, type LayerInput, type PolicyDocumentInput } from './schema';

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

const who = fc
  .record({
    hukou: rarely(fc.constantFrom('any', 'issuer_area', 'city')),
    minAge: rarely(fc.integer({ min: 55, max: 85 })),
    maxAge: rarely(fc.integer({ min: 86, max: 110 })),
    categoriesAny: rarely(subset(RESIDENT_CATEGORIES)),
    categoriesNone: rarely(subset(RESIDENT_CATEGORIES)),
    careLevels: rarely(subset([0, 1, 2, 3, 4, 5])),
    requireRegistered: rarely(fc.boolean()),
  })
  .map(compact);
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
          dishTagsAny: rarely(subset(DISH_TAGS)),
        })
        .map(compact),
      where: fc.constantFrom('issuer_area', 'issuer_area', 'any', 'any', 'own_district', 'own_street'),
      limits: fc
        .record({
          perMealPeriod: rarely(fc.integer({ min: 1, max: 2 })),
          perDay: rarely(fc.integer({ min: 1, max: 3 })),
          perWeek: rarely(fc.integer({ min: 1, max: 5 })),
          minMealPriceFen: rarely(fenA),
          budgetFen: rarely(fc.integer({ min: 0, max: 5000 })),
        })
        .map(compact),
    })
    .map(({ kind, who: w, pays: p, tiers, when, where, limits }): LayerInput => {
      const fix = <T extends { type: string }>(x: T) => (kind !== 'meal' && x.type === 'elder_pays_at_most' ? { type: 'fixed' as const, amountFen: 100 } : x);
      const w2 = kind === 'delivery' && when.fulfilment !== undefined ? { ...when, fulfilment: ['delivery' as const] } : when;
      const base = { id, name: id, payer: `payer-${id}`, kind, who: w, when: w2, where, limits };
      return tiers !== undefined ? { ...base, tiers: tiers.map((t) => ({ ...t, pays: fix(t.pays) })) } : { ...base, pays: fix(p) };
    });

const LEVEL_AREAS = { city: '4401', district: '440106', street: '440106001', charity: '4401' } as const;

const policy = fc
  .record({
    level: fc.constantFrom(...LEVEL_ORDER),
    from: fc.constantFrom('2024-01-01', '2024-01-01', '2024-01-01', '2026-03-11'),
    to: fc.constantFrom(null, null, null, '2026-06-30'),
    layers: fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => layer(`l${i}`)))),
  })
  .map(({ level, from, to, layers }): PolicyDocumentInput => ({
    name: `p-${level}`,
    level,
    areaCode: LEVEL_AREAS[level],
    effectiveFrom: from,
    effectiveTo: to,
    layers,
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
  fc.record({
    dishId: fc.constantFrom('a', 'b', 'c', 'd'),
    unitPriceFen: fc.integer({ min: 0, max: 2500 }),
    quantity: fc.integer({ min: 0, max: 3 }),
    tags: fc.subarray([...DISH_TAGS]),
  }),
  { maxLength: 5 },
);

const evaluateInput: fc.Arbitrary<EvaluateInput> = fc
  .record({
    docs: fc.array(policy, { minLength: 1, maxLength: 4 }),
    resident,
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
        amountFen: fc.integer({ min: 1, max: 1000 }),
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
      canteen: { id: 'c', areaCode: r.canteenArea, supplyMode: r.supplyMode },
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
    let left: number = e.mealPriceFen;
    for (const l of e.layers) {
      expect(Number.isSafeInteger(l.amountFen)).toBe(true);
      expect(l.amountFen).toBeGreaterThanOrEqual(0);
      if (l.kind === 'meal') {
        expect(l.amountFen).toBeLessThanOrEqual(left);
        left -= l.amountFen;
      }
      expect(l.amountFen > 0).toBe(l.reason === 'applied');
    }
    for (const v of [e.mealPriceFen, e.elderPaysFen, e.elderSubsidyFen, e.operatorSubsidyFen]) expect(Number.isSafeInteger(v)).toBe(true);
  });

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
});
