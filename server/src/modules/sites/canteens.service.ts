/**
 * The console's canteen pages: each canteen in the caller's scope with its opening hours and today's figures
 * (from orders), and the status changes district and city staff make.
 */
import { AppError, type CanteenSummary } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { CanteenStatusRequest } from '@yishi/shared/schemas';
import { localParts, MEAL_PERIODS, ROLE_GROUPS } from '@yishi/shared';
import type { Ctx } from '../../lib/context';
import { assertCanteen, requireRole, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import * as orders from '../orders/orders.service';
import * as repo from './sites.repo';
import { areaNames, canteenById, mealPeriodsOf, organisationNames, visibleCanteens } from './sites.service';

function summarise(ctx: Ctx, rows: repo.CanteenRow[]): CanteenSummary[] {
  const db = ctx.db.read;
  const names = areaNames(db);
  const orgs = organisationNames(db);
  const periods = mealPeriodsOf(
    db,
    rows.map((r) => r.id),
  );
  const today = localParts(ctx.clock.now(), 'Asia/Shanghai').date;
  const figures = orders.dayFigures(db, today);
  return rows.map((c) => {
    const n = figures.get(c.id);
    return {
      id: c.id,
      code: c.code,
      name: c.name,
      shortName: c.shortName,
      districtCode: c.districtCode,
      districtName: names.get(c.districtCode) ?? c.districtCode,
      streetCode: c.streetCode,
      streetName: names.get(c.streetCode) ?? c.streetCode,
      supplyMode: c.supplyMode,
      address: c.address,
      seats: c.seats,
      dineIn: c.dineIn,
      delivery: c.delivery,
      status: c.status,
      statusReason: c.statusReason,
      operatorName: orgs.get(c.operatorOrgId) ?? '',
      timeZone: c.timeZone,
      mealPeriods: periods
        .filter((p) => p.canteenId === c.id)
        .sort((a, b) => MEAL_PERIODS.indexOf(a.period) - MEAL_PERIODS.indexOf(b.period))
        .map((p) => ({ period: p.period, opens: p.opens, closes: p.closes, days: p.days })),
      today: { orders: n?.orders ?? 0, subsidisedMeals: n?.subsidisedMeals ?? 0, revenueFen: n?.revenueFen ?? 0 },
    };
  });
}

export function listCanteens(ctx: Ctx, actor: Actor): CanteenSummary[] {
  return summarise(ctx, visibleCanteens(ctx.db.read, actor));
}

export function getCanteen(ctx: Ctx, actor: Actor, id: string): CanteenSummary {
  const c = canteenById(ctx.db.read, id);
  assertCanteen(actor, c);
  return summarise(ctx, [c])[0]!;
}

/** Suspend, close or reopen a canteen (district and above), with the reason and the dates. */
export async function setStatus(ctx: Ctx, actor: Actor, id: string, body: z.infer<typeof CanteenStatusRequest>): Promise<CanteenSummary> {
  requireRole(actor, ROLE_GROUPS.policyAuthors);
  const c = canteenById(ctx.db.read, id);
  assertCanteen(actor, c);
  if (body.until && body.until < body.from) throw new AppError('bad_request', 'until must not be before from', 400, { field: 'until' });
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    repo.updateStatus(tx, id, { status: body.status, statusReason: body.reason, statusFrom: body.from, statusUntil: body.until });
    audit.record(tx, actor, now, {
      action: 'canteen.status',
      entityType: 'canteen',
      entityId: id,
      details: { from: c.status, to: body.status, reason: body.reason },
    });
  });
  return getCanteen(ctx, actor, id);
}
