/**
 * The rule kinds added for issue 14 (allowances, exclusion and replacement, residence and "either"
 * eligibility, full-pay lines, "layer pays X and the elder at most Y", minimum prices on every layer kind),
 * each with amounts stated in the test, to the fen.
 */
import { describe, expect, it } from 'vitest';
import {
  evaluate,
  historyEntriesFor,
  historyWindow,
  type Evaluation,
  type EvaluateInput,
  type HistoryEntry,
  type LayerResult,
  type PolicyVersion,
} from './evaluate';
import { definePolicy, type LayerInput, type PolicyDocumentInput } from './schema';
import { slotAlreadySubsidised } from './slot';
import { guangzhou2024, tianheTopUp, zhongshan } from './library';
import { canteen, input, meal, resident, TUESDAY, versions } from './testkit';

const doc = (layers: LayerInput[], extra: Partial<PolicyDocumentInput> = {}) =>
  definePolicy({ name: 't', level: 'city', areaCode: '4401', effectiveFrom: '2024-01-01', effectiveTo: null, layers, ...extra });
const layer = (e: Evaluation, id: string): LayerResult => {
  const l = e.layers.find((x) => x.layerId === id);
  if (!l) throw new Error(`no layer ${id}`);
  return l;
};
const row = (serviceDate: string, mealPeriod: HistoryEntry['mealPeriod'], layerKey: string, amountFen: number): HistoryEntry => ({
  serviceDate,
  mealPeriod,
  canteenId: 'c',
  layerKey,
  amountFen,
});

/** Order meals one after another, feeding each one's history rows to the next (as the server does). */
function day(
  policies: PolicyVersion[],
  meals: { date?: string; mealPeriod: HistoryEntry['mealPeriod']; priceFen: number }[],
  over: Partial<EvaluateInput> = {},
) {
  const history: HistoryEntry[] = [];
  return meals.map((m) => {
    const serviceDate = m.date ?? TUESDAY;
    const e = evaluate(input(policies, { serviceDate, mealPeriod: m.mealPeriod, lines: meal(m.priceFen), history: [...history], ...over }));
    history.push(...historyEntriesFor(e, serviceDate, m.mealPeriod, 'c'));
    return e;
  });
}

// ---------------------------------------------------------------- 1. allowances

