/**
 * Each rule kind of issue 14, published through the API by the official who may, and priced through the server:
 * kiosk quotes (and orders, where a rule counts earlier meals) give the published amounts to the fen. The engine's
 * own tests (shared/src/policy/rules.test.ts) state the same rules without a server.
 *
 * The demo city at Monday 2026-11-23, 华师社区长者饭堂 (天河区石牌街), where the Guangzhou city rules (a quarter of
 * the price, at most ¥3, from ¥5, lunch and dinner) and the 天河 top-up (低保 pay at most ¥1; 80+ get ¥2) apply.
 * 陈秀英 (78, 天河户籍), 黄伯坚 (86, 低保), 李美华 (66, no 广州户籍, lives in 石牌街), 张国强 (72, 越秀户籍 and home).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import type { LayerInput } from '@yishi/shared';
import { as, login, pairKiosk, makeApp, withQuote, type TestApp } from '../../../test/helpers';

const CANTEEN = 'ct-shipai-huashi';
const dish = (key: string) => `${CANTEEN}__${key}`;
const CARD = { 陈秀英: '4401100001', 黄伯坚: '4401100002', 李美华: '4401100003', 张国强: '4401100004' } as const;

let t: TestApp;
let tianhe: ReturnType<typeof as>;
let operator: ReturnType<typeof as>;
let kiosk: ReturnType<typeof as>;

beforeEach(async () => {
  t = await makeApp();
  // The demo plants a death recorded late and a day of history; none of it concerns these people today.
  tianhe = as(t.app, await login(t.app, 'tianhe'));
  operator = as(t.app, await login(t.app, 'yikang'));
  kiosk = as(t.app, await pairKiosk(t.app, CANTEEN));
});
afterEach(async () => t.close());

/** 天河区民政 creates a new district policy with these layers (and declared tags), from today, and publishes it. */
async function publish(layers: LayerInput[], extra: Record<string, unknown> = {}): Promise<string> {
  const created = await tianhe.post('/api/v1/policies', { start: { level: 'district', areaCode: '440106', name: '天河区助餐新规（测试）' } });
  expect(created.statusCode, created.body).toBe(201);
  const draft = created.json();
  const document = { ...draft.document, effectiveFrom: '2026-11-23', layers, ...extra };
  const saved = await tianhe.put(`/api/v1/policies/${draft.id}`, { document });
  expect(saved.statusCode, saved.body).toBe(200);
  const pub = await tianhe.post(`/api/v1/policies/${draft.id}/publish`);
  expect(pub.statusCode, pub.body).toBe(200);
  return draft.id as string;
}

async function ticket(card: string): Promise<string> {
  const res = await kiosk.post('/api/v1/kiosk/identify', { method: 'card', cardNumber: card });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().ticket as string;
}

interface QuoteView {
  mealPriceFen: number;
  elderSubsidyFen: number;
  elderPaysFen: number;
  operatorSubsidyFen: number;
  lines: { dishId: string; elderSubsidyFen: number }[];
  subsidies: { layerId: string; policyVersionId: string; amountFen: number; reason: string }[];
}

