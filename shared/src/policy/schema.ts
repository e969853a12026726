/**
 * A subsidy policy version as data: zod schemas (the validation and the wire shape) and the types
 * inferred from them. See docs/policy.md for the human-readable reference.
 *
 * Amounts are integer fen in plain `number` fields so the schema stays representable as JSON Schema
 * (no transforms); the engine guards every amount with money.ts `fen()` before using it.
 */
import { z } from 'zod';
import { MAX_FEN } from '../money';
import { DISABILITY_LEVELS, DISH_TAGS, FULFILMENTS, MEAL_PERIODS, SUPPLY_MODES, type DishTag } from '../domain/enums';
import { SUBSIDY_CATEGORIES } from '../domain/categories';
import { CONTROL_MESSAGE, SINGLE_LINE } from '../schemas/text';

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
  .refine(isLocalDate, { message: 'must be a real calendar date written YYYY-MM-DD', params: { key: 'date' } });

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

/** A dish tag code as a layer names it (and as a dish carries it): one of the base DISH_TAGS or one a policy declares in `dishTags`. */
export const DishTagCodeSchema = SlugSchema;

/** The base dish tags every policy may use (operators tag dishes from these and from the policies' own). */
export const BASE_DISH_TAGS: readonly DishTag[] = DISH_TAGS;

/** An extra dish tag a policy declares, e.g. { code: 'basic_set', zh: '基本套餐', en: 'basic set meal' }. */
export const DishTagDeclarationSchema = z
  .object({
    code: SlugSchema,
    zh: z.string().trim().min(1, { message: 'give the tag a Chinese name (e.g. 基本套餐)' }).max(20).regex(SINGLE_LINE, CONTROL_MESSAGE),
    en: z.string().trim().min(1, { message: 'give the tag an English name (e.g. basic set meal)' }).max(40).regex(SINGLE_LINE, CONTROL_MESSAGE),
  })
  .strict();
export type DishTagDeclaration = z.output<typeof DishTagDeclarationSchema>;

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
    .refine((xs) => new Set(xs as unknown[]).size === xs.length, { message: `${what}: list each value once`, params: { key: 'duplicate' } });
}

export const PolicyLevelSchema = z.enum(['city', 'district', 'street', 'charity']);
export type PolicyLevel = z.infer<typeof PolicyLevelSchema>;
export const POLICY_LEVELS = PolicyLevelSchema.options;

/** Which staff roles may author a policy at each level, within their own area (an admin may author any). */
export const POLICY_LEVEL_AUTHORS: Readonly<Record<PolicyLevel, readonly string[]>> = {
  city: ['city'],
  district: ['district', 'city'],
  street: ['street', 'district', 'city'],
  charity: ['street', 'district', 'city'],
};

/** The levels a staff role may author, highest first. */
export function policyLevelsFor(role: string): PolicyLevel[] {
  return POLICY_LEVELS.filter((l) => role === 'admin' || POLICY_LEVEL_AUTHORS[l].includes(role));
}

export const LayerKindSchema = z.enum(['meal', 'delivery', 'operating']);
export type LayerKind = z.infer<typeof LayerKindSchema>;

export const OfficialCalendarSchema = z.object({
  holidays: z.array(LocalDateSchema),
  adjustedWorkingDays: z.array(LocalDateSchema),
});

// ---------------------------------------------------------------- who

export const HukouScopeSchema = z.enum(['any', 'issuer_area', 'city']);
export type HukouScope = z.infer<typeof HukouScopeSchema>;
/** Where the elder lives (常住 / 居住证 address): the same scopes as 户籍, compared with the residence area. */
export const ResidenceScopeSchema = HukouScopeSchema;
export type ResidenceScope = HukouScope;

