/**
 * The subsidy engine: a pure function from (policies, resident, canteen, meal, history) to the split of the
 * meal price between the elder and each subsidy layer, plus what the operator is owed.
 *
 * No I/O, no clock, no Node APIs: the server and the kiosk run the same code. Money only through money.ts.
 */
import { add, allocate, bps, fen, max, min, MoneyError, ratio, sub, times, ZERO, type Fen } from '../money';
import type { DisabilityLevel, Fulfilment, MealPeriod, ResidentCategory, ResidentStatus, SupplyMode } from '../domain/enums';
import { ageOn, isWorkingDay, monthOf, weekStart, type LocalDate, type OfficialCalendar } from '../domain/time';
import type { AllowancePeriod, HukouScope, Layer, LayerKind, Pays, PolicyDocument, PolicyLevel, TierWho, Who } from './schema';
import type { ReasonCode } from './reasons';

// Reason codes (REASON_CODES, ReasonCode, isReasonCode) live in reasons.ts with their elder-facing words.

// ---------------------------------------------------------------- input / output

export interface ResidentCategoryFact {
  code: ResidentCategory;
  validFrom: LocalDate;
  /** Inclusive; null = open-ended. */
  validTo: LocalDate | null;
}

export interface ResidentFacts {
  id: string;
  birthDate: LocalDate;
  /** 户籍 area code (street level where known); null = not 户籍 anywhere we know of. */
  hukouAreaCode: string | null;
  residenceAreaCode: string | null;
  categories: readonly ResidentCategoryFact[];
  /** Care-need level 0–5. */
  careLevel: number;
  /** Disability certificate grade 1–4 (1 most severe), null = none. */
  disabilityGrade: number | null;
  /** Loss-of-ability assessment (失能程度); optional. */
  disabilityLevel?: DisabilityLevel | null;
  status: ResidentStatus;
  /** Date the status took effect; a non-active status with null counts as always. */
  statusSince: LocalDate | null;
}

export interface CanteenFacts {
  id: string;
  /** Street-level code, e.g. '440106001'; district = first 6 digits, city = first 4. */
  areaCode: string;
  supplyMode: SupplyMode;
}

export interface PricedLine {
  dishId: string;
  unitPriceFen: number;
  quantity: number;
  /**
   * Dish tags (base DISH_TAGS or tags a policy declares), used only by layers with when.dishTagsAny /
   * when.dishTagsNone.
   */
  tags?: readonly string[];
  /**
   * The elder always pays this line in full (a delivery fee, a packaging charge): no layer covers it, it
   * counts towards no layer's base, minimum price or "what is left", and its subsidy share is always 0.
   */
  fullPay?: boolean;
}

/**
 * One layer's payment for one of this resident's earlier meals (a row of historyEntriesFor, stored with the
 * order). The server passes every such row of the resident's orders that are not cancelled or refunded, for
 * every layer kind, from historyWindow(serviceDate).from up to serviceDate inclusive.
 */
export interface HistoryEntry {
  serviceDate: LocalDate;
  mealPeriod: MealPeriod;
  canteenId: string;
  /** `${policyVersionId}:${layerId}` */
  layerKey: string;
  /**
   * What the layer paid, as stored. Count limits (perMealPeriod … perMonth) count rows; allowances sum
   * amountFen. A row with amountFen 0 counts for the limits but spends no allowance (slotAlreadySubsidised).
   */
  amountFen: number;
}

export interface PolicyVersion {
  versionId: string;
  document: PolicyDocument;
  /**
   * Earlier versions of the same policy: history rows under `${previousVersionId}:${layerId}` count
   * towards this version's limits too, so a new version mid-week does not reset perWeek / perMonth.
   */
  previousVersionIds?: readonly string[];
}

export interface EvaluateInput {
  policies: readonly PolicyVersion[];
  /** null = guest (not a registered resident). */
  resident: ResidentFacts | null;
  canteen: CanteenFacts;
  serviceDate: LocalDate;
  mealPeriod: MealPeriod;
  fulfilment: Fulfilment;
  lines: readonly PricedLine[];
  /** This resident's earlier subsidised meals (rows from historyEntriesFor); drives the limits. */
  history: readonly HistoryEntry[];
  /** Total already paid per layer key, across everyone (for limits.budgetFen). */
  layerSpentFen?: Readonly<Record<string, number>>;
  /** Default working-day calendar (a policy's own calendar takes precedence). */
  calendar: OfficialCalendar;
  /** Also report layers of policies not in force on serviceDate (reason not_in_force). Default false: skipped. */
  includeNotInForce?: boolean;
}