describe('a money allowance per resident per period', () => {
  // "Actual spend up to ¥10 a day across breakfast, lunch and dinner."
  const daily = versions(
    doc([
      {
        id: 'a',
        name: '每日助餐补贴',
        payer: 'p',
        kind: 'meal',
        pays: { type: 'actual_spend_up_to', amountFen: 1000 },
        limits: { allowance: { period: 'day', amountFen: 1000 } },
      },
    ]),
  );

  it('breakfast ¥4 then lunch ¥12 draw ¥4 + ¥6 from one daily ¥10; dinner gets nothing', () => {
    const [breakfast, lunch, dinner] = day(daily, [
      { mealPeriod: 'breakfast', priceFen: 400 },
      { mealPeriod: 'lunch', priceFen: 1200 },
      { mealPeriod: 'dinner', priceFen: 1200 },
    ]);
    expect(breakfast!.elderSubsidyFen).toBe(400);
    expect(lunch!.elderSubsidyFen).toBe(600);
    expect(lunch!.layers[0]).toMatchObject({ reason: 'applied', detail: { computedFen: 1000, clampedToAllowanceFen: 600 } });
    expect(lunch!.elderPaysFen).toBe(600);
    expect(dinner!.elderSubsidyFen).toBe(0);
    expect(dinner!.layers[0]).toMatchObject({ reason: 'allowance_day', detail: { allowanceFen: 1000, usedFen: 1000, period: 'day' } });
  });

  it('a new day starts a new allowance', () => {
    const history = [row(TUESDAY, 'lunch', 'v1:a', 1000)];
    expect(evaluate(input(daily, { serviceDate: '2026-03-11', history })).elderSubsidyFen).toBe(1000);
  });

  it('sums the amounts, not the count, and only of its own layer', () => {
    const history = [row(TUESDAY, 'breakfast', 'v1:a', 250), row(TUESDAY, 'breakfast', 'v1:other', 900), row('2026-03-09', 'lunch', 'v1:a', 1000)];
    expect(evaluate(input(daily, { history })).elderSubsidyFen).toBe(750);
  });

  it('counts rows of earlier versions of the same policy', () => {
    const d = daily[0]!.document;
    const history = [row(TUESDAY, 'breakfast', 'old:a', 700)];
    expect(evaluate(input([{ versionId: 'new', document: d, previousVersionIds: ['old'] }], { history })).elderSubsidyFen).toBe(300);
  });

  it('rows that only count a meal (amountFen 0, the one-meal-per-period rule) spend no allowance', () => {
    const history = slotAlreadySubsidised(daily, TUESDAY, 'breakfast');
    expect(history.every((h) => h.amountFen === 0)).toBe(true);
    expect(evaluate(input(daily, { history })).elderSubsidyFen).toBe(1000);
  });

  it('a weekly allowance (¥20, ¥8 a meal): ¥8, ¥8, ¥4, then nothing until Monday', () => {
    const weekly = versions(
      doc([
        { id: 'w', name: 'w', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 800 }, limits: { allowance: { period: 'week', amountFen: 2000 } } },
      ]),
    );
    const es = day(weekly, [
      { date: '2026-03-09', mealPeriod: 'lunch', priceFen: 1200 },
      { date: '2026-03-10', mealPeriod: 'lunch', priceFen: 1200 },
      { date: '2026-03-12', mealPeriod: 'lunch', priceFen: 1200 },
      { date: '2026-03-15', mealPeriod: 'lunch', priceFen: 1200 }, // Sunday, same ISO week
      { date: '2026-03-16', mealPeriod: 'lunch', priceFen: 1200 }, // Monday
    ]);
    expect(es.map((e) => e.elderSubsidyFen)).toEqual([800, 800, 400, 0, 800]);
    expect(es[3]!.layers[0]!.reason).toBe('allowance_week');
  });

  it('a monthly allowance (¥50) runs to the end of the calendar month', () => {
    const monthly = versions(
      doc([
        { id: 'm', name: 'm', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 300 }, limits: { allowance: { period: 'month', amountFen: 5000 } } },
      ]),
    );
    const spent = Array.from({ length: 16 }, (_, i) => row(`2026-03-${String(i + 1).padStart(2, '0')}`, 'lunch', 'v1:m', 300)); // ¥48
    expect(evaluate(input(monthly, { serviceDate: '2026-03-20', history: spent })).layers[0]).toMatchObject({ amountFen: 200, reason: 'applied' });
    expect(evaluate(input(monthly, { serviceDate: '2026-03-20', history: [...spent, row('2026-03-17', 'lunch', 'v1:m', 200)] })).layers[0]!.reason).toBe(
      'allowance_month',
    );
    expect(evaluate(input(monthly, { serviceDate: '2026-04-01', history: spent })).elderSubsidyFen).toBe(300);
  });

  it('layers of one pool share it, within one meal too: ¥4 + ¥4 against ¥6 a day pays ¥4 + ¥2', () => {
    const pool = { period: 'day', amountFen: 600, pool: 'daily' } as const;
    const p = versions(
      doc([
        { id: 'x', name: 'x', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 400 }, limits: { allowance: pool } },
        { id: 'y', name: 'y', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 400 }, limits: { allowance: pool } },
      ]),
    );
    const e = evaluate(input(p));
    expect(e.layers.map((l) => l.amountFen)).toEqual([400, 200]);
    expect(evaluate(input(p, { history: [row(TUESDAY, 'breakfast', 'v1:y', 500)] })).layers.map((l) => l.reason)).toEqual(['applied', 'allowance_day']);
  });

  it('works alongside count limits and per-meal amounts: the first limit reached stops the layer', () => {
    const p = versions(
      doc([
        {
          id: 'a',
          name: 'a',
          payer: 'p',
          kind: 'meal',
          pays: { type: 'fixed', amountFen: 300 },
          limits: { perDay: 2, allowance: { period: 'day', amountFen: 500 } },
        },
      ]),
    );
    const [b, l, d] = day(p, [
      { mealPeriod: 'breakfast', priceFen: 1000 },
      { mealPeriod: 'lunch', priceFen: 1000 },
      { mealPeriod: 'dinner', priceFen: 1000 },
    ]);
    expect([b!.elderSubsidyFen, l!.elderSubsidyFen, d!.elderSubsidyFen]).toEqual([300, 200, 0]);
    expect(d!.layers[0]!.reason).toBe('limit_day');
  });

  it('an operator layer can carry an allowance too (delivery ¥4, at most ¥60 a month per elder)', () => {
    const p = versions(
      doc([
        {
          id: 'd',
          name: 'd',
          payer: 'p',
          kind: 'delivery',
          pays: { type: 'fixed', amountFen: 400 },
          limits: { allowance: { period: 'month', amountFen: 6000 } },
        },
      ]),
    );
    const history = Array.from({ length: 14 }, (_, i) => row(`2026-03-0${(i % 9) + 1}`, i < 9 ? 'lunch' : 'dinner', 'v1:d', 400)); // ¥56
    const e = evaluate(input(p, { fulfilment: 'delivery', history }));
    expect(e.operatorSubsidyFen).toBe(400);
    expect(evaluate(input(p, { fulfilment: 'delivery', history: [...history, row('2026-03-09', 'dinner', 'v1:d', 100)] })).operatorSubsidyFen).toBe(300);
  });

  it('historyWindow covers the ISO week and the calendar month', () => {
    expect(historyWindow('2026-03-10')).toEqual({ from: '2026-03-01', to: '2026-03-10' });
    expect(historyWindow('2026-04-02')).toEqual({ from: '2026-03-30', to: '2026-04-02' }); // Monday before the 1st
  });
});

