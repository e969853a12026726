/**
 * Plain-language descriptions of policy layers for the console, in Chinese and English. The elder-facing
 * reason texts are in reasons.ts.
 */
import { add, fen } from '../money';
import type { DisabilityLevel, DishTag, Fulfilment, ResidentCategory, SupplyMode } from '../domain/enums';
import { MEAL_PERIOD_WORDS, type Lang } from './reasons';
import { CATEGORY_LABELS } from '../domain/categories';
import type { AllowancePeriod, HukouScope, Layer, LayerKind, Limits, Pays, PaysType, PolicyDocument, TierWho, Who } from './schema';

export interface DescribeOptions {
  /** Name of the issuing area, used for 户籍 / residence scope ('广州市' → "广州市户籍"). */
  areaName?: string;
  /**
   * The document the layer belongs to: gives the names of declared dish tags, of replaced layers and of the
   * other layers sharing an allowance pool. Without it those read as their codes.
   */
  policy?: PolicyDocument;
  /** Names of canteens by id, for layers limited to named canteens (`canteens`); without them the ids are shown. */
  canteenNames?: Readonly<Record<string, string>>;
}

// ---------------------------------------------------------------- words

const MEAL_ZH = MEAL_PERIOD_WORDS.zh;
const MEAL_EN = MEAL_PERIOD_WORDS.en;

const CATEGORY_ZH: Readonly<Record<ResidentCategory, string>> = CATEGORY_LABELS.zh;
const CATEGORY_EN: Record<ResidentCategory, string> = {
  tekun: 'extreme poverty (tekun)',
  dibao: 'minimum living allowance (dibao)',
  dibao_edge: 'near-dibao',
  low_income: 'low income',
  youfu: 'entitled veterans (youfu)',
  jisheng_special: 'bereaved or disabled only-child families',
  lives_alone: 'living alone',
  all_elderly_household: 'all-elderly households',
  centenarian: 'centenarians',
  disabled: 'disabled',
};

/** The words for resident categories, and for the category an order counts under ('ordinary': none of them). */
export const CATEGORY_WORDS: Readonly<Record<Lang, Readonly<Record<ResidentCategory, string>>>> = { zh: CATEGORY_ZH, en: CATEGORY_EN };
export function orderCategoryWord(code: ResidentCategory | 'ordinary' | null, lang: Lang): string {
  if (code === null) return lang === 'zh' ? '未登记' : 'unregistered';
  if (code === 'ordinary') return lang === 'zh' ? '普通长者' : 'other elders';
  return CATEGORY_WORDS[lang][code];
}

const SUPPLY_ZH: Record<SupplyMode, string> = {
  own_kitchen: '自主供给',
  unit_canteen: '单位食堂专区',
  catered: '集体用餐配送',
  restaurant: '餐饮门店',
  care_institution: '养老机构辐射',
  neighbour_help: '邻里互助',
};
const SUPPLY_EN: Record<SupplyMode, string> = {
  own_kitchen: 'own kitchen',
  unit_canteen: 'work-unit canteen window',
  catered: 'caterer-supplied',
  restaurant: 'restaurant',
  care_institution: 'care-institution kitchen',
  neighbour_help: 'neighbour help',
};

const DISABILITY_LEVEL_ZH: Record<DisabilityLevel, string> = { none: '无失能', light: '轻度失能', moderate: '中度失能', severe: '重度失能' };
const DISABILITY_LEVEL_EN: Record<DisabilityLevel, string> = { none: 'no loss of ability', light: 'light', moderate: 'moderate', severe: 'severe' };

/** Names of the base dish tags (a policy's own tags carry their names in its `dishTags`). */
export const BASE_DISH_TAG_LABELS: Readonly<Record<Lang, Readonly<Record<DishTag, string>>>> = {
  zh: {
    soft: '软烂',
    low_salt: '低盐',
    low_sugar: '低糖',
    low_fat: '低脂',
    vegetarian: '素食',
    halal: '清真',
    spicy: '辣',
    high_protein: '高蛋白',
  },
  en: {
    soft: 'soft',
    low_salt: 'low-salt',
    low_sugar: 'low-sugar',
    low_fat: 'low-fat',
    vegetarian: 'vegetarian',
    halal: 'halal',
    spicy: 'spicy',
    high_protein: 'high-protein',
  },
};

