import { describe, expect, it } from 'vitest';
import { evaluate, historyEntriesFor, mealPrice, type Evaluation, type LayerResult } from './evaluate';
import { definePolicy } from './schema';
import { guangzhou2024, tianheTopUp } from './library';
import { canteen, input, meal, resident, SATURDAY, TUESDAY, versions } from './testkit';

const gz = versions(guangzhou2024);
const layer = (e: Evaluation, id: string): LayerResult => {
  const l = e.layers.find((x) => x.layerId === id);
  if (!l) throw new Error(`no layer ${id}`);
  return l;
};

describe('mealPrice', () => {
  it('is Σ unit price × quantity', () => {
    expect(
      mealPrice([
        { dishId: 'a', unitPriceFen: 350, quantity: 2 },
        { dishId: 'b', unitPriceFen: 500, quantity: 1 },
      ]),
    ).toBe(1200);
    expect(mealPrice([])).toBe(0);
  });
  it('refuses negative or fractional quantities and float prices', () => {
    expect(() => mealPrice([{ dishId: 'a', unitPriceFen: 100, quantity: -1 }])).toThrow();
    expect(() => mealPrice([{ dishId: 'a', unitPriceFen: 100, quantity: 1.5 }])).toThrow();
    expect(() => mealPrice([{ dishId: 'a', unitPriceFen: 10.5, quantity: 1 }])).toThrow();
  });
});