// ---------------------------------------------------------------- 2. exclusion and replacement

describe('exclusion by dish tags', () => {
  it('covers only lines without the excluded tags: half of ¥8, not of ¥14', () => {
    const p = versions(
      doc(
        [
          {
            id: 'a',
            name: 'a',
            payer: 'p',
            kind: 'meal',
            pays: { type: 'fraction', numerator: 1, denominator: 2 },
            when: { dishTagsNone: ['drink'] },
          },
        ],
        { dishTags: [{ code: 'drink', zh: '饮品', en: 'drink' }] },
      ),
    );
    const lines = [
      { dishId: 'set', unitPriceFen: 800, quantity: 1 },
      { dishId: 'tea', unitPriceFen: 300, quantity: 2, tags: ['drink'] },
    ];
    const e = evaluate(input(p, { lines }));
    expect(e.elderSubsidyFen).toBe(400);
    expect(e.lineShares).toEqual([
      { dishId: 'set', elderSubsidyFen: 400 },
      { dishId: 'tea', elderSubsidyFen: 0 },
    ]);
    expect(evaluate(input(p, { lines: [lines[1]!] })).layers[0]).toMatchObject({ reason: 'no_eligible_dish', detail: { dishTagsNone: 'drink' } });
  });
});

describe('replacement: one layer takes the place of another for the same meal', () => {
  const p = versions(
    doc([
      {
        id: 'diet',
        name: '慢病膳食补贴',
        payer: 'p',
        kind: 'meal',
        pays: { type: 'fixed', amountFen: 500 },
        when: { dishTagsAny: ['low_sugar'] },
        limits: { budgetFen: 100_000 },
        replaces: ['basic'],
      },
      { id: 'basic', name: '基本补贴', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 300 } },
    ]),
  );
  const lowSugar = [{ dishId: 'ls', unitPriceFen: 1200, quantity: 1, tags: ['low_sugar'] }];

  it('a diet meal gets ¥5 instead of ¥3 + ¥5', () => {
    const e = evaluate(input(p, { lines: lowSugar }));
    expect(e.elderSubsidyFen).toBe(500);
    expect(layer(e, 'basic')).toMatchObject({ amountFen: 0, reason: 'replaced', detail: { replacedBy: 'diet' } });
  });
  it('an ordinary meal keeps the basic ¥3', () => {
    const e = evaluate(input(p));
    expect(e.elderSubsidyFen).toBe(300);
    expect(layer(e, 'diet').reason).toBe('no_eligible_dish');
  });
  it('when the replacing layer pays nothing (its budget is spent), the basic one pays', () => {
    const e = evaluate(input(p, { lines: lowSugar, layerSpentFen: { 'v1:diet': 100_000 } }));
    expect(e.layers.map((l) => [l.layerId, l.reason, l.amountFen])).toEqual([
      ['diet', 'budget_spent', 0],
      ['basic', 'applied', 300],
    ]);
  });
  it('replacement is per meal: the basic layer keeps its own history and limits', () => {
    const history = historyEntriesFor(evaluate(input(p, { lines: lowSugar })), TUESDAY, 'lunch', 'c');
    expect(history.map((h) => h.layerKey)).toEqual(['v1:diet']);
  });
});

