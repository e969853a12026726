import { describe, expect, it } from 'vitest';
import { evaluate, type Evaluation, type HistoryEntry } from '../evaluate';
import { parsePolicy } from '../schema';
import { canteen, input, meal, resident, SATURDAY, TUESDAY, versions } from '../testkit';
import {
  guangzhou2024,
  hangzhou,
  hefeiDietMeals,
  POLICY_LIBRARY,
  shenzhen,
  tianjin,
  ZENGCHENG_DEMO_TOWN,
  zengchengDistrict,
  zengchengTown,
  zhongshan,
  zhuhai,
} from '.';

const reasons = (e: Evaluation) => Object.fromEntries(e.layers.map((l) => [l.layerId, l.reason]));
const amounts = (e: Evaluation) => Object.fromEntries(e.layers.map((l) => [l.layerId, l.amountFen]));
const dibao = [{ code: 'dibao' as const, validFrom: '2020-01-01', validTo: null }];

describe('the shipped library', () => {
  it.each(Object.entries(POLICY_LIBRARY))('%s round-trips through parsePolicy unchanged', (_slug, doc) => {
    const r = parsePolicy(JSON.parse(JSON.stringify(doc)));
    expect(r).toEqual({ ok: true, policy: doc });
  });
});

describe('Shenzhen', () => {
  const p = versions(shenzhen);
  const futian = canteen('440304001');
  const elder = (over: Parameters<typeof resident>[0] = {}) => resident({ hukouAreaCode: '440304002', ...over });
  it('key protected group: up to ¥15 of actual spend', () => {
    expect(evaluate(input(p, { canteen: futian, lines: meal(2000), resident: elder({ birthDate: '1960-01-01', categories: dibao }) })).elderSubsidyFen).toBe(
      1500,
    );
    const e = evaluate(input(p, { canteen: futian, lines: meal(1200), resident: elder({ birthDate: '1960-01-01', categories: dibao }) }));
    expect(e.elderSubsidyFen).toBe(1200);
    expect(e.elderPaysFen).toBe(0);
  });
  it('100+ counts as a key group by age', () => {
    expect(evaluate(input(p, { canteen: futian, lines: meal(2000), resident: elder({ birthDate: '1925-01-01' }) })).elderSubsidyFen).toBe(1500);
  });
  it('户籍 70–99: up to ¥5', () => {
    const e = evaluate(input(p, { canteen: futian, lines: meal(1500), resident: elder() }));
    expect(e.elderSubsidyFen).toBe(500);
    expect(amounts(e)).toMatchObject({ operating: 200, delivery: 0 });
  });
  it('65 without a key category gets nothing', () => {
    expect(reasons(evaluate(input(p, { canteen: futian, resident: elder({ birthDate: '1961-01-01' }) }))).meal).toBe('age');
  });
  it('non-户籍 gets nothing', () => {
    expect(reasons(evaluate(input(p, { canteen: futian, resident: elder({ hukouAreaCode: null }) }))).meal).toBe('hukou_scope');
  });
  it('outside the elder own 户籍 district → 0', () => {
    const e = evaluate(input(p, { canteen: canteen('440303001'), resident: elder() }));
    expect(e.elderSubsidyFen).toBe(0);
    expect(reasons(e).meal).toBe('not_own_district');
  });
  it('weekend → 0; dinner → 0', () => {
    expect(reasons(evaluate(input(p, { canteen: futian, resident: elder(), serviceDate: SATURDAY }))).meal).toBe('not_working_day');
    expect(reasons(evaluate(input(p, { canteen: futian, resident: elder(), mealPeriod: 'dinner' }))).meal).toBe('meal_period');
  });
  it('delivery ¥2 and operating ¥2 to the operator', () => {
    const e = evaluate(input(p, { canteen: futian, resident: elder(), fulfilment: 'delivery' }));
    expect(e.operatorSubsidyFen).toBe(400);
  });
});

