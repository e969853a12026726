import { describe, expect, it } from 'vitest';
import { BASE_DISH_TAG_LABELS, describeLayer, describePolicy, dishTagLabel, dishTagsOf, PAYS_TYPE_LABELS, yuanText } from './describe';
import type { Lang } from './reasons';
import { baiyunDietMeals, guangzhou2024, haizhuDailyAllowance, liwanCap, POLICY_LIBRARY } from './library';
import { DISH_TAGS } from '../domain/enums';
import { definePolicy, MEAL_ONLY_PAYS_TYPES, PAYS_TYPES, type LayerInput, type Pays } from './schema';

const LANGS: Lang[] = ['zh', 'en'];

const PAYS_EXAMPLES: Record<(typeof PAYS_TYPES)[number], Pays> = {
  fixed: { type: 'fixed', amountFen: 300 },
  fraction: { type: 'fraction', numerator: 1, denominator: 4, capFen: 300 },
  elder_pays_at_most: { type: 'elder_pays_at_most', amountFen: 100 },
  percent_off: { type: 'percent_off', basisPoints: 2050 },
  by_supply_mode: { type: 'by_supply_mode', amounts: { own_kitchen: 300, catered: 150 } },
  by_care_level: {
    type: 'by_care_level',
    amounts: [
      { minLevel: 1, maxLevel: 2, amountFen: 200 },
      { minLevel: 3, maxLevel: 5, amountFen: 400 },
    ],
  },
  actual_spend_up_to: { type: 'actual_spend_up_to', amountFen: 1500 },
  amount_and_elder_cap: { type: 'amount_and_elder_cap', amountFen: 500, elderPaysAtMostFen: 800, belowMeet: 'elder_pays_less', aboveMeet: 'layer_pays_more' },
};

function layerWith(over: Partial<LayerInput>) {
  return definePolicy({
    name: 't',
    level: 'city',
    areaCode: '4401',
    effectiveFrom: '2024-01-01',
    effectiveTo: null,
    layers: [{ id: 'x', name: 'x', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 100 }, ...over }],
  }).layers[0]!;
}

