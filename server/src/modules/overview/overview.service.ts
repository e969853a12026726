/**
 * The console's overview of canteens: each canteen in the caller's scope with its opening hours, its operator
 * and today's figures (from orders). It owns no table: sites keeps the canteens, orders the figures.
 */
import type { CanteenSummary } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { CanteenStatusRequest } from '@yishi/shared/schemas';
import { localParts, MEAL_PERIODS } from '@yishi/shared';
import type { Ctx } from '../../lib/context';
import type { Actor } from '../../lib/actor';
import * as orders from '../orders/orders.service';
import * as sites from '../sites/sites.service';

function summarise(ctx: Ctx, rows: sites.CanteenRow[]): CanteenSummary[] {
  const db = ctx.db.read;
  const names = sites.areaNames(db);
  const orgs = sites.organisationNames(db);
  const periods = sites.mealPeriodsOf(
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
      today: n
        ? { ...n, revenueFen: n.paidFen }
        : {
            orders: 0,
            subsidisedMeals: 0,
            revenueFen: 0,
            paidFen: 0,
            awaitingFen: 0,
            awaitingCount: 0,
            refundedFen: 0,
            byMethod: { cash: 0, wallet: 0, external: 0 },
          },
    };
  });
}

export function listCanteens(ctx: Ctx, actor: Actor): CanteenSummary[] {
  return summarise(ctx, sites.visibleCanteens(ctx.db.read, actor));
}

export function getCanteen(ctx: Ctx, actor: Actor, id: string): CanteenSummary {
  return summarise(ctx, [sites.requireVisibleCanteen(ctx.db.read, actor, id)])[0]!;
}

/** Suspend, close or reopen a canteen, and show it as it now stands. */
export async function setStatus(ctx: Ctx, actor: Actor, id: string, body: z.infer<typeof CanteenStatusRequest>): Promise<CanteenSummary> {
  await sites.setStatus(ctx, actor, id, body);
  return getCanteen(ctx, actor, id);
}
