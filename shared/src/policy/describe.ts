/**
 * Plain-language descriptions of policy layers (console) and reason codes (kiosk), in Chinese and English.
 */
import { fen } from '../money';
import type { DisabilityLevel, DishTag, Fulfilment, MealPeriod, ResidentCategory, SupplyMode } from '../domain/enums';
import type { ReasonCode } from './evaluate';
import type { Layer, LayerKind, Limits, Pays, TierWho, Who } from './schema';

export type Lang = 'zh' | 'en';

export interface DescribeOptions {
  /** Name of the issuing area, used for 户籍 scope ('广州市' → "广州市户籍"). */
  areaName?: string;
}

// ---------------------------------------------------------------- words

const MEAL_ZH: Record<MealPeriod, string> = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' };
const MEAL_EN: Record<MealPeriod, string> = { breakfast: 'breakfast', lunch: 'lunch', dinner: 'dinner' };

const CATEGORY_ZH: Record<ResidentCategory, string> = {
  tekun: '特困',
  dibao: '低保',
  dibao_edge: '低保边缘',
  low_income: '低收入',
  youfu: '优抚对象',
  jisheng_special: '计生特殊家庭',
  lives_alone: '独居',
  all_elderly_household: '纯老家庭',
  centenarian: '百岁老人',
  disabled: '残疾',
};
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

const DISH_TAG_ZH: Record<DishTag, string> = {
  soft: '软食',
  low_salt: '低盐',
  low_sugar: '低糖',
  low_fat: '低脂',
  vegetarian: '素食',
  halal: '清真',
  spicy: '辣味',
  high_protein: '高蛋白',
};
const DISH_TAG_EN: Record<DishTag, string> = {
  soft: 'soft',
  low_salt: 'low-salt',
  low_sugar: 'low-sugar',
  low_fat: 'low-fat',
  vegetarian: 'vegetarian',
  halal: 'halal',
  spicy: 'spicy',
  high_protein: 'high-protein',
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

function whoParts(who: TierWho, lang: Lang, opts: DescribeOptions): string[] {
  const parts: string[] = [];
  const zh = lang === 'zh';
  if (who.hukou === 'issuer_area') parts.push(zh ? `${opts.areaName ?? '本地'}户籍` : `with ${opts.areaName ?? 'local'} hukou`);
  if (who.hukou === 'city') parts.push(zh ? '本市户籍' : 'with hukou in this city');
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
  }
}

// ---------------------------------------------------------------- when / where / limits

function whenText(layer: Layer, lang: Lang): string {
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
  if (w.dishTagsAny !== undefined)
    parts.push(
      zh
        ? `${listZh(
            w.dishTagsAny.map((t) => DISH_TAG_ZH[t]),
            '或',
          )}餐品`
        : `on ${listEn(
            w.dishTagsAny.map((t) => DISH_TAG_EN[t]),
            'or',
          )} dishes`,
    );
  const days = w.workingDaysOnly ? (zh ? '工作日' : 'on working days') : '';
  const meals = w.mealPeriods !== undefined ? (zh ? listZh(w.mealPeriods.map((m) => MEAL_ZH[m])) : `at ${listEn(w.mealPeriods.map((m) => MEAL_EN[m]))}`) : '';
  if (zh) return parts.join('、') + (parts.length > 0 ? '，' : '') + days + meals;
  return [...parts, days, meals].filter((s) => s !== '').join(' ');
}