// ---------------------------------------------------------------- 3. where the elder lives

describe('eligibility by residence (常住 / 居住证) and "either" combinations', () => {
  const fixed = (who: LayerInput['who']) => versions(doc([{ id: 'a', name: 'a', payer: 'p', kind: 'meal', who, pays: { type: 'fixed', amountFen: 200 } }]));
  const hukouOnly = resident({ hukouAreaCode: '440106001', residenceAreaCode: '440304001' }); // 户籍 Guangzhou, lives in Shenzhen
  const residentOnly = resident({ hukouAreaCode: '430102001', residenceAreaCode: '440106001' }); // 户籍 Changsha, lives in Guangzhou
  const both = resident({ hukouAreaCode: '440106001', residenceAreaCode: '440106001' });
  const neither = resident({ hukouAreaCode: '430102001', residenceAreaCode: '430102001' });

  it('residence alone', () => {
    const p = fixed({ residence: 'issuer_area' });
    expect(evaluate(input(p, { resident: residentOnly })).elderSubsidyFen).toBe(200);
    expect(evaluate(input(p, { resident: hukouOnly })).layers[0]).toMatchObject({ reason: 'residence_scope', detail: { residence: 'issuer_area' } });
    expect(evaluate(input(p, { resident: resident({ residenceAreaCode: null }) })).layers[0]!.reason).toBe('residence_scope');
    expect(evaluate(input(p, { resident: null })).layers[0]!.reason).toBe('guest');
  });
  it('户籍 and residence both required unless hukouOrResidence', () => {
    const p = fixed({ hukou: 'city', residence: 'city' });
    expect(evaluate(input(p, { resident: hukouOnly })).layers[0]!.reason).toBe('residence_scope');
    expect(evaluate(input(p, { resident: residentOnly })).layers[0]!.reason).toBe('hukou_scope');
    expect(evaluate(input(p, { resident: both })).elderSubsidyFen).toBe(200);
  });
  it('户籍 in the city OR living there: ¥2 each way, ¥2 (not ¥4) when both hold', () => {
    const p = fixed({ hukou: 'city', residence: 'city', hukouOrResidence: true });
    for (const r of [hukouOnly, residentOnly, both]) {
      const e = evaluate(input(p, { resident: r }));
      expect(e.elderSubsidyFen).toBe(200);
      expect(e.layers).toHaveLength(1);
    }
    expect(evaluate(input(p, { resident: neither })).layers[0]).toMatchObject({ reason: 'not_local', detail: { hukou: 'city', residence: 'city' } });
  });
  it('as tiers: 户籍 ¥3, otherwise living here ¥2; both → ¥3 once', () => {
    const p = versions(
      doc([
        {
          id: 'a',
          name: 'a',
          payer: 'p',
          kind: 'meal',
          tiers: [
            { label: '本市户籍', who: { hukou: 'city' }, pays: { type: 'fixed', amountFen: 300 } },
            { label: '本市常住', who: { residence: 'city' }, pays: { type: 'fixed', amountFen: 200 } },
          ],
        },
      ]),
    );
    expect(evaluate(input(p, { resident: both })).elderSubsidyFen).toBe(300);
    expect(evaluate(input(p, { resident: residentOnly })).elderSubsidyFen).toBe(200);
    expect(evaluate(input(p, { resident: neither })).layers[0]!.reason).toBe('residence_scope');
  });
  it('own district by 户籍 or residence', () => {
    const p = versions(
      doc([{ id: 'a', name: 'a', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 100 }, where: 'own_district', home: 'hukou_or_residence' }]),
    );
    const tianhe = canteen('440106002');
    expect(evaluate(input(p, { canteen: tianhe, resident: resident({ hukouAreaCode: '440104001', residenceAreaCode: '440106009' }) })).elderSubsidyFen).toBe(
      100,
    );
    expect(evaluate(input(p, { canteen: tianhe, resident: resident({ hukouAreaCode: '440106001', residenceAreaCode: null }) })).elderSubsidyFen).toBe(100);
    expect(evaluate(input(p, { canteen: tianhe, resident: resident({ hukouAreaCode: '440104001', residenceAreaCode: '440104001' }) })).layers[0]).toMatchObject(
      {
        reason: 'not_own_district',
        detail: { home: 'hukou_or_residence' },
      },
    );
  });
});