describe('Guangzhou 2024 (穗民规字〔2024〕3号)', () => {
  type Row = { name: string; over: Parameters<typeof input>[1]; mealFen: number; reason: string };
  const rows: Row[] = [
    { name: '¥12 meal → ¥3', over: { lines: meal(1200) }, mealFen: 300, reason: 'applied' },
    { name: '¥8 meal → ¥2 (one quarter)', over: { lines: meal(800) }, mealFen: 200, reason: 'applied' },
    { name: '¥20 meal → capped at ¥3', over: { lines: meal(2000) }, mealFen: 300, reason: 'applied' },
    { name: '¥9.90 meal → ¥2.48 (one rounding, half up)', over: { lines: meal(990) }, mealFen: 248, reason: 'applied' },
    { name: 'dinner counts too', over: { mealPeriod: 'dinner' }, mealFen: 300, reason: 'applied' },
    { name: 'weekends count (no working-day rule)', over: { serviceDate: SATURDAY }, mealFen: 300, reason: 'applied' },
    { name: 'any Guangzhou canteen (Yuexiu)', over: { canteen: canteen('440104001') }, mealFen: 300, reason: 'applied' },
    { name: 'non-户籍 → ¥0', over: { resident: resident({ hukouAreaCode: null }) }, mealFen: 0, reason: 'hukou_scope' },
    { name: 'Shenzhen 户籍 → ¥0', over: { resident: resident({ hukouAreaCode: '440304001' }) }, mealFen: 0, reason: 'hukou_scope' },
    { name: 'breakfast → ¥0', over: { mealPeriod: 'breakfast' }, mealFen: 0, reason: 'meal_period' },
    { name: 'age 59 → ¥0', over: { resident: resident({ birthDate: '1966-03-11' }) }, mealFen: 0, reason: 'age' },
    { name: 'turns 60 today → ¥3', over: { resident: resident({ birthDate: '1966-03-10' }) }, mealFen: 300, reason: 'applied' },
    { name: 'deceased → ¥0', over: { resident: resident({ status: 'deceased', statusSince: '2026-03-01' }) }, mealFen: 0, reason: 'resident_status' },
    { name: 'in an institution → ¥0', over: { resident: resident({ status: 'institutionalised', statusSince: null }) }, mealFen: 0, reason: 'resident_status' },
    {
      name: 'status change dated later does not apply yet',
      over: { resident: resident({ status: 'moved', statusSince: '2026-04-01' }) },
      mealFen: 300,
      reason: 'applied',
    },
    { name: 'guest → ¥0', over: { resident: null }, mealFen: 0, reason: 'guest' },
    { name: 'canteen outside Guangzhou → ¥0', over: { canteen: canteen('440304001') }, mealFen: 0, reason: 'outside_area' },
    { name: 'before the policy starts → not evaluated', over: { serviceDate: '2024-03-31' }, mealFen: 0, reason: 'skipped' },
    {
      name: 'second subsidised lunch the same day → ¥0',
      over: { history: [{ serviceDate: TUESDAY, mealPeriod: 'lunch', canteenId: 'c-x', layerKey: 'v1:meal', amountFen: 300 }] },
      mealFen: 0,
      reason: 'limit_meal_period',
    },
    {
      name: 'lunch yesterday does not count today',
      over: { history: [{ serviceDate: '2026-03-09', mealPeriod: 'lunch', canteenId: 'c-x', layerKey: 'v1:meal', amountFen: 300 }] },
      mealFen: 300,
      reason: 'applied',
    },
    {
      name: 'lunch does not use up dinner',
      over: { mealPeriod: 'dinner', history: [{ serviceDate: TUESDAY, mealPeriod: 'lunch', canteenId: 'c-x', layerKey: 'v1:meal', amountFen: 300 }] },
      mealFen: 300,
      reason: 'applied',
    },
  ];
  it.each(rows)('$name', ({ over, mealFen, reason }) => {
    const e = evaluate(input(gz, over));
    expect(e.elderSubsidyFen).toBe(mealFen);
    expect(e.elderPaysFen).toBe(e.mealPriceFen - mealFen);
    if (reason === 'skipped') expect(e.layers).toEqual([]);
    else expect(layer(e, 'meal').reason).toBe(reason);
  });

  it('records the split per layer with payer and level', () => {
    const e = evaluate(input(gz));
    expect(layer(e, 'meal')).toMatchObject({ layerKey: 'v1:meal', level: 'city', payer: '广州市民政局', kind: 'meal', amountFen: 300, reason: 'applied' });
    expect(e.layers.map((l) => l.layerId)).toEqual(['meal', 'delivery', 'operating']);
    expect(layer(e, 'delivery').reason).toBe('fulfilment');
  });

  describe('delivery subsidy to the operator', () => {
    const cases: [string, Partial<Parameters<typeof resident>[0]>, number, string][] = [
      ['care level 1 → ¥2', { careLevel: 1 }, 200, 'applied'],
      ['care level 2 → ¥2', { careLevel: 2 }, 200, 'applied'],
      ['care level 3 → ¥4', { careLevel: 3 }, 400, 'applied'],
      ['care level 5 → ¥4', { careLevel: 5 }, 400, 'applied'],
      ['care level 0 → ¥0', { careLevel: 0 }, 0, 'care_level'],
      ['care level 0 with a grade 1 disability → ¥4', { careLevel: 0, disabilityGrade: 1 }, 400, 'applied'],
      ['care level 1 with a grade 2 disability → ¥4', { careLevel: 1, disabilityGrade: 2 }, 400, 'applied'],
      ['care level 0 with a grade 3 disability → ¥0', { careLevel: 0, disabilityGrade: 3 }, 0, 'care_level'],
    ];
    it.each(cases)('%s', (_n, r, amount, reason) => {
      const e = evaluate(input(gz, { fulfilment: 'delivery', resident: resident(r) }));
      expect(layer(e, 'delivery')).toMatchObject({ amountFen: amount, reason });
      expect(e.elderSubsidyFen).toBe(300); // the delivery subsidy does not reduce the elder's price
      expect(e.operatorSubsidyFen).toBe(amount + 300);
    });
    it('is not paid for dine-in', () => {
      const e = evaluate(input(gz, { resident: resident({ careLevel: 4 }) }));
      expect(layer(e, 'delivery')).toMatchObject({ amountFen: 0, reason: 'fulfilment' });
    });
  });

  describe('operating subsidy by supply mode', () => {
    const cases: [Parameters<typeof canteen>[1], number, string][] = [
      ['own_kitchen', 300, 'applied'],
      ['unit_canteen', 150, 'applied'],
      ['catered', 150, 'applied'],
      ['restaurant', 150, 'applied'],
      ['care_institution', 150, 'applied'],
      ['neighbour_help', 0, 'zero_amount'],
    ];
    it.each(cases)('%s → %i fen', (mode, amount, reason) => {
      const e = evaluate(input(gz, { canteen: canteen('440106001', mode) }));
      expect(layer(e, 'operating')).toMatchObject({ amountFen: amount, reason });
      expect(e.operatorSubsidyFen).toBe(amount);
      expect(e.elderPaysFen).toBe(900);
    });
    it('is not paid for ineligible diners', () => {
      const e = evaluate(input(gz, { resident: resident({ hukouAreaCode: null }) }));
      expect(layer(e, 'operating')).toMatchObject({ amountFen: 0, reason: 'hukou_scope' });
      expect(e.operatorSubsidyFen).toBe(0);
    });
  });

  it('splits the meal subsidy across lines exactly', () => {
    const e = evaluate(
      input(gz, {
        lines: [
          { dishId: 'rice', unitPriceFen: 100, quantity: 1 },
          { dishId: 'pork', unitPriceFen: 700, quantity: 1 },
          { dishId: 'veg', unitPriceFen: 200, quantity: 2 },
        ],
      }),
    );
    expect(e.elderSubsidyFen).toBe(300);
    expect(e.lineShares).toEqual([
      { dishId: 'rice', elderSubsidyFen: 25 },
      { dishId: 'pork', elderSubsidyFen: 175 },
      { dishId: 'veg', elderSubsidyFen: 100 },
    ]);
  });

  it('historyEntriesFor turns applied layers into rows that then enforce the limit', () => {
    const first = evaluate(input(gz, { fulfilment: 'delivery', resident: resident({ careLevel: 2 }) }));
    const rows = historyEntriesFor(first, TUESDAY, 'lunch', 'c-440106001');
    expect(rows).toEqual([
      { serviceDate: TUESDAY, mealPeriod: 'lunch', canteenId: 'c-440106001', layerKey: 'v1:meal', amountFen: 300 },
      { serviceDate: TUESDAY, mealPeriod: 'lunch', canteenId: 'c-440106001', layerKey: 'v1:delivery', amountFen: 200 },
      { serviceDate: TUESDAY, mealPeriod: 'lunch', canteenId: 'c-440106001', layerKey: 'v1:operating', amountFen: 300 },
    ]);
    const second = evaluate(input(gz, { history: rows, canteen: canteen('440104001') }));
    expect(second.elderSubsidyFen).toBe(0);
    expect(second.operatorSubsidyFen).toBe(0);
    expect(second.layers.filter((l) => l.kind !== 'delivery').map((l) => l.reason)).toEqual(['limit_meal_period', 'limit_meal_period']);
  });

  it('reports not_in_force layers only when asked', () => {
    const e = evaluate(input(gz, { serviceDate: '2029-04-01', includeNotInForce: true }));
    expect(e.layers.map((l) => l.reason)).toEqual(['not_in_force', 'not_in_force', 'not_in_force']);
    expect(evaluate(input(gz, { serviceDate: '2029-04-01' })).layers).toEqual([]);
  });
});