/** The name of a dish tag: a base tag, a tag the policy declares, or (unknown) the code itself. */
export function dishTagLabel(code: string, lang: Lang, policy?: Pick<PolicyDocument, 'dishTags'>): string {
  const declared = policy?.dishTags?.find((t) => t.code === code);
  if (declared !== undefined) return declared[lang];
  const base = (BASE_DISH_TAG_LABELS[lang] as Readonly<Record<string, string>>)[code];
  return base ?? code;
}

/** Every dish tag an operator may put on a dish under these policies: the base tags, then each policy's own. */
export function dishTagsOf(policies: readonly Pick<PolicyDocument, 'dishTags'>[]): { code: string; zh: string; en: string }[] {
  const out = (Object.keys(BASE_DISH_TAG_LABELS.zh) as DishTag[]).map((code) => ({
    code: code as string,
    zh: BASE_DISH_TAG_LABELS.zh[code],
    en: BASE_DISH_TAG_LABELS.en[code],
  }));
  for (const p of policies) for (const t of p.dishTags ?? []) if (!out.some((o) => o.code === t.code)) out.push({ code: t.code, zh: t.zh, en: t.en });
  return out;
}

/** Short names of the pays types, for the console's pickers. */
export const PAYS_TYPE_LABELS: Readonly<Record<Lang, Readonly<Record<PaysType, string>>>> = {
  zh: {
    fixed: '固定金额',
    fraction: '按餐价比例',
    elder_pays_at_most: '长者最多自付',
    percent_off: '按百分比减免',
    by_supply_mode: '按供餐模式',
    by_care_level: '按照护等级',
    actual_spend_up_to: '按实际消费封顶',
    amount_and_elder_cap: '补贴金额＋长者自付上限',
  },
  en: {
    fixed: 'Fixed amount',
    fraction: 'Fraction of the price',
    elder_pays_at_most: 'Elder pays at most',
    percent_off: 'Percent off',
    by_supply_mode: 'By supply mode',
    by_care_level: 'By care level',
    actual_spend_up_to: 'Actual spend, capped',
    amount_and_elder_cap: 'Amount plus elder cap',
  },
};

const FULFILMENT_ZH: Record<Fulfilment, string> = { dine_in: '堂食', delivery: '送餐上门' };
const FULFILMENT_EN: Record<Fulfilment, string> = { dine_in: 'dine-in', delivery: 'home delivery' };

const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** Chinese numeral for 0–99 (larger numbers stay as digits). */
function cnNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return CN_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CN_DIGITS[tens]!}十${ones === 0 ? '' : CN_DIGITS[ones]!}`;
}

/** Yuan for prose, without floats: 300 → "3元" / "¥3", 150 → "1.5元" / "¥1.50". */
export function yuanText(amountFen: number, lang: Lang): string {
  const a = fen(amountFen);
  const y = Math.floor(Math.abs(a) / 100);
  const f = Math.abs(a) % 100;
  const sign = a < 0 ? '-' : '';
  if (lang === 'zh') {
    const frac = f === 0 ? '' : `.${String(f).padStart(2, '0').replace(/0$/, '')}`;
    return `${sign}${y}${frac}元`;
  }
  return `${sign}¥${y}${f === 0 ? '' : `.${String(f).padStart(2, '0')}`}`;
}

/** 2000 → "20%", 2550 → "25.5%". */
function percentText(basisPoints: number): string {
  const whole = Math.floor(basisPoints / 100);
  const rest = basisPoints % 100;
  return `${whole}${rest === 0 ? '' : `.${String(rest).padStart(2, '0').replace(/0$/, '')}`}%`;
}

function fractionText(n: number, d: number, lang: Lang): string {
  if (lang === 'zh') {
    if (n === 1 && d === 2) return '一半';
    return `${cnNumber(d)}分之${cnNumber(n)}`;
  }
  const named: Record<string, string> = { '1/2': 'one half', '1/3': 'one third', '1/4': 'one quarter', '3/4': 'three quarters', '1/5': 'one fifth' };
  return named[`${n}/${d}`] ?? `${n}/${d}`;
}

function listZh(items: string[], last = '和'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join('、')}${last}${items[items.length - 1]!}`;
}