// ---------------------------------------------------------------- 4. full-pay lines

describe('a line the elder always pays in full (a delivery fee)', () => {
  const fee = (priceFen: number) => ({ dishId: 'delivery-fee', unitPriceFen: priceFen, quantity: 1, fullPay: true });

  it('Guangzhou, ¥8 meal delivered with a ¥4 fee: a quarter of ¥8 (¥2), not of ¥12; the elder pays ¥6 + ¥4', () => {
    const e = evaluate(input(versions(guangzhou2024), { fulfilment: 'delivery', resident: resident({ careLevel: 3 }), lines: [...meal(800), fee(400)] }));
    expect(e).toMatchObject({ mealPriceFen: 1200, fullPayFen: 400, elderSubsidyFen: 200, elderPaysFen: 1000, operatorSubsidyFen: 700 });
    expect(e.lineShares).toEqual([
      { dishId: 'set-meal', elderSubsidyFen: 200 },
      { dishId: 'delivery-fee', elderSubsidyFen: 0 },
    ]);
  });
  it('Tianhe 低保 "pays at most ¥1" is about the meal: ¥12 meal + ¥3 fee → ¥1 + ¥3', () => {
    const dibao = resident({ categories: [{ code: 'dibao', validFrom: '2020-01-01', validTo: null }] });
    const e = evaluate(input(versions(guangzhou2024, tianheTopUp), { resident: dibao, lines: [...meal(1200), fee(300)] }));
    expect(e.elderPaysFen).toBe(400);
    expect(layer(e, 'top-up').amountFen).toBe(800);
  });
  it('Zhongshan: a free meal still leaves the ¥3 fee to the elder', () => {
    const dibao = resident({ hukouAreaCode: '442000003', categories: [{ code: 'dibao', validFrom: '2020-01-01', validTo: null }] });
    const e = evaluate(input(versions(zhongshan), { canteen: canteen('442000001'), resident: dibao, lines: [...meal(1300), fee(300)] }));
    expect(e.elderSubsidyFen).toBe(1300);
    expect(e.elderPaysFen).toBe(300);
  });
  it('a fee does not lift a cheap dish over the minimum price; a fee alone covers nothing', () => {
    const gz = versions(guangzhou2024);
    const e = evaluate(input(gz, { lines: [...meal(300), fee(500)] }));
    expect(e.layers.map((l) => l.reason)).toEqual(['min_price', 'fulfilment', 'min_price']);
    expect(layer(e, 'meal').detail).toMatchObject({ mealPriceFen: 300, minMealPriceFen: 500 });
    expect(evaluate(input(gz, { lines: [fee(1200)] })).layers.map((l) => l.reason)).toEqual(['no_eligible_dish', 'fulfilment', 'no_eligible_dish']);
  });
});

