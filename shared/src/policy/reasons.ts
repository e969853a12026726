/**
 * Why a subsidy layer paid what it paid: the stable reason codes the engine gives (stored with every order) and
 * the plain words an elder reads for each, in Chinese and English. Defined once here; the kiosk, the console
 * and describe.ts all use these texts.
 *
 * The texts stand on their own and read well after "没有补贴：" / "No subsidy: " (the kiosk's welcome line),
 * so they avoid pointing at "this layer" and speak to the elder.
 */
import type { MealPeriod } from '../domain/enums';

export const REASON_CODES = [
  'applied',
  'guest',
  'not_in_force',
  'outside_validity',
  'replaced',
  'hukou_scope',
  'residence_scope',
  'not_local',
  'age',
  'category',
  'care_level',
  'resident_status',
  'meal_period',
  'not_working_day',
  'fulfilment',
  'outside_area',
  'not_own_district',
  'not_own_street',
  'not_named_canteen',
  'no_eligible_dish',
  'limit_meal_period',
  'limit_day',
  'limit_week',
  'limit_month',
  'allowance_day',
  'allowance_week',
  'allowance_month',
  'min_price',
  'max_price',
  'budget_spent',
  'nothing_left',
  'zero_amount',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && (REASON_CODES as readonly string[]).includes(value);
}

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

/** 'en', 'en-GB' → 'en'; anything else (zh-CN, zh, '') → 'zh', the default language of both interfaces. */
export function langOf(language: string | null | undefined): Lang {
  return typeof language === 'string' && language.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

export const MEAL_PERIOD_WORDS: Readonly<Record<Lang, Readonly<Record<MealPeriod, string>>>> = {
  zh: { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' },
  en: { breakfast: 'breakfast', lunch: 'lunch', dinner: 'dinner' },
};

/** The elder-facing words for every reason code. */
export const REASON_TEXTS: Readonly<Record<Lang, Readonly<Record<ReasonCode, string>>>> = {
  zh: {
    applied: '已享受补贴',
    guest: '未登记的就餐者不享受补贴',
    not_in_force: '补贴政策今天不在有效期内',
    outside_validity: '这项补贴今天不在有效期内',
    replaced: '已由另一项补贴代替，不重复补贴',
    hukou_scope: '只有本地户籍的长者享受',
    residence_scope: '只有在本地居住的长者享受',
    not_local: '只有本地户籍或在本地居住的长者享受',
    age: '您的年龄不在补贴范围内',
    category: '只有特定的困难长者享受',
    care_level: '您的照护等级不在补贴范围内',
    resident_status: '您的登记状态有变化，请找工作人员',
    meal_period: '这一餐没有补贴',
    not_working_day: '今天是休息日，没有补贴',
    fulfilment: '这种取餐方式没有补贴',
    outside_area: '这家饭堂不在补贴的地区内',
    not_own_district: '只能在您所在区的饭堂使用',
    not_own_street: '只能在您所在街道（镇）的饭堂使用',
    not_named_canteen: '只能在指定的饭堂使用',
    no_eligible_dish: '您选的菜不在补贴范围内',
    limit_meal_period: '这一餐的补贴已经用过了',
    limit_day: '今天的补贴次数已经用完了',
    limit_week: '本周的补贴次数已经用完了',
    limit_month: '本月的补贴次数已经用完了',
    allowance_day: '今天的补贴金额已经用完了',
    allowance_week: '本周的补贴金额已经用完了',
    allowance_month: '本月的补贴金额已经用完了',
    min_price: '餐费没有达到补贴的最低金额',
    max_price: '餐费超过了补贴规定的最高金额',
    budget_spent: '这项补贴的资金已经用完了',
    nothing_left: '前面的补贴已经抵扣了全部餐费',
    zero_amount: '按规定这一餐补贴0元',
  },
  en: {
    applied: 'Subsidy applied',
    guest: 'Subsidies are for registered residents',
    not_in_force: 'The subsidy policy is not in force today',
    outside_validity: 'This subsidy is not valid today',
    replaced: 'Another subsidy takes its place; they do not add up',
    hukou_scope: 'Only for people with local household registration (hukou)',
    residence_scope: 'Only for people who live here',
    not_local: 'Only for people with local hukou or who live here',
    age: 'Your age is outside this subsidy',
    category: 'Only for certain groups in need',
    care_level: 'Your care level is not covered',
    resident_status: 'Your registration has changed; please ask staff',
    meal_period: 'This meal is not subsidised',
    not_working_day: 'No subsidy on rest days',
    fulfilment: 'Not subsidised for this way of getting your meal',
    outside_area: 'This canteen is outside the area of the subsidy',
    not_own_district: 'Only at canteens in your own district',
    not_own_street: 'Only at canteens in your own street or town',
    not_named_canteen: 'Only at the canteens this subsidy names',
    no_eligible_dish: 'The dishes you chose are not covered',
    limit_meal_period: 'You have already had the subsidy for this meal',
    limit_day: "You have used today's subsidised meals",
    limit_week: "You have used this week's subsidised meals",
    limit_month: "You have used this month's subsidised meals",
    allowance_day: "Today's subsidy money is used up",
    allowance_week: "This week's subsidy money is used up",
    allowance_month: "This month's subsidy money is used up",
    min_price: 'The meal costs less than the subsidy requires',
    max_price: 'The meal costs more than the subsidy allows',
    budget_spent: "This subsidy's money has run out",
    nothing_left: 'Other subsidies already cover the whole meal',
    zero_amount: 'The subsidy is ¥0 for this meal',
  },
};

/** What to say for a code this version does not know (a newer server, a damaged record). */
export const UNKNOWN_REASON_TEXT: Readonly<Record<Lang, string>> = { zh: '请问工作人员（{code}）', en: 'Please ask staff ({code})' };

export interface ReasonContext {
  /** The meal being ordered: makes meal_period / limit_meal_period name it ("今天午餐的补贴已经用过了"). */
  mealPeriod?: MealPeriod | null | undefined;
}

/** Short plain words for the elder, for every reason code. */
export function describeReason(code: ReasonCode, lang: Lang, ctx: ReasonContext = {}): string {
  const p = ctx.mealPeriod;
  if (p !== undefined && p !== null) {
    const meal = MEAL_PERIOD_WORDS[lang][p];
    if (code === 'limit_meal_period') return lang === 'zh' ? `今天${meal}的补贴已经用过了` : `You have already had today's subsidised ${meal}`;
    if (code === 'meal_period') return lang === 'zh' ? `${meal}没有补贴` : `${meal[0]!.toUpperCase()}${meal.slice(1)} is not subsidised`;
  }
  return REASON_TEXTS[lang][code];
}

/**
 * The words for a reason as it arrives from the wire (any string, or null): a known code reads as
 * describeReason; anything else asks the elder to see staff and shows the code for them.
 */
export function reasonText(code: string | null | undefined, lang: Lang, ctx: ReasonContext = {}): string {
  if (isReasonCode(code)) return describeReason(code, lang, ctx);
  return UNKNOWN_REASON_TEXT[lang].replace('{code}', code === null || code === undefined || code === '' ? '-' : code);
}