function listEn(items: string[], last = 'and'): string {
  if (items.length <= 1) return items.join('');
  if (items.length === 2) return `${items[0]!} ${last} ${items[1]!}`;
  return `${items.slice(0, -1).join(', ')}, ${last} ${items[items.length - 1]!}`;
}

function levelRange(min: number, max: number, lang: Lang): string {
  if (min === max) return lang === 'zh' ? `${min}级` : `level ${min}`;
  return lang === 'zh' ? `${min}–${max}级` : `levels ${min}–${max}`;
}

// ---------------------------------------------------------------- who

/** [1,2,3,5] → "1–3、5". */
function compressLevels(levels: readonly number[], sep: string): string {
  const sorted = [...new Set(levels)].sort((a, b) => a - b);
  const runs: string[] = [];
  let start = sorted[0]!;
  let prev = start;
  for (const l of [...sorted.slice(1), Number.NaN]) {
    if (l === prev + 1) {
      prev = l;
      continue;
    }
    runs.push(start === prev ? String(start) : `${start}–${prev}`);
    start = l;
    prev = l;
  }
  return runs.join(sep);
}

function hukouText(scope: HukouScope | undefined, lang: Lang, opts: DescribeOptions): string | null {
  if (scope === 'issuer_area') return lang === 'zh' ? `${opts.areaName ?? '本地'}户籍` : `with ${opts.areaName ?? 'local'} hukou`;
  if (scope === 'city') return lang === 'zh' ? '本市户籍' : 'with hukou in this city';
  return null;
}

function residenceText(scope: HukouScope | undefined, lang: Lang, opts: DescribeOptions): string | null {
  if (scope === 'issuer_area') return lang === 'zh' ? `在${opts.areaName ?? '本地'}居住` : `living in ${opts.areaName ?? 'the area'}`;
  if (scope === 'city') return lang === 'zh' ? '在本市居住' : 'living in this city';
  return null;
}

function whoParts(who: TierWho, lang: Lang, opts: DescribeOptions): string[] {
  const parts: string[] = [];
  const zh = lang === 'zh';
  const hukou = hukouText(who.hukou, lang, opts);
  const residence = residenceText(who.residence, lang, opts);
  if (who.hukouOrResidence === true && hukou !== null && residence !== null) parts.push(zh ? `${hukou}或${residence}` : `${hukou} or ${residence}`);
  else {
    if (hukou !== null) parts.push(hukou);
    if (residence !== null) parts.push(residence);
  }
  if (who.minAge !== undefined && who.maxAge !== undefined) parts.push(zh ? `${who.minAge}至${who.maxAge}岁` : `aged ${who.minAge}–${who.maxAge}`);
  else if (who.minAge !== undefined) parts.push(zh ? `${who.minAge}岁及以上` : `aged ${who.minAge} and over`);
  else if (who.maxAge !== undefined) parts.push(zh ? `${who.maxAge}岁及以下` : `aged ${who.maxAge} and under`);
  if (who.categoriesAny !== undefined) {
    parts.push(
      zh
        ? `属于${listZh(
            who.categoriesAny.map((c) => CATEGORY_ZH[c]),
            '或',
          )}`
        : `in ${listEn(
            who.categoriesAny.map((c) => CATEGORY_EN[c]),
            'or',
          )}`,
    );
  }
  if (who.categoriesNone !== undefined) {
    parts.push(
      zh
        ? `不属于${listZh(
            who.categoriesNone.map((c) => CATEGORY_ZH[c]),
            '或',
          )}`
        : `not in ${listEn(
            who.categoriesNone.map((c) => CATEGORY_EN[c]),
            'or',
          )}`,
    );
  }
  if (who.careLevels !== undefined) {
    const lv = compressLevels(who.careLevels, zh ? '、' : ', ');
    parts.push(zh ? `照护需求等级为${lv}级（一、二级残疾视同3–5级）` : `with care-need level ${lv} (a grade 1–2 disability counts as level 3–5)`);
  }
  if (who.disabilityGrades !== undefined) {
    const g = [...who.disabilityGrades].sort((a, b) => a - b).join(zh ? '、' : ', ');
    parts.push(zh ? `持${g}级残疾证` : `holding a grade ${g} disability certificate`);
  }
  if (who.disabilityLevels !== undefined) {
    parts.push(
      zh
        ? listZh(
            who.disabilityLevels.map((l) => DISABILITY_LEVEL_ZH[l]),
            '或',
          )
        : `with ${listEn(
            who.disabilityLevels.map((l) => DISABILITY_LEVEL_EN[l]),
            'or',
          )} loss of ability`,
    );
  }
  return parts;
}