// ---------------------------------------------------------------- 5. "layer pays X, elder pays at most Y"

describe('"the layer pays ¥5 and the elder pays at most ¥8" (they meet at ¥13), stated for every price', () => {
  type Below = 'elder_pays_less' | 'layer_pays_less';
  type Above = 'layer_pays_more' | 'elder_pays_more' | 'no_subsidy';
  const p = (belowMeet: Below, aboveMeet: Above) =>
    versions(
      doc([
        { id: 'a', name: 'a', payer: 'p', kind: 'meal', pays: { type: 'amount_and_elder_cap', amountFen: 500, elderPaysAtMostFen: 800, belowMeet, aboveMeet } },
      ]),
    );
  // [price, below, above, layer pays, elder pays, reason]
  const rows: [number, Below, Above, number, number, string][] = [
    [1300, 'elder_pays_less', 'layer_pays_more', 500, 800, 'applied'],
    [1300, 'layer_pays_less', 'no_subsidy', 500, 800, 'applied'],
    [1000, 'elder_pays_less', 'no_subsidy', 500, 500, 'applied'], // below: the layer still pays ¥5
    [1000, 'layer_pays_less', 'no_subsidy', 200, 800, 'applied'], // below: the elder still pays ¥8
    [400, 'elder_pays_less', 'no_subsidy', 400, 0, 'applied'], // never more than the price
    [700, 'layer_pays_less', 'no_subsidy', 0, 700, 'zero_amount'], // under ¥8 the elder pays it all
    [1600, 'elder_pays_less', 'layer_pays_more', 800, 800, 'applied'], // above: the layer pays the rest
    [1600, 'elder_pays_less', 'elder_pays_more', 500, 1100, 'applied'], // above: the elder pays the rest
    [1600, 'elder_pays_less', 'no_subsidy', 0, 1600, 'max_price'], // above: no subsidy from this layer
    [1301, 'elder_pays_less', 'no_subsidy', 0, 1301, 'max_price'],
  ];
  it.each(rows)('¥%i fen, below %s, above %s → layer %i, elder %i (%s)', (price, below, above, layerPays, elderPays, reason) => {
    const e = evaluate(input(p(below, above), { lines: meal(price) }));
    expect(e.layers[0]).toMatchObject({ amountFen: layerPays, reason, detail: { meetPriceFen: 1300 } });
    expect(e.elderPaysFen).toBe(elderPays);
  });
});

// ---------------------------------------------------------------- 6. minimum price on every layer kind

