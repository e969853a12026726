import { describe, expect, it } from 'vitest';
import { evaluate, type Evaluation, type HistoryEntry } from '../evaluate';
import { parsePolicy } from '../schema';
import { canteen, input, meal, resident, SATURDAY, TUESDAY, versions } from '../testkit';
import { historyEntriesFor } from '../evaluate';
import {
  baiyunDietMeals,
  guangzhou2024,
  haizhuDailyAllowance,
  liwanCap,
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

describe('Zengcheng: "city ¥3 + district ¥3, needy elders pay at most ¥1" above and below the price where they meet', () => {
  const p = versions(guangzhou2024, zengchengDistrict, zengchengTown);
  const town = canteen(ZENGCHENG_DEMO_TOWN);
  const needy = resident({ hukouAreaCode: ZENGCHENG_DEMO_TOWN, birthDate: '1956-01-01', categories: dibao });
  // [meal price, city, district, town, elder pays, town reason]
  const rows: [number, number, number, number, number, string][] = [
    [2000, 300, 300, 1300, 100, 'applied'], // above: the town pays the rest, the elder still ¥1
    [1200, 300, 300, 500, 100, 'applied'],
    [700, 175, 300, 125, 100, 'applied'], // below ¥12: the city's quarter is less, the town less again
    [450, 0, 300, 50, 100, 'applied'], // under the city's ¥5 minimum: no city share
    [350, 0, 300, 0, 50, 'zero_amount'], // the district's ¥3 leaves ¥0.50, under the ¥1 the elder may pay
    [300, 0, 300, 0, 0, 'nothing_left'],
  ];
  it.each(rows)('¥%i fen: city %i, district %i, town %i, elder %i', (price, city, district, townFen, elder, reason) => {
    const e = evaluate(input(p, { canteen: town, resident: needy, lines: meal(price) }));
    expect(amounts(e)).toMatchObject({ meal: city, 'district-meal': district, 'town-meal': townFen });
    expect(reasons(e)['town-meal']).toBe(reason);
    expect(e.elderPaysFen).toBe(elder);
  });
});

describe('Haizhu demo: ¥2 breakfast, ¥4 lunch or dinner, at most ¥6 a day; 户籍 in Guangzhou or living in Haizhu', () => {
  const p = versions(guangzhou2024, haizhuDailyAllowance);
  const haizhu = canteen('440105002');
  const elder = resident({ hukouAreaCode: '440105001', residenceAreaCode: '440105001' });
  function eat(meals: ('breakfast' | 'lunch' | 'dinner')[], over: Parameters<typeof input>[1] = {}) {
    const history: HistoryEntry[] = [];
    return meals.map((m) => {
      const e = evaluate(input(p, { canteen: haizhu, resident: elder, mealPeriod: m, lines: meal(1200), history: [...history], ...over }));
      history.push(...historyEntriesFor(e, TUESDAY, m, haizhu.id));
      return e;
    });
  }
  it('breakfast ¥2, lunch ¥4, dinner ¥0 (the day’s ¥6 is spent); the city’s ¥3 stays on lunch and dinner', () => {
    const [b, l, d] = eat(['breakfast', 'lunch', 'dinner']);
    expect(amounts(b!)).toMatchObject({ breakfast: 200, meal: 0 });
    expect(amounts(l!)).toMatchObject({ 'lunch-dinner': 400, meal: 300 });
    expect(l!.elderPaysFen).toBe(500);
    expect(reasons(d!)['lunch-dinner']).toBe('allowance_day');
    expect(d!.elderPaysFen).toBe(900);
  });
  it('no breakfast: lunch ¥4, dinner ¥2', () => {
    const [l, d] = eat(['lunch', 'dinner']);
    expect(amounts(l!)['lunch-dinner']).toBe(400);
    expect(d!.layers.find((x) => x.layerId === 'lunch-dinner')).toMatchObject({ amountFen: 200, detail: { clampedToAllowanceFen: 200 } });
  });
  it('a Haizhu resident with 户籍 elsewhere qualifies; a Guangzhou 户籍 living in Shenzhen too, paid once; neither → not_local', () => {
    const at = (r: ReturnType<typeof resident>) => evaluate(input(p, { canteen: haizhu, resident: r }));
    expect(amounts(at(resident({ hukouAreaCode: '430102001', residenceAreaCode: '440105003' })))['lunch-dinner']).toBe(400);
    expect(amounts(at(resident({ hukouAreaCode: '440106001', residenceAreaCode: '440304001' })))['lunch-dinner']).toBe(400);
    expect(reasons(at(resident({ hukouAreaCode: '430102001', residenceAreaCode: '440106001' })))['lunch-dinner']).toBe('not_local');
  });
});

describe('Baiyun demo: diet meals replace the basic set subsidy; extras never count', () => {
  const p = versions(baiyunDietMeals);
  const base = { canteen: canteen('440111001'), resident: resident({ hukouAreaCode: '440111002' }) };
  const line = (dishId: string, unitPriceFen: number, tags: string[] = []) => ({ dishId, unitPriceFen, quantity: 1, tags });
  it('a ¥10 basic set: half, at most ¥4 → ¥4; a ¥7 one → ¥3.50', () => {
    expect(evaluate(input(p, { ...base, lines: [line('set', 1000, ['basic_set'])] })).elderSubsidyFen).toBe(400);
    expect(evaluate(input(p, { ...base, lines: [line('set', 700, ['basic_set'])] })).elderSubsidyFen).toBe(350);
  });
  it('a ¥6 basic set with a ¥5 extra: half of ¥6 (¥3), the extra is paid in full', () => {
    const e = evaluate(input(p, { ...base, lines: [line('set', 600, ['basic_set']), line('wings', 500, ['extra'])] }));
    expect(e.elderSubsidyFen).toBe(300);
    expect(e.lineShares.map((s) => s.elderSubsidyFen)).toEqual([300, 0]);
  });
  it('a ¥5 basic set with a ¥3 extra is under the ¥6 minimum: extras do not count towards it', () => {
    const e = evaluate(input(p, { ...base, lines: [line('set', 500, ['basic_set']), line('wings', 300, ['extra'])] }));
    expect(reasons(e).basic).toBe('min_price');
  });
  it('a ¥12 low-sugar set: ¥5 diet subsidy instead of the basic one', () => {
    const e = evaluate(input(p, { ...base, lines: [line('ls-set', 1200, ['basic_set', 'low_sugar'])] }));
    expect(amounts(e)).toEqual({ diet: 500, basic: 0 });
    expect(reasons(e).basic).toBe('replaced');
    expect(e.elderPaysFen).toBe(700);
  });
  it('a low-salt dish ordered as an extra is not a diet meal: the basic subsidy applies', () => {
    const e = evaluate(input(p, { ...base, lines: [line('set', 1000, ['basic_set']), line('fish', 800, ['low_salt', 'extra'])] }));
    expect(reasons(e)).toEqual({ diet: 'no_eligible_dish', basic: 'applied' });
    expect(e.elderSubsidyFen).toBe(400);
  });
});

describe('Liwan demo: the district pays ¥5, a needy elder pays at most ¥8, on top of the city', () => {
  const p = versions(guangzhou2024, liwanCap);
  const base = { canteen: canteen('440103001'), resident: resident({ hukouAreaCode: '440103002', categories: dibao }) };
  // [meal price, city, district, elder]: they meet at ¥13 after the city's share
  const rows: [number, number, number, number][] = [
    [1600, 300, 500, 800], // ¥13 left after the city: ¥5 + ¥8
    [2000, 300, 900, 800], // above: the district pays the rest, the elder still ¥8
    [1300, 300, 500, 500], // below: the district still pays ¥5, the elder less
    [800, 200, 500, 100],
    [600, 150, 450, 0], // never more than what is left
  ];
  it.each(rows)('¥%i fen: city %i, district %i, elder %i', (price, city, district, elder) => {
    const e = evaluate(input(p, { ...base, lines: meal(price) }));
    expect(amounts(e)).toMatchObject({ meal: city, needy: district });
    expect(e.elderPaysFen).toBe(elder);
  });
});