const whoShape = {
  /** 户籍 scope: any; issuer_area (户籍 code starts with the policy areaCode); city (same first 4 digits). */
  hukou: HukouScopeSchema.optional(),
  /** Residence scope (常住 / 居住证): the same scopes, compared with the resident's residence area code. */
  residence: ResidenceScopeSchema.optional(),
  /**
   * With both `hukou` and `residence` set: true = either one is enough (户籍 here OR living here); the layer
   * still pays once. Absent / false = both must hold.
   */
  hukouOrResidence: z.boolean().optional(),
  /** Age on the service date, inclusive. */
  minAge: AgeSchema.optional(),
  maxAge: AgeSchema.optional(),
  /** At least one of these categories valid on the service date. */
  categoriesAny: nonEmptyUnique(z.enum(SUBSIDY_CATEGORIES), 'categoriesAny').optional(),
  /** None of these categories valid on the service date. */
  categoriesNone: nonEmptyUnique(z.enum(SUBSIDY_CATEGORIES), 'categoriesNone').optional(),
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

function checkWhoShape(
  who: {
    minAge?: number | undefined;
    maxAge?: number | undefined;
    hukou?: HukouScope | undefined;
    residence?: HukouScope | undefined;
    hukouOrResidence?: boolean | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  if (who.minAge !== undefined && who.maxAge !== undefined && who.minAge > who.maxAge) {
    ctx.addIssue({
      code: 'custom',
      path: ['maxAge'],
      message: `maxAge (${who.maxAge}) must not be below minAge (${who.minAge})`,
      params: { key: 'maxAgeBelowMin', minAge: who.minAge, maxAge: who.maxAge },
    });
  }
  if (who.hukouOrResidence === true && (who.hukou === undefined || who.hukou === 'any' || who.residence === undefined || who.residence === 'any')) {
    ctx.addIssue({
      code: 'custom',
      path: ['hukouOrResidence'],
      message: 'hukouOrResidence needs both hukou and residence set (e.g. hukou: "city", residence: "city"); otherwise leave it out',
      params: { key: 'eitherNeedsBoth' },
    });
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
  .superRefine(checkWhoShape);
export type Who = z.output<typeof WhoSchema>;

/** Extra conditions of one tier (added to the layer's own `who`). */
export const TierWhoSchema = z.object(whoShape).strict().superRefine(checkWhoShape);
export type TierWho = z.output<typeof TierWhoSchema>;

// ---------------------------------------------------------------- pays

/**
 * "The layer pays X and the elder pays at most Y" (amount_and_elder_cap) meet at price X + Y. Below it:
 * - elder_pays_less: the layer still pays X (never more than the price), the elder pays what is left, under Y;
 * - layer_pays_less: the elder still pays Y (or the whole price when it is under Y), the layer pays the rest.
 * Above it:
 * - layer_pays_more: the elder still pays Y, the layer pays the rest (more than X);
 * - elder_pays_more: the layer still pays X, the elder pays the rest (more than Y);
 * - no_subsidy: a meal above the meeting price gets nothing from this layer (reason max_price).
 */
export const MEET_BELOW = ['elder_pays_less', 'layer_pays_less'] as const;
export const MEET_ABOVE = ['layer_pays_more', 'elder_pays_more', 'no_subsidy'] as const;

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
    .refine((p) => p.numerator <= p.denominator, {
      message: 'a fraction of the meal price must not exceed 1 (numerator ≤ denominator)',
      path: ['numerator'],
      params: { key: 'fractionAboveOne' },
    }),
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
        if (band.minLevel > band.maxLevel)
          ctx.addIssue({ code: 'custom', path: ['amounts', i, 'maxLevel'], message: 'maxLevel must not be below minLevel', params: { key: 'bandOrder' } });
        p.amounts.forEach((other, j) => {
          if (j > i && band.minLevel <= other.maxLevel && other.minLevel <= band.maxLevel) {
            ctx.addIssue({
              code: 'custom',
              path: ['amounts', j],
              message: `care-level band ${other.minLevel}–${other.maxLevel} overlaps band ${band.minLevel}–${band.maxLevel}`,
              params: { key: 'bandOverlap', band: `${other.minLevel}–${other.maxLevel}`, other: `${band.minLevel}–${band.maxLevel}` },
            });
          }
        });
      });
    }),
  z.object({ type: z.literal('actual_spend_up_to'), amountFen: FenAmountSchema }).strict(),
  z
    .object({
      type: z.literal('amount_and_elder_cap'),
      /** What the layer pays at the meeting price. */
      amountFen: FenAmountSchema,
      /** The most the elder pays at the meeting price. The meeting price is amountFen + elderPaysAtMostFen. */
      elderPaysAtMostFen: FenAmountSchema,
      /** Below the meeting price: the elder pays less than the cap (the layer still pays amountFen), or the layer pays less (the elder still pays the cap). */
      belowMeet: z.enum(MEET_BELOW, { error: `say what happens below the meeting price: ${MEET_BELOW.join(' or ')}` }),
      /** Above the meeting price: the layer pays the rest, the elder pays the rest, or this layer pays nothing. */
      aboveMeet: z.enum(MEET_ABOVE, { error: `say what happens above the meeting price: ${MEET_ABOVE.join(', ')}` }),
    })
    .strict(),
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
  'amount_and_elder_cap',
] as const satisfies readonly PaysType[];
/** Pays types that only make sense for a meal layer (they are about what the elder pays). */
export const MEAL_ONLY_PAYS_TYPES = ['elder_pays_at_most', 'amount_and_elder_cap'] as const satisfies readonly PaysType[];