describe('Tianhe district top-up stacked on the city', () => {
  const both = versions(tianheTopUp, guangzhou2024); // input order must not matter: city applies first
  it('applies city first, then the district, in the result order', () => {
    const e = evaluate(input(both, { resident: resident({ birthDate: '1940-01-01' }) }));
    expect(e.layers.map((l) => l.layerKey)).toEqual(['v2:meal', 'v2:delivery', 'v2:operating', 'v1:top-up']);
    expect(e.elderSubsidyFen).toBe(500); // ¥3 city + ¥2 for 80+
    expect(layer(e, 'top-up').detail).toMatchObject({ tier: 1 });
  });
  it('低保 elders pay at most ¥1', () => {
    const e = evaluate(input(both, { resident: resident({ categories: [{ code: 'dibao', validFrom: '2025-01-01', validTo: null }] }) }));
    expect(e.elderPaysFen).toBe(100);
    expect(layer(e, 'top-up').amountFen).toBe(800);
  });
  it('an expired 低保 category does not count', () => {
    const e = evaluate(input(both, { resident: resident({ categories: [{ code: 'dibao', validFrom: '2025-01-01', validTo: '2026-02-28' }] }) }));
    expect(layer(e, 'top-up').reason).toBe('age'); // falls through to the 80+ tier, aged 75
    expect(e.elderPaysFen).toBe(900);
  });
  it('outside the elder own district the top-up is lost but the city layer stays', () => {
    const e = evaluate(input(both, { resident: resident({ birthDate: '1940-01-01', hukouAreaCode: '440106001' }), canteen: canteen('440104001') }));
    expect(layer(e, 'top-up').reason).toBe('outside_area');
    expect(e.elderSubsidyFen).toBe(300);
  });
  it('a Tianhe canteen with a Yuexiu 户籍 elder: not in the issuer 户籍 area', () => {
    const e = evaluate(input(both, { resident: resident({ birthDate: '1940-01-01', hukouAreaCode: '440104001' }) }));
    expect(layer(e, 'top-up').reason).toBe('hukou_scope');
  });
});

