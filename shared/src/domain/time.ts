import type { MealPeriod } from './enums';

/** A local date, 'YYYY-MM-DD'. */
export type LocalDate = string;
/** A local time of day, 'HH:MM'. */
export type LocalTime = string;

export interface MealPeriodHours {
  period: MealPeriod;
  /** When ordering opens, e.g. '10:30'. */
  opens: LocalTime;
  /** When ordering closes, e.g. '13:30'. */
  closes: LocalTime;
  /** ISO weekdays served, 1 = Monday … 7 = Sunday. */
  days: number[];
}

type Parts = { date: LocalDate; time: LocalTime; isoWeekday: number };

// Making an Intl.DateTimeFormat costs about 0.3 ms and formatting with one about 20 µs, and a request asks for
// the local time several times: one formatter per time zone is kept, and the last answer per time zone is kept
// for the rest of its minute (when the zone's offset is whole minutes there, as every offset since 1972 is).
const formatters = new Map<string, Intl.DateTimeFormat>();
const lastMinute = new Map<string, { minute: number; parts: Parts }>();

function format(instant: number, timeZone: string): Parts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  let year = '';
  let month = '';
  let day = '';
  let hour = '';
  let minute = '';
  for (const p of f.formatToParts(instant)) {
    if (p.type === 'year') year = p.value;
    else if (p.type === 'month') month = p.value;
    else if (p.type === 'day') day = p.value;
    else if (p.type === 'hour') hour = p.value;
    else if (p.type === 'minute') minute = p.value;
  }
  const date = `${year}-${month}-${day}`;
  return { date, time: `${hour}:${minute}`, isoWeekday: isoWeekday(date) };
}

/** Calendar date and clock time of an instant in a time zone. */
export function localParts(instant: Date, timeZone: string): Parts {
  const ms = instant.getTime();
  const minute = Math.floor(ms / 60_000);
  const last = lastMinute.get(timeZone);
  if (last && last.minute === minute) return { ...last.parts };
  // The minute is kept when its first and last millisecond read the same (the offset is whole minutes there).
  const start = format(minute * 60_000, timeZone);
  const end = format(minute * 60_000 + 59_999, timeZone);
  const same = start.date === end.date && start.time === end.time;
  const parts = same ? start : format(ms, timeZone);
  if (same) lastMinute.set(timeZone, { minute, parts });
  return { ...parts };
}

/** ISO weekday of a local date (1 = Monday … 7 = Sunday). */
export function isoWeekday(date: LocalDate): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Days from `from` to `to` (negative when `to` is earlier); counted, so right at any year (see datesFrom). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Every date from `from` to `to`, both included (none when `to` is before `from`). Counted, not compared: the day
 * after 9999-12-31 is written "+010000-01-01", which sorts before every four-digit year, so a walk written as
 * `for (d = from; d <= to; d = addDays(d, 1))` towards 9999-12-31 never ends.
 */
export function datesFrom(from: LocalDate, to: LocalDate): LocalDate[] {
  const n = daysBetween(from, to);
  const out: LocalDate[] = [];
  for (let i = 0; i <= n; i++) out.push(addDays(from, i));
  return out;
}

const weekStarts = new Map<LocalDate, LocalDate>();

/** Monday of the ISO week containing `date` (remembered: limits ask it for every history row of every meal). */
export function weekStart(date: LocalDate): LocalDate {
  let monday = weekStarts.get(date);
  if (monday === undefined) {
    monday = addDays(date, 1 - isoWeekday(date));
    if (weekStarts.size > 20_000) weekStarts.clear();
    weekStarts.set(date, monday);
  }
  return monday;
}

export function monthOf(date: LocalDate): string {
  return date.slice(0, 7);
}

/** Whole years between birth date and `on` (age on that date). */
export function ageOn(birthDate: LocalDate, on: LocalDate): number {
  // Read the digits in place: the engine asks for ages many times per meal, and a city month is millions of meals.
  let age = digits(on, 0, 4) - digits(birthDate, 0, 4);
  const m = digits(on, 5, 7);
  const bm = digits(birthDate, 5, 7);
  if (m < bm || (m === bm && digits(on, 8, 10) < digits(birthDate, 8, 10))) age -= 1;
  return age;
}

/** The number written by the decimal digits of s[from, to) ('YYYY-MM-DD' fields). */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

/**
 * The meal period open at a local time, or null. Periods may not overlap; the first match wins.
 */
export function currentMealPeriod(hours: readonly MealPeriodHours[], date: LocalDate, time: LocalTime): MealPeriod | null {
  const wd = isoWeekday(date);
  for (const h of hours) {
    if (h.days.includes(wd) && time >= h.opens && time < h.closes) return h.period;
  }
  return null;
}

/**
 * An official working-day calendar: weekends are rest days, except adjusted working days (调休上班);
 * public holidays are rest days even on weekdays.
 */
export interface OfficialCalendar {
  holidays: LocalDate[];
  adjustedWorkingDays: LocalDate[];
}

export function isWorkingDay(date: LocalDate, calendar: OfficialCalendar): boolean {
  if (calendar.adjustedWorkingDays.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  return isoWeekday(date) <= 5;
}

/** China's 2026 official calendar (国务院办公厅 holiday notice), used by the demo city. */
export const CHINA_CALENDAR_2026: OfficialCalendar = {
  holidays: [
    '2026-01-01',
    '2026-01-02',
    '2026-01-03',
    '2026-02-15',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-21',
    '2026-02-22',
    '2026-02-23',
    '2026-04-04',
    '2026-04-05',
    '2026-04-06',
    '2026-05-01',
    '2026-05-02',
    '2026-05-03',
    '2026-05-04',
    '2026-05-05',
    '2026-06-19',
    '2026-06-20',
    '2026-06-21',
    '2026-09-25',
    '2026-09-26',
    '2026-09-27',
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  adjustedWorkingDays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};