export const TierSchema = z
  .object({
    /** Short label for the console, e.g. '特困/低保'. */
    label: z.string().min(1).max(60).regex(SINGLE_LINE, CONTROL_MESSAGE).optional(),
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
    /**
     * Only lines carrying one of these dish tags count (e.g. Hefei diet meals); the layer's base is their
     * subtotal. Tags are the base DISH_TAGS or tags the document declares in `dishTags`.
     */
    dishTagsAny: nonEmptyUnique(DishTagCodeSchema, 'dishTagsAny').optional(),
    /** Lines carrying any of these dish tags do not count (e.g. a basic subsidy that leaves diet meals to their own layer). */
    dishTagsNone: nonEmptyUnique(DishTagCodeSchema, 'dishTagsNone').optional(),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (w.validFrom !== undefined && w.validTo !== undefined && w.validTo < w.validFrom) {
      ctx.addIssue({
        code: 'custom',
        path: ['validTo'],
        message: `validTo (${w.validTo}) must not be before validFrom (${w.validFrom})`,
        params: { key: 'endBeforeStart', from: w.validFrom, to: w.validTo },
      });
    }
    const both = w.dishTagsAny?.filter((t) => w.dishTagsNone?.includes(t)) ?? [];
    if (both.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['dishTagsNone'],
        message: `dish tag "${both[0]!}" is both required (dishTagsAny) and excluded (dishTagsNone)`,
        params: { key: 'tagBothWays', tag: both[0]! },
      });
    }
  });
export type When = z.output<typeof WhenSchema>;

export const WhereSchema = z.enum(['issuer_area', 'any', 'own_district', 'own_street']);
export type Where = z.infer<typeof WhereSchema>;

export const HomeSchema = z.enum(['hukou', 'residence', 'hukou_or_residence']);
export type Home = z.infer<typeof HomeSchema>;

export const AllowancePeriodSchema = z.enum(['day', 'week', 'month']);
export type AllowancePeriod = z.infer<typeof AllowancePeriodSchema>;

/**
 * A money allowance per resident over a period, summed from the resident's own history: what the layer
 * (or every layer of the same pool) paid for this resident in the period never exceeds amountFen.
 */
export const AllowanceSchema = z
  .object({
    /** day = the service date; week = Monday–Sunday (ISO); month = the calendar month. */
    period: AllowancePeriodSchema,
    amountFen: FenAmountSchema.min(1, { message: 'an allowance of 0 would never pay; remove the layer instead' }),
    /**
     * Layers of the same document with the same pool draw from one allowance (e.g. a breakfast layer and a
     * lunch layer sharing ¥10 a day). Absent = the layer's own allowance.
     */
    pool: SlugSchema.optional(),
  })
  .strict();
export type Allowance = z.output<typeof AllowanceSchema>;

