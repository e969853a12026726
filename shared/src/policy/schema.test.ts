import { describe, expect, it } from 'vitest';
import { definePolicy, isLocalDate, parsePolicy, PolicyDefinitionError, type PolicyDocumentInput } from './schema';

const valid = (): PolicyDocumentInput => ({
  name: 'test',
  level: 'city',
  areaCode: '4401',
  effectiveFrom: '2024-04-01',
  effectiveTo: '2029-03-31',
  layers: [{ id: 'meal', name: '就餐补贴', payer: '广州市民政局', kind: 'meal', pays: { type: 'fraction', numerator: 1, denominator: 4, capFen: 300 } }],
});

function issuesOf(doc: unknown) {
  const r = parsePolicy(doc);
  if (r.ok) throw new Error('expected the document to be rejected');
  return r.issues;
}

describe('parsePolicy', () => {
  it('accepts a minimal document and fills the defaults', () => {
    const r = parsePolicy(valid());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const layer = r.policy.layers[0]!;
    expect(layer.who).toEqual({ hukou: 'any', requireRegistered: true });
    expect(layer.where).toBe('issuer_area');
    expect(layer.home).toBe('hukou');
    expect(layer.when).toEqual({ workingDaysOnly: false });
    expect(layer.limits).toEqual({ perMealPeriod: 1 });
  });

  const bad: [string, (d: PolicyDocumentInput) => unknown, string, RegExp][] = [
    ['duplicate layer ids', (d) => ({ ...d, layers: [d.layers[0], d.layers[0]] }), 'layers.1.id', /already used/],
    [
      'denominator 0',
      (d) => ({ ...d, layers: [{ ...d.layers[0], pays: { type: 'fraction', numerator: 1, denominator: 0 } }] }),
      'layers.0.pays.denominator',
      /greater than 0/,
    ],
    [
      'fraction above 1',
      (d) => ({ ...d, layers: [{ ...d.layers[0], pays: { type: 'fraction', numerator: 5, denominator: 4 } }] }),
      'layers.0.pays.numerator',
      /must not exceed 1/,
    ],
    [
      'fen as a float',
      (d) => ({ ...d, layers: [{ ...d.layers[0], pays: { type: 'fixed', amountFen: 2.5 } }] }),
      'layers.0.pays.amountFen',
      /whole number of fen/,
    ],
    ['negative fen', (d) => ({ ...d, layers: [{ ...d.layers[0], pays: { type: 'fixed', amountFen: -1 } }] }), 'layers.0.pays.amountFen', /negative/],
    ['not a real date', (d) => ({ ...d, effectiveFrom: '2024-02-30' }), 'effectiveFrom', /real calendar date/],
    ['effectiveTo before effectiveFrom', (d) => ({ ...d, effectiveTo: '2024-03-31' }), 'effectiveTo', /must not be before/],
    [
      'validTo before validFrom',
      (d) => ({ ...d, layers: [{ ...d.layers[0], when: { validFrom: '2025-01-02', validTo: '2025-01-01' } }] }),
      'layers.0.when.validTo',
      /must not be before/,
    ],
    [
      'both pays and tiers',
      (d) => ({ ...d, layers: [{ ...d.layers[0], tiers: [{ who: {}, pays: { type: 'fixed', amountFen: 1 } }] }] }),
      'layers.0.tiers',
      /not both/,
    ],
    ['neither pays nor tiers', (d) => ({ ...d, layers: [{ ...d.layers[0], pays: undefined }] }), 'layers.0.pays', /either pays or tiers/],
    [
      'elder_pays_at_most on an operating layer',
      (d) => ({ ...d, layers: [{ ...d.layers[0], kind: 'operating', pays: { type: 'elder_pays_at_most', amountFen: 100 } }] }),
      'layers.0.pays.type',
      /only makes sense for a meal layer/,
    ],
    [
      'overlapping care-level bands',
      (d) => ({
        ...d,
        layers: [
          {
            ...d.layers[0],
            kind: 'delivery',
            pays: {
              type: 'by_care_level',
              amounts: [
                { minLevel: 1, maxLevel: 3, amountFen: 200 },
                { minLevel: 3, maxLevel: 5, amountFen: 400 },
              ],
            },
          },
        ],
      }),
      'layers.0.pays.amounts.1',
      /overlaps/,
    ],
    ['care level out of range', (d) => ({ ...d, layers: [{ ...d.layers[0], who: { careLevels: [6] } }] }), 'layers.0.who.careLevels.0', /0–5/],
    [
      'minAge above maxAge',
      (d) => ({ ...d, layers: [{ ...d.layers[0], who: { minAge: 80, maxAge: 60 } }] }),
      'layers.0.who.maxAge',
      /must not be below minAge/,
    ],
    ['city policy with a district code', (d) => ({ ...d, areaCode: '440106' }), 'areaCode', /4-digit/],
    ['bad layer id', (d) => ({ ...d, layers: [{ ...d.layers[0], id: 'Meal Layer' }] }), 'layers.0.id', /slug/],
    [
      'unknown supply mode',
      (d) => ({ ...d, layers: [{ ...d.layers[0], kind: 'operating', pays: { type: 'by_supply_mode', amounts: { spaceship: 100 } } }] }),
      'layers.0.pays.amounts',
      /./,
    ],
    ['unknown field (typo)', (d) => ({ ...d, layers: [{ ...d.layers[0], limit: { perDay: 1 } }] }), 'layers.0', /limit/],
    ['no layers', (d) => ({ ...d, layers: [] }), 'layers', /at least one layer/],
    ['empty categoriesAny', (d) => ({ ...d, layers: [{ ...d.layers[0], who: { categoriesAny: [] } }] }), 'layers.0.who.categoriesAny', /at least one/],
    [
      'delivery layer limited to dine-in',
      (d) => ({ ...d, layers: [{ ...d.layers[0], kind: 'delivery', pays: { type: 'fixed', amountFen: 1 }, when: { fulfilment: ['dine_in'] } }] }),
      'layers.0.when.fulfilment',
      /must allow/,
    ],
    // issue 14 rule kinds
    [
      'hukouOrResidence without residence',
      (d) => ({ ...d, layers: [{ ...d.layers[0], who: { hukou: 'city', hukouOrResidence: true } }] }),
      'layers.0.who.hukouOrResidence',
      /needs both hukou and residence/,
    ],
    [
      'hukouOrResidence in a tier without hukou',
      (d) => ({
        ...d,
        layers: [{ ...d.layers[0], pays: undefined, tiers: [{ who: { residence: 'city', hukouOrResidence: true }, pays: { type: 'fixed', amountFen: 1 } }] }],
      }),
      'layers.0.tiers.0.who.hukouOrResidence',
      /needs both/,
    ],
    ['unknown residence scope', (d) => ({ ...d, layers: [{ ...d.layers[0], who: { residence: 'province' } }] }), 'layers.0.who.residence', /./],
    [
      'unknown dish tag',
      (d) => ({ ...d, layers: [{ ...d.layers[0], when: { dishTagsAny: ['basic_set'] } }] }),
      'layers.0.when.dishTagsAny.0',
      /unknown dish tag "basic_set".*declare it in the policy's dishTags/,
    ],
    [
      'a declared tag that is a base tag',
      (d) => ({ ...d, dishTags: [{ code: 'low_salt', zh: '低盐', en: 'low salt' }] }),
      'dishTags.0.code',
      /already a base dish tag/,
    ],
    [
      'a tag declared twice',
      (d) => ({
        ...d,
        dishTags: [
          { code: 'basic_set', zh: '基本套餐', en: 'basic set' },
          { code: 'basic_set', zh: '套餐', en: 'set' },
        ],
      }),
      'dishTags.1.code',
      /declared twice/,
    ],
    ['a declared tag without a Chinese name', (d) => ({ ...d, dishTags: [{ code: 'basic_set', zh: ' ', en: 'basic set' }] }), 'dishTags.0.zh', /Chinese name/],
    [
      'a tag both required and excluded',
      (d) => ({ ...d, layers: [{ ...d.layers[0], when: { dishTagsAny: ['soft'], dishTagsNone: ['soft'] } }] }),
      'layers.0.when.dishTagsNone',
      /both required/,
    ],
    [
      'replacing a layer that does not exist',
      (d) => ({ ...d, layers: [{ ...d.layers[0], replaces: ['basic'] }] }),
      'layers.0.replaces.0',
      /no layer with that id/,
    ],
    ['replacing itself', (d) => ({ ...d, layers: [{ ...d.layers[0], replaces: ['meal'] }] }), 'layers.0.replaces', /cannot replace itself/],
    [
      'replacing an earlier layer',
      (d) => ({ ...d, layers: [d.layers[0], { ...d.layers[0], id: 'diet', replaces: ['meal'] }] }),
      'layers.1.replaces.0',
      /must come before the layer it replaces/,
    ],
    [
      'replacing a layer of another kind',
      (d) => ({
        ...d,
        layers: [
          { ...d.layers[0], replaces: ['op'] },
          { ...d.layers[0], id: 'op', kind: 'operating', pays: { type: 'fixed', amountFen: 300 } },
        ],
      }),
      'layers.0.replaces.0',
      /cannot replace "op", a operating layer/,
    ],
    [
      'an allowance of 0',
      (d) => ({ ...d, layers: [{ ...d.layers[0], limits: { allowance: { period: 'day', amountFen: 0 } } }] }),
      'layers.0.limits.allowance.amountFen',
      /never pay/,
    ],
    [
      'an allowance per year',
      (d) => ({ ...d, layers: [{ ...d.layers[0], limits: { allowance: { period: 'year', amountFen: 100 } } }] }),
      'layers.0.limits.allowance.period',
      /./,
    ],
    [
      'one pool with two amounts',
      (d) => ({
        ...d,
        layers: [
          { ...d.layers[0], limits: { allowance: { period: 'day', amountFen: 600, pool: 'daily' } } },
          { ...d.layers[0], id: 'b', limits: { allowance: { period: 'day', amountFen: 800, pool: 'daily' } } },
        ],
      }),
      'layers.1.limits.allowance',
      /same period and amount/,
    ],
    [
      'amount_and_elder_cap without saying what happens below',
      (d) => ({
        ...d,
        layers: [{ ...d.layers[0], pays: { type: 'amount_and_elder_cap', amountFen: 500, elderPaysAtMostFen: 800, aboveMeet: 'layer_pays_more' } }],
      }),
      'layers.0.pays.belowMeet',
      /what happens below the meeting price: elder_pays_less or layer_pays_less/,
    ],
    [
      'amount_and_elder_cap with an unknown above rule',
      (d) => ({
        ...d,
        layers: [
          {
            ...d.layers[0],
            pays: { type: 'amount_and_elder_cap', amountFen: 500, elderPaysAtMostFen: 800, belowMeet: 'elder_pays_less', aboveMeet: 'operator' },
          },
        ],
      }),
      'layers.0.pays.aboveMeet',
      /what happens above the meeting price/,
    ],
    [
      'amount_and_elder_cap on a delivery layer',
      (d) => ({
        ...d,
        layers: [
          {
            ...d.layers[0],
            kind: 'delivery',
            pays: { type: 'amount_and_elder_cap', amountFen: 500, elderPaysAtMostFen: 800, belowMeet: 'elder_pays_less', aboveMeet: 'no_subsidy' },
          },
        ],
      }),
      'layers.0.pays.type',
      /only makes sense for a meal layer/,
    ],
    [
      'min price on an operating layer as a float',
      (d) => ({ ...d, layers: [{ ...d.layers[0], kind: 'operating', pays: { type: 'fixed', amountFen: 300 }, limits: { minMealPriceFen: 4.5 } }] }),
      'layers.0.limits.minMealPriceFen',
      /whole number of fen/,
    ],
  ];
  it.each(bad)('rejects %s with a clear message at the right path', (_name, mutate, path, message) => {
    const issues = issuesOf(mutate(valid()));
    const hit = issues.find((i) => i.path === path);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it('rejects things that are not a policy at all', () => {
    expect(issuesOf(null).length).toBeGreaterThan(0);
    expect(issuesOf('{}').length).toBeGreaterThan(0);
    expect(issuesOf({}).map((i) => i.path)).toEqual(expect.arrayContaining(['name', 'level', 'areaCode', 'effectiveFrom', 'layers']));
  });
});

describe('the issue 14 fields', () => {
  it('accepts declared dish tags in both tag lists, residence scopes, replacement and pooled allowances', () => {
    const r = parsePolicy({
      ...valid(),
      dishTags: [{ code: 'basic_set', zh: '基本套餐', en: 'basic set meal' }],
      layers: [
        {
          id: 'diet',
          name: '慢病膳食补贴',
          payer: 'p',
          kind: 'meal',
          who: { hukou: 'city', residence: 'city', hukouOrResidence: true },
          pays: { type: 'fixed', amountFen: 500 },
          when: { dishTagsAny: ['low_sugar'], dishTagsNone: ['basic_set'] },
          limits: { allowance: { period: 'day', amountFen: 1000, pool: 'daily' } },
          replaces: ['basic'],
        },
        {
          id: 'basic',
          name: '基本补贴',
          payer: 'p',
          kind: 'meal',
          pays: { type: 'amount_and_elder_cap', amountFen: 300, elderPaysAtMostFen: 800, belowMeet: 'layer_pays_less', aboveMeet: 'elder_pays_more' },
          when: { dishTagsAny: ['basic_set'] },
          home: 'hukou_or_residence',
          where: 'own_district',
          limits: { allowance: { period: 'day', amountFen: 1000, pool: 'daily' }, minMealPriceFen: 500 },
        },
      ],
    });
    expect(r.ok ? [] : r.issues).toEqual([]);
  });
});

describe('definePolicy', () => {
  it('throws a PolicyDefinitionError listing every issue', () => {
    expect(() => definePolicy({ ...valid(), effectiveTo: '2000-01-01' })).toThrow(PolicyDefinitionError);
    expect(() => definePolicy({ ...valid(), effectiveTo: '2000-01-01' })).toThrow(/effectiveTo/);
  });
});

describe('isLocalDate', () => {
  it('knows the calendar', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2023-02-29')).toBe(false);
    expect(isLocalDate('2024-13-01')).toBe(false);
    expect(isLocalDate('2024-1-01')).toBe(false);
  });
});

describe('issues say what is wrong as a code with its figures (for the console to put into words)', () => {
  it('a rule of the schema gives its key and figures; a zod check gives its code and limits', () => {
    const r = parsePolicy({
      name: 'x',
      level: 'district',
      areaCode: '4401',
      effectiveFrom: '2026-12-01',
      effectiveTo: '2026-11-30',
      layers: [
        {
          id: 'a',
          name: 'a',
          payer: 'p',
          kind: 'meal',
          who: { minAge: 80, maxAge: 70 },
          pays: { type: 'fixed', amountFen: -1 },
          when: { dishTagsAny: ['basic_set'] },
        },
        { id: 'a', name: 'b', payer: 'p', kind: 'meal', pays: { type: 'fixed', amountFen: 100 }, replaces: ['zz'], canteens: ['c1', 'c1'] },
      ],
    });
    expect(r.ok).toBe(false);
    const byPath = new Map((r.ok ? [] : r.issues).map((i) => [i.path, i]));
    expect(byPath.get('effectiveTo')).toMatchObject({ code: 'endBeforeStart', params: { from: '2026-12-01', to: '2026-11-30' } });
    expect(byPath.get('areaCode')).toMatchObject({ code: 'areaCodeLength', params: { level: 'district', want: 6 } });
    expect(byPath.get('layers.0.who.maxAge')).toMatchObject({ code: 'maxAgeBelowMin', params: { minAge: 80, maxAge: 70 } });
    expect(byPath.get('layers.0.pays.amountFen')).toMatchObject({ code: 'too_small', params: { minimum: 0, origin: 'number' } });
    expect(byPath.get('layers.0.when.dishTagsAny.0')).toMatchObject({ code: 'unknownTag', params: { tag: 'basic_set' } });
    expect(byPath.get('layers.1.id')).toMatchObject({ code: 'duplicateLayerId', params: { id: 'a', layer: 1 } });
    expect(byPath.get('layers.1.replaces.0')).toMatchObject({ code: 'replacesMissing', params: { id: 'zz' } });
    expect(byPath.get('layers.1.canteens')).toMatchObject({ code: 'duplicate' });
    expect(
      parsePolicy({ name: 'x', extra: 1 }).ok ? [] : (parsePolicy({ name: 'x', extra: 1 }) as { issues: { code: string }[] }).issues.map((i) => i.code),
    ).toContain('unrecognized_keys');
  });
});