describe('engine rules', () => {
  const doc = (layers: Parameters<typeof definePolicy>[0]['layers'], extra: Partial<Parameters<typeof definePolicy>[0]> = {}) =>
    definePolicy({ name: 't', level: 'city', areaCode: '4401', effectiveFrom: '2024-01-01', effectiveTo: null, layers, ...extra });

  it('clamps a meal layer to what is left and records it', () => {
    const e = evaluate(input(versions(doc([{ id: 'a', name: 'a', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 1500 } }]))));
    expect(e.layers[0]).toMatchObject({ amountFen: 1200, reason: 'applied', detail: { computedFen: 1500, clampedToLeftFen: 1200 } });
    expect(e.elderPaysFen).toBe(0);
  });
  it('reports nothing_left once earlier layers cover the price', () => {
    const e = evaluate(
      input(
        versions(
          doc([
            { id: 'a', name: 'a', payer: 'p', kind: 'meal', pays: { type: 'elder_pays_at_most', amountFen: 0 } },
            { id: 'b', name: 'b', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 100 } },
          ]),
        ),
      ),
    );
    expect(e.layers.map((l) => l.reason)).toEqual(['applied', 'nothing_left']);
  });
  it('stops a layer when its budget is spent, and clamps to what is left of it', () => {
    const p = versions(doc([{ id: 'a', name: 'a', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 300 }, limits: { budgetFen: 10_000 } }]));
    expect(evaluate(input(p, { layerSpentFen: { 'v1:a': 10_000 } })).layers[0]).toMatchObject({ amountFen: 0, reason: 'budget_spent' });
    expect(evaluate(input(p, { layerSpentFen: { 'v1:a': 9_900 } })).layers[0]).toMatchObject({
      amountFen: 100,
      reason: 'applied',
      detail: { clampedToBudgetFen: 100 },
    });
  });
  it('honours layer validity dates and working days with the policy calendar', () => {
    const p = versions(
      doc(
        [{ id: 'a', name: 'a', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 100 }, when: { validFrom: '2026-03-11', workingDaysOnly: true } }],
        {
          calendar: { holidays: ['2026-03-12'], adjustedWorkingDays: ['2026-03-14'] },
        },
      ),
    );
    expect(evaluate(input(p)).layers[0]!.reason).toBe('outside_validity');
    expect(evaluate(input(p, { serviceDate: '2026-03-12' })).layers[0]!.reason).toBe('not_working_day');
    expect(evaluate(input(p, { serviceDate: '2026-03-14' })).layers[0]!.reason).toBe('applied');
  });
  it('lets a layer open to everyone pay guests too', () => {
    const p = versions(
      doc([{ id: 'a', name: 'a', payer: '慈善基金', kind: 'meal', who: { requireRegistered: false }, pays: { type: 'fixed', amountFen: 100 }, where: 'any' }]),
    );
    expect(evaluate(input(p, { resident: null, canteen: canteen('110101001') })).elderSubsidyFen).toBe(100);
  });
  it('own_district can use the residence instead of 户籍', () => {
    const p = versions(
      doc([{ id: 'a', name: 'a', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 100 }, where: 'own_district', home: 'residence' }]),
    );
    expect(evaluate(input(p, { resident: resident({ hukouAreaCode: null, residenceAreaCode: '440106003' }) })).layers[0]!.reason).toBe('applied');
    expect(evaluate(input(p, { resident: resident({ residenceAreaCode: '440104003' }) })).layers[0]!.reason).toBe('not_own_district');
  });
  it('applies week and month limits', () => {
    const p = versions(doc([{ id: 'a', name: 'a', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 100 }, limits: { perMonth: 2 } }]));
    const h = (d: string) => ({ serviceDate: d, mealPeriod: 'lunch' as const, canteenId: 'c', layerKey: 'v1:a', amountFen: 100 });
    expect(evaluate(input(p, { history: [h('2026-03-01'), h('2026-03-02')] })).layers[0]).toMatchObject({
      reason: 'limit_month',
      detail: { limit: 2, used: 2 },
    });
    expect(evaluate(input(p, { history: [h('2026-02-27'), h('2026-03-02')] })).layers[0]!.reason).toBe('applied');
  });
  it('counts history of earlier versions of the same policy when told', () => {
    const d = doc([{ id: 'a', name: 'a', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 100 }, limits: { perWeek: 1 } }]);
    const history = [{ serviceDate: '2026-03-09', mealPeriod: 'lunch' as const, canteenId: 'c', layerKey: 'old:a', amountFen: 100 }];
    expect(evaluate(input([{ versionId: 'new', document: d }], { history })).layers[0]!.reason).toBe('applied');
    expect(evaluate(input([{ versionId: 'new', document: d, previousVersionIds: ['old'] }], { history })).layers[0]!.reason).toBe('limit_week');
  });
  it('filters by categoriesNone, disability grade and loss of ability', () => {
    const p = versions(
      doc([
        { id: 'a', name: 'a', payer: 'p', kind: 'meal', who: { categoriesNone: ['youfu'] }, pays: { type: 'fixed', amountFen: 100 } },
        { id: 'b', name: 'b', payer: 'p', kind: 'meal', who: { disabilityGrades: [1, 2] }, pays: { type: 'fixed', amountFen: 100 } },
        { id: 'c', name: 'c', payer: 'p', kind: 'meal', who: { disabilityLevels: ['severe'] }, pays: { type: 'fixed', amountFen: 100 } },
      ]),
    );
    const e = evaluate(
      input(p, {
        resident: resident({ categories: [{ code: 'youfu', validFrom: '2020-01-01', validTo: null }], disabilityGrade: 2, disabilityLevel: 'moderate' }),
      }),
    );
    expect(e.layers.map((l) => l.reason)).toEqual(['category', 'applied', 'care_level']);
  });
});