function whoText(who: Who, lang: Lang, opts: DescribeOptions): string {
  const parts = whoParts(who, lang, opts);
  if (lang === 'zh') {
    if (parts.length === 0) return who.requireRegistered ? '所有登记的长者' : '所有就餐者（包括未登记的）';
    return `${parts.join('、')}的长者`;
  }
  if (parts.length === 0) return who.requireRegistered ? 'All registered residents' : 'Everyone, including unregistered diners';
  return `Residents ${parts.join(', ')}`;
}

function tierWhoText(who: TierWho, label: string | undefined, lang: Lang, opts: DescribeOptions): string {
  const parts = whoParts(who, lang, opts);
  const text =
    parts.length === 0 ? (lang === 'zh' ? '其他符合条件的长者' : 'everyone else who qualifies') : lang === 'zh' ? parts.join('、') : parts.join(', ');
  if (label === undefined || label === text) return text;
  return lang === 'zh' ? `${label}（${text}）` : `${label} (${text})`;
}

// ---------------------------------------------------------------- pays

function paysText(pays: Pays, kind: LayerKind, lang: Lang): string {
  const zh = lang === 'zh';
  const y = (a: number) => yuanText(a, lang);
  const per = zh
    ? kind === 'delivery'
      ? '每次送餐'
      : kind === 'operating'
        ? '每份符合条件的餐'
        : '每餐'
    : kind === 'delivery'
      ? 'per delivery'
      : kind === 'operating'
        ? 'per eligible meal'
        : 'per meal';
  const to = zh ? (kind === 'meal' ? '' : '向运营机构') : kind === 'meal' ? '' : ' to the operator';
  switch (pays.type) {
    case 'fixed':
      return zh ? `${per}${to}补贴${y(pays.amountFen)}` : `${y(pays.amountFen)}${to} ${per}`;
    case 'fraction': {
      const fr = fractionText(pays.numerator, pays.denominator, lang);
      const cap = pays.capFen !== undefined ? (zh ? `，最多${y(pays.capFen)}` : `, at most ${y(pays.capFen)}`) : '';
      return zh ? `${per}${to}补贴餐价的${fr}${cap}` : `${fr} of the meal price${to} ${per}${cap}`;
    }
    case 'elder_pays_at_most':
      if (pays.amountFen === 0) return zh ? `${per}长者免费就餐，餐费全部由本项补贴` : `the meal is free for the elder; this layer pays the whole price`;
      return zh ? `${per}长者自付最多${y(pays.amountFen)}，其余由本项补贴` : `the elder pays at most ${y(pays.amountFen)} ${per}; this layer pays the rest`;
    case 'percent_off':
      return zh ? `${per}${to}减免餐价的${percentText(pays.basisPoints)}` : `${percentText(pays.basisPoints)} off the meal price${to} ${per}`;
    case 'by_supply_mode': {
      const entries = (Object.entries(pays.amounts) as [SupplyMode, number][]).map(([m, a]) => (zh ? `${SUPPLY_ZH[m]}${y(a)}` : `${SUPPLY_EN[m]} ${y(a)}`));
      return zh
        ? `${per}${to}按供餐模式补贴：${entries.join('，')}（未列出的模式不补贴）`
        : `by supply mode${to} ${per}: ${entries.join(', ')} (modes not listed get nothing)`;
    }
    case 'by_care_level': {
      const entries = pays.amounts.map((b) =>
        zh ? `照护需求${levelRange(b.minLevel, b.maxLevel, lang)}${y(b.amountFen)}` : `care ${levelRange(b.minLevel, b.maxLevel, lang)} ${y(b.amountFen)}`,
      );
      return zh
        ? `${per}${to}按照护需求等级补贴：${entries.join('，')}（一、二级残疾视同3–5级）`
        : `by care-need level${to} ${per}: ${entries.join(', ')} (a grade 1–2 disability counts as level 3–5)`;
    }
    case 'actual_spend_up_to':
      return zh ? `${per}${to}按实际消费补贴，最多${y(pays.amountFen)}` : `the actual spend${to} ${per}, up to ${y(pays.amountFen)}`;
    case 'amount_and_elder_cap': {
      const x = y(pays.amountFen);
      const cap = y(pays.elderPaysAtMostFen);
      const meet = y(add(pays.amountFen, pays.elderPaysAtMostFen));
      const below = zh
        ? pays.belowMeet === 'elder_pays_less'
          ? `本项仍补贴${x}（不超过餐费），长者付其余部分`
          : `长者仍自付${cap}（餐费不足${cap}时付全部餐费），本项补贴其余部分`
        : pays.belowMeet === 'elder_pays_less'
          ? `this layer still pays ${x} (never more than the price) and the elder pays the rest`
          : `the elder still pays ${cap} (or the whole price when it is less) and this layer pays the rest`;
      const above = zh
        ? pays.aboveMeet === 'layer_pays_more'
          ? `长者仍只付${cap}，本项补贴其余部分`
          : pays.aboveMeet === 'elder_pays_more'
            ? `本项仍补贴${x}，长者付其余部分`
            : '本项不补贴'
        : pays.aboveMeet === 'layer_pays_more'
          ? `the elder still pays only ${cap} and this layer pays the rest`
          : pays.aboveMeet === 'elder_pays_more'
            ? `this layer still pays ${x} and the elder pays the rest`
            : 'this layer pays nothing';
      return zh
        ? `${per}本项补贴${x}、长者自付${cap}（餐费${meet}时）；餐费低于${meet}时，${below}；餐费高于${meet}时，${above}（餐费指扣除前面各项补贴后的金额）`
        : `this layer pays ${x} and the elder ${cap} ${per} when the price is ${meet}; below ${meet}, ${below}; above ${meet}, ${above} (the price after any earlier layers)`;
    }
  }
}