export const LimitsSchema = z
  .object({
    perMealPeriod: CountSchema.default(1),
    perDay: CountSchema.optional(),
    perWeek: CountSchema.optional(),
    perMonth: CountSchema.optional(),
    /** Money per resident per period (see AllowanceSchema). */
    allowance: AllowanceSchema.optional(),
    /** The covered lines must cost at least this much, or the layer pays nothing (reason min_price). */
    minMealPriceFen: FenAmountSchema.optional(),
    budgetFen: FenAmountSchema.optional(),
  })
  .strict();
export type Limits = z.output<typeof LimitsSchema>;

// ---------------------------------------------------------------- layer

export const LayerSchema = z
  .object({
    id: SlugSchema,
    name: z.string().min(1, { message: 'give the layer a name' }).max(100).regex(SINGLE_LINE, CONTROL_MESSAGE),
    payer: z.string().min(1, { message: 'say who pays this layer (e.g. 广州市民政局)' }).max(100).regex(SINGLE_LINE, CONTROL_MESSAGE),
    /** The layer's name in English, for the English console and kiosk (absent: the Chinese `name` is shown). Words only: the engine never reads it. */
    nameEn: z.string().trim().min(1).max(100).regex(SINGLE_LINE, CONTROL_MESSAGE).optional(),
    /**
     * Who pays, in English (e.g. Guangzhou Civil Affairs Bureau; absent: the Chinese `payer` is shown). Claims are still
     * per `payer`: two layers with one payer should give it one English name (the latest policy's wins where they differ).
     */
    payerEn: z.string().trim().min(1).max(100).regex(SINGLE_LINE, CONTROL_MESSAGE).optional(),
    kind: LayerKindSchema,
    who: WhoSchema.prefault({}),
    pays: PaysSchema.optional(),
    tiers: z.array(TierSchema).min(1, { message: 'tiers: list at least one tier, or use pays instead' }).optional(),
    when: WhenSchema.prefault({}),
    where: WhereSchema.default('issuer_area'),
    /** Whose home counts for own_district / own_street: the 户籍 area (default), the residence area, or either. */
    home: HomeSchema.default('hukou'),
    limits: LimitsSchema.prefault({}),
    /**
     * Only at these canteens (their ids), besides `where`: e.g. a charity that funds meals at two named canteens.
     * Absent = every canteen `where` allows.
     */
    canteens: nonEmptyUnique(z.string().min(1).max(64), 'canteens').optional(),
    /**
     * Ids of later layers of the same document, of the same kind, whose place this layer takes: when this
     * layer pays for a meal, they pay nothing for it (reason replaced) instead of stacking.
     */
    replaces: nonEmptyUnique(SlugSchema, 'replaces').optional(),
  })
  .strict()
  .superRefine((layer, ctx) => {
    if (layer.pays === undefined && layer.tiers === undefined) {
      ctx.addIssue({ code: 'custom', path: ['pays'], message: 'a layer needs either pays or tiers', params: { key: 'paysOrTiers' } });
    }
    if (layer.pays !== undefined && layer.tiers !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['tiers'],
        message: 'a layer has either pays or tiers, not both (put the amount in each tier)',
        params: { key: 'paysAndTiers' },
      });
    }
    const all: { pays: Pays; path: (string | number)[] }[] = [];
    if (layer.pays) all.push({ pays: layer.pays, path: ['pays'] });
    layer.tiers?.forEach((t, i) => all.push({ pays: t.pays, path: ['tiers', i, 'pays'] }));
    for (const { pays, path } of all) {
      if (layer.kind !== 'meal' && (MEAL_ONLY_PAYS_TYPES as readonly string[]).includes(pays.type)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'type'],
          message: `${pays.type} only makes sense for a meal layer, not a ${layer.kind} layer`,
          params: { key: 'mealOnlyPays', type: pays.type, kind: layer.kind },
        });
      }
    }
    if (layer.replaces?.includes(layer.id)) {
      ctx.addIssue({ code: 'custom', path: ['replaces'], message: 'a layer cannot replace itself', params: { key: 'replacesSelf' } });
    }
    if (layer.kind === 'delivery' && layer.when.fulfilment !== undefined && !layer.when.fulfilment.includes('delivery')) {
      ctx.addIssue({
        code: 'custom',
        path: ['when', 'fulfilment'],
        message: 'a delivery layer must allow fulfilment "delivery"',
        params: { key: 'deliveryNeedsDelivery' },
      });
    }
  });
