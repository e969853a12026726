/**
 * Eligibility rosters (资格名册) as street offices keep them in Excel or CSV: the columns a roster can have, the
 * Chinese headers they go by, the words used for categories, yes/no and care levels, and the reasons a row can be
 * refused. Pure functions: the console maps and previews with them, the server validates with them.
 */
import { RESIDENT_CATEGORIES, type ResidentCategory } from './enums';

/** What a roster column can hold (one column maps to one field; a field at most once). */
export const ROSTER_FIELDS = [
  'name', // 姓名
  'idNumber', // 身份证号
  'gender', // 性别 (checked against the ID number; taken from it when absent)
  'birthDate', // 出生日期 (checked against the ID number; taken from it when absent)
  'hukouArea', // 户籍街道 / 户籍地址
  'residenceArea', // 居住社区 / 居住街道
  'address', // 居住地址
  'phone', // 联系电话
  'categories', // 类别: 特困、低保 … (several separated by 、，,;/ or spaces)
  'categoryPeriod', // 类别起止日期: 2024-01-01至2026-12-31
  'categoryFrom', // 类别起始日期
  'categoryTo', // 类别截止日期
  'evidence', // 依据: the certificate or decision number
  'careLevel', // 照护等级 0–5
  'livesAlone', // 独居 是/否
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

/**
 * A roster without these columns cannot be imported: who (name, ID number) and their 户籍, on which the city's
 * subsidy depends (a blank 户籍 would silently make an elder non-local). Without a residence column, residents are
 * recorded as living in the importing canteen's community.
 */
export const ROSTER_REQUIRED_FIELDS: readonly RosterField[] = ['name', 'idNumber', 'hukouArea'];

/** The headers street offices use for each field (compared without spaces, brackets and punctuation). */
export const ROSTER_HEADER_ALIASES: Record<RosterField, readonly string[]> = {
  name: ['姓名', '长者姓名', '老人姓名', '名字', 'name'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', '身份证', '证件号码', 'idnumber'],
  gender: ['性别', 'gender', 'sex'],
  birthDate: ['出生日期', '出生年月日', '出生年月', '生日', 'birthdate'],
  hukouArea: ['户籍街道', '户籍地址', '户籍地', '户籍所在地', '户籍所在街道', '户口所在地', 'hukou'],
  residenceArea: ['居住社区', '居住街道', '所属社区', '社区', '居委会', '现居住社区', 'residence'],
  address: ['居住地址', '现居住地址', '现住址', '家庭住址', '住址', '地址', 'address'],
  phone: ['联系电话', '手机号码', '手机', '电话', '联系方式', 'phone'],
  categories: ['类别', '人员类别', '对象类别', '救助类别', '类型', 'category', 'categories'],
  categoryPeriod: ['类别起止日期', '起止日期', '有效期', '认定期限', '类别有效期'],
  categoryFrom: ['类别起始日期', '起始日期', '开始日期', '认定日期', '生效日期'],
  categoryTo: ['类别截止日期', '截止日期', '结束日期', '到期日期', '失效日期'],
  evidence: ['依据', '认定依据', '证件编号', '证明材料', '审批文号', 'evidence'],
  careLevel: ['照护等级', '护理等级', '照护需求等级', '评估等级', 'carelevel'],
  livesAlone: ['独居', '是否独居', '独居老人', 'livesalone'],
};

/** A header as compared: no spaces, brackets, asterisks or punctuation, lower case. */
export function normaliseHeader(h: string): string {
  return h
    .replace(/[\s*＊:：（）()[\]【】_\-—.。]/g, '')
    .replace(/\(.*?\)|（.*?）/g, '')
    .toLowerCase();
}

/**
 * The field each header maps to, guessed from its wording: exact alias first, then a header that contains an
 * alias (the longest wins). A field is given to one column only (the first that claims it); the rest stay unmapped.
 */
export function autoMapHeaders(headers: readonly string[]): (RosterField | null)[] {
  const taken = new Set<RosterField>();
  const guess = headers.map((raw) => {
    const h = normaliseHeader(raw);
    if (!h) return null;
    let best: { field: RosterField; score: number } | null = null;
    for (const field of ROSTER_FIELDS) {
      for (const alias of ROSTER_HEADER_ALIASES[field]) {
        const a = normaliseHeader(alias);
        const score = h === a ? 1000 : h.includes(a) ? a.length : 0;
        if (score > 0 && (!best || score > best.score)) best = { field, score };
      }
    }
    return best;
  });
  // Exact matches claim their field before partial ones do.
  const order = guess.map((g, i) => ({ g, i })).sort((x, y) => (y.g?.score ?? 0) - (x.g?.score ?? 0));
  const out: (RosterField | null)[] = headers.map(() => null);
  for (const { g, i } of order) {
    if (!g || taken.has(g.field)) continue;
    taken.add(g.field);
    out[i] = g.field;
  }
  return out;
}

/** Which row is the header: the first of the first rows with at least two recognised headers (rosters often open with a title row). */
export function findHeaderRow(rows: readonly (readonly string[])[], lookAhead = 10): number {
  for (let i = 0; i < Math.min(rows.length, lookAhead); i++) {
    if (autoMapHeaders(rows[i]!).filter((f) => f !== null).length >= 2) return i;
  }
  return 0;
}

/** The birth date written in an 18-character ID number (YYYY-MM-DD), or null when it is not a real date. */
export function birthDateFromId(id: string): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (y < 1880 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** GB 11643: the 17th digit is odd for men and even for women. */
export function genderFromId(id: string): 'female' | 'male' | null {
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}

/** The words rosters use for each category. */
export const CATEGORY_ALIASES: Record<string, ResidentCategory> = {
  特困: 'tekun',
  特困人员: 'tekun',
  特困供养: 'tekun',
  特困供养人员: 'tekun',
  五保: 'tekun',
  低保: 'dibao',
  低保户: 'dibao',
  低保对象: 'dibao',
  最低生活保障: 'dibao',
  低保边缘: 'dibao_edge',
  低保边缘户: 'dibao_edge',
  低边: 'dibao_edge',
  低收入: 'low_income',
  低收入家庭: 'low_income',
  优抚: 'youfu',
  优抚对象: 'youfu',
  计生特殊家庭: 'jisheng_special',
  计生特扶: 'jisheng_special',
  失独: 'jisheng_special',
  独居: 'lives_alone',
  独居老人: 'lives_alone',
  纯老家庭: 'all_elderly_household',
  纯老户: 'all_elderly_household',
  百岁: 'centenarian',
  百岁老人: 'centenarian',
  残疾: 'disabled',
  残疾人: 'disabled',
  重度残疾: 'disabled',
};

/** '特困、低保' → codes; words no category goes by come back in `unknown`. Codes themselves ('dibao') are accepted too. */
export function parseCategories(text: string): { codes: ResidentCategory[]; unknown: string[] } {
  const codes: ResidentCategory[] = [];
  const unknown: string[] = [];
  for (const part of text.split(/[、，,;；/／|\s]+/)) {
    const w = part.trim().replace(/[（(].*?[）)]/g, '');
    if (!w || w === '无' || w === '—' || w === '-') continue;
    const code = CATEGORY_ALIASES[w] ?? ((RESIDENT_CATEGORIES as readonly string[]).includes(w) ? (w as ResidentCategory) : undefined);
    if (code) {
      if (!codes.includes(code)) codes.push(code);
    } else unknown.push(w);
  }
  return { codes, unknown };
}

/** A date as rosters write it ('2024-01-05', '2024/1/5', '2024.1.5', '20240105', '2024年1月5日') → 'YYYY-MM-DD', or null. */
export function parseRosterDate(text: string): string | null {
  const s = text.trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** '2024-01-01至2026-12-31' (also ~, 到, —, or ' - ' between two dates); an open end ('2024-01-01至今') is null. */
export function parseDatePeriod(text: string): { from: string; to: string | null } | null {
  const parts = text
    .trim()
    .split(/\s*(?:至|到|~|～|—|－|\s-\s)\s*/)
    .filter((p) => p !== '');
  if (parts.length === 0 || parts.length > 2) return null;
  const from = parseRosterDate(parts[0]!);
  if (!from) return null;
  if (parts.length === 1 || /^(今|长期|至今|无|—)$/.test(parts[1]!)) return { from, to: null };
  const to = parseRosterDate(parts[1]!);
  return to ? { from, to } : null;
}

/** 是/否 and their usual spellings; null when it is neither. Empty is 'no'. */
export function parseYesNo(text: string): boolean | null {
  const s = text.trim().toLowerCase();
  if (['', '否', '不是', '无', 'n', 'no', '0', 'false', '×', 'x'].includes(s)) return false;
  if (['是', '独居', '有', 'y', 'yes', '1', 'true', '√', '✓'].includes(s)) return true;
  return null;
}

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };
/** 女/男 and their usual spellings; null when it is neither. */
export function parseGender(text: string): 'female' | 'male' | null {
  const s = text.trim().toLowerCase();
  if (['女', 'f', 'female', '女性'].includes(s)) return 'female';
  if (['男', 'm', 'male', '男性'].includes(s)) return 'male';
  return null;
}

/** '3', '3级', '三级', '照护三级' → 3 (0–5); empty is 0; null when it is not a level. */
export function parseCareLevel(text: string): number | null {
  const s = text
    .trim()
    .replace(/^(照护|护理|照护需求)?(等级)?/, '')
    .replace(/级$/, '');
  if (s === '' || s === '无') return 0;
  const n = /^\d$/.test(s) ? Number(s) : CN_DIGITS[s];
  return n !== undefined && n >= 0 && n <= 5 ? n : null;
}

/** Why a roster row cannot be imported (the console says it in Chinese). */
export const ROSTER_ROW_ERRORS = [
  'required', // a required value is empty
  'id_format', // not an 18-character ID number
  'id_checksum', // the check digit is wrong
  'birth_mismatch', // the birth date differs from the one in the ID number
  'gender_mismatch', // the gender differs from the one in the ID number
  'bad_date', // a date that is not a date
  'category_dates', // the category ends before it starts
  'unknown_area', // an area that is not in the city's list
  'area_out_of_scope', // a residence outside the importing street's area
  'unknown_category', // a category word no category goes by
  'missing_evidence', // a category without what it rests on (依据)
  'bad_phone', // not an 11-digit mobile number
  'bad_care_level', // not a care level 0–5
  'bad_yes_no', // not 是 or 否
  'too_long', // longer than the field allows
  'duplicate_in_file', // the same ID number earlier in the file
] as const;
export type RosterRowErrorCode = (typeof ROSTER_ROW_ERRORS)[number];

/** What happens to a row whose ID number is already registered. */
export const ROSTER_DUPLICATE_ACTIONS = ['skip', 'update'] as const;
export type RosterDuplicateAction = (typeof ROSTER_DUPLICATE_ACTIONS)[number];

export const ROSTER_IMPORT_STATES = ['staging', 'committed', 'abandoned'] as const;
export type RosterImportState = (typeof ROSTER_IMPORT_STATES)[number];

/** Rows per upload request (the console sends a roster in chunks of this size). */
export const ROSTER_CHUNK_ROWS = 500;
/** The largest roster one import takes. */
export const ROSTER_MAX_ROWS = 50_000;