export interface LayerResult {
  layerKey: string;
  versionId: string;
  layerId: string;
  layerName: string;
  level: PolicyLevel;
  payer: string;
  kind: LayerKind;
  amountFen: Fen;
  reason: ReasonCode;
  detail?: Record<string, string | number>;
}

export interface LineShare {
  dishId: string;
  elderSubsidyFen: Fen;
}

export interface Evaluation {
  /** Σ every line, full-pay lines included: what the order costs before subsidy. */
  mealPriceFen: Fen;
  /** Σ the full-pay lines (a delivery fee): part of mealPriceFen and of elderPaysFen, never subsidised. */
  fullPayFen: Fen;
  /** Sum of the applied meal layers. */
  elderSubsidyFen: Fen;
  elderPaysFen: Fen;
  /** Sum of the applied delivery and operating layers (paid to the operator, not off the price). */
  operatorSubsidyFen: Fen;
  /** Every layer of every policy considered, applied or not, in application order. */
  layers: LayerResult[];
  /** The meal subsidy per line (same order as the input lines); sums exactly to elderSubsidyFen. */
  lineShares: LineShare[];
}

export class PolicyEvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyEvaluationError';
  }
}

// ---------------------------------------------------------------- helpers

export const LEVEL_ORDER: readonly PolicyLevel[] = ['city', 'district', 'street', 'charity'];

export function layerKeyOf(versionId: string, layerId: string): string {
  return `${versionId}:${layerId}`;
}

/**
 * The dates of history evaluate() may look at for a service date: every count limit and allowance period
 * (meal period, day, ISO week, calendar month) lies within [from, serviceDate].
 */
export function historyWindow(serviceDate: LocalDate): { from: LocalDate; to: LocalDate } {
  const monday = weekStart(serviceDate);
  const firstOfMonth = `${monthOf(serviceDate)}-01`;
  return { from: monday < firstOfMonth ? monday : firstOfMonth, to: serviceDate };
}

/** Σ unitPrice × quantity, in fen. */
export function mealPrice(lines: readonly PricedLine[]): Fen {
  return add(...lines.map(lineTotal));
}

function lineTotal(line: PricedLine): Fen {
  if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) {
    throw new PolicyEvaluationError(`line ${line.dishId}: quantity must be a whole number ≥ 0, got ${line.quantity}`);
  }
  if (fen(line.unitPriceFen) < 0) throw new PolicyEvaluationError(`line ${line.dishId}: unit price must not be negative`);
  return times(line.unitPriceFen, line.quantity);
}

/** True when the policy is in force on `date` (effectiveFrom ≤ date ≤ effectiveTo). */
export function inForce(doc: PolicyDocument, date: LocalDate): boolean {
  return doc.effectiveFrom <= date && (doc.effectiveTo === null || date <= doc.effectiveTo);
}

/**
 * The care levels a resident counts as: their assessed level, plus 3–5 when they hold a grade 1–2
 * disability certificate (Guangzhou: "持一、二级残疾证的视同照护需求等级3–5级").
 */
export function careLevelOrDisability(resident: Pick<ResidentFacts, 'careLevel' | 'disabilityGrade'>): number[] {
  const levels = new Set<number>([resident.careLevel]);
  if (resident.disabilityGrade === 1 || resident.disabilityGrade === 2) {
    for (const l of [3, 4, 5]) levels.add(l);
  }
  return [...levels].sort((a, b) => a - b);
}

/** Categories valid on `date`. */
export function categoriesOn(resident: ResidentFacts, date: LocalDate): ResidentCategory[] {
  return resident.categories.filter((c) => c.validFrom <= date && (c.validTo === null || date <= c.validTo)).map((c) => c.code);
}

type Check = { ok: true } | { ok: false; reason: ReasonCode; detail?: Record<string, string | number> };
const OK: Check = { ok: true };

interface Outcome {
  reason: ReasonCode;
  amount: Fen;
  detail?: Record<string, string | number>;
}

function hasKeys(o: object): boolean {
  for (const _k in o) return true;
  return false;
}

/** A layer that does not pay, for the reason a failed check gives. */
function no(c: Check): Outcome {
  return c.ok ? { reason: 'applied', amount: ZERO } : c.detail ? { reason: c.reason, amount: ZERO, detail: c.detail } : { reason: c.reason, amount: ZERO };
}