describe('Zhuhai', () => {
  const p = versions(zhuhai);
  const base = { canteen: canteen('440402001'), resident: resident({ hukouAreaCode: '440402003' }) };
  it('a ¥9.90 meal gets nothing', () => {
    const e = evaluate(input(p, { ...base, lines: meal(990) }));
    expect(e.elderSubsidyFen).toBe(0);
    expect(reasons(e)).toEqual({ 'city-meal': 'min_price', 'district-meal': 'min_price' });
  });
  it('a ¥10 meal gets city ¥3 + district ¥3', () => {
    const e = evaluate(input(p, { ...base, lines: meal(1000) }));
    expect(amounts(e)).toEqual({ 'city-meal': 300, 'district-meal': 300 });
    expect(e.elderPaysFen).toBe(400);
  });
  it('a ¥10 meal made of two dishes counts as ¥10', () => {
    const lines = [
      { dishId: 'a', unitPriceFen: 600, quantity: 1 },
      { dishId: 'b', unitPriceFen: 400, quantity: 1 },
    ];
    expect(evaluate(input(p, { ...base, lines })).elderSubsidyFen).toBe(600);
  });
  it('a second meal the same day gets nothing', () => {
    const history: HistoryEntry[] = [
      { serviceDate: TUESDAY, mealPeriod: 'lunch', canteenId: 'c', layerKey: 'v1:city-meal', amountFen: 300 },
      { serviceDate: TUESDAY, mealPeriod: 'lunch', canteenId: 'c', layerKey: 'v1:district-meal', amountFen: 300 },
    ];
    const e = evaluate(input(p, { ...base, mealPeriod: 'dinner', lines: meal(1000), history }));
    expect(e.elderSubsidyFen).toBe(0);
    expect(reasons(e)).toEqual({ 'city-meal': 'limit_day', 'district-meal': 'limit_day' });
  });
});

describe('Tianjin', () => {
  const p = versions(tianjin);
  const base = { canteen: canteen('120104001'), resident: resident({ hukouAreaCode: '120104002' }) };
  const week = ['2026-03-09', '2026-03-10', '2026-03-11', '2026-03-12', '2026-03-13'].map((d): HistoryEntry => ({
    serviceDate: d,
    mealPeriod: 'lunch',
    canteenId: 'c',
    layerKey: 'v1:meal',
    amountFen: 300,
  }));
  it('¥3 a meal', () => {
    expect(evaluate(input(p, { ...base, history: week.filter((h) => h.serviceDate !== TUESDAY) })).elderSubsidyFen).toBe(300); // 4 others this week
  });
  it('the 6th meal in a week gets nothing', () => {
    const e = evaluate(input(p, { ...base, serviceDate: SATURDAY, history: week }));
    expect(e.elderSubsidyFen).toBe(0);
    expect(e.layers[0]).toMatchObject({ reason: 'limit_week', detail: { limit: 5, used: 5 } });
  });
  it('a new week starts on Monday', () => {
    expect(evaluate(input(p, { ...base, serviceDate: '2026-03-16', history: week })).elderSubsidyFen).toBe(300);
  });
});

describe('Hangzhou', () => {
  const p = versions(hangzhou);
  const base = { canteen: canteen('330106001'), resident: resident({ hukouAreaCode: null, birthDate: '1955-01-01' }) };
  it('60–79 get 20% off', () => {
    expect(evaluate(input(p, { ...base, lines: meal(1500) })).elderSubsidyFen).toBe(300);
    expect(evaluate(input(p, { ...base, lines: meal(1234) })).elderSubsidyFen).toBe(247); // 246.8 → 247
  });
  it('older bands get more', () => {
    expect(evaluate(input(p, { ...base, resident: resident({ birthDate: '1940-01-01' }), lines: meal(1500) })).elderSubsidyFen).toBe(450);
  });
  it('under 60 gets nothing', () => {
    expect(evaluate(input(p, { ...base, resident: resident({ birthDate: '1970-01-01' }) })).layers[0]!.reason).toBe('age');
  });
});