export type Layer = z.output<typeof LayerSchema>;
export type LayerInput = z.input<typeof LayerSchema>;

// ---------------------------------------------------------------- document

const AREA_CODE_LENGTH: Partial<Record<PolicyLevel, number>> = { city: 4, district: 6, street: 9 };

export const PolicyDocumentSchema = z
  .object({
    name: z.string().min(1, { message: 'give the policy a name' }).max(200).regex(SINGLE_LINE, CONTROL_MESSAGE),
    level: PolicyLevelSchema,
    areaCode: AreaCodeSchema,
    effectiveFrom: LocalDateSchema,
    effectiveTo: LocalDateSchema.nullable(),
    /** Official working-day calendar for this policy; the evaluation input's calendar is used when absent. */
    calendar: OfficialCalendarSchema.optional(),
    /** Dish tags this policy adds to the base list (BASE_DISH_TAGS), for its layers' dishTagsAny / dishTagsNone. */
    dishTags: z.array(DishTagDeclarationSchema).optional(),
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
        params: { key: 'endBeforeStart', from: doc.effectiveFrom, to: doc.effectiveTo },
      });
    }
    const want = AREA_CODE_LENGTH[doc.level];
    if (want !== undefined && doc.areaCode.length !== want) {
      ctx.addIssue({
        code: 'custom',
        path: ['areaCode'],
        message: `a ${doc.level} policy needs a ${want}-digit area code (got ${doc.areaCode.length} digits)`,
        params: { key: 'areaCodeLength', level: doc.level, want },
      });
    }
    const seen = new Map<string, number>();
    doc.layers.forEach((layer, i) => {
      const first = seen.get(layer.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['layers', i, 'id'],
          message: `layer id "${layer.id}" is already used by layer ${first}; ids must be unique`,
          params: { key: 'duplicateLayerId', id: layer.id, layer: first + 1 },
        });
      } else seen.set(layer.id, i);
    });

    // dish tags: declared ones must be new; layers may only name known ones
    const known = new Set<string>(BASE_DISH_TAGS);
    doc.dishTags?.forEach((t, i) => {
      if (known.has(t.code)) {
        const base = (BASE_DISH_TAGS as readonly string[]).includes(t.code);
        ctx.addIssue({
          code: 'custom',
          path: ['dishTags', i, 'code'],
          message: base ? `"${t.code}" is already a base dish tag; use it without declaring it` : `dish tag "${t.code}" is declared twice`,
          params: { key: base ? 'baseTag' : 'tagDeclaredTwice', tag: t.code },
        });
      }
      known.add(t.code);
    });
    doc.layers.forEach((layer, i) => {
      for (const field of ['dishTagsAny', 'dishTagsNone'] as const) {
        layer.when[field]?.forEach((tag, j) => {
          if (!known.has(tag)) {
            ctx.addIssue({
              code: 'custom',
              path: ['layers', i, 'when', field, j],
              message: `unknown dish tag "${tag}": use a base tag (${BASE_DISH_TAGS.join(', ')}) or declare it in the policy's dishTags`,
              params: { key: 'unknownTag', tag },
            });
          }
        });
      }
    });

    // replacement: a later layer of the same kind in this document
    doc.layers.forEach((layer, i) => {
      layer.replaces?.forEach((id, j) => {
        const target = doc.layers.findIndex((l) => l.id === id);
        const path = ['layers', i, 'replaces', j];
        if (target === -1)
          ctx.addIssue({
            code: 'custom',
            path,
            message: `replaces "${id}", but this policy has no layer with that id`,
            params: { key: 'replacesMissing', id },
          });
        else if (target === i)
          return; // reported on the layer itself
        else if (target < i) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `a replacing layer must come before the layer it replaces: move this layer above "${id}"`,
            params: { key: 'replacesEarlier', id, name: doc.layers[target]!.name },
          });
        } else if (doc.layers[target]!.kind !== layer.kind) {
          ctx.addIssue({
            code: 'custom',
            path,
            message: `a ${layer.kind} layer cannot replace "${id}", a ${doc.layers[target]!.kind} layer`,
            params: { key: 'replacesOtherKind', id, name: doc.layers[target]!.name },
          });
        }
      });
    });

    // allowance pools: one period and amount per pool
    const pools = new Map<string, { i: number; period: string; amountFen: number }>();
    doc.layers.forEach((layer, i) => {
      const a = layer.limits.allowance;
      if (a?.pool === undefined) return;
      const first = pools.get(a.pool);
      if (first === undefined) pools.set(a.pool, { i, period: a.period, amountFen: a.amountFen });
      else if (first.period !== a.period || first.amountFen !== a.amountFen) {
        ctx.addIssue({
          code: 'custom',
          path: ['layers', i, 'limits', 'allowance'],
          message: `allowance pool "${a.pool}" is ${first.amountFen} fen a ${first.period} in layer ${first.i}; every layer of a pool must state the same period and amount`,
          params: { key: 'poolMismatch', pool: a.pool, layer: first.i + 1, period: first.period, amountFen: first.amountFen },
        });
      }
    });
  });