// ---------------------------------------------------------------- when / where / limits

function whenText(layer: Layer, lang: Lang, opts: DescribeOptions): string {
  const w = layer.when;
  const zh = lang === 'zh';
  const parts: string[] = [];
  if (w.validFrom !== undefined || w.validTo !== undefined) {
    parts.push(zh ? `${w.validFrom ?? ''}至${w.validTo ?? '长期'}期间` : `from ${w.validFrom ?? 'the start'} to ${w.validTo ?? 'further notice'}`);
  }
  if (w.fulfilment !== undefined)
    parts.push(
      zh
        ? listZh(
            w.fulfilment.map((f) => FULFILMENT_ZH[f]),
            '或',
          )
        : `for ${listEn(
            w.fulfilment.map((f) => FULFILMENT_EN[f]),
            'or',
          )}`,
    );
  const tag = (t: string) => dishTagLabel(t, lang, opts.policy);
  const tagsAny = w.dishTagsAny?.map(tag);
  const tagsNone = w.dishTagsNone?.map(tag);
  if (tagsAny !== undefined || tagsNone !== undefined) {
    if (zh) {
      const marks = [
        ...(tagsAny === undefined ? [] : [`标注为${listZh(tagsAny, '或')}`]),
        ...(tagsNone === undefined ? [] : [`未标注为${listZh(tagsNone, '或')}`]),
      ];
      parts.push(`${marks.join('、')}的餐品`);
    } else {
      const marks = [
        ...(tagsAny === undefined ? [] : [`tagged ${listEn(tagsAny, 'or')}`]),
        ...(tagsNone === undefined ? [] : [`not tagged ${listEn(tagsNone, 'or')}`]),
      ];
      parts.push(`on dishes ${marks.join(' and ')}`);
    }
  }
  const ownCalendar = opts.policy?.calendar !== undefined;
  const days = w.workingDaysOnly
    ? zh
      ? ownCalendar
        ? '工作日（按本政策的工作日历）'
        : '工作日'
      : ownCalendar
        ? 'on working days (by this policy’s own calendar)'
        : 'on working days'
    : '';
  const meals = w.mealPeriods !== undefined ? (zh ? listZh(w.mealPeriods.map((m) => MEAL_ZH[m])) : `at ${listEn(w.mealPeriods.map((m) => MEAL_EN[m]))}`) : '';
  if (zh) return parts.join('、') + (parts.length > 0 ? '，' : '') + days + meals;
  return [...parts, days, meals].filter((s) => s !== '').join(' ');
}