import { slotAlreadySubsidised } from './slot';

describe('one subsidised meal per meal period across layers', () => {
  it('a district layer does not pay for a second lunch when the city layer paid for the first elsewhere', () => {
    const policies = [
      { versionId: 'c', document: guangzhou2024 },
      { versionId: 'd', document: tianheTopUp },
    ];
    const resident = {
      id: 'r',
      birthDate: '1940-01-01',
      hukouAreaCode: '440106004',
      residenceAreaCode: '440106004001',
      categories: [{ code: 'dibao' as const, validFrom: '2020-01-01', validTo: null }],
      careLevel: 0,
      disabilityGrade: null,
      status: 'active' as const,
      statusSince: null,
    };
    const base = {
      policies,
      resident,
      canteen: { id: 'a', areaCode: '440106004', supplyMode: 'own_kitchen' as const },
      serviceDate: '2026-11-23',
      mealPeriod: 'lunch' as const,
      fulfilment: 'dine_in' as const,
      lines: [{ dishId: 'x', unitPriceFen: 1200, quantity: 1 }],
      calendar: { holidays: [], adjustedWorkingDays: [] },
    };
    // First lunch in Yuexiu: only the city layer paid, so the Tianhe layer has no history of its own.
    const history = [{ serviceDate: '2026-11-23', mealPeriod: 'lunch' as const, canteenId: 'yuexiu', layerKey: 'c:meal', amountFen: 300 }];
    expect(evaluate({ ...base, history }).elderSubsidyFen).toBeGreaterThan(0); // per-layer limits alone let it through
    const ev = evaluate({ ...base, history: [...history, ...slotAlreadySubsidised(policies, '2026-11-23', 'lunch')] });
    expect(ev.elderSubsidyFen).toBe(0);
    expect(ev.layers.filter((l) => l.kind === 'meal').every((l) => l.reason === 'limit_meal_period')).toBe(true);
  });
});