function whereText(layer: Layer, lang: Lang): string {
  const zh = lang === 'zh';
  const home = layer.home === 'hukou' ? (zh ? '户籍' : 'hukou') : zh ? '居住地' : 'residence';
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

function limitsText(limits: Limits, lang: Lang): string[] {
  const zh = lang === 'zh';
  const out: string[] = [];
  out.push(zh ? `每个餐次限${limits.perMealPeriod}次` : limits.perMealPeriod === 1 ? 'once per meal period' : `${limits.perMealPeriod} times per meal period`);
  if (limits.perDay !== undefined) out.push(zh ? `每天限${limits.perDay}次` : limits.perDay === 1 ? 'once a day' : `at most ${limits.perDay} times a day`);
  if (limits.perWeek !== undefined) out.push(zh ? `每周限${limits.perWeek}次` : `at most ${limits.perWeek} times a week`);
  if (limits.perMonth !== undefined) out.push(zh ? `每月限${limits.perMonth}次` : `at most ${limits.perMonth} times a month`);
  if (limits.minMealPriceFen !== undefined)
    out.push(zh ? `餐价不低于${yuanText(limits.minMealPriceFen, lang)}才补贴` : `only when the meal costs at least ${yuanText(limits.minMealPriceFen, lang)}`);
  if (limits.budgetFen !== undefined)
    out.push(zh ? `总额度${yuanText(limits.budgetFen, lang)}，用完即止` : `until the budget of ${yuanText(limits.budgetFen, lang)} is spent`);
  return out;
}

// ---------------------------------------------------------------- public

/**
 * A plain-language sentence for a layer, e.g.
 * "广州市户籍、60岁及以上的长者，午餐和晚餐每餐补贴餐价的四分之一，最多3元；每个餐次限1次。"
 */
export function describeLayer(layer: Layer, lang: Lang, opts: DescribeOptions = {}): string {
  const zh = lang === 'zh';
  const who = whoText(layer.who, lang, opts);
  const where = whereText(layer, lang);
  const when = whenText(layer, lang);
  let pays: string;
  if (layer.tiers !== undefined) {
    const tiers = layer.tiers.map((t) => `${tierWhoText(t.who, t.label, lang, opts)}${zh ? '：' : ': '}${paysText(t.pays, layer.kind, lang)}`);
    pays = zh ? `按以下档次取第一个符合的：${tiers.join('；')}` : `the first matching tier applies — ${tiers.join('; ')}`;
  } else if (layer.pays !== undefined) {
    pays = paysText(layer.pays, layer.kind, lang);
  } else {
    pays = zh ? '（未设定金额）' : '(no amount set)';
  }
  const limits = limitsText(layer.limits, lang);
  if (zh) {
    const place = where === '' ? '' : `${where}时，`;
    return `${who}，${place}${when}${pays}；${limits.join('；')}。`;
  }
  const head = [who, where].filter((s) => s !== '').join(', ');
  const timing = when === '' ? '' : `${when}, `;
  return `${head}: ${timing}${pays}; ${limits.join('; ')}.`;
}

const REASON_ZH: Record<ReasonCode, string> = {
  applied: '已享受这项补贴',
  guest: '未登记的就餐者不享受补贴',
  not_in_force: '这项政策今天不在有效期内',
  outside_validity: '这项补贴今天不在有效期内',
  hukou_scope: '这项补贴只给本地户籍的长者',
  age: '您的年龄不在这项补贴的范围内',
  category: '这项补贴只给特定的困难长者',
  care_level: '您的照护等级不符合这项补贴',
  resident_status: '您的登记状态有变化，请找工作人员',
  meal_period: '这一餐没有这项补贴',
  not_working_day: '今天是休息日，没有这项补贴',
  fulfilment: '这种取餐方式没有这项补贴',
  outside_area: '这家饭堂不在这项补贴的地区内',
  not_own_district: '这项补贴只能在您户籍所在区的饭堂使用',
  not_own_street: '这项补贴只能在您户籍所在街道（镇）的饭堂使用',
  no_eligible_dish: '您选的菜不在这项补贴范围内',
  limit_meal_period: '这一餐的补贴已经用过了',
  limit_day: '今天的补贴已经用完了',
  limit_week: '本周的补贴次数已经用完了',
  limit_month: '本月的补贴次数已经用完了',
  min_price: '餐价没有达到补贴的最低金额',
  budget_spent: '这项补贴的资金已经用完了',
  nothing_left: '前面的补贴已经抵扣了全部餐费',
  zero_amount: '这项补贴对这一餐没有金额',
};

const REASON_EN: Record<ReasonCode, string> = {
  applied: 'You get this subsidy',
  guest: 'Subsidies are for registered residents',
  not_in_force: 'This policy is not in force today',
  outside_validity: 'This subsidy is not valid today',
  hukou_scope: 'This subsidy is only for people with local household registration (hukou)',
  age: 'Your age is outside this subsidy',
  category: 'This subsidy is only for certain groups in need',
  care_level: 'Your care level does not match this subsidy',
  resident_status: 'Your registration has changed; please ask staff',
  meal_period: 'This meal is not subsidised',
  not_working_day: 'No subsidy on rest days',
  fulfilment: 'This subsidy does not cover this way of getting your meal',
  outside_area: 'This canteen is outside the area of this subsidy',
  not_own_district: 'This subsidy is only at canteens in your home district',
  not_own_street: 'This subsidy is only at canteens in your home street or town',
  no_eligible_dish: 'The dishes you chose are not covered by this subsidy',
  limit_meal_period: 'You have already had the subsidy for this meal',
  limit_day: "You have already used today's subsidy",
  limit_week: "You have used this week's subsidised meals",
  limit_month: "You have used this month's subsidised meals",
  min_price: 'The meal costs less than this subsidy requires',
  budget_spent: "This subsidy's money has run out",
  nothing_left: 'Other subsidies already cover the whole meal',
  zero_amount: 'This subsidy gives nothing for this meal',
};

export interface ReasonContext {
  /** The meal being ordered: makes meal_period / limit_meal_period name it ("今天午餐的补贴已经用过了"). */
  mealPeriod?: MealPeriod;
}

/** Short plain words for the kiosk, for every reason code. */
export function describeReason(code: ReasonCode, lang: Lang, ctx: ReasonContext = {}): string {
  const p = ctx.mealPeriod;
  if (p !== undefined) {
    if (code === 'limit_meal_period') return lang === 'zh' ? `今天${MEAL_ZH[p]}的补贴已经用过了` : `You have already had today's subsidised ${MEAL_EN[p]}`;
    if (code === 'meal_period') return lang === 'zh' ? `${MEAL_ZH[p]}没有这项补贴` : `${MEAL_EN[p][0]!.toUpperCase()}${MEAL_EN[p].slice(1)} is not subsidised`;
  }
  return lang === 'zh' ? REASON_ZH[code] : REASON_EN[code];
}
