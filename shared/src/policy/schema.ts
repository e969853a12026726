/**
 * A subsidy policy version as data: zod schemas (the validation and the wire shape) and the types
 * inferred from them. See docs/policy.md for the human-readable reference.
 *
 * Amounts are integer fen in plain `number` fields so the schema stays representable as JSON Schema
 * (no transforms); the engine guards every amount with money.ts `fen()` before using it.
 */
import { z } from 'zod';
import { MAX_FEN } from '../money';
import { DISABILITY_LEVELS, DISH_TAGS, FULFILMENTS, MEAL_PERIODS, RESIDENT_CATEGORIES, SUPPLY_MODES } from '../domain/enums';

// ---------------------------------------------------------------- primitives

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isLocalDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= daysInMonth;
}

export const LocalDateSchema = z
  .string({ error: 'must be a date written YYYY-MM-DD' })
  .refine(isLocalDate, { message: 'must be a real calendar date written YYYY-MM-DD' });

/** An amount of integer fen, 0 … MAX_FEN. */
export const FenAmountSchema = z
  .int({ error: 'must be a whole number of fen (1 yuan = 100 fen), not a fraction' })
  .min(0, { message: 'must not be negative' })
  .max(MAX_FEN, { message: `must be at most ${MAX_FEN} fen` });

const AreaCodeSchema = z.string().regex(/^\d{2,12}$/, { message: 'must be an area code of 2–12 digits, e.g. 4401, 440106, 440106001' });

const SlugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, { message: 'must be a slug: lower-case letters, digits, - or _ (e.g. "meal", "delivery-care")' })
  .max(64, { message: 'must be at most 64 characters' });

const CareLevelSchema = z
  .int({ error: 'care level must be a whole number 0–5' })
  .min(0, { message: 'care level must be 0–5' })
  .max(5, { message: 'care level must be 0–5' });
const AgeSchema = z.int({ error: 'age must be a whole number of years' }).min(0, { message: 'age must be 0–150' }).max(150, { message: 'age must be 0–150' });
const CountSchema = z.int({ error: 'must be a whole number' }).min(1, { message: 'must be at least 1' }).max(1000, { message: 'must be at most 1000' });

function nonEmptyUnique<T extends z.ZodType>(item: T, what: string) {
  return z
    .array(item)
    .min(1, { message: `${what}: list at least one, or leave the field out` })
    .refine((xs) => new Set(xs as unknown[]).size === xs.length, { message: `${what}: list each value once` });
}

export const PolicyLevelSchema = z.enum(['city', 'district', 'street', 'charity']);
export type PolicyLevel = z.infer<typeof PolicyLevelSchema>;
export const POLICY_LEVELS = PolicyLevelSchema.options;

export const LayerKindSchema = z.enum(['meal', 'delivery', 'operating']);
export type LayerKind = z.infer<typeof LayerKindSchema>;

export const OfficialCalendarSchema = z.object({
  holidays: z.array(LocalDateSchema),
  adjustedWorkingDays: z.array(LocalDateSchema),
});

// ---------------------------------------------------------------- who

export const HukouScopeSchema = z.enum(['any', 'issuer_area', 'city']);
export type HukouScope = z.infer<typeof HukouScopeSchema>;