describe('Guangzhou: no subsidy of any kind for a meal under ¥5 (issue 8, free-dish farming)', () => {
  const gz = versions(guangzhou2024);
  const careLevel3 = resident({ careLevel: 3 });
  it('a ¥0 dish keyed for a resident and delivered earns nothing: meal, delivery and operating all min_price', () => {
    const e = evaluate(input(gz, { lines: meal(0), fulfilment: 'delivery', resident: careLevel3 }));
    expect(e.layers.map((l) => [l.layerId, l.reason, l.amountFen])).toEqual([
      ['meal', 'min_price', 0],
      ['delivery', 'min_price', 0],
      ['operating', 'min_price', 0],
    ]);
    expect(e.operatorSubsidyFen).toBe(0);
  });
  it('¥4.99 earns nothing; ¥5 earns meal ¥1.25, delivery ¥4 and operating ¥3', () => {
    expect(evaluate(input(gz, { lines: meal(499), fulfilment: 'delivery', resident: careLevel3 })).operatorSubsidyFen).toBe(0);
    const e = evaluate(input(gz, { lines: meal(500), fulfilment: 'delivery', resident: careLevel3 }));
    expect([e.elderSubsidyFen, layer(e, 'delivery').amountFen, layer(e, 'operating').amountFen]).toEqual([125, 400, 300]);
  });
  it('two dishes that add up to ¥5 count as a ¥5 meal', () => {
    const lines = [
      { dishId: 'rice', unitPriceFen: 100, quantity: 1 },
      { dishId: 'veg', unitPriceFen: 400, quantity: 1 },
    ];
    expect(evaluate(input(gz, { lines })).operatorSubsidyFen).toBe(300);
  });
});

// ---------------------------------------------------------------- one subsidised meal per meal period

describe('one subsidised meal per meal period, across every layer kind', () => {
  it('after a subsidised lunch elsewhere, a second lunch earns neither the elder nor the operator anything', () => {
    const policies = versions(guangzhou2024, tianheTopUp);
    const history = slotAlreadySubsidised(policies, TUESDAY, 'lunch');
    const e = evaluate(input(policies, { history, fulfilment: 'delivery', resident: resident({ careLevel: 3, birthDate: '1940-01-01' }) }));
    expect(e.layers.map((l) => l.reason)).toEqual(['limit_meal_period', 'limit_meal_period', 'limit_meal_period', 'limit_meal_period']);
    expect(e.elderSubsidyFen + e.operatorSubsidyFen).toBe(0);
  });
  it('holds for a layer that allows two per meal period too', () => {
    const p = versions(doc([{ id: 'a', name: 'a', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 100 }, limits: { perMealPeriod: 2 } }]));
    expect(evaluate(input(p, { history: slotAlreadySubsidised(p, TUESDAY, 'lunch') })).layers[0]!.reason).toBe('limit_meal_period');
  });
});

// ---------------------------------------------------------------- named canteens

describe('a layer limited to named canteens', () => {
  const charity = definePolicy({
    name: '慈善助餐',
    level: 'charity',
    areaCode: '440106',
    effectiveFrom: '2024-01-01',
    effectiveTo: null,
    layers: [
      {
        id: 'named',
        name: '慈善加补',
        payer: '某慈善会',
        kind: 'meal',
        who: { minAge: 60 },
        pays: { type: 'fixed', amountFen: 150 },
        where: 'any',
        canteens: ['c-a', 'c-b'],
      },
    ],
  });
  it('pays ¥1.50 at a named canteen and nothing (not_named_canteen) at another one of the same street', () => {
    const at = (id: string) => evaluate(input(versions(charity), { canteen: { id, areaCode: '440106001', supplyMode: 'own_kitchen' } }));
    expect(at('c-a').elderSubsidyFen).toBe(150);
    expect(at('c-b').elderPaysFen).toBe(1050);
    expect(at('c-other').layers[0]).toMatchObject({ amountFen: 0, reason: 'not_named_canteen', detail: { canteenId: 'c-other' } });
  });
  it('named canteens still obey `where`: an issuer-area layer naming a canteen outside the area pays nothing there', () => {
    const p = definePolicy({ ...charity, layers: [{ ...charity.layers[0]!, where: 'issuer_area' }] });
    const e = evaluate(input(versions(p), { canteen: { id: 'c-a', areaCode: '440104001', supplyMode: 'own_kitchen' } }));
    expect(e.layers[0]!.reason).toBe('outside_area');
  });
});