/**
 * The layer keys a layer's history is counted under (this version and the earlier ones of its policy): the same for
 * every meal priced with this version object, so kept per object.
 */
const countedKeysCache = new WeakMap<PolicyVersion, Map<string, ReadonlySet<string>>>();
function keysOf(version: PolicyVersion, layerIds: readonly string[], cacheKey: string): ReadonlySet<string> {
  let byLayer = countedKeysCache.get(version);
  if (!byLayer) countedKeysCache.set(version, (byLayer = new Map<string, ReadonlySet<string>>()));
  let keys = byLayer.get(cacheKey);
  if (!keys) {
    const set = new Set<string>();
    for (const v of [version.versionId, ...(version.previousVersionIds ?? [])]) for (const id of layerIds) set.add(layerKeyOf(v, id));
    byLayer.set(cacheKey, (keys = set));
  }
  return keys;
}
const fail = (reason: ReasonCode, detail?: Record<string, string | number>): Check => (detail ? { ok: false, reason, detail } : { ok: false, reason });

/** An area code (户籍 or residence) within a scope of the issuing policy. null = nowhere we know of. */
function inScope(code: string | null, scope: HukouScope, policyArea: string): boolean {
  if (scope === 'any') return true;
  if (code === null) return false;
  return scope === 'issuer_area' ? code.startsWith(policyArea) : code.length >= 4 && code.slice(0, 4) === policyArea.slice(0, 4);
}

function hasResidentConditions(who: TierWho): boolean {
  return (
    (who.hukou !== undefined && who.hukou !== 'any') ||
    (who.residence !== undefined && who.residence !== 'any') ||
    who.minAge !== undefined ||
    who.maxAge !== undefined ||
    who.categoriesAny !== undefined ||
    who.categoriesNone !== undefined ||
    who.careLevels !== undefined ||
    who.disabilityGrades !== undefined ||
    who.disabilityLevels !== undefined
  );
}

/** Check a who (layer-level or tier-level) against the resident. */
function checkWho(who: TierWho, resident: ResidentFacts | null, doc: PolicyDocument, date: LocalDate): Check {
  if (resident === null) return hasResidentConditions(who) ? fail('guest') : OK;
  const hukou = who.hukou ?? 'any';
  const residence = who.residence ?? 'any';
  const hukouOk = inScope(resident.hukouAreaCode, hukou, doc.areaCode);
  const residenceOk = inScope(resident.residenceAreaCode, residence, doc.areaCode);
  if (who.hukouOrResidence === true && hukou !== 'any' && residence !== 'any') {
    if (!hukouOk && !residenceOk) return fail('not_local', { hukou, residence });
  } else {
    if (!hukouOk) return fail('hukou_scope', { hukou });
    if (!residenceOk) return fail('residence_scope', { residence });
  }
  if (who.minAge !== undefined || who.maxAge !== undefined) {
    const age = ageOn(resident.birthDate, date);
    if ((who.minAge !== undefined && age < who.minAge) || (who.maxAge !== undefined && age > who.maxAge)) {
      const detail: Record<string, number> = { age };
      if (who.minAge !== undefined) detail.minAge = who.minAge;
      if (who.maxAge !== undefined) detail.maxAge = who.maxAge;
      return fail('age', detail);
    }
  }
  if (who.categoriesAny !== undefined || who.categoriesNone !== undefined) {
    const held = categoriesOn(resident, date);
    if (who.categoriesAny !== undefined && !who.categoriesAny.some((c) => held.includes(c))) {
      return fail('category', { needsOneOf: who.categoriesAny.join(',') });
    }
    const excluded = who.categoriesNone?.find((c) => held.includes(c));
    if (excluded !== undefined) return fail('category', { excludedBy: excluded });
  }
  if (who.careLevels !== undefined) {
    const levels = careLevelOrDisability(resident);
    if (!who.careLevels.some((l) => levels.includes(l))) return fail('care_level', { careLevel: resident.careLevel });
  }
  if (who.disabilityGrades !== undefined && (resident.disabilityGrade === null || !who.disabilityGrades.includes(resident.disabilityGrade))) {
    return fail('care_level', { disabilityGrade: resident.disabilityGrade ?? 'none' });
  }
  if (who.disabilityLevels !== undefined && !who.disabilityLevels.includes(resident.disabilityLevel ?? 'none')) {
    return fail('care_level', { disabilityLevel: resident.disabilityLevel ?? 'none' });
  }
  return OK;
}

