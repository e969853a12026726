import { AppError, type CanteenSummary } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { CanteenStatusRequest } from '@yishi/shared/schemas';
import { localParts, type MealPeriod } from '@yishi/shared';
import type { Ctx } from '../../lib/context';
import { assertCanteen, canSeeCanteen, requireRole, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import type { Reader, Tx } from '../../db/client';
import * as repo from './sites.repo';

export type { CanteenRow } from './sites.repo';

export function canteenById(db: Reader | Tx, id: string): repo.CanteenRow | undefined {
  return repo.canteenById(db, id);
}

/** Every area's name by its code. */
export function areaNames(db: Reader): Map<string, string> {
  return repo.areaNames(db);
}

const PERIOD_ORDER: Record<MealPeriod, number> = { breakfast: 0, lunch: 1, dinner: 2 };

export function listAreas(ctx: Ctx) {
  return repo.allAreas(ctx.db.read).map((a) => ({ code: a.code, name: a.name, level: a.level, parentCode: a.parentCode }));
}

function summarise(ctx: Ctx, rows: repo.CanteenRow[]): CanteenSummary[] {
  const names = repo.areaNames(ctx.db.read);
  const orgs = repo.organisationNames(ctx.db.read);
  const periods = repo.mealPeriodsOf(
    ctx.db.read,
    rows.map((r) => r.id),
  );
  const today = localParts(ctx.clock.now(), 'Asia/Shanghai').date;
  const counts = new Map(repo.todayCounts(ctx.db.read, today).map((c) => [c.canteenId, c]));
  return rows.map((c) => {
    const n = counts.get(c.id);
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
        .sort((a, b) => PERIOD_ORDER[a.period] - PERIOD_ORDER[b.period])
        .map((p) => ({ period: p.period, opens: p.opens, closes: p.closes, days: p.days })),
      today: { orders: Number(n?.orders ?? 0), subsidisedMeals: Number(n?.subsidised ?? 0), revenueFen: Number(n?.revenue ?? 0) },
    };
  });
}

export function listCanteens(ctx: Ctx, actor: Actor): CanteenSummary[] {
  return summarise(
    ctx,
    repo.allCanteens(ctx.db.read).filter((c) => canSeeCanteen(actor, c)),
  );
}

export function getCanteen(ctx: Ctx, actor: Actor, id: string): CanteenSummary {
  const c = repo.canteenById(ctx.db.read, id);
  assertCanteen(actor, c);
  return summarise(ctx, [c as repo.CanteenRow])[0]!;
}

export async function setStatus(ctx: Ctx, actor: Actor, id: string, body: z.infer<typeof CanteenStatusRequest>): Promise<CanteenSummary> {
  requireRole(actor, ['district', 'city', 'admin']);
  const c = repo.canteenById(ctx.db.read, id);
  assertCanteen(actor, c);
  if (body.until && body.until < body.from) throw new AppError('bad_request', 'until must not be before from', 400, { field: 'until' });
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    repo.updateStatus(tx, id, { status: body.status, statusReason: body.reason, statusFrom: body.from, statusUntil: body.until });
    audit.record(tx, actor, now, {
      action: 'canteen.status',
      entityType: 'canteen',
      entityId: id,
      details: { from: c!.status, to: body.status, reason: body.reason },
    });
  });
  return getCanteen(ctx, actor, id);
}