export type PolicyDocument = z.output<typeof PolicyDocumentSchema>;
/** What an author writes (defaults may be left out). */
export type PolicyDocumentInput = z.input<typeof PolicyDocumentSchema>;

// ---------------------------------------------------------------- parsing

export interface PolicyIssue {
  /** Dotted path into the document, e.g. 'layers.0.pays.denominator' ('' for the whole document). */
  path: string;
  /** In English, for logs and API users. */
  message: string;
  /**
   * What is wrong, for a translation: a rule of this schema ('maxAgeBelowMin', 'unknownTag', 'replacesEarlier', …,
   * see POLICY_ISSUE_KEYS) or the zod issue code ('too_small', 'invalid_type', 'unrecognized_keys', …).
   */
  code: string;
  /** The figures the words need (minimum, maximum, tag, id, …). */
  params?: Record<string, string | number>;
}

/** The codes of this schema's own rules (PolicyIssue.code), for the console's translations. */
export const POLICY_ISSUE_KEYS = [
  'date',
  'duplicate',
  'maxAgeBelowMin',
  'eitherNeedsBoth',
  'fractionAboveOne',
  'bandOrder',
  'bandOverlap',
  'endBeforeStart',
  'tagBothWays',
  'paysOrTiers',
  'paysAndTiers',
  'mealOnlyPays',
  'replacesSelf',
  'deliveryNeedsDelivery',
  'areaCodeLength',
  'duplicateLayerId',
  'baseTag',
  'tagDeclaredTwice',
  'unknownTag',
  'replacesMissing',
  'replacesEarlier',
  'replacesOtherKind',
  'poolMismatch',
] as const;

function issueParams(issue: z.core.$ZodIssue): { code: string; params?: Record<string, string | number> } {
  const out: Record<string, string | number> = {};
  const put = (k: string, v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number') out[k] = v;
    else if (typeof v === 'bigint') out[k] = Number(v);
    else if (Array.isArray(v)) out[k] = v.map(String).join(', ');
  };
  if (issue.code === 'custom') {
    const { key, ...rest } = (issue.params ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(rest)) put(k, v);
    return { code: typeof key === 'string' ? key : 'custom', ...(Object.keys(out).length ? { params: out } : {}) };
  }
  const raw = issue as unknown as Record<string, unknown>;
  for (const k of ['minimum', 'maximum', 'origin', 'expected', 'format', 'values', 'keys', 'inclusive']) put(k, raw[k]);
  return { code: issue.code, ...(Object.keys(out).length ? { params: out } : {}) };
}

export type ParsePolicyResult = { ok: true; policy: PolicyDocument } | { ok: false; issues: PolicyIssue[] };

/** Validate an untrusted policy document (e.g. JSON from the console) and fill in defaults. */
export function parsePolicy(json: unknown): ParsePolicyResult {
  const r = PolicyDocumentSchema.safeParse(json);
  if (r.success) return { ok: true, policy: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, ...issueParams(i) })),
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