function whereText(layer: Layer, lang: Lang, opts: DescribeOptions): string {
  const zh = lang === 'zh';
  const area = areaWhereText(layer, lang);
  if (layer.canteens === undefined) return area;
  const names = layer.canteens.map((id) => opts.canteenNames?.[id] ?? id);
  const named = zh ? `只在${listZh(names, '或')}就餐` : `only at ${listEn(names, 'or')}`;
  if (area === '' || layer.where === 'any') return named;
  return zh ? `${area}、${named}` : `${area}, ${named}`;
}

function areaWhereText(layer: Layer, lang: Lang): string {
  const zh = lang === 'zh';
  const home =
    layer.home === 'hukou'
      ? zh
        ? '户籍'
        : 'hukou'
      : layer.home === 'residence'
        ? zh
          ? '居住地'
          : 'residence'
        : zh
          ? '户籍地或居住地'
          : 'hukou or residence';
  switch (layer.where) {
    case 'issuer_area':
      return '';
    case 'any':
      return zh ? '在任何饭堂就餐' : 'at any canteen';
    case 'own_district':
      return zh ? `在${home}所在区的饭堂就餐` : `only at canteens in their own ${home} district`;
    case 'own_street':
      return zh ? `在${home}所在街道（镇）的饭堂就餐` : `only at canteens in their own ${home} street or town`;
  }
}

const PERIOD_ZH: Record<AllowancePeriod, string> = { day: '每天', week: '每周（周一至周日）', month: '每月' };
const THIS_PERIOD_ZH: Record<AllowancePeriod, string> = { day: '当天', week: '当周', month: '当月' };
const PERIOD_EN: Record<AllowancePeriod, string> = { day: 'a day', week: 'a week (Monday to Sunday)', month: 'a calendar month' };
const THIS_PERIOD_EN: Record<AllowancePeriod, string> = { day: 'that day', week: 'that week', month: 'that month' };

