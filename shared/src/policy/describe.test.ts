import { describe, expect, it } from 'vitest';
import { describeLayer, describeReason, yuanText, type Lang } from './describe';
import { REASON_CODES } from './evaluate';
import { guangzhou2024, POLICY_LIBRARY } from './library';
import { definePolicy, PAYS_TYPES, type LayerInput, type Pays } from './schema';

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
    expect(describeLayer(meal, 'zh', { areaName: '广州市' })).toBe('广州市户籍、60岁及以上的长者，午餐和晚餐每餐补贴餐价的四分之一，最多3元；每个餐次限1次。');
    expect(describeLayer(meal, 'en', { areaName: 'Guangzhou' })).toBe(
      'Residents with Guangzhou hukou, aged 60 and over: at lunch and dinner, one quarter of the meal price per meal, at most ¥3; once per meal period.',
    );
  });

  for (const type of PAYS_TYPES) {
    for (const kind of ['meal', 'delivery', 'operating'] as const) {
      if (type === 'elder_pays_at_most' && kind !== 'meal') continue;
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

describe('describeReason', () => {
  it.each(REASON_CODES.flatMap((c) => LANGS.map((l) => [c, l] as const)))('%s in %s', (code, lang) => {
    const text = describeReason(code, lang);
    expect(text.length).toBeGreaterThan(2);
    expect(text).not.toMatch(/undefined/);
  });
  it('gives each code its own words', () => {
    for (const lang of LANGS) expect(new Set(REASON_CODES.map((c) => describeReason(c, lang))).size).toBe(REASON_CODES.length);
  });
  it('names the meal when it knows it', () => {
    expect(describeReason('limit_meal_period', 'zh', { mealPeriod: 'lunch' })).toBe('今天午餐的补贴已经用过了');
    expect(describeReason('limit_meal_period', 'en', { mealPeriod: 'lunch' })).toBe("You have already had today's subsidised lunch");
    expect(describeReason('meal_period', 'zh', { mealPeriod: 'breakfast' })).toBe('早餐没有这项补贴');
    expect(describeReason('meal_period', 'en', { mealPeriod: 'breakfast' })).toBe('Breakfast is not subsidised');
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