describe('Zhongshan', () => {
  const p = versions(zhongshan);
  const base = { canteen: canteen('442000001'), lines: meal(1300) };
  it('低保 pays 0 on the ¥13 set meal', () => {
    const e = evaluate(input(p, { ...base, resident: resident({ hukouAreaCode: '442000003', categories: dibao }) }));
    expect(e.elderPaysFen).toBe(0);
    expect(e.elderSubsidyFen).toBe(1300);
  });
  it('低保边缘 pays 0 too', () => {
    const cats = [{ code: 'dibao_edge' as const, validFrom: '2020-01-01', validTo: null }];
    expect(evaluate(input(p, { ...base, resident: resident({ hukouAreaCode: '442000003', categories: cats }) })).elderPaysFen).toBe(0);
  });
  it('ordinary elders pay ¥13', () => {
    const e = evaluate(input(p, { ...base, resident: resident({ hukouAreaCode: '442000003' }) }));
    expect(e.elderPaysFen).toBe(1300);
    expect(e.layers[0]!.reason).toBe('category');
  });
});

describe('Zengcheng town example (city ¥3 + district ¥3 + town the rest, ¥12 meal)', () => {
  const p = versions(guangzhou2024, zengchengDistrict, zengchengTown);
  const town = canteen(ZENGCHENG_DEMO_TOWN);
  const elder = (over: Parameters<typeof resident>[0] = {}) => resident({ hukouAreaCode: ZENGCHENG_DEMO_TOWN, birthDate: '1956-01-01', ...over });
  const pays = (e: Evaluation) => e.elderPaysFen;
  it('needy elders pay ¥1', () => {
    const e = evaluate(input(p, { canteen: town, resident: elder({ categories: dibao }) }));
    expect(pays(e)).toBe(100);
    expect(amounts(e)).toMatchObject({ meal: 300, 'district-meal': 300, 'town-meal': 500 });
  });
  it('80+ pay ¥3', () => {
    expect(pays(evaluate(input(p, { canteen: town, resident: elder({ birthDate: '1940-01-01' }) })))).toBe(300);
  });
  it('60–79 pay ¥5', () => {
    expect(pays(evaluate(input(p, { canteen: town, resident: elder() })))).toBe(500);
  });
  it('outside one own town loses the town layer', () => {
    const e = evaluate(input(p, { canteen: canteen('440118101'), resident: elder() }));
    expect(pays(e)).toBe(600);
    expect(reasons(e)['town-meal']).toBe('outside_area');
  });
  it('a town canteen with an elder from another Zengcheng town: not_own_street / hukou', () => {
    const e = evaluate(input(p, { canteen: town, resident: elder({ hukouAreaCode: '440118101' }) }));
    expect(pays(e)).toBe(600);
    expect(reasons(e)['town-meal']).toBe('hukou_scope');
  });
  it('outside one own district loses the district and town layers', () => {
    const e = evaluate(input(p, { canteen: canteen('440106001'), resident: elder() }));
    expect(pays(e)).toBe(900);
    expect(reasons(e)).toMatchObject({ meal: 'applied', 'district-meal': 'outside_area', 'town-meal': 'outside_area' });
  });
});

describe('Hefei diet meals', () => {
  const p = versions(hefeiDietMeals);
  const base = { canteen: canteen('340104001'), resident: resident({ hukouAreaCode: null }) };
  it('subsidises only tagged dishes, clamped to their price', () => {
    const lines = [
      { dishId: 'rice', unitPriceFen: 200, quantity: 1 },
      { dishId: 'steamed-fish', unitPriceFen: 150, quantity: 1, tags: ['low_salt' as const] },
    ];
    const e = evaluate(input(p, { ...base, lines }));
    expect(e.elderSubsidyFen).toBe(150);
    expect(e.lineShares).toEqual([
      { dishId: 'rice', elderSubsidyFen: 0 },
      { dishId: 'steamed-fish', elderSubsidyFen: 150 },
    ]);
  });
  it('no diet dish → no_eligible_dish', () => {
    expect(evaluate(input(p, { ...base })).layers[0]!.reason).toBe('no_eligible_dish');
  });
});