describe('describeLayer', () => {
  it('says the Guangzhou meal layer in plain words', () => {
    const meal = guangzhou2024.layers[0]!;
    expect(describeLayer(meal, 'zh', { areaName: '广州市' })).toBe(
      '广州市户籍、60岁及以上的长者，午餐和晚餐每餐补贴餐价的四分之一，最多3元；每个餐次限1次；餐价不低于5元才补贴。',
    );
    expect(describeLayer(meal, 'en', { areaName: 'Guangzhou' })).toBe(
      'Residents with Guangzhou hukou, aged 60 and over: at lunch and dinner, one quarter of the meal price per meal, at most ¥3; once per meal period; only when the meal costs at least ¥5.',
    );
  });

  for (const type of PAYS_TYPES) {
    for (const kind of ['meal', 'delivery', 'operating'] as const) {
      if ((MEAL_ONLY_PAYS_TYPES as readonly string[]).includes(type) && kind !== 'meal') continue;
      it.each(LANGS)(`describes ${type} on a ${kind} layer (%s)`, (lang) => {
        const text = describeLayer(layerWith({ kind, pays: PAYS_EXAMPLES[type] }), lang);
        expect(text).not.toMatch(/undefined|NaN|\[object/);
        expect(text.length).toBeGreaterThan(10);
        if (lang === 'zh') expect(text).toMatch(/[\u4e00-\u9fff]/);
        else expect(text).not.toMatch(/[\u4e00-\u9fff]/);
      });
    }
  }

  it('covers every condition, limit and tier', () => {
    const layer = layerWith({
      pays: undefined,
      who: { hukou: 'city', maxAge: 99, categoriesNone: ['youfu'], careLevels: [1, 2, 4], disabilityGrades: [1], disabilityLevels: ['severe'] },
      tiers: [
        { label: '低保', who: { categoriesAny: ['dibao'] }, pays: { type: 'elder_pays_at_most', amountFen: 0 } },
        { who: {}, pays: { type: 'fixed', amountFen: 250 } },
      ],
      when: {
        mealPeriods: ['breakfast', 'lunch', 'dinner'],
        workingDaysOnly: true,
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
        fulfilment: ['dine_in'],
        dishTagsAny: ['low_sugar'],
      },
      where: 'own_street',
      home: 'residence',
      limits: { perMealPeriod: 2, perDay: 2, perWeek: 5, perMonth: 20, minMealPriceFen: 1000, budgetFen: 1_000_000 },
    });
    const zh = describeLayer(layer, 'zh');
    for (const s of [
      '本市户籍',
      '99岁及以下',
      '不属于优抚对象',
      '1–2、4级',
      '持1级残疾证',
      '重度失能',
      '早餐、午餐和晚餐',
      '工作日',
      '堂食',
      '低糖',
      '居住地所在街道',
      '免费',
      '2.5元',
      '每天限2次',
      '每周限5次',
      '每月限20次',
      '不低于10元',
      '10000元',
    ]) {
      expect(zh).toContain(s);
    }
    const en = describeLayer(layer, 'en');
    for (const s of ['hukou in this city', 'aged 99 and under', 'at most 5 times a week', 'residence street', 'free for the elder', '¥2.50', '¥10000']) {
      expect(en).toContain(s);
    }
  });

  it.each(Object.entries(POLICY_LIBRARY))('describes every layer of %s in both languages', (_slug, doc) => {
    for (const layer of doc.layers) for (const lang of LANGS) expect(describeLayer(layer, lang)).not.toMatch(/undefined|NaN/);
  });
});

describe('describing the issue 14 rules exactly', () => {
  it('a daily allowance shared by breakfast and lunch reads as daily, naming the layer it is shared with', () => {
    const [b, l] = describePolicy(haizhuDailyAllowance, 'zh', { areaName: '海珠区' });
    expect(b!.text).toBe(
      '本市户籍或在海珠区居住、60岁及以上的长者，早餐每餐补贴2元；每个餐次限1次；每位长者每天最多补贴6元（与“午晚餐补贴”共用），按本人当天已享受的补贴累计；餐价不低于3元才补贴。',
    );
    expect(l!.text).toBe(
      '本市户籍或在海珠区居住、60岁及以上的长者，午餐和晚餐每餐补贴4元；每个餐次限1次；每位长者每天最多补贴6元（与“早餐补贴”共用），按本人当天已享受的补贴累计；餐价不低于5元才补贴。',
    );
    expect(describePolicy(haizhuDailyAllowance, 'en', { areaName: 'Haizhu' })[1]!.text).toBe(
      'Residents with hukou in this city or living in Haizhu, aged 60 and over: at lunch and dinner, ¥4 per meal; once per meal period; at most ¥6 per person a day (shared with "早餐补贴"), counting what they already received that day; only when the meal costs at least ¥5.',
    );
  });
  it('weekly and monthly allowances read as such; an unpooled one names no other layer', () => {
    const week = layerWith({ limits: { allowance: { period: 'week', amountFen: 2000 } } });
    expect(describeLayer(week, 'zh')).toContain('每位长者每周（周一至周日）最多补贴20元，按本人当周已享受的补贴累计');
    expect(describeLayer(week, 'en')).toContain('at most ¥20 per person a week (Monday to Sunday), counting what they already received that week');
    const month = layerWith({ limits: { allowance: { period: 'month', amountFen: 5000, pool: 'm' } } });
    expect(describeLayer(month, 'zh')).toContain('每位长者每月最多补贴50元（与额度“m”的其他补贴共用）');
  });
  it('replacement, exclusion and declared tags read by name with the document', () => {
    const [diet, basic] = describePolicy(baiyunDietMeals, 'zh', { areaName: '白云区' });
    expect(diet!.text).toBe(
      '白云区户籍、60岁及以上的长者，标注为低糖或低盐、未标注为加点菜品的餐品，午餐和晚餐每餐补贴5元；每个餐次限1次；本项适用时代替“基本套餐补贴”，不叠加。',
    );
    expect(basic!.text).toBe(
      '白云区户籍、60岁及以上的长者，标注为基本套餐、未标注为加点菜品的餐品，午餐和晚餐每餐补贴餐价的一半，最多4元；每个餐次限1次；上述餐品合计不低于6元才补贴。',
    );
    expect(describePolicy(baiyunDietMeals, 'en')[0]!.text).toContain(
      'on dishes tagged low-sugar or low-salt and not tagged extra dish at lunch and dinner, ¥5 per meal; once per meal period; when this layer pays, it takes the place of "基本套餐补贴" (they do not add up).',
    );
    // without the document: codes instead of names, nothing invented
    expect(describeLayer(baiyunDietMeals.layers[0]!, 'zh')).toContain('未标注为extra的餐品');
    expect(describeLayer(baiyunDietMeals.layers[0]!, 'zh')).toContain('代替“basic”');
  });
  it('"layer pays X, elder pays at most Y" says what happens below and above the meeting price', () => {
    expect(describePolicy(liwanCap, 'zh', { areaName: '荔湾区' })[0]!.text).toBe(
      '荔湾区户籍、60岁及以上、属于低保或特困的长者，在户籍所在区的饭堂就餐时，午餐和晚餐每餐本项补贴5元、长者自付8元（餐费13元时）；餐费低于13元时，本项仍补贴5元（不超过餐费），长者付其余部分；餐费高于13元时，长者仍只付8元，本项补贴其余部分（餐费指扣除前面各项补贴后的金额）；每个餐次限1次；餐价不低于5元才补贴。',
    );
    const other = layerWith({
      pays: { type: 'amount_and_elder_cap', amountFen: 500, elderPaysAtMostFen: 800, belowMeet: 'layer_pays_less', aboveMeet: 'no_subsidy' },
    });
    expect(describeLayer(other, 'zh')).toContain('餐费低于13元时，长者仍自付8元（餐费不足8元时付全部餐费），本项补贴其余部分；餐费高于13元时，本项不补贴');
    expect(describeLayer(other, 'en')).toContain(
      'below ¥13, the elder still pays ¥8 (or the whole price when it is less) and this layer pays the rest; above ¥13, this layer pays nothing',
    );
    const third = layerWith({
      pays: { type: 'amount_and_elder_cap', amountFen: 500, elderPaysAtMostFen: 800, belowMeet: 'elder_pays_less', aboveMeet: 'elder_pays_more' },
    });
    expect(describeLayer(third, 'zh')).toContain('餐费高于13元时，本项仍补贴5元，长者付其余部分');
  });
  it('residence and "either" eligibility, and the either home for own district', () => {
    expect(describeLayer(layerWith({ who: { residence: 'issuer_area' } }), 'zh', { areaName: '广州市' })).toMatch(/^在广州市居住的长者，/);
    expect(describeLayer(layerWith({ who: { hukou: 'city', residence: 'city' } }), 'zh')).toMatch(/^本市户籍、在本市居住的长者，/);
    expect(
      describeLayer(layerWith({ who: { hukou: 'issuer_area', residence: 'issuer_area', hukouOrResidence: true } }), 'en', { areaName: 'Guangzhou' }),
    ).toMatch(/^Residents with Guangzhou hukou or living in Guangzhou: /);
    expect(describeLayer(layerWith({ where: 'own_district', home: 'hukou_or_residence' }), 'zh')).toContain('在户籍地或居住地所在区的饭堂就餐时');
  });
  it('a minimum price reads on every layer kind', () => {
    for (const kind of ['meal', 'delivery', 'operating'] as const) {
      expect(describeLayer(layerWith({ kind, limits: { minMealPriceFen: 500 } }), 'zh')).toContain('餐价不低于5元才补贴');
      expect(describeLayer(layerWith({ kind, limits: { minMealPriceFen: 500 } }), 'en')).toContain('only when the meal costs at least ¥5');
    }
  });
});

describe('vocabulary for the apps', () => {
  it('names every base dish tag, a declared one, and lists what operators may tag with', () => {
    for (const lang of LANGS) expect(Object.keys(BASE_DISH_TAG_LABELS[lang]).sort()).toEqual([...DISH_TAGS].sort());
    expect(dishTagLabel('low_salt', 'zh')).toBe('低盐');
    expect(dishTagLabel('basic_set', 'zh', baiyunDietMeals)).toBe('基本套餐');
    expect(dishTagLabel('basic_set', 'en', baiyunDietMeals)).toBe('basic set meal');
    expect(dishTagLabel('basic_set', 'zh')).toBe('basic_set');
    const tags = dishTagsOf([guangzhou2024, baiyunDietMeals]);
    expect(tags.map((t) => t.code)).toEqual([...DISH_TAGS, 'basic_set', 'extra']);
  });
  it('names every pays type in both languages', () => {
    for (const lang of LANGS) expect(Object.keys(PAYS_TYPE_LABELS[lang]).sort()).toEqual([...PAYS_TYPES].sort());
  });
});

describe('yuanText', () => {
  it('writes yuan without floats', () => {
    expect(yuanText(300, 'zh')).toBe('3元');
    expect(yuanText(150, 'zh')).toBe('1.5元');
    expect(yuanText(1205, 'zh')).toBe('12.05元');
    expect(yuanText(150, 'en')).toBe('¥1.50');
    expect(yuanText(300, 'en')).toBe('¥3');
  });
});

describe('named canteens and a policy calendar read back', () => {
  it('names the canteens, and says when working days follow the policy’s own calendar', () => {
    const doc = definePolicy({
      name: '慈善助餐',
      level: 'charity',
      areaCode: '440106',
      effectiveFrom: '2024-01-01',
      effectiveTo: null,
      calendar: { holidays: ['2026-10-01'], adjustedWorkingDays: ['2026-10-10'] },
      layers: [
        {
          id: 'named',
          name: '慈善加补',
          payer: '某慈善会',
          kind: 'meal',
          pays: { type: 'fixed', amountFen: 150 },
          where: 'any',
          canteens: ['c-a', 'c-b'],
          when: { workingDaysOnly: true, mealPeriods: ['lunch'] },
        },
      ],
    });
    const [zh] = describePolicy(doc, 'zh', { canteenNames: { 'c-a': '华师长者饭堂', 'c-b': '龙口长者饭堂' } });
    expect(zh!.text).toBe('所有登记的长者，只在华师长者饭堂或龙口长者饭堂就餐时，工作日（按本政策的工作日历）午餐每餐补贴1.5元；每个餐次限1次。');
    expect(describePolicy(doc, 'en')[0]!.text).toContain('only at c-a or c-b');
  });
});