function checkLayerWho(who: Who, resident: ResidentFacts | null, doc: PolicyDocument, date: LocalDate): Check {
  if (resident === null && who.requireRegistered) return fail('guest');
  if (resident !== null && resident.status !== 'active' && (resident.statusSince === null || resident.statusSince <= date)) {
    return fail('resident_status', { status: resident.status });
  }
  return checkWho(who, resident, doc, date);
}

function checkWhere(layer: Layer, doc: PolicyDocument, input: EvaluateInput): Check {
  if (layer.where === 'any') return OK;
  const canteenArea = input.canteen.areaCode;
  if (!canteenArea.startsWith(doc.areaCode)) return fail('outside_area', { canteenArea, policyArea: doc.areaCode });
  if (layer.where === 'issuer_area') return OK;
  const r = input.resident;
  const homes =
    r === null ? [] : layer.home === 'hukou' ? [r.hukouAreaCode] : layer.home === 'residence' ? [r.residenceAreaCode] : [r.hukouAreaCode, r.residenceAreaCode];
  const n = layer.where === 'own_district' ? 6 : 9;
  const near = (home: string | null) => home !== null && home.length >= n && canteenArea.length >= n && home.slice(0, n) === canteenArea.slice(0, n);
  if (!homes.some(near)) return fail(layer.where === 'own_district' ? 'not_own_district' : 'not_own_street', { home: layer.home });
  return OK;
}

function checkLimits(layer: Layer, keys: ReadonlySet<string>, input: EvaluateInput): Check {
  const rows = input.history.filter((h) => keys.has(h.layerKey));
  const { perMealPeriod, perDay, perWeek, perMonth } = layer.limits;
  const date = input.serviceDate;
  const samePeriod = rows.filter((h) => h.serviceDate === date && h.mealPeriod === input.mealPeriod).length;
  if (samePeriod >= perMealPeriod) return fail('limit_meal_period', { limit: perMealPeriod, used: samePeriod });
  if (perDay !== undefined) {
    const used = rows.filter((h) => h.serviceDate === date).length;
    if (used >= perDay) return fail('limit_day', { limit: perDay, used });
  }
  if (perWeek !== undefined) {
    const wk = weekStart(date);
    const used = rows.filter((h) => weekStart(h.serviceDate) === wk).length;
    if (used >= perWeek) return fail('limit_week', { limit: perWeek, used });
  }
  if (perMonth !== undefined) {
    const mo = monthOf(date);
    const used = rows.filter((h) => monthOf(h.serviceDate) === mo).length;
    if (used >= perMonth) return fail('limit_month', { limit: perMonth, used });
  }
  return OK;
}

function inPeriod(period: AllowancePeriod, a: LocalDate, b: LocalDate): boolean {
  switch (period) {
    case 'day':
      return a === b;
    case 'week':
      return weekStart(a) === weekStart(b);
    case 'month':
      return monthOf(a) === monthOf(b);
  }
}

const ALLOWANCE_REASON: Record<AllowancePeriod, ReasonCode> = { day: 'allowance_day', week: 'allowance_week', month: 'allowance_month' };