function limitsText(layer: Layer, lang: Lang, opts: DescribeOptions): string[] {
  const limits: Limits = layer.limits;
  const zh = lang === 'zh';
  const out: string[] = [];
  out.push(zh ? `每个餐次限${limits.perMealPeriod}次` : limits.perMealPeriod === 1 ? 'once per meal period' : `${limits.perMealPeriod} times per meal period`);
  if (limits.perDay !== undefined) out.push(zh ? `每天限${limits.perDay}次` : limits.perDay === 1 ? 'once a day' : `at most ${limits.perDay} times a day`);
  if (limits.perWeek !== undefined) out.push(zh ? `每周限${limits.perWeek}次` : `at most ${limits.perWeek} times a week`);
  if (limits.perMonth !== undefined) out.push(zh ? `每月限${limits.perMonth}次` : `at most ${limits.perMonth} times a month`);
  const a = limits.allowance;
  if (a !== undefined) {
    const amount = yuanText(a.amountFen, lang);
    let shared = '';
    if (a.pool !== undefined) {
      const others = opts.policy?.layers.filter((l) => l.id !== layer.id && l.limits.allowance?.pool === a.pool).map((l) => l.name);
      if (others === undefined) shared = zh ? `（与额度“${a.pool}”的其他补贴共用）` : ` (shared with the other layers of allowance "${a.pool}")`;
      else if (others.length > 0) shared = zh ? `（与${listZh(others.map((n) => `“${n}”`))}共用）` : ` (shared with ${listEn(others.map((n) => `"${n}"`))})`;
    }
    out.push(
      zh
        ? `每位长者${PERIOD_ZH[a.period]}最多补贴${amount}${shared}，按本人${THIS_PERIOD_ZH[a.period]}已享受的补贴累计`
        : `at most ${amount} per person ${PERIOD_EN[a.period]}${shared}, counting what they already received ${THIS_PERIOD_EN[a.period]}`,
    );
  }
  if (limits.minMealPriceFen !== undefined) {
    const least = yuanText(limits.minMealPriceFen, lang);
    const tagged = layer.when.dishTagsAny !== undefined || layer.when.dishTagsNone !== undefined;
    out.push(
      zh
        ? tagged
          ? `上述餐品合计不低于${least}才补贴`
          : `餐价不低于${least}才补贴`
        : tagged
          ? `only when those dishes cost at least ${least} together`
          : `only when the meal costs at least ${least}`,
    );
  }
  if (limits.budgetFen !== undefined)
    out.push(zh ? `总额度${yuanText(limits.budgetFen, lang)}，用完即止` : `until the budget of ${yuanText(limits.budgetFen, lang)} is spent`);
  return out;
}

function replacesText(layer: Layer, lang: Lang, opts: DescribeOptions): string | null {
  if (layer.replaces === undefined) return null;
  const names = layer.replaces.map((id) => opts.policy?.layers.find((l) => l.id === id)?.name ?? id);
  return lang === 'zh'
    ? `本项适用时代替${listZh(names.map((n) => `“${n}”`))}，不叠加`
    : `when this layer pays, it takes the place of ${listEn(names.map((n) => `"${n}"`))} (they do not add up)`;
}

// ---------------------------------------------------------------- public

/**
 * A plain-language sentence for a layer, e.g.
 * "广州市户籍、60岁及以上的长者，午餐和晚餐每餐补贴餐价的四分之一，最多3元；每个餐次限1次；餐价不低于5元才补贴。"
 * Pass `opts.policy` (the layer's document) so declared dish tags, replaced layers and shared allowances
 * read by name; describePolicy does.
 */
export function describeLayer(layer: Layer, lang: Lang, opts: DescribeOptions = {}): string {
  const zh = lang === 'zh';
  const who = whoText(layer.who, lang, opts);
  const where = whereText(layer, lang, opts);
  const when = whenText(layer, lang, opts);
  let pays: string;
  if (layer.tiers !== undefined) {
    const tiers = layer.tiers.map((t) => `${tierWhoText(t.who, t.label, lang, opts)}${zh ? '：' : ': '}${paysText(t.pays, layer.kind, lang)}`);
    pays = zh ? `按以下档次取第一个符合的：${tiers.join('；')}` : `the first matching tier applies — ${tiers.join('; ')}`;
  } else if (layer.pays !== undefined) {
    pays = paysText(layer.pays, layer.kind, lang);
  } else {
    pays = zh ? '（未设定金额）' : '(no amount set)';
  }
  const rest = limitsText(layer, lang, opts);
  const replaces = replacesText(layer, lang, opts);
  if (replaces !== null) rest.push(replaces);
  if (zh) {
    const place = where === '' ? '' : `${where}时，`;
    return `${who}，${place}${when}${pays}；${rest.join('；')}。`;
  }
  const head = [who, where].filter((s) => s !== '').join(', ');
  const timing = when === '' ? '' : `${when}, `;
  return `${head}: ${timing}${pays}; ${rest.join('; ')}.`;
}

/** Every layer of a document in plain words, in application order, with the document's own names. */
export function describePolicy(doc: PolicyDocument, lang: Lang, opts: Omit<DescribeOptions, 'policy'> = {}): { id: string; name: string; text: string }[] {
  return doc.layers.map((l) => ({ id: l.id, name: l.name, text: describeLayer(l, lang, { ...opts, policy: doc }) }));
}