async function quote(card: string, lines: [string, number][], fulfilment: 'dine_in' | 'delivery' = 'dine_in'): Promise<QuoteView> {
  const res = await kiosk.post('/api/v1/quotes', {
    residentTicket: await ticket(card),
    lines: lines.map(([d, quantity]) => ({ dishId: d, quantity })),
    fulfilment,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function order(card: string, lines: [string, number][]) {
  const res = await kiosk.post(
    '/api/v1/orders',
    await withQuote(kiosk, {
      id: uuidv7(),
      residentTicket: await ticket(card),
      identifyMethod: 'card',
      lines: lines.map(([d, quantity]) => ({ dishId: d, quantity })),
      paymentMethod: 'wallet',
    }),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as QuoteView;
}

/** What one layer of a version paid in a quote. */
const paid = (q: QuoteView, versionId: string, layerId: string) => q.subsidies.find((s) => s.policyVersionId === versionId && s.layerId === layerId)!;

/** Today's lunch menu at the canteen, with the dishes a test needs put on it. */
async function lunchMenuWith(...ids: string[]) {
  const menu = (await operator.get(`/api/v1/canteens/${CANTEEN}/menus/2026-11-23/lunch`)).json();
  const items = [...menu.items.map((i: { dish: { id: string }; portions: number | null }) => ({ dishId: i.dish.id, portions: i.portions }))];
  for (const id of ids) if (!items.some((i) => i.dishId === id)) items.push({ dishId: id, portions: null });
  const res = await operator.put(`/api/v1/canteens/${CANTEEN}/menus/2026-11-23/lunch`, { note: null, items });
  expect(res.statusCode, res.body).toBe(200);
}

const base = { payer: '天河区民政局', kind: 'meal' as const, who: { hukou: 'any' as const, minAge: 60 }, where: 'issuer_area' as const };

describe('rule kinds of issue 14, priced by the server', () => {
  it('a daily allowance shared by breakfast and lunch (pool): ¥4 at breakfast, then only the ¥2 left at lunch', async () => {
    const v = await publish([
      {
        ...base,
        id: 'breakfast',
        name: '早餐补贴',
        pays: { type: 'fixed', amountFen: 400 },
        when: { mealPeriods: ['breakfast'] },
        limits: { allowance: { period: 'day', amountFen: 600, pool: 'daily' } },
      },
      {
        ...base,
        id: 'lunch',
        name: '午餐补贴',
        pays: { type: 'fixed', amountFen: 400 },
        when: { mealPeriods: ['lunch'] },
        limits: { allowance: { period: 'day', amountFen: 600, pool: 'daily' } },
      },
    ]);
    // 李美华 has no 广州户籍: neither the city nor the 天河 top-up pays her; this policy does (户籍 any).
    t.clock.set('2026-11-23T08:00:00+08:00');
    const breakfast = await order(CARD.李美华, [[dish('changfen'), 1]]); // ¥6
    expect([breakfast.elderSubsidyFen, breakfast.elderPaysFen]).toEqual([400, 200]);
    expect(paid(breakfast, v, 'breakfast')).toMatchObject({ amountFen: 400, reason: 'applied' });
    t.clock.set('2026-11-23T12:00:00+08:00');
    const lunch = await quote(CARD.李美华, [[dish('set-soft'), 1]]); // ¥10
    expect(paid(lunch, v, 'lunch')).toMatchObject({ amountFen: 200, reason: 'applied' });
    expect([lunch.elderSubsidyFen, lunch.elderPaysFen]).toEqual([200, 800]);
    // The next day starts a new allowance.
    t.clock.set('2026-11-24T12:00:00+08:00');
    const next = await quote(CARD.李美华, [[dish('set-soft'), 1]]);
    expect(paid(next, v, 'lunch').amountFen).toBe(400);
  });

  it('a diet meal replaces the basic subsidy, extras are excluded, and operators tag dishes with the tags the policy declares', async () => {
    const tags = [
      { code: 'basic_set', zh: '基本套餐', en: 'basic set meal' },
      { code: 'extra', zh: '加点菜品', en: 'extra dish' },
    ];
    // Before the policy, 基本套餐 is not a tag an operator may use.
    const before = await operator.patch(`/api/v1/dishes/${dish('set-a')}`, { tags: ['high_protein', 'basic_set'] });
    expect(before.statusCode).toBe(400);
    expect(before.json().error).toMatchObject({ code: 'bad_request', details: { field: 'tags', tag: 'basic_set' } });
    const v = await publish(
      [
        {
          ...base,
          id: 'diet',
          name: '营养餐补贴',
          pays: { type: 'fixed', amountFen: 500 },
          when: { dishTagsAny: ['low_sugar'], dishTagsNone: ['extra'] },
          replaces: ['basic'],
        },
        { ...base, id: 'basic', name: '基本套餐补贴', pays: { type: 'fixed', amountFen: 200 }, when: { dishTagsAny: ['basic_set'], dishTagsNone: ['extra'] } },
      ],
      { dishTags: tags },
    );
    const list = (await operator.get(`/api/v1/canteens/${CANTEEN}/dish-tags`)).json();
    expect(list.find((x: { code: string }) => x.code === 'basic_set')).toEqual({
      code: 'basic_set',
      zh: '基本套餐',
      en: 'basic set meal',
      declaredBy: '天河区助餐新规（测试）',
    });
    expect(list.find((x: { code: string }) => x.code === 'soft')).toMatchObject({ zh: '软烂', declaredBy: null });
    // Another district's canteen does not get 天河's tags.
    const yuexiu = as(t.app, await login(t.app, 'jiajia'));
    const other = (await yuexiu.get('/api/v1/canteens')).json().find((c: { districtCode: string }) => c.districtCode !== '440106');
    if (other) expect((await yuexiu.get(`/api/v1/canteens/${other.id}/dish-tags`)).json().map((x: { code: string }) => x.code)).not.toContain('basic_set');

    expect((await operator.patch(`/api/v1/dishes/${dish('set-a')}`, { tags: ['high_protein', 'basic_set'] })).statusCode).toBe(200);
    expect((await operator.patch(`/api/v1/dishes/${dish('xiangjiao')}`, { tags: ['vegetarian', 'extra'] })).statusCode).toBe(200);
    await lunchMenuWith(dish('set-a'), dish('set-diabetic'), dish('xiangjiao'));

    // 基本套餐 ¥12: city ¥3 + basic ¥2 → ¥7.
    const basic = await quote(CARD.陈秀英, [[dish('set-a'), 1]]);
    expect([basic.elderSubsidyFen, basic.elderPaysFen]).toEqual([500, 700]);
    expect(paid(basic, v, 'diet').reason).toBe('no_eligible_dish');
    // 控糖套餐 (low_sugar) ¥12: city ¥3 + diet ¥5, the basic subsidy replaced (not ¥3 + ¥5 + ¥2) → ¥4.
    const diet = await quote(CARD.陈秀英, [[dish('set-diabetic'), 1]]);
    expect([diet.elderSubsidyFen, diet.elderPaysFen]).toEqual([800, 400]);
    expect(paid(diet, v, 'basic')).toMatchObject({ amountFen: 0, reason: 'replaced' });
    // 基本套餐 + a fruit tagged extra: the basic subsidy is on the set only; the city quarter is of ¥14, capped at ¥3.
    const extra = await quote(CARD.陈秀英, [
      [dish('set-a'), 1],
      [dish('xiangjiao'), 1],
    ]);
    expect([extra.mealPriceFen, extra.elderSubsidyFen, extra.elderPaysFen]).toEqual([1400, 500, 900]);
    expect(extra.lines.find((l) => l.dishId === dish('xiangjiao'))!.elderSubsidyFen).toBe(43); // its part of the city's ¥3 only
  });

  it('eligibility by where the elder lives, or 户籍 in the city OR living here, paid once when both hold', async () => {
    const v = await publish([
      {
        ...base,
        id: 'either',
        name: '本市户籍或在本区居住',
        who: { hukou: 'city', residence: 'issuer_area', hukouOrResidence: true, minAge: 60 },
        pays: { type: 'fixed', amountFen: 100 },
      },
      { ...base, id: 'living', name: '在本区居住', who: { residence: 'issuer_area', minAge: 60 }, pays: { type: 'fixed', amountFen: 50 } },
    ]);
    const soft: [string, number][] = [[dish('set-soft'), 1]]; // ¥10
    const li = await quote(CARD.李美华, soft); // no 户籍, lives in 天河: both layers
    expect([paid(li, v, 'either').amountFen, paid(li, v, 'living').amountFen, li.elderPaysFen]).toEqual([100, 50, 850]);
    const zhang = await quote(CARD.张国强, soft); // 越秀户籍 and home: 户籍 in the city is enough for "either"; not living here
    expect([paid(zhang, v, 'either').amountFen, paid(zhang, v, 'living').reason]).toEqual([100, 'residence_scope']);
    expect(zhang.elderPaysFen).toBe(1000 - 250 - 100);
    const chen = await quote(CARD.陈秀英, soft); // both hold: ¥1 once
    expect(paid(chen, v, 'either').amountFen).toBe(100);
    expect(chen.elderPaysFen).toBe(1000 - 250 - 100 - 50);
  });

  it('a line the elder always pays in full (a delivery fee dish): no subsidy falls on it, and the split stays exact', async () => {
    await publish([{ ...base, id: 'pct', name: '五折', pays: { type: 'percent_off', basisPoints: 5000 } }]);
    const fee = await operator.post(`/api/v1/canteens/${CANTEEN}/dishes`, { name: '送餐费', category: '服务', priceFen: 300, fullPay: true });
    expect(fee.statusCode, fee.body).toBe(201);
    expect(fee.json().fullPay).toBe(true);
    // A new dish's price is a proposal: the street approves it before it can be sold.
    const street = as(t.app, await login(t.app, 'shipai'));
    const approved = await street.post(`/api/v1/price-changes/${fee.json().pendingPrice.id}/approve`, { note: '送餐费按协议' });
    expect(approved.statusCode, approved.body).toBe(200);
    await lunchMenuWith(fee.json().id, dish('set-soft'));
    const q = await quote(CARD.陈秀英, [
      [dish('set-soft'), 1],
      [fee.json().id, 1],
    ]);
    // City: a quarter of ¥10 (not of ¥13) = ¥2.50; 50 % off the ¥10 meal (not the ¥13) = ¥5; the fee ¥3 is paid in full.
    expect([q.mealPriceFen, q.elderSubsidyFen, q.elderPaysFen]).toEqual([1300, 750, 550]);
    expect(q.lines.find((l) => l.dishId === fee.json().id)!.elderSubsidyFen).toBe(0);
    expect(q.lines.reduce((s, l) => s + l.elderSubsidyFen, 0)).toBe(q.elderSubsidyFen);
  });

  it('"the layer pays ¥5 and the elder at most ¥3": below the meeting price the elder pays less, above it the layer pays more', async () => {
    const v = await publish([
      {
        ...base,
        id: 'cap',
        name: '补五元、自付不超过三元',
        who: { hukou: 'issuer_area', minAge: 75 },
        pays: { type: 'amount_and_elder_cap', amountFen: 500, elderPaysAtMostFen: 300, belowMeet: 'elder_pays_less', aboveMeet: 'layer_pays_more' },
      },
    ]);
    // ¥10: after the city's ¥2.50, ¥7.50 is left, under the ¥8 meeting price → the layer still pays ¥5, the elder ¥2.50.
    const below = await quote(CARD.陈秀英, [[dish('set-soft'), 1]]);
    expect([paid(below, v, 'cap').amountFen, below.elderPaysFen]).toEqual([500, 250]);
    // ¥12: after the city's ¥3, ¥9 is left, above ¥8 → the elder still pays only ¥3, the layer ¥6.
    const above = await quote(CARD.陈秀英, [[dish('set-diabetic'), 1]]);
    expect([paid(above, v, 'cap').amountFen, above.elderPaysFen]).toEqual([600, 300]);
  });

  it('a minimum meal price on an operator layer, and a layer limited to named canteens', async () => {
    const v = await publish([
      { ...base, id: 'op', name: '运营补贴加码', kind: 'operating', pays: { type: 'fixed', amountFen: 200 }, limits: { minMealPriceFen: 1100 } },
      { ...base, id: 'named', name: '指定饭堂补贴', pays: { type: 'fixed', amountFen: 100 }, canteens: ['ct-shipai-longkou'] },
    ]);
    const cheap = await quote(CARD.陈秀英, [[dish('set-soft'), 1]]); // ¥10 < ¥11
    expect(paid(cheap, v, 'op')).toMatchObject({ amountFen: 0, reason: 'min_price' });
    expect(paid(cheap, v, 'named')).toMatchObject({ amountFen: 0, reason: 'not_named_canteen' });
    const dear = await quote(CARD.陈秀英, [[dish('set-diabetic'), 1]]); // ¥12
    expect(paid(dear, v, 'op').amountFen).toBe(200);
    expect(dear.operatorSubsidyFen).toBe(300 + 200); // the city's ¥3 for an own-kitchen canteen, and this ¥2
  });
});

describe('creating a new policy', () => {
  it('a district official creates one for their district, with every default written out and starting tomorrow', async () => {
    const res = await tianhe.post('/api/v1/policies', { start: { level: 'district', areaCode: '440106', name: '天河区长者助餐补充补贴' } });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({ status: 'draft', version: 1, level: 'district', areaCode: '440106', policyKey: 'district-440106', effectiveFrom: '2026-11-24' });
    expect(p.document.layers[0]).toMatchObject({
      payer: '天河区民政局',
      who: { hukou: 'issuer_area', minAge: 60, requireRegistered: true },
      limits: { perMealPeriod: 1 },
      where: 'issuer_area',
    });
    expect(p.layers[0].zh).toContain('天河区户籍');
    // A second one gets a key of its own.
    expect((await tianhe.post('/api/v1/policies', { start: { level: 'district', areaCode: '440106', name: '又一项' } })).json().policyKey).toBe(
      'district-440106-2',
    );
  });

  it('refuses, on the area field, a policy for another district, a level above one’s own, and an unknown area', async () => {
    const other = await tianhe.post('/api/v1/policies', { start: { level: 'district', areaCode: '440104', name: '越秀' } });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.details.issues[0]).toMatchObject({ path: 'areaCode', code: 'notYourArea' });
    expect((await tianhe.post('/api/v1/policies', { start: { level: 'city', areaCode: '4401', name: '全市' } })).statusCode).toBe(403);
    const unknown = await tianhe.post('/api/v1/policies', { start: { level: 'district', areaCode: '440199', name: '无此区' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.issues[0]).toMatchObject({ path: 'areaCode', code: 'unknownArea' });
    const shipai = as(t.app, await login(t.app, 'shipai'));
    expect((await shipai.post('/api/v1/policies', { start: { level: 'street', areaCode: '440106004', name: '石牌街加补' } })).statusCode).toBe(201);
    expect((await shipai.post('/api/v1/policies', { start: { level: 'district', areaCode: '440106', name: '天河' } })).statusCode).toBe(403);
    expect(
      (await shipai.post('/api/v1/policies', { start: { level: 'charity', areaCode: '440106004', name: '石牌慈善助餐' } })).json().document.layers[0].payer,
    ).toBe('石牌慈善助餐');
  });

  it('a new version of a policy starts tomorrow by default; the description names declared tags and replaced layers', async () => {
    const city = as(t.app, await login(t.app, 'city'));
    const v2 = (await city.post('/api/v1/policies', { basedOn: 'pv-guangzhou-2024-v1' })).json();
    expect([v2.effectiveFrom, v2.effectiveTo]).toEqual(['2026-11-24', '2029-03-31']);
    const id = await publish(
      [
        { ...base, id: 'diet', name: '营养餐补贴', pays: { type: 'fixed', amountFen: 500 }, when: { dishTagsAny: ['basic_set'] }, replaces: ['basic'] },
        {
          ...base,
          id: 'basic',
          name: '基本补贴',
          pays: { type: 'fixed', amountFen: 200 },
          limits: { allowance: { period: 'day', amountFen: 600, pool: 'daily' } },
        },
      ],
      { dishTags: [{ code: 'basic_set', zh: '基本套餐', en: 'basic set meal' }] },
    );
    const layers = (await tianhe.get(`/api/v1/policies/${id}`)).json().layers;
    expect(layers[0].zh).toContain('标注为基本套餐的餐品');
    expect(layers[0].zh).toContain('代替“基本补贴”');
    expect(layers[1].zh).toContain('每天最多补贴6元');
  });
});