/** The amount a `pays` rule asks for, before clamping to what is left / the allowance / the budget. 'max_price': above the meeting price, no subsidy. */
function rawAmount(
  pays: Pays,
  ctx: { base: Fen; left: Fen; supplyMode: SupplyMode; resident: ResidentFacts | null },
  detail: Record<string, string | number>,
): Fen | 'max_price' {
  switch (pays.type) {
    case 'fixed':
      return fen(pays.amountFen);
    case 'fraction': {
      const computed = ratio(ctx.base, pays.numerator, pays.denominator);
      detail.fractionFen = computed;
      if (pays.capFen !== undefined && computed > pays.capFen) {
        detail.capFen = pays.capFen;
        return fen(pays.capFen);
      }
      return computed;
    }
    case 'elder_pays_at_most': {
      detail.elderPaysAtMostFen = pays.amountFen;
      return ctx.left > pays.amountFen ? sub(ctx.left, pays.amountFen) : ZERO;
    }
    case 'percent_off':
      detail.basisPoints = pays.basisPoints;
      return bps(ctx.base, pays.basisPoints);
    case 'by_supply_mode':
      detail.supplyMode = ctx.supplyMode;
      return fen(pays.amounts[ctx.supplyMode] ?? 0);
    case 'by_care_level': {
      const levels = ctx.resident === null ? [0] : careLevelOrDisability(ctx.resident);
      let best: Fen = ZERO;
      for (const band of pays.amounts) {
        if (levels.some((l) => l >= band.minLevel && l <= band.maxLevel) && band.amountFen > best) best = fen(band.amountFen);
      }
      detail.careLevel = ctx.resident?.careLevel ?? 0;
      if (ctx.resident?.disabilityGrade != null) detail.disabilityGrade = ctx.resident.disabilityGrade;
      return best;
    }
    case 'actual_spend_up_to':
      return min(pays.amountFen, ctx.left);
    case 'amount_and_elder_cap': {
      const meet = add(pays.amountFen, pays.elderPaysAtMostFen);
      detail.meetPriceFen = meet;
      detail.leftFen = ctx.left;
      if (ctx.left === meet) return fen(pays.amountFen);
      if (ctx.left < meet) {
        detail.belowMeet = pays.belowMeet;
        return pays.belowMeet === 'elder_pays_less' ? min(pays.amountFen, ctx.left) : max(ZERO, sub(ctx.left, pays.elderPaysAtMostFen));
      }
      detail.aboveMeet = pays.aboveMeet;
      if (pays.aboveMeet === 'layer_pays_more') return sub(ctx.left, pays.elderPaysAtMostFen);
      if (pays.aboveMeet === 'elder_pays_more') return fen(pays.amountFen);
      return 'max_price';
    }
  }
}

function sortedPolicies(policies: readonly PolicyVersion[]): PolicyVersion[] {
  return policies
    .map((p, i) => ({ p, i }))
    .sort((a, b) => LEVEL_ORDER.indexOf(a.p.document.level) - LEVEL_ORDER.indexOf(b.p.document.level) || a.i - b.i)
    .map(({ p }) => p);
}

// ---------------------------------------------------------------- evaluate

/**
 * Split a meal's price between the elder and the subsidy layers.
 *
 * Policies apply city → district → street → charity (input order within a level), layers in document
 * order. Policies not in force on serviceDate are skipped (or reported as not_in_force with
 * includeNotInForce). Meal layers are clamped to what is left of the price of the lines they cover;
 * delivery and operating layers are paid to the operator and do not reduce the price. Full-pay lines are
 * covered by no layer.
 *
 * Each layer reports the first reason that stops it, checked in this order: not_in_force, replaced,
 * outside_validity, fulfilment, meal_period, not_working_day, guest, resident_status, hukou_scope /
 * residence_scope / not_local, age, category, care_level (layer `who`, then tiers), outside_area /
 * not_own_district / not_own_street, not_named_canteen, no_eligible_dish, min_price, limit_meal_period / limit_day /
 * limit_week / limit_month, allowance_day / allowance_week / allowance_month, budget_spent, nothing_left,
 * max_price, zero_amount; otherwise applied.
 */