const whoShape = {
  /** 户籍 scope: any; issuer_area (户籍 code starts with the policy areaCode); city (same first 4 digits). */
  hukou: HukouScopeSchema.optional(),
  /** Age on the service date, inclusive. */
  minAge: AgeSchema.optional(),
  maxAge: AgeSchema.optional(),
  /** At least one of these categories valid on the service date. */
  categoriesAny: nonEmptyUnique(z.enum(RESIDENT_CATEGORIES), 'categoriesAny').optional(),
  /** None of these categories valid on the service date. */
  categoriesNone: nonEmptyUnique(z.enum(RESIDENT_CATEGORIES), 'categoriesNone').optional(),
  /**
   * Care-need levels (0–5) that qualify. Matched by "care level or disability": a grade 1–2
   * disability certificate counts as care level 3–5 (see careLevelOrDisability()).
   */
  careLevels: nonEmptyUnique(CareLevelSchema, 'careLevels').optional(),
  /** Disability certificate grades (1 most severe … 4) that qualify. */
  disabilityGrades: nonEmptyUnique(
    z.int({ error: 'disability grade must be 1–4' }).min(1, { message: 'disability grade must be 1–4' }).max(4, { message: 'disability grade must be 1–4' }),
    'disabilityGrades',
  ).optional(),
  /** Loss-of-ability assessments (失能程度) that qualify. */
  disabilityLevels: nonEmptyUnique(z.enum(DISABILITY_LEVELS), 'disabilityLevels').optional(),
};

function checkAges(who: { minAge?: number | undefined; maxAge?: number | undefined }, ctx: z.RefinementCtx): void {
  if (who.minAge !== undefined && who.maxAge !== undefined && who.minAge > who.maxAge) {
    ctx.addIssue({ code: 'custom', path: ['maxAge'], message: `maxAge (${who.maxAge}) must not be below minAge (${who.minAge})` });
  }
}

/** Who qualifies for a layer. */
export const WhoSchema = z
  .object({
    ...whoShape,
    hukou: HukouScopeSchema.default('any'),
    /** Guests (no registered resident) never qualify unless this is false. */
    requireRegistered: z.boolean().default(true),
  })
  .strict()
  .superRefine(checkAges);
export type Who = z.output<typeof WhoSchema>;

/** Extra conditions of one tier (added to the layer's own `who`). */
export const TierWhoSchema = z.object(whoShape).strict().superRefine(checkAges);
export type TierWho = z.output<typeof TierWhoSchema>;

// ---------------------------------------------------------------- pays

export const PaysSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('fixed'), amountFen: FenAmountSchema }).strict(),
  z
    .object({
      type: z.literal('fraction'),
      numerator: z.int({ error: 'numerator must be a whole number' }).min(0, { message: 'numerator must not be negative' }).max(10_000),
      denominator: z.int({ error: 'denominator must be a whole number' }).min(1, { message: 'denominator must be greater than 0' }).max(10_000),
      capFen: FenAmountSchema.optional(),
    })
    .strict()
    .refine((p) => p.numerator <= p.denominator, { message: 'a fraction of the meal price must not exceed 1 (numerator ≤ denominator)', path: ['numerator'] }),
  z.object({ type: z.literal('elder_pays_at_most'), amountFen: FenAmountSchema }).strict(),
  z
    .object({
      type: z.literal('percent_off'),
      basisPoints: z
        .int({ error: 'basisPoints must be a whole number (2000 = 20%)' })
        .min(0, { message: 'basisPoints must be 0–10000' })
        .max(10_000, { message: 'basisPoints must be 0–10000 (10000 = 100%)' }),
    })
    .strict(),
  z
    .object({
      type: z.literal('by_supply_mode'),
      amounts: z.partialRecord(z.enum(SUPPLY_MODES), FenAmountSchema),
    })
    .strict(),
  z
    .object({
      type: z.literal('by_care_level'),
      amounts: z
        .array(z.object({ minLevel: CareLevelSchema, maxLevel: CareLevelSchema, amountFen: FenAmountSchema }).strict())
        .min(1, { message: 'list at least one care-level band' }),
    })
    .strict()
    .superRefine((p, ctx) => {
      p.amounts.forEach((band, i) => {
        if (band.minLevel > band.maxLevel) ctx.addIssue({ code: 'custom', path: ['amounts', i, 'maxLevel'], message: 'maxLevel must not be below minLevel' });
        p.amounts.forEach((other, j) => {
          if (j > i && band.minLevel <= other.maxLevel && other.minLevel <= band.maxLevel) {
            ctx.addIssue({
              code: 'custom',
              path: ['amounts', j],
              message: `care-level band ${other.minLevel}–${other.maxLevel} overlaps band ${band.minLevel}–${band.maxLevel}`,
            });
          }
        });
      });
    }),
  z.object({ type: z.literal('actual_spend_up_to'), amountFen: FenAmountSchema }).strict(),
]);
export type Pays = z.output<typeof PaysSchema>;
export type PaysType = Pays['type'];
export const PAYS_TYPES = [
  'fixed',
  'fraction',
  'elder_pays_at_most',
  'percent_off',
  'by_supply_mode',
  'by_care_level',
  'actual_spend_up_to',
] as const satisfies readonly PaysType[];

