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
