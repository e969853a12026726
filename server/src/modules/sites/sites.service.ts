/**
 * Places and their calendars, for every other module: areas, canteens (within the caller's scope), opening
 * hours and the meal period open now, the official calendar, and a canteen's status (suspended, closed). The
 * console's canteen overview with today's figures is the overview module.
 */
import { AppError, type CanteenStatusRequest } from '@yishi/shared/schemas';
import type { z } from 'zod';
import { currentMealPeriod, localParts, ROLE_GROUPS, type MealPeriod, type OfficialCalendar } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { canSeeCanteen, requireRole, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import * as repo from './sites.repo';

export type { CanteenRow, MealPeriodRow } from './sites.repo';

/** A canteen's meal period on a service date. */
export interface Slot {
  serviceDate: string;
  mealPeriod: MealPeriod;
}

export function canteenById(db: Reader | Tx, id: string): repo.CanteenRow | undefined {
  return repo.canteenById(db, id);
}

export function allCanteens(db: Reader | Tx): repo.CanteenRow[] {
  return repo.allCanteens(db);
}

/** Whether the database holds a city yet (start-up seeds an empty one). */
export function hasCanteens(db: Reader | Tx): boolean {
  return repo.canteenCount(db) > 0;
}

/** The canteen, if the caller may see it; not_found otherwise (ids of other canteens are not confirmed). */
export function requireVisibleCanteen(db: Reader | Tx, actor: Actor, id: string): repo.CanteenRow {
  const c = repo.canteenById(db, id);
  if (!c || !canSeeCanteen(actor, c)) throw new AppError('not_found', 'no such canteen');
  return c;
}

/** The canteens the caller may see, in district / street / code order. */
export function visibleCanteens(db: Reader | Tx, actor: Actor): repo.CanteenRow[] {
  return repo.allCanteens(db).filter((c) => canSeeCanteen(actor, c));
}

/** Every area's name by its code. */
export function areaNames(db: Reader | Tx): Map<string, string> {
  return new Map(repo.allAreas(db).map((a) => [a.code, a.name]));
}

/** One area (city, district, street, community) by its code. */
export function areaByCode(db: Reader | Tx, code: string): repo.AreaRow | undefined {
  return repo.allAreas(db).find((a) => a.code === code);
}

export function listAreas(ctx: Ctx) {
  return repo.allAreas(ctx.db.read).map((a) => ({ code: a.code, name: a.name, level: a.level, parentCode: a.parentCode }));
}

export function organisationNames(db: Reader | Tx): Map<string, string> {
  return repo.organisationNames(db);
}

export function mealPeriodsOf(db: Reader | Tx, canteenIds: string[]): repo.MealPeriodRow[] {
  return repo.mealPeriodsOf(db, canteenIds);
}

/** The canteen's open meal period now, in its own time zone; null when none is open. */
export function openSlot(db: Reader | Tx, canteen: repo.CanteenRow, now: Date): Slot | null {
  const { date, time } = localParts(now, canteen.timeZone);
  const period = currentMealPeriod(repo.mealPeriodsOfCanteen(db, canteen.id), date, time);
  return period ? { serviceDate: date, mealPeriod: period } : null;
}

/** The open slot, or canteen_closed saying why (suspended, closed, or between meals). */
export function requireOpenSlot(db: Reader | Tx, canteen: repo.CanteenRow, now: Date): Slot {
  if (canteen.status !== 'open')
    throw new AppError('canteen_closed', `this canteen is ${canteen.status}${canteen.statusReason ? `: ${canteen.statusReason}` : ''}`);
  const slot = openSlot(db, canteen, now);
  if (!slot) throw new AppError('canteen_closed', 'no meal period is open now');
  return slot;
}

/** The next meal period that opens later today at this canteen, if any. */
export function nextMealToday(db: Reader | Tx, canteen: repo.CanteenRow, now: Date): { mealPeriod: MealPeriod; opens: string } | null {
  const { time, isoWeekday } = localParts(now, canteen.timeZone);
  const next = repo
    .mealPeriodsOfCanteen(db, canteen.id)
    .filter((h) => h.days.includes(isoWeekday) && h.opens > time)
    .sort((a, b) => a.opens.localeCompare(b.opens))[0];
  return next ? { mealPeriod: next.period, opens: next.opens } : null;
}

/** The official calendar: public holidays and adjusted working days (调休). Shared and frozen: copy to change. */
export function calendar(db: Reader | Tx): OfficialCalendar {
  const rows = repo.calendarDaysAll(db);
  let c = calendars.get(rows);
  if (!c) {
    c = Object.freeze({
      holidays: Object.freeze(rows.filter((r) => r.kind === 'holiday').map((r) => r.date)),
      adjustedWorkingDays: Object.freeze(rows.filter((r) => r.kind === 'working').map((r) => r.date)),
    }) as OfficialCalendar;
    calendars.set(rows, c);
  }
  return c;
}
/** The calendar built once per kept read of its rows (a new read, after the calendar is written, builds it again). */
const calendars = new WeakMap<object, OfficialCalendar>();

/** Suspend, close or reopen a canteen (district and above, within their area), with the reason and the dates. */
export async function setStatus(ctx: Ctx, actor: Actor, id: string, body: z.infer<typeof CanteenStatusRequest>): Promise<void> {
  requireRole(actor, ROLE_GROUPS.policyAuthors);
  const c = requireVisibleCanteen(ctx.db.read, actor, id);
  if (body.until && body.until < body.from) throw new AppError('bad_request', 'until must not be before from', 400, { field: 'until' });
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    repo.updateStatus(tx, id, { status: body.status, statusReason: body.reason, statusFrom: body.from, statusUntil: body.until });
    audit.record(tx, actor, now, {
      action: 'canteen.status',
      entityType: 'canteen',
      entityId: id,
      details: { before: { status: c.status }, after: { status: body.status }, reason: body.reason, from: body.from, until: body.until },
      scope: { canteenId: id, areaCode: c.areaCode },
    });
  });
}