export const TierSchema = z
  .object({
    /** Short label for the console, e.g. '特困/低保'. */
    label: z.string().min(1).max(60).optional(),
    who: TierWhoSchema.prefault({}),
    pays: PaysSchema,
  })
  .strict();
export type Tier = z.output<typeof TierSchema>;

// ---------------------------------------------------------------- when / where / limits

export const WhenSchema = z
  .object({
    mealPeriods: nonEmptyUnique(z.enum(MEAL_PERIODS), 'mealPeriods').optional(),
    workingDaysOnly: z.boolean().default(false),
    validFrom: LocalDateSchema.optional(),
    validTo: LocalDateSchema.optional(),
    fulfilment: nonEmptyUnique(z.enum(FULFILMENTS), 'fulfilment').optional(),
    /** Only lines carrying one of these dish tags count (e.g. Hefei diet meals); the layer's base is their subtotal. */
    dishTagsAny: nonEmptyUnique(z.enum(DISH_TAGS), 'dishTagsAny').optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.validFrom !== undefined && w.validTo !== undefined && w.validTo < w.validFrom) {
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: `validTo (${w.validTo}) must not be before validFrom (${w.validFrom})` });
    }
  });
export type When = z.output<typeof WhenSchema>;

export const WhereSchema = z.enum(['issuer_area', 'any', 'own_district', 'own_street']);
export type Where = z.infer<typeof WhereSchema>;

export const LimitsSchema = z
  .object({
    perMealPeriod: CountSchema.default(1),
    perDay: CountSchema.optional(),
    perWeek: CountSchema.optional(),
    perMonth: CountSchema.optional(),
    minMealPriceFen: FenAmountSchema.optional(),
    budgetFen: FenAmountSchema.optional(),
  })
  .strict();
export type Limits = z.output<typeof LimitsSchema>;

// ---------------------------------------------------------------- layer

export const LayerSchema = z
  .object({
    id: SlugSchema,
    name: z.string().min(1, { message: 'give the layer a name' }).max(100),
    payer: z.string().min(1, { message: 'say who pays this layer (e.g. 广州市民政局)' }).max(100),
    kind: LayerKindSchema,
    who: WhoSchema.prefault({}),
    pays: PaysSchema.optional(),
    tiers: z.array(TierSchema).min(1, { message: 'tiers: list at least one tier, or use pays instead' }).optional(),
    when: WhenSchema.prefault({}),
    where: WhereSchema.default('issuer_area'),
    /** Whose home counts for own_district / own_street: the 户籍 area (default) or the residence area. */
    home: z.enum(['hukou', 'residence']).default('hukou'),
    limits: LimitsSchema.prefault({}),
  })
  .strict()
  .superRefine((layer, ctx) => {
    if (layer.pays === undefined && layer.tiers === undefined) {
      ctx.addIssue({ code: 'custom', path: ['pays'], message: 'a layer needs either pays or tiers' });
    }
    if (layer.pays !== undefined && layer.tiers !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'a layer has either pays or tiers, not both (put the amount in each tier)' });
    }
    const all: { pays: Pays; path: (string | number)[] }[] = [];
    if (layer.pays) all.push({ pays: layer.pays, path: ['pays'] });
    layer.tiers?.forEach((t, i) => all.push({ pays: t.pays, path: ['tiers', i, 'pays'] }));
    for (const { pays, path } of all) {
      if (layer.kind !== 'meal' && pays.type === 'elder_pays_at_most') {
        ctx.addIssue({ code: 'custom', path: [...path, 'type'], message: `elder_pays_at_most only makes sense for a meal layer, not a ${layer.kind} layer` });
      }
    }
    if (layer.kind === 'delivery' && layer.when.fulfilment !== undefined && !layer.when.fulfilment.includes('delivery')) {
      ctx.addIssue({ code: 'custom', path: ['when', 'fulfilment'], message: 'a delivery layer must allow fulfilment "delivery"' });
    }
  });