export function evaluate(input: EvaluateInput): Evaluation {
  const date = input.serviceDate;
  const totals = input.lines.map(lineTotal);
  const price = add(...totals);
  const fullPay = add(...totals.filter((_t, i) => input.lines[i]!.fullPay === true));
  const lineLeft: Fen[] = [...totals];
  const lineShare: Fen[] = totals.map(() => ZERO);
  let elderSubsidy: Fen = ZERO;
  let operatorSubsidy: Fen = ZERO;
  const results: LayerResult[] = [];

  for (const version of sortedPolicies(input.policies)) {
    const { versionId, document: doc } = version;
    const active = inForce(doc, date);
    if (!active && !input.includeNotInForce) continue;
    const calendar = doc.calendar ?? input.calendar;
    /** Layer id → the id of the applied layer that took its place for this meal. */
    const replacedBy = new Map<string, string>();
    /** Allowance pool → what this evaluation has already drawn from it. */
    const drawnNow = new Map<string, Fen>();

    for (const layer of doc.layers) {
      const key = layerKeyOf(versionId, layer.id);
      const detail: Record<string, string | number> = {};
      let pool: string | null = null;
      const outcome = ((): { reason: ReasonCode; amount: Fen; detail?: Record<string, string | number> } => {
        if (!active) return no(fail('not_in_force', { effectiveFrom: doc.effectiveFrom, effectiveTo: doc.effectiveTo ?? 'open' }));
        const by = replacedBy.get(layer.id);
        if (by !== undefined) return no(fail('replaced', { replacedBy: by }));
        const { when } = layer;
        if ((when.validFrom !== undefined && date < when.validFrom) || (when.validTo !== undefined && date > when.validTo)) {
          return no(fail('outside_validity', { validFrom: when.validFrom ?? 'open', validTo: when.validTo ?? 'open' }));
        }

        // when: does this layer concern this kind of meal at all?
        if ((layer.kind === 'delivery' && input.fulfilment !== 'delivery') || (when.fulfilment !== undefined && !when.fulfilment.includes(input.fulfilment))) {
          return no(fail('fulfilment', { fulfilment: input.fulfilment }));
        }
        if (when.mealPeriods !== undefined && !when.mealPeriods.includes(input.mealPeriod)) {
          return no(fail('meal_period', { mealPeriod: input.mealPeriod }));
        }
        if (when.workingDaysOnly && !isWorkingDay(date, calendar)) return no(fail('not_working_day'));

        // who: layer-level conditions, then the first matching tier
        const whoCheck = checkLayerWho(layer.who, input.resident, doc, date);
        if (!whoCheck.ok) return no(whoCheck);
        let pays: Pays | undefined = layer.pays;
        if (layer.tiers !== undefined) {
          let lastFail: Check = OK;
          pays = undefined;
          for (const [i, tier] of layer.tiers.entries()) {
            const c = checkWho(tier.who, input.resident, doc, date);
            if (c.ok) {
              pays = tier.pays;
              detail.tier = i;
              if (tier.label !== undefined) detail.tierLabel = tier.label;
              break;
            }
            lastFail = c;
          }
          if (pays === undefined) return no(lastFail);
        }
        if (pays === undefined) throw new PolicyEvaluationError(`layer ${key} has neither pays nor tiers`);

        // where
        const whereCheck = checkWhere(layer, doc, input);
        if (!whereCheck.ok) return no(whereCheck);
        if (layer.canteens !== undefined && !layer.canteens.includes(input.canteen.id)) return no(fail('not_named_canteen', { canteenId: input.canteen.id }));

        // which lines the layer covers: never a full-pay line; with dish tags, only the lines they select
        const any = when.dishTagsAny;
        const none = when.dishTagsNone;
        const eligible: number[] = [];
        for (let i = 0; i < input.lines.length; i++) {
          const line = input.lines[i]!;
          if (line.fullPay === true) continue;
          if (any === undefined && none === undefined) {
            eligible.push(i);
            continue;
          }
          const tags = line.tags ?? [];
          if ((any === undefined || tags.some((t) => any.includes(t))) && (none === undefined || !tags.some((t) => none.includes(t)))) eligible.push(i);
        }
        if (eligible.length === 0) {
          const d: Record<string, string | number> = {};
          if (any !== undefined) d.dishTagsAny = any.join(',');
          if (none !== undefined) d.dishTagsNone = none.join(',');
          return no(fail('no_eligible_dish', d));
        }
        let eligibleBase: Fen = ZERO;
        let eligibleLeft: Fen = ZERO;
        for (const i of eligible) {
          eligibleBase = add(eligibleBase, totals[i]!);
          eligibleLeft = add(eligibleLeft, lineLeft[i]!);
        }
        if (layer.limits.minMealPriceFen !== undefined && eligibleBase < layer.limits.minMealPriceFen) {
          return no(fail('min_price', { mealPriceFen: eligibleBase, minMealPriceFen: layer.limits.minMealPriceFen }));
        }

        // count limits, over this layer's rows in this and earlier versions
        const limitCheck = checkLimits(layer, keysOf(version, [layer.id], `layer:${layer.id}`), input);
        if (!limitCheck.ok) return no(limitCheck);

        // money allowance per resident per period, shared by the layers of its pool
        let allowanceLeft: Fen | null = null;
        const allowance = layer.limits.allowance;
        if (allowance !== undefined) {
          pool = allowance.pool === undefined ? `layer:${layer.id}` : `pool:${allowance.pool}`;
          const poolLayers = allowance.pool === undefined ? [layer.id] : doc.layers.filter((l) => l.limits.allowance?.pool === allowance.pool).map((l) => l.id);
          const poolKeys = keysOf(version, poolLayers, pool);
          const fromHistory = add(
            ...input.history.filter((h) => poolKeys.has(h.layerKey) && inPeriod(allowance.period, h.serviceDate, date)).map((h) => h.amountFen),
          );
          const used = add(fromHistory, drawnNow.get(pool) ?? ZERO);
          if (used >= allowance.amountFen) {
            return no(fail(ALLOWANCE_REASON[allowance.period], { allowanceFen: allowance.amountFen, usedFen: used, period: allowance.period }));
          }
          allowanceLeft = sub(allowance.amountFen, used);
        }

        let budgetLeft: Fen | null = null;
        if (layer.limits.budgetFen !== undefined) {
          const spent = fen(input.layerSpentFen?.[key] ?? 0);
          if (spent >= layer.limits.budgetFen) return no(fail('budget_spent', { budgetFen: layer.limits.budgetFen, spentFen: spent }));
          budgetLeft = sub(layer.limits.budgetFen, spent);
        }

        // amount
        if (layer.kind === 'meal' && eligibleLeft === 0) return { reason: 'nothing_left', amount: ZERO, detail };
        const left = layer.kind === 'meal' ? eligibleLeft : eligibleBase;
        const raw = rawAmount(pays, { base: eligibleBase, left, supplyMode: input.canteen.supplyMode, resident: input.resident }, detail);
        if (raw === 'max_price') return { reason: 'max_price', amount: ZERO, detail };
        let amount = raw;
        if (amount === 0) return { reason: 'zero_amount', amount: ZERO, detail };
        if (layer.kind === 'meal' && amount > eligibleLeft) {
          detail.computedFen = amount;
          detail.clampedToLeftFen = eligibleLeft;
          amount = eligibleLeft;
        }
        if (allowanceLeft !== null && amount > allowanceLeft) {
          detail.computedFen ??= amount;
          detail.clampedToAllowanceFen = allowanceLeft;
          amount = allowanceLeft;
        }
        if (budgetLeft !== null && amount > budgetLeft) {
          detail.computedFen ??= amount;
          detail.clampedToBudgetFen = budgetLeft;
          amount = budgetLeft;
        }

        if (layer.kind === 'meal') {
          const parts = allocate(
            amount,
            eligible.map((i) => lineLeft[i]!),
          );
          eligible.forEach((lineIndex, k) => {
            const part = parts[k]!;
            lineLeft[lineIndex] = sub(lineLeft[lineIndex]!, part);
            lineShare[lineIndex] = add(lineShare[lineIndex]!, part);
          });
          elderSubsidy = add(elderSubsidy, amount);
        } else {
          operatorSubsidy = add(operatorSubsidy, amount);
        }
        return { reason: 'applied', amount, detail };
      })();

      if (outcome.reason === 'applied') {
        if (pool !== null) drawnNow.set(pool, add(drawnNow.get(pool) ?? ZERO, outcome.amount));
        for (const id of layer.replaces ?? []) if (!replacedBy.has(id)) replacedBy.set(id, layer.id);
      }
      const d = outcome.detail;
      const result: LayerResult = {
        layerKey: key,
        versionId,
        layerId: layer.id,
        layerName: layer.name,
        level: doc.level,
        payer: layer.payer,
        kind: layer.kind,
        amountFen: outcome.amount,
        reason: outcome.reason,
      };
      if (d !== undefined && hasKeys(d)) result.detail = d;
      results.push(result);
    }
  }

  const elderPays = sub(price, elderSubsidy);
  if (elderPays < fullPay) throw new MoneyError('internal: a full-pay line was subsidised'); // unreachable by construction
  return {
    mealPriceFen: price,
    fullPayFen: fullPay,
    elderSubsidyFen: elderSubsidy,
    elderPaysFen: elderPays,
    operatorSubsidyFen: operatorSubsidy,
    layers: results,
    lineShares: input.lines.map((l, i) => ({ dishId: l.dishId, elderSubsidyFen: lineShare[i]! })),
  };
}

/** The rows the server stores for an evaluated meal: one per applied layer (a layer that paid 0 has none). */
export function historyEntriesFor(evaluation: Evaluation, serviceDate: LocalDate, mealPeriod: MealPeriod, canteenId: string): HistoryEntry[] {
  return evaluation.layers
    .filter((l) => l.reason === 'applied' && l.amountFen > 0)
    .map((l) => ({ serviceDate, mealPeriod, canteenId, layerKey: l.layerKey, amountFen: l.amountFen }));
}