export type Layer = z.output<typeof LayerSchema>;
export type LayerInput = z.input<typeof LayerSchema>;

// ---------------------------------------------------------------- document

const AREA_CODE_LENGTH: Partial<Record<PolicyLevel, number>> = { city: 4, district: 6, street: 9 };

export const PolicyDocumentSchema = z
  .object({
    name: z.string().min(1, { message: 'give the policy a name' }).max(200),
    level: PolicyLevelSchema,
    areaCode: AreaCodeSchema,
    effectiveFrom: LocalDateSchema,
    effectiveTo: LocalDateSchema.nullable(),
    /** Official working-day calendar for this policy; the evaluation input's calendar is used when absent. */
    calendar: OfficialCalendarSchema.optional(),
    /** Ordered: within the policy, layers apply in this order. */
    layers: z.array(LayerSchema).min(1, { message: 'a policy needs at least one layer' }),
  })
  .strict()
  .superRefine((doc, ctx) => {
    if (doc.effectiveTo !== null && doc.effectiveTo < doc.effectiveFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        message: `effectiveTo (${doc.effectiveTo}) must not be before effectiveFrom (${doc.effectiveFrom})`,
      });
    }
    const want = AREA_CODE_LENGTH[doc.level];
    if (want !== undefined && doc.areaCode.length !== want) {
      ctx.addIssue({
        code: 'custom',
        path: ['areaCode'],
        message: `a ${doc.level} policy needs a ${want}-digit area code (got ${doc.areaCode.length} digits)`,
      });
    }
    const seen = new Map<string, number>();
    doc.layers.forEach((layer, i) => {
      const first = seen.get(layer.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['layers', i, 'id'], message: `layer id "${layer.id}" is already used by layer ${first}; ids must be unique` });
      } else seen.set(layer.id, i);
    });
  });
export type PolicyDocument = z.output<typeof PolicyDocumentSchema>;
/** What an author writes (defaults may be left out). */
export type PolicyDocumentInput = z.input<typeof PolicyDocumentSchema>;

// ---------------------------------------------------------------- parsing

export interface PolicyIssue {
  /** Dotted path into the document, e.g. 'layers.0.pays.denominator' ('' for the whole document). */
  path: string;
  message: string;
}

export type ParsePolicyResult = { ok: true; policy: PolicyDocument } | { ok: false; issues: PolicyIssue[] };

/** Validate an untrusted policy document (e.g. JSON from the console) and fill in defaults. */
export function parsePolicy(json: unknown): ParsePolicyResult {
  const r = PolicyDocumentSchema.safeParse(json);
  if (r.success) return { ok: true, policy: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  };
}

export class PolicyDefinitionError extends Error {
  readonly issues: PolicyIssue[];
  constructor(name: string, issues: PolicyIssue[]) {
    super(`invalid policy "${name}": ${issues.map((i) => `${i.path || '(document)'}: ${i.message}`).join('; ')}`);
    this.name = 'PolicyDefinitionError';
    this.issues = issues;
  }
}

/** Validate a policy written in code (the shipped library); throws PolicyDefinitionError when invalid. */
export function definePolicy(input: PolicyDocumentInput): PolicyDocument {
  const r = parsePolicy(input);
  if (!r.ok) throw new PolicyDefinitionError(input.name, r.issues);
  return r.policy;
}
