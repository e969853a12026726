/**
 * Claims: what a canteen asks each payer for a month (or a quarter, for payers claimed quarterly), and the review
 * that turns it into money.
 *
 *   draft (generated from the stored splits; regenerated at will)
 *     → submitted (operator; the orders are snapshotted; needs the period over and no order awaiting payment)
 *     → checked (street office) | returned (street office, with reasons)
 *     → approved (district; frozen: nothing recomputes it) | rejected (district, with reasons)
 *     → paid (amount, date, reference, who)
 *   returned / rejected → regenerated or resubmitted by the operator, who sees every reason (claim_events).
 *
 * Reviewers disallow single orders with a reason while a claim is under review (the street office while it is
 * submitted, the district once checked); its totals drop by the orders' amounts. A confirmed anomaly disallows its
 * orders the same way. A change found after approval (a refund, a late disallowance, an anomaly confirmed late) is
 * an ADJUSTMENT line in the next open claim of the same canteen and payer, never an edit of the approved one.
 * Every step appends to the audit log with before and after.
 *
 * This module also serves the review of anomalies (scan, explain, confirm) because confirming one changes claims,
 * and the anomalies module sits below this one.
 */
import { v7 as uuidv7 } from 'uuid';
import {
  CLAIM_FROZEN_STATES,
  CLEARING_DEADLINES,
  CLAIM_OPEN_STATES,
  localParts,
  ROLE_GROUPS,
  SUBSIDY_KINDS,
  type ClaimCadence,
  type ClaimState,
  type Role,
  type OrderCategory,
} from '@yishi/shared';
import {
  AppError,
  type AnomalyScanResult,
  type ClaimDetail,
  type ClaimListQuery,
  type ClaimOrder,
  type ClaimOrderQuery,
  type ClaimPage,
  type ClaimSummary,
  type Clearing,
  type ClearingDistrict,
  type ClearingFigures,
  type ClearingQuery,
  type GenerateClaimsResult,
  type PayerSetting,
} from '@yishi/shared/schemas';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { actorId, areaContains, canSeeCanteen, requireRole, roleIn, type Actor, type UserActor } from '../../lib/actor';
import * as anomalies from '../anomalies/anomalies.service';
import * as audit from '../audit/audit.service';
import * as policy from '../policy/policy.service';
import * as residents from '../residents/residents.service';
import * as sites from '../sites/sites.service';
import { claimDocument, claimFileName, claimListDocument, clearingDocument } from './claims.export';
import * as repo from './claims.repo';

export type { ClaimRow } from './claims.repo';

const OPEN: readonly ClaimState[] = CLAIM_OPEN_STATES;
const FROZEN: readonly ClaimState[] = CLAIM_FROZEN_STATES;
const UNDER_REVIEW: readonly ClaimState[] = ['submitted', 'checked'];
const SNAPSHOTTED: readonly ClaimState[] = ['submitted', 'checked', 'returned', 'rejected', 'approved', 'paid'];

// ───────────── periods and cadence ─────────────

export function monthRange(month: string): { from: string; to: string } {
  return anomalies.monthPeriod(month);
}

/** The claim period of a month for a cadence: the month itself, or its quarter. */
export function periodOf(month: string, cadence: ClaimCadence): { period: string; from: string; to: string } {
  if (cadence === 'month') return { period: month, ...monthRange(month) };
  const [y, m] = month.split('-').map(Number) as [number, number];
  const q = Math.floor((m - 1) / 3) + 1;
  const first = `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}`;
  const last = `${y}-${String(q * 3).padStart(2, '0')}`;
  return { period: `${y}-Q${q}`, from: monthRange(first).from, to: monthRange(last).to };
}

/** The months a claim period covers. */
function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7);) {
    out.push(m);
    const [y, mm] = m.split('-').map(Number) as [number, number];
    m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
  }
  return out;
}

function cadenceOf(settings: repo.PayerSettingRow[], payer: string, month: string): ClaimCadence {
  let c: ClaimCadence = 'month';
  for (const s of settings) if (s.payer === payer && s.fromMonth <= month) c = s.cadence;
  return c;
}

// ───────────── who ─────────────

function nameOf(actor: Actor): string | null {
  return actor.kind === 'user' ? actor.user.displayName : null;
}

function todayAt(ctx: Ctx, canteen: sites.CanteenRow): string {
  return localParts(ctx.clock.now(), canteen.timeZone).date;
}

interface Loaded {
  claim: repo.ClaimRow;
  canteen: sites.CanteenRow;
}

/** The claim, if the caller may see its canteen; not_found otherwise (other canteens' ids are not confirmed). */
function requireClaim(db: Reader | Tx, actor: Actor, id: string): Loaded {
  const claim = repo.claimById(db, id);
  const canteen = claim ? sites.canteenById(db, claim.canteenId) : undefined;
  if (!claim || !canteen || !canSeeCanteen(actor, canteen)) throw new AppError('not_found', 'no such claim');
  return { claim, canteen };
}

function invalid(claim: repo.ClaimRow, what: string): never {
  throw new AppError(FROZEN.includes(claim.state) ? 'claim_frozen' : 'invalid_state', `cannot ${what} a claim that is ${claim.state}`, 409, {
    state: claim.state,
  });
}

// ───────────── lines and totals ─────────────

function toLines(claimId: string, rows: repo.LineAggregate[]): Omit<repo.ClaimLineRow, 'id'>[] {
  const out: Omit<repo.ClaimLineRow, 'id'>[] = [];
  const sorted = [...rows].sort((a, b) => `${a.category ?? ''}|${a.mealPeriod}`.localeCompare(`${b.category ?? ''}|${b.mealPeriod}`));
  for (const r of sorted) {
    for (const kind of SUBSIDY_KINDS) {
      const count = Number(r[`${kind}Orders`]);
      const amount = Number(r[`${kind}Fen`]);
      if (count === 0 && amount === 0) continue;
      out.push({
        claimId,
        category: r.category as OrderCategory | null,
        mealPeriod: r.mealPeriod as repo.ClaimLineRow['mealPeriod'],
        kind,
        orderCount: count,
        amountFen: amount,
      });
    }
  }
  return out;
}

/** Recompute a claim's totals from its lines, disallowances and adjustments (never once it is frozen). */
function refresh(tx: Tx, claimId: string): repo.ClaimRow {
  const claim = repo.claimById(tx, claimId)!;
  if (FROZEN.includes(claim.state)) return claim;
  const lines = repo.linesOf(tx, claimId);
  const claimed = lines.reduce((a, l) => a + l.amountFen, 0);
  const orderCount = claim.snapshotAt !== null ? repo.snapshotLines(tx, claimId).reduce((a, l) => a + Number(l.orders), 0) : (claim.orderCount ?? 0);
  const dis = repo.disallowedTotals(tx, claim);
  const adj = repo.adjustmentSum(tx, claimId);
  const values = {
    claimedFen: claimed,
    orderCount,
    disallowedCount: dis.n,
    disallowedFen: dis.fen,
    adjustmentFen: adj,
    totalFen: claimed - dis.fen + adj,
  };
  repo.updateClaim(tx, claimId, values);
  return { ...claim, ...values };
}

function totalsOf(c: repo.ClaimRow) {
  return {
    state: c.state,
    orderCount: c.orderCount,
    claimedFen: c.claimedFen,
    disallowedFen: c.disallowedFen,
    adjustmentFen: c.adjustmentFen,
    totalFen: c.totalFen,
  };
}

/** One step of a claim: its event (read by the operator) and its audit row (before and after), in the same transaction. */
function step(
  tx: Tx,
  actor: Actor | null,
  now: Date,
  canteen: sites.CanteenRow,
  before: repo.ClaimRow | null,
  after: repo.ClaimRow,
  action: string,
  reason: string | null,
  details: Record<string, unknown> = {},
) {
  repo.insertEvent(tx, {
    claimId: after.id,
    action,
    at: now.toISOString(),
    by: actor ? actorId(actor) : null,
    byName: actor ? nameOf(actor) : null,
    reason,
    details,
  });
  audit.record(tx, actor, now, {
    action: `claim.${action}`,
    entityType: 'claim',
    entityId: after.id,
    details: {
      canteenId: after.canteenId,
      payer: after.payer,
      period: after.period,
      ...(reason ? { reason } : {}),
      ...details,
      before: before ? totalsOf(before) : null,
      after: totalsOf(after),
    },
    scope: { canteenId: canteen.id, areaCode: canteen.areaCode },
  });
}

// ───────────── adjustments ─────────────

/**
 * Make an adjustment for an order of an approved claim: a line of the next claim of the canteen and payer that
 * the operator can still change, or waiting for the next one generated. Once per order and source claim.
 */
function adjust(
  tx: Tx,
  actor: Actor | null,
  now: Date,
  source: repo.ClaimRow,
  orderId: string,
  amountFen: number,
  reason: 'refund' | 'disallowed' | 'anomaly',
  note: string,
  anomalyId: string | null,
): repo.AdjustmentRow | null {
  const target = repo.nextOpenClaim(tx, source.canteenId, source.payer, nextDay(source.periodTo));
  const row: repo.AdjustmentRow = {
    id: uuidv7(),
    canteenId: source.canteenId,
    payer: source.payer,
    claimId: target?.id ?? null,
    sourceClaimId: source.id,
    orderId,
    reason,
    amountFen: -amountFen,
    note,
    anomalyId,
    createdAt: now.toISOString(),
    createdBy: actor ? actorId(actor) : null,
    createdByName: actor ? nameOf(actor) : null,
  };
  if (!repo.insertAdjustment(tx, row)) return null;
  const canteen = sites.canteenById(tx, source.canteenId)!;
  audit.record(tx, actor, now, {
    action: 'claim.adjustment',
    entityType: 'claim',
    entityId: source.id,
    details: { orderId, reason, amountFen: -amountFen, note, carriedBy: target?.id ?? null, canteenId: source.canteenId, payer: source.payer },
    scope: { canteenId: canteen.id, areaCode: canteen.areaCode },
  });
  repo.insertEvent(tx, {
    claimId: source.id,
    action: 'adjusted_later',
    at: now.toISOString(),
    by: actor ? actorId(actor) : null,
    byName: actor ? nameOf(actor) : null,
    reason: note,
    details: { orderId, reason, amountFen: -amountFen, carriedBy: target?.period ?? null },
  });
  if (target) refresh(tx, target.id);
  return row;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function refundNote(r: { orderId: string; serviceDate: string; refundedAt: string }): string {
  return `订单 ${r.orderId.slice(-8)}（${r.serviceDate}）已于 ${localParts(new Date(r.refundedAt), 'Asia/Shanghai').date} 退款`;
}

/** Orders of approved or paid claims refunded since: each becomes an adjustment (once). */
function reconcileRefunds(tx: Tx, now: Date, canteenIds: string[] | null): number {
  let n = 0;
  for (const r of repo.refundedAfterSnapshot(tx, canteenIds, FROZEN)) {
    const source = repo.claimById(tx, r.claimId)!;
    if (adjust(tx, null, now, source, r.orderId, Number(r.amountFen), 'refund', refundNote(r), null)) n += 1;
  }
  return n;
}

/**
 * What a frozen claim's signers must see of the corrections made after its approval: the adjustments it gave rise
 * to (carried by a later claim, or waiting for one), and its orders refunded since that are not booked yet (the
 * next generation or submission books them; they wait for the next claim all the same). Read, never written here.
 */
function laterAdjustmentsOf(db: Reader, claim: repo.ClaimRow): { items: ClaimDetail['laterAdjustments']; pendingFen: number } {
  if (!FROZEN.includes(claim.state)) return { items: [], pendingFen: 0 };
  const made = repo.adjustmentsFrom(db, claim.id);
  const carriers = new Map<string, string>();
  for (const a of made) if (a.claimId && !carriers.has(a.claimId)) carriers.set(a.claimId, repo.claimById(db, a.claimId)?.period ?? '');
  const items: ClaimDetail['laterAdjustments'] = made.map((a) => ({
    orderId: a.orderId,
    reason: a.reason,
    amountFen: a.amountFen,
    note: a.note,
    claimId: a.claimId,
    period: a.claimId ? (carriers.get(a.claimId) ?? null) : null,
  }));
  for (const r of repo.refundedAfterSnapshot(db, [claim.canteenId], FROZEN)) {
    if (r.claimId !== claim.id) continue;
    items.push({ orderId: r.orderId, reason: 'refund', amountFen: -Number(r.amountFen), note: refundNote(r), claimId: null, period: null });
  }
  return { items, pendingFen: items.filter((i) => i.claimId === null).reduce((a, i) => a + i.amountFen, 0) };
}

/** Attach the adjustments waiting for a claim of this canteen and payer (from claims before it). */
function attachPending(tx: Tx, claim: repo.ClaimRow): number {
  const pending = repo.pendingAdjustments(tx, claim.canteenId, claim.payer).filter((a) => {
    const src = repo.claimById(tx, a.sourceClaimId);
    return src !== undefined && src.periodTo < claim.periodFrom;
  });
  repo.attachAdjustments(
    tx,
    pending.map((a) => a.id),
    claim.id,
  );
  return pending.length;
}

/** Disallow, in a claim the operator can still change or that is under review, the orders of confirmed anomalies. */
function applyConfirmedAnomalies(tx: Tx, now: Date, claim: repo.ClaimRow): number {
  if (FROZEN.includes(claim.state)) return 0;
  const confirmed = anomalies.confirmedOrders(tx, claim.canteenId, claim.periodFrom, claim.periodTo);
  if (confirmed.length === 0) return 0;
  const active = new Set(repo.activeDisallowances(tx, claim.id).map((d) => d.orderId));
  const inClaim = new Set(
    repo
      .amountsOf(
        tx,
        claim,
        confirmed.map((c) => c.orderId),
      )
      .map((a) => a.orderId),
  );
  let n = 0;
  for (const c of confirmed) {
    if (active.has(c.orderId) || !inClaim.has(c.orderId)) continue;
    repo.insertDisallowance(tx, {
      id: uuidv7(),
      claimId: claim.id,
      orderId: c.orderId,
      reason: `异常已确认（${anomalies.ANOMALY_KIND_ZH[c.kind]}）${c.note ? `：${c.note}` : ''}`,
      source: 'anomaly',
      anomalyId: c.anomalyId,
      by: null,
      byName: null,
      at: now.toISOString(),
      revokedAt: null,
      revokedBy: null,
      revokedByName: null,
      revokeReason: null,
    });
    active.add(c.orderId);
    n += 1;
  }
  return n;
}

// ───────────── the refund_after_claim findings (for the anomaly scan) ─────────────

function refundsAfterClaim(db: Reader | Tx, canteenIds: string[] | null, month: string): anomalies.RefundAfterClaim[] {
  const { from, to } = monthRange(month);
  const en = policy.englishNames(db).payers;
  return repo
    .refundedAfterSnapshot(db, canteenIds, SNAPSHOTTED)
    .filter((r) => r.serviceDate >= from && r.serviceDate <= to)
    .map((r) => ({
      orderId: r.orderId,
      canteenId: r.canteenId,
      residentId: r.residentId,
      serviceDate: r.serviceDate,
      amountFen: Number(r.orderSubsidyFen),
      refundedAt: r.refundedAt,
      claimId: r.claimId,
      claimPeriod: r.period,
      payer: r.payer,
      payerEn: en[r.payer] ?? null,
      claimState: r.state,
    }));
}

/** Scan a month with the refund_after_claim findings this module owns. */
async function runScan(ctx: Ctx, actor: Actor | null, month: string, canteens: sites.CanteenRow[] | null): Promise<AnomalyScanResult> {
  const ids = canteens === null ? null : canteens.map((c) => c.id);
  return anomalies.scan(ctx, actor, { month, canteens, refundsAfterClaim: refundsAfterClaim(ctx.db.read, ids, month) });
}

// ───────────── generate ─────────────

/** A generation for up to this many canteens (a district's) may aggregate inside its write: a few hundred ms of the writer at city scale. */
const IN_WRITE_SCOPE = 150;

/** The canteens the caller claims for: one named canteen, or all the caller runs (the administrator: all). */
function claimantCanteens(ctx: Ctx, actor: UserActor, canteenId: string | undefined): { canteens: sites.CanteenRow[]; all: boolean } {
  if (canteenId) return { canteens: [sites.requireVisibleCanteen(ctx.db.read, actor, canteenId)], all: false };
  const canteens = sites.visibleCanteens(ctx.db.read, actor);
  return { canteens, all: actor.user.role === 'admin' };
}

export async function generate(ctx: Ctx, actor: Actor, body: { month: string; canteenId?: string | undefined }): Promise<GenerateClaimsResult> {
  const t0 = performance.now();
  const u = requireRole(actor, ROLE_GROUPS.claimants);
  const { canteens, all } = claimantCanteens(ctx, u, body.canteenId);
  const ids = all ? null : canteens.map((c) => c.id);
  const db = ctx.db.read;
  const settings = repo.payerSettings(db);
  const quarterly = [...new Set(settings.map((s) => s.payer))].filter((p) => cadenceOf(settings, p, body.month) === 'quarter');
  const month = periodOf(body.month, 'month');
  const quarter = periodOf(body.month, 'quarter');

  // The lines, from the stored splits, in one aggregate per period length: read on a worker thread (outside the
  // write, off the event loop), then written only if no order or split was written between the read and the write
  // (Db.writeMark); otherwise read again, and after two stale reads inside the write itself (two generations at once,
  // orders paid meanwhile). Only for a scope of up to IN_WRITE_SCOPE canteens: the mark counts every order written,
  // so at lunch a wider scope is always stale, and its aggregate inside the write would hold every kiosk's order for
  // seconds at city scale. A wider scope writes its third read as it found it (a draft as of that read; each
  // canteen's submission snapshots its own period inside its write).
  type Key = string;
  type Group = { canteenId: string; payer: string; period: ReturnType<typeof periodOf>; cadence: ClaimCadence; rows: repo.LineAggregate[] };
  const grouped = (tx: Tx, monthRows: repo.LineAggregate[], quarterRows: repo.LineAggregate[]) => {
    const groups = new Map<Key, Group>();
    const add = (r: repo.LineAggregate, cadence: ClaimCadence) => {
      const period = cadence === 'month' ? month : quarter;
      const key = `${r.canteenId}|${r.payer}|${period.period}`;
      const g = groups.get(key) ?? { canteenId: r.canteenId, payer: r.payer, period, cadence, rows: [] };
      g.rows.push(r);
      groups.set(key, g);
    };
    for (const r of monthRows) if (!quarterly.includes(r.payer)) add(r, 'month');
    for (const r of quarterRows) add(r, 'quarter');
    // Adjustments waiting for a claim need one even where nothing else is claimed.
    for (const p of repo.pendingAdjustmentPairs(tx, ids)) {
      const cadence = quarterly.includes(p.payer) ? 'quarter' : 'month';
      const period = cadence === 'month' ? month : quarter;
      // Only for a period after the claim it corrects (attachPending carries nothing into an earlier one).
      if (p.sourcePeriodTo >= period.from) continue;
      const key = `${p.canteenId}|${p.payer}|${period.period}`;
      if (!groups.has(key) && (all || canteens.some((c) => c.id === p.canteenId)))
        groups.set(key, { canteenId: p.canteenId, payer: p.payer, period, cadence, rows: [] });
    }
    return groups;
  };
  const canteenById = new Map((all ? sites.allCanteens(db) : canteens).map((c) => [c.id, c]));

  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  let result: { items: repo.ClaimRow[]; skipped: number; lines: number } | null = null;
  const narrow = ids !== null && ids.length <= IN_WRITE_SCOPE;
  for (let attempt = 0; result === null; attempt += 1) {
    const inside = narrow && attempt >= 2;
    const asRead = !narrow && attempt >= 2;
    const mark = ctx.db.writeMark(repo.LINE_SOURCES);
    const read = inside
      ? null
      : await Promise.all([
          repo.lineAggregates(ctx.db, month.from, month.to, ids, null),
          quarterly.length ? repo.lineAggregates(ctx.db, quarter.from, quarter.to, ids, quarterly) : [],
        ]);
    result = await ctx.db.write((tx) => {
      if (read && !asRead && ctx.db.writtenSince(repo.LINE_SOURCES, mark)) return null;
      const [monthRows, quarterRows] = read ?? [
        repo.lineAggregatesIn(tx, month.from, month.to, ids, null),
        quarterly.length ? repo.lineAggregatesIn(tx, quarter.from, quarter.to, ids, quarterly) : [],
      ];
      // Refunds of frozen claims' orders are booked first: an adjustment they make needs a claim of this period
      // even where the period has no orders (a month without orders still carries last month's correction).
      reconcileRefunds(tx, now, ids);
      const groups = grouped(tx, monthRows, quarterRows);
      const existing = new Map(repo.claimsOf(tx, ids, [month.period, quarter.period]).map((c) => [`${c.canteenId}|${c.payer}|${c.period}`, c]));
      // Open claims of these periods that nothing is claimed in any more are regenerated empty.
      for (const [key, c] of existing) {
        if (!groups.has(key) && OPEN.includes(c.state)) {
          const period = periodOf(body.month, c.cadence);
          if (period.period === c.period) groups.set(key, { canteenId: c.canteenId, payer: c.payer, period, cadence: c.cadence, rows: [] });
        }
      }
      let skipped = 0;
      const touched: { claim: repo.ClaimRow; before: repo.ClaimRow | null }[] = [];
      const allLines: Omit<repo.ClaimLineRow, 'id'>[] = [];
      for (const [key, g] of groups) {
        const canteen = canteenById.get(g.canteenId);
        if (!canteen) continue;
        const before = existing.get(key) ?? null;
        if (before && !OPEN.includes(before.state)) {
          skipped += 1;
          continue;
        }
        const id = before?.id ?? uuidv7();
        const lines = toLines(id, g.rows);
        const orderCount = g.rows.reduce((a, r) => a + Number(r.orders), 0);
        // Totals from the lines alone; a claim with disallowances or adjustments is recomputed below.
        const claimedFen = lines.reduce((a, l) => a + l.amountFen, 0);
        const totals = { orderCount, claimedFen, disallowedCount: 0, disallowedFen: 0, adjustmentFen: 0, totalFen: claimedFen };
        let claim: repo.ClaimRow;
        if (before) {
          repo.dropSnapshot(tx, id);
          const values = { revision: before.revision + 1, generatedAt: nowIso, generatedBy: actorId(actor), snapshotAt: null, ...totals };
          repo.updateClaim(tx, id, values);
          claim = { ...before, ...values };
        } else {
          claim = {
            id,
            canteenId: canteen.id,
            streetCode: canteen.streetCode,
            districtCode: canteen.districtCode,
            payer: g.payer,
            period: g.period.period,
            cadence: g.cadence,
            periodFrom: g.period.from,
            periodTo: g.period.to,
            state: 'draft',
            revision: 1,
            ...totals,
            generatedAt: nowIso,
            generatedBy: actorId(actor),
            snapshotAt: null,
            submittedAt: null,
            submittedBy: null,
            submittedByName: null,
            checkedAt: null,
            checkedBy: null,
            checkedByName: null,
            decidedAt: null,
            decidedBy: null,
            decidedByName: null,
            paidFen: null,
            paidOn: null,
            paymentReference: null,
            paidBy: null,
            paidByName: null,
            paymentRecordedAt: null,
          };
          repo.insertClaim(tx, claim);
        }
        allLines.push(...lines);
        touched.push({ claim, before });
      }
      repo.replaceLinesOf(
        tx,
        touched.map((t) => t.claim.id),
        allLines,
      );
      const items: repo.ClaimRow[] = [];
      // One look each for waiting adjustments and confirmed anomalies instead of one per claim (most have none).
      const waiting = new Set(repo.pendingAdjustmentPairs(tx, ids).map((p) => `${p.canteenId}|${p.payer}`));
      const confirmedIn = new Set(anomalies.canteensWithConfirmed(tx, month.from < quarter.from ? month.from : quarter.from, quarter.to));
      for (const { claim } of touched) {
        if (waiting.has(`${claim.canteenId}|${claim.payer}`)) attachPending(tx, claim);
        if (confirmedIn.has(claim.canteenId)) applyConfirmedAnomalies(tx, now, claim);
      }
      // Only claims with disallowances or adjustments (after the above, and refunds reconciled) need their totals again.
      const recount = repo.claimsWithDeductions(
        tx,
        touched.map((t) => t.claim.id),
      );
      for (const { claim, before } of touched) {
        const after = recount.has(claim.id) ? refresh(tx, claim.id) : claim;
        step(tx, actor, now, canteenById.get(claim.canteenId)!, before, after, before ? 'regenerated' : 'generated', null, { revision: after.revision });
        items.push(after);
      }
      return { items, skipped, lines: allLines.length };
    });
  }

  // The anomaly scan of the month, for the same canteens (after the commit, on its own).
  const scanned = await runScan(ctx, actor, body.month, all ? null : canteens);
  const names = new Map(sites.allCanteens(db).map((c) => [c.id, c.shortName]));
  return {
    month: body.month,
    canteens: all ? canteenById.size : canteens.length,
    generated: result.items.length,
    skipped: result.skipped,
    lines: result.lines,
    claimedFen: result.items.reduce((a, c) => a + c.claimedFen, 0),
    anomalies: scanned.found,
    items: result.items.slice(0, 100).map((c) => summaryOf(c, names)),
    ms: Math.round(performance.now() - t0),
  };
}

// ───────────── the workflow ─────────────

export async function submit(ctx: Ctx, actor: Actor, id: string): Promise<ClaimDetail> {
  const u = requireRole(actor, ROLE_GROUPS.claimants);
  const { claim, canteen } = requireClaim(ctx.db.read, actor, id);
  if (!u.user.canteenIds.includes(canteen.id) && u.user.role !== 'admin') throw new AppError('not_found', 'no such claim');
  if (!OPEN.includes(claim.state)) invalid(claim, 'submit');
  const today = todayAt(ctx, canteen);
  if (claim.periodTo >= today)
    throw new AppError('claim_period_open', `the period ends on ${claim.periodTo}: submit it from the day after`, 409, { periodTo: claim.periodTo });
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const before = repo.claimById(tx, id)!;
    if (!OPEN.includes(before.state)) invalid(before, 'submit');
    // Checked here, in the write that snapshots: an order awaiting payment that arrives late (a kiosk's offline
    // cash order of the period) or is paid meanwhile is either counted by the snapshot or holds the submission;
    // a check on the read connection before the write could let it fall between the two.
    const waiting = repo.awaitingPayment(tx, canteen.id, before.periodFrom, before.periodTo);
    if (waiting.n > 0)
      throw new AppError('claim_orders_unpaid', `${waiting.n} orders of the period still wait for payment: confirm or cancel them first`, 409, {
        orders: waiting.n,
        firstDate: waiting.first,
      });
    reconcileRefunds(tx, now, [canteen.id]);
    repo.updateClaim(tx, id, { snapshotAt: now.toISOString() });
    const snap = repo.claimById(tx, id)!;
    repo.snapshotOrders(tx, snap);
    repo.replaceLines(tx, id, toLines(id, repo.snapshotLines(tx, id)));
    attachPending(tx, snap);
    applyConfirmedAnomalies(tx, now, snap);
    repo.updateClaim(tx, id, {
      state: 'submitted',
      revision: before.state === 'draft' ? before.revision : before.revision + 1,
      submittedAt: now.toISOString(),
      submittedBy: u.user.id,
      submittedByName: u.user.displayName,
      checkedAt: null,
      checkedBy: null,
      checkedByName: null,
      decidedAt: null,
      decidedBy: null,
      decidedByName: null,
    });
    const after = refresh(tx, id);
    step(tx, actor, now, canteen, before, after, before.state === 'draft' ? 'submitted' : 'resubmitted', null);
  });
  for (const m of monthsOf(claim.periodFrom, claim.periodTo)) await runScan(ctx, actor, m, [canteen]);
  return detail(ctx, actor, id);
}

function assertNotSubmitter(u: UserActor, claim: repo.ClaimRow, what: string) {
  if (claim.submittedBy === u.user.id || claim.checkedBy === u.user.id) {
    throw new AppError('four_eyes', `the person who submitted or checked a claim may not also ${what} it`);
  }
}

/**
 * One step of the review: from one state to the next, by one role group, stamped with who and when (the street
 * office's check or the district's decision), with its event and audit row. `fourEyes`: never the person who
 * submitted or checked the claim. `inside` runs in the transaction before the state changes (and may refuse).
 */
async function review(
  ctx: Ctx,
  actor: Actor,
  id: string,
  how: {
    group: readonly Role[];
    from: ClaimState;
    to: 'checked' | 'returned' | 'approved' | 'rejected';
    verb: string;
    fourEyes: boolean;
    text: string | null;
    inside?: (tx: Tx, before: repo.ClaimRow, now: Date) => void;
  },
): Promise<ClaimDetail> {
  const u = requireRole(actor, how.group);
  const { claim, canteen } = requireClaim(ctx.db.read, actor, id);
  if (claim.state !== how.from) invalid(claim, how.verb);
  if (how.fourEyes) assertNotSubmitter(u, claim, how.verb);
  const now = ctx.clock.now();
  const by = { at: now.toISOString(), id: u.user.id, name: u.user.displayName };
  const stamp =
    how.to === 'checked' || how.to === 'returned'
      ? { checkedAt: by.at, checkedBy: by.id, checkedByName: by.name }
      : { decidedAt: by.at, decidedBy: by.id, decidedByName: by.name };
  await ctx.db.write((tx) => {
    const before = repo.claimById(tx, id)!;
    if (before.state !== how.from) invalid(before, how.verb);
    how.inside?.(tx, before, now);
    repo.updateClaim(tx, id, { state: how.to, ...stamp });
    step(tx, actor, now, canteen, before, repo.claimById(tx, id)!, how.to, how.text);
  });
  return detail(ctx, actor, id);
}

/** Street office: pass a submitted claim to the district. */
export async function check(ctx: Ctx, actor: Actor, id: string, note: string | undefined): Promise<ClaimDetail> {
  return review(ctx, actor, id, { group: ROLE_GROUPS.claimCheckers, from: 'submitted', to: 'checked', verb: 'check', fourEyes: true, text: note ?? null });
}

/** Street office: send a submitted claim back to the operator, saying why. */
export async function sendBack(ctx: Ctx, actor: Actor, id: string, reason: string): Promise<ClaimDetail> {
  return review(ctx, actor, id, { group: ROLE_GROUPS.claimCheckers, from: 'submitted', to: 'returned', verb: 'send back', fourEyes: false, text: reason });
}

/** District: approve a checked claim. Refused while an anomaly of its canteen and period is open. Frozen from here on. */
export async function approve(ctx: Ctx, actor: Actor, id: string, note: string | undefined): Promise<ClaimDetail> {
  return review(ctx, actor, id, {
    group: ROLE_GROUPS.claimApprovers,
    from: 'checked',
    to: 'approved',
    verb: 'approve',
    fourEyes: true,
    text: note ?? null,
    inside: (tx, before, now) => {
      const open = anomalies.ofCanteen(tx, before.canteenId, before.periodFrom, before.periodTo).filter((a) => a.status === 'open');
      if (open.length > 0) {
        throw new AppError('claim_open_anomalies', `${open.length} anomalies of this canteen and period are open: explain or confirm each first`, 409, {
          anomalies: open.map((a) => ({ id: a.id, kind: a.kind })),
        });
      }
      applyConfirmedAnomalies(tx, now, before);
      refresh(tx, id);
    },
  });
}

/** District: reject a checked claim back to the operator, saying why. */
export async function reject(ctx: Ctx, actor: Actor, id: string, reason: string): Promise<ClaimDetail> {
  return review(ctx, actor, id, { group: ROLE_GROUPS.claimApprovers, from: 'checked', to: 'rejected', verb: 'reject', fourEyes: false, text: reason });
}

/** Who may disallow an order of a claim in its state: the street office while submitted, the district once checked or later. */
function mayDisallow(actor: Actor, claim: repo.ClaimRow): boolean {
  if (actor.kind !== 'user') return false;
  const role = actor.user.role;
  if (role === 'admin') return UNDER_REVIEW.includes(claim.state) || FROZEN.includes(claim.state);
  if (claim.state === 'submitted') return roleIn(role, ROLE_GROUPS.claimCheckers);
  if (claim.state === 'checked' || FROZEN.includes(claim.state)) return roleIn(role, ROLE_GROUPS.claimApprovers);
  return false;
}

/** A reviewer whose turn it is not: the street office has a submitted claim, the district a checked one. */
function notYours(claim: repo.ClaimRow): never {
  if (OPEN.includes(claim.state)) invalid(claim, 'disallow orders of');
  throw new AppError(
    'invalid_state',
    claim.state === 'submitted' ? 'the street office checks a submitted claim first' : 'the district reviews a claim once the street office has checked it',
    409,
    { state: claim.state },
  );
}

/**
 * Disallow one order of a claim, with the reason the operator will read. Under review: the claim's totals drop by
 * the order's amounts. Approved or paid: the claim stays as it is and the amount becomes an adjustment in the
 * canteen's next claim to this payer.
 */
export async function disallow(ctx: Ctx, actor: Actor, id: string, body: { orderId: string; reason: string }): Promise<ClaimDetail> {
  requireRole(actor, [...new Set([...ROLE_GROUPS.claimCheckers, ...ROLE_GROUPS.claimApprovers])]);
  const { claim, canteen } = requireClaim(ctx.db.read, actor, id);
  if (!mayDisallow(actor, claim)) notYours(claim);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const before = repo.claimById(tx, id)!;
    if (!mayDisallow(actor, before)) invalid(before, 'disallow orders of');
    const [order] = repo.amountsOf(tx, before, [body.orderId]);
    if (!order) throw new AppError('not_found', 'that order is not in this claim', 404, { field: 'orderId' });
    if (repo.activeDisallowances(tx, id).some((d) => d.orderId === body.orderId)) {
      throw new AppError('conflict', 'that order is already disallowed', 409, { field: 'orderId' });
    }
    if (FROZEN.includes(before.state)) {
      const made = adjust(tx, actor, now, before, body.orderId, Number(order.amountFen), 'disallowed', body.reason, null);
      if (!made) throw new AppError('conflict', 'that order was already corrected by an adjustment', 409, { field: 'orderId' });
      return;
    }
    repo.insertDisallowance(tx, {
      id: uuidv7(),
      claimId: id,
      orderId: body.orderId,
      reason: body.reason,
      source: 'review',
      anomalyId: null,
      by: actorId(actor),
      byName: nameOf(actor),
      at: now.toISOString(),
      revokedAt: null,
      revokedBy: null,
      revokedByName: null,
      revokeReason: null,
    });
    const after = refresh(tx, id);
    step(tx, actor, now, canteen, before, after, 'disallowed', body.reason, { orderId: body.orderId, amountFen: Number(order.amountFen) });
  });
  return detail(ctx, actor, id);
}

/** Put back an order disallowed by mistake, while the claim is still under review. */
export async function reinstate(ctx: Ctx, actor: Actor, id: string, orderId: string, reason: string): Promise<ClaimDetail> {
  requireRole(actor, [...new Set([...ROLE_GROUPS.claimCheckers, ...ROLE_GROUPS.claimApprovers])]);
  const { claim, canteen } = requireClaim(ctx.db.read, actor, id);
  if (!UNDER_REVIEW.includes(claim.state)) invalid(claim, 'reinstate orders of');
  if (!mayDisallow(actor, claim)) notYours(claim);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const before = repo.claimById(tx, id)!;
    if (!UNDER_REVIEW.includes(before.state)) invalid(before, 'reinstate orders of');
    const d = repo.activeDisallowances(tx, id).find((x) => x.orderId === orderId);
    if (!d) throw new AppError('not_found', 'that order is not disallowed in this claim', 404, { field: 'orderId' });
    if (d.source === 'anomaly') throw new AppError('conflict', 'a confirmed anomaly disallowed this order', 409, { anomalyId: d.anomalyId });
    repo.revokeDisallowance(tx, d.id, { revokedAt: now.toISOString(), revokedBy: actorId(actor), revokedByName: nameOf(actor), revokeReason: reason });
    const after = refresh(tx, id);
    step(tx, actor, now, canteen, before, after, 'reinstated', reason, { orderId });
  });
  return detail(ctx, actor, id);
}

/** Record the payment of an approved claim: the whole approved total, on a date, with the transfer's reference. */
export async function recordPayment(ctx: Ctx, actor: Actor, id: string, body: { amountFen: number; paidOn: string; reference: string }): Promise<ClaimDetail> {
  const u = requireRole(actor, ROLE_GROUPS.claimPayers);
  const { claim, canteen } = requireClaim(ctx.db.read, actor, id);
  if (claim.state !== 'approved') invalid(claim, 'record a payment for');
  if (body.amountFen !== claim.totalFen) {
    throw new AppError('bad_request', `the approved total is ${claim.totalFen} fen; a claim is paid in full`, 400, {
      field: 'amountFen',
      totalFen: claim.totalFen,
    });
  }
  if (body.paidOn > todayAt(ctx, canteen)) throw new AppError('bad_request', 'the payment date is in the future', 400, { field: 'paidOn' });
  if (body.paidOn < (claim.decidedAt ?? '').slice(0, 10))
    throw new AppError('bad_request', 'the payment date is before the approval', 400, { field: 'paidOn' });
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const before = repo.claimById(tx, id)!;
    if (before.state !== 'approved') invalid(before, 'record a payment for');
    repo.updateClaim(tx, id, {
      state: 'paid',
      paidFen: body.amountFen,
      paidOn: body.paidOn,
      paymentReference: body.reference,
      paidBy: u.user.id,
      paidByName: u.user.displayName,
      paymentRecordedAt: now.toISOString(),
    });
    step(tx, actor, now, canteen, before, repo.claimById(tx, id)!, 'paid', null, {
      paidFen: body.amountFen,
      paidOn: body.paidOn,
      reference: body.reference,
    });
  });
  return detail(ctx, actor, id);
}

// ───────────── anomaly review (served here: confirming one changes claims) ─────────────

export async function scanAnomalies(ctx: Ctx, actor: Actor, body: { month: string; canteenId?: string | undefined }): Promise<AnomalyScanResult> {
  const u = requireRole(actor, ROLE_GROUPS.reviewers);
  if (body.canteenId) return runScan(ctx, actor, body.month, [sites.requireVisibleCanteen(ctx.db.read, actor, body.canteenId)]);
  if (u.user.role === 'admin' || (u.user.role === 'city' && u.user.scopeAreaCode !== null && u.user.scopeAreaCode.length <= 4)) {
    // The whole city: refunds first become adjustments, then the scan.
    await ctx.db.write((tx) => reconcileRefunds(tx, ctx.clock.now(), null));
    return runScan(ctx, actor, body.month, null);
  }
  const canteens = sites.visibleCanteens(ctx.db.read, actor);
  await ctx.db.write((tx) =>
    reconcileRefunds(
      tx,
      ctx.clock.now(),
      canteens.map((c) => c.id),
    ),
  );
  return runScan(ctx, actor, body.month, canteens);
}

/** Explain an anomaly (not irregular): it no longer blocks the claim. */
export async function explainAnomaly(ctx: Ctx, actor: Actor, id: string, note: string) {
  requireRole(actor, ROLE_GROUPS.reviewers);
  anomalies.requireVisible(ctx.db.read, actor, id);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => anomalies.resolve(tx, actor, now, id, 'explained', note));
  return anomalies.get(ctx, actor, id);
}

/**
 * Confirm an anomaly (irregular): its orders are disallowed from every claim that counts them and is not yet
 * approved, and become adjustments where the claim is already approved.
 */
export async function confirmAnomaly(ctx: Ctx, actor: Actor, id: string, note: string) {
  requireRole(actor, ROLE_GROUPS.reviewers);
  anomalies.requireVisible(ctx.db.read, actor, id);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const a = anomalies.resolve(tx, actor, now, id, 'confirmed', note);
    const orderIds = anomalies.orderIdsOf(tx, id);
    const touched = new Map<string, repo.ClaimRow>();
    for (const o of repo.orderStates(tx, orderIds)) {
      for (const claim of repo.claimsCovering(tx, o.canteenId, o.serviceDate)) {
        const [amount] = repo.amountsOf(tx, claim, [o.id]);
        if (!amount) continue;
        if (FROZEN.includes(claim.state)) {
          adjust(tx, actor, now, claim, o.id, Number(amount.amountFen), 'anomaly', `异常已确认：${note}`, a.id);
        } else if (!repo.activeDisallowances(tx, claim.id).some((d) => d.orderId === o.id)) {
          repo.insertDisallowance(tx, {
            id: uuidv7(),
            claimId: claim.id,
            orderId: o.id,
            reason: `异常已确认（${anomalies.ANOMALY_KIND_ZH[a.kind]}）：${note}`,
            source: 'anomaly',
            anomalyId: a.id,
            by: actorId(actor),
            byName: nameOf(actor),
            at: now.toISOString(),
            revokedAt: null,
            revokedBy: null,
            revokedByName: null,
            revokeReason: null,
          });
          touched.set(claim.id, claim);
        }
      }
    }
    for (const before of touched.values()) {
      const after = refresh(tx, before.id);
      step(tx, actor, now, sites.canteenById(tx, before.canteenId)!, before, after, 'disallowed_by_anomaly', note, { anomalyId: a.id, kind: a.kind });
    }
  });
  return anomalies.get(ctx, actor, id);
}

/**
 * Disallow one order's subsidy from every claim that counts it, as a reviewer settling a flagged late order (console
 * 离线订单复核), in the caller's transaction: a disallowance (source 'review') where the claim is not yet approved,
 * an adjustment in the next open claim where it is. Claims that already disallow it are left as they are. What it
 * reached: the claims and the amount taken out (0 and 0: no claim counts a subsidy of this order yet).
 */
export function disallowLateOrder(tx: Tx, actor: Actor, now: Date, orderId: string, reason: string): { claims: number; amountFen: number } {
  requireRole(actor, ROLE_GROUPS.reviewers);
  const [o] = repo.orderStates(tx, [orderId]);
  if (!o) return { claims: 0, amountFen: 0 };
  const candidates = new Map<string, repo.ClaimRow>();
  for (const c of [...repo.claimsWithOrder(tx, orderId), ...repo.claimsCovering(tx, o.canteenId, o.serviceDate)]) candidates.set(c.id, c);
  let claims = 0;
  let amountFen = 0;
  for (const before of candidates.values()) {
    const canteen = sites.canteenById(tx, before.canteenId)!;
    if (!canSeeCanteen(actor, canteen)) continue;
    const [amount] = repo.amountsOf(tx, before, [orderId]);
    if (!amount) continue;
    const fen = Number(amount.amountFen);
    if (FROZEN.includes(before.state)) {
      if (!adjust(tx, actor, now, before, orderId, fen, 'disallowed', reason, null)) continue;
    } else {
      if (repo.activeDisallowances(tx, before.id).some((d) => d.orderId === orderId)) continue;
      repo.insertDisallowance(tx, {
        id: uuidv7(),
        claimId: before.id,
        orderId,
        reason,
        source: 'review',
        anomalyId: null,
        by: actorId(actor),
        byName: nameOf(actor),
        at: now.toISOString(),
        revokedAt: null,
        revokedBy: null,
        revokedByName: null,
        revokeReason: null,
      });
      step(tx, actor, now, canteen, before, refresh(tx, before.id), 'disallowed', reason, { orderId, amountFen: fen, lateReview: true });
    }
    claims += 1;
    amountFen += fen;
  }
  return { claims, amountFen };
}

// ───────────── reading ─────────────

function summaryOf(c: repo.ClaimRow, names: Map<string, string>): ClaimSummary {
  return {
    id: c.id,
    canteenId: c.canteenId,
    canteenName: names.get(c.canteenId) ?? c.canteenId,
    streetCode: c.streetCode,
    districtCode: c.districtCode,
    payer: c.payer,
    period: c.period,
    cadence: c.cadence,
    periodFrom: c.periodFrom,
    periodTo: c.periodTo,
    state: c.state,
    revision: c.revision,
    orderCount: c.orderCount,
    claimedFen: c.claimedFen,
    disallowedCount: c.disallowedCount,
    disallowedFen: c.disallowedFen,
    adjustmentFen: c.adjustmentFen,
    totalFen: c.totalFen,
    generatedAt: c.generatedAt,
    submittedAt: c.submittedAt,
    checkedAt: c.checkedAt,
    decidedAt: c.decidedAt,
    paidOn: c.paidOn,
    paidFen: c.paidFen,
  };
}

function scopeFilter(actor: Actor): Pick<repo.ListFilter, 'scopeArea' | 'scopeCanteens'> {
  const u = requireRole(actor, ROLE_GROUPS.all);
  if (u.user.role === 'admin') return {};
  if (u.user.role === 'operator') return { scopeCanteens: u.user.canteenIds };
  if (!u.user.scopeAreaCode) throw new AppError('forbidden', 'your account has no area');
  return { scopeArea: u.user.scopeAreaCode };
}

function listFilter(ctx: Ctx, actor: Actor, q: Omit<ClaimListQuery, 'limit' | 'offset'>): repo.ListFilter {
  if (q.canteenId) sites.requireVisibleCanteen(ctx.db.read, actor, q.canteenId);
  const m = q.month ? monthRange(q.month) : null;
  return {
    ...scopeFilter(actor),
    ...(m ? { monthFrom: m.from, monthTo: m.to } : {}),
    ...(q.year !== undefined ? { yearFrom: `${q.year}-01-01`, yearTo: `${q.year}-12-31` } : {}),
    ...(q.state ? { state: q.state } : {}),
    ...(q.canteenId ? { canteenId: q.canteenId } : {}),
    ...(q.payer ? { payer: q.payer } : {}),
    ...(q.areaCode ? { areaPrefix: q.areaCode } : {}),
  };
}

export function list(ctx: Ctx, actor: Actor, q: ClaimListQuery): ClaimPage {
  const { items, agg } = repo.list(ctx.db.read, listFilter(ctx, actor, q), q.limit, q.offset);
  const names = new Map(sites.allCanteens(ctx.db.read).map((c) => [c.id, c.shortName]));
  return {
    items: items.map((c) => summaryOf(c, names)),
    total: Number(agg.n),
    sums: { claimedFen: Number(agg.claimed), disallowedFen: Number(agg.disallowed), adjustmentFen: Number(agg.adjustment), totalFen: Number(agg.total) },
  };
}

/** Every claim a filter matches, page by page (exports). */
export async function* listAll(ctx: Ctx, actor: Actor, q: Omit<ClaimListQuery, 'limit' | 'offset'>): AsyncGenerator<ClaimSummary> {
  const f = listFilter(ctx, actor, q);
  const names = new Map(sites.allCanteens(ctx.db.read).map((c) => [c.id, c.shortName]));
  let after: string | null = null;
  for (;;) {
    const rows = repo.listAfter(ctx.db.read, f, after, 500);
    if (rows.length === 0) return;
    for (const c of rows) yield summaryOf(c, names);
    after = rows[rows.length - 1]!.id;
    await new Promise((r) => setImmediate(r));
  }
}

function can(actor: Actor, claim: repo.ClaimRow, canteen: sites.CanteenRow, openAnomalies: number, today: string): ClaimDetail['can'] {
  const role = actor.kind === 'user' ? actor.user.role : null;
  const runs = actor.kind === 'user' && (role === 'admin' || actor.user.canteenIds.includes(canteen.id));
  const is = (group: readonly string[]) => role !== null && group.includes(role);
  return {
    regenerate: is(ROLE_GROUPS.claimants) && runs && OPEN.includes(claim.state),
    // Not offered before the period has ended (submit refuses it: claim_period_open); the draft can be read meanwhile.
    submit: is(ROLE_GROUPS.claimants) && runs && OPEN.includes(claim.state) && claim.periodTo < today,
    check: is(ROLE_GROUPS.claimCheckers) && claim.state === 'submitted',
    sendBack: is(ROLE_GROUPS.claimCheckers) && claim.state === 'submitted',
    approve: is(ROLE_GROUPS.claimApprovers) && claim.state === 'checked' && openAnomalies === 0,
    reject: is(ROLE_GROUPS.claimApprovers) && claim.state === 'checked',
    disallow: mayDisallow(actor, claim),
    pay: is(ROLE_GROUPS.claimPayers) && claim.state === 'approved',
  };
}

export function detail(ctx: Ctx, actor: Actor, id: string): ClaimDetail {
  const db = ctx.db.read;
  const { claim, canteen } = requireClaim(db, actor, id);
  const areas = sites.areaNames(db);
  const lines = repo.linesOf(db, id);
  const dis = repo.activeDisallowances(db, id);
  const amounts = new Map(
    repo
      .amountsOf(
        db,
        claim,
        dis.map((d) => d.orderId),
      )
      .map((a) => [a.orderId, a]),
  );
  const residentNames = residents.namesOf(
    db,
    [...amounts.values()].map((a) => a.residentId).filter((x): x is string => x !== null),
  );
  const disallowedByLine = new Map<string, { n: number; fen: number }>();
  for (const a of amounts.values()) {
    for (const kind of SUBSIDY_KINDS) {
      const fen = Number(a[`${kind}Fen`]);
      if (fen <= 0) continue;
      const key = `${a.category ?? ''}|${a.mealPeriod}|${kind}`;
      const e = disallowedByLine.get(key) ?? { n: 0, fen: 0 };
      disallowedByLine.set(key, { n: e.n + 1, fen: e.fen + fen });
    }
  }
  const later = laterAdjustmentsOf(db, claim);
  const adjustments = repo.adjustmentsOf(db, id);
  const sources = new Map(adjustments.map((a) => [a.sourceClaimId, repo.claimById(db, a.sourceClaimId)?.period ?? '']));
  const anomalyRows = anomalies.ofCanteen(db, claim.canteenId, claim.periodFrom, claim.periodTo);
  const openAnomalies = anomalyRows.filter((a) => a.status === 'open').length;
  const operator = sites.organisationNames(db).get(canteen.operatorOrgId) ?? null;
  return {
    ...summaryOf(claim, new Map([[canteen.id, canteen.shortName]])),
    canteenName: canteen.name,
    canteenCode: canteen.code,
    streetName: areas.get(canteen.streetCode) ?? null,
    districtName: areas.get(canteen.districtCode) ?? null,
    operatorName: operator,
    lines: lines.map((l) => {
      const d = disallowedByLine.get(`${l.category ?? ''}|${l.mealPeriod}|${l.kind}`) ?? { n: 0, fen: 0 };
      return {
        id: l.id,
        category: l.category,
        mealPeriod: l.mealPeriod,
        kind: l.kind,
        orderCount: l.orderCount,
        amountFen: l.amountFen,
        disallowedCount: d.n,
        disallowedFen: d.fen,
      };
    }),
    adjustments: adjustments.map((a) => ({
      id: a.id,
      sourceClaimId: a.sourceClaimId,
      sourcePeriod: sources.get(a.sourceClaimId) ?? '',
      orderId: a.orderId,
      reason: a.reason,
      amountFen: a.amountFen,
      note: a.note,
      createdAt: a.createdAt,
      createdByName: a.createdByName,
    })),
    laterAdjustments: later.items,
    pendingAdjustmentFen: later.pendingFen,
    disallowances: dis
      .filter((d) => amounts.has(d.orderId))
      .map((d) => {
        const a = amounts.get(d.orderId)!;
        return {
          id: d.id,
          orderId: d.orderId,
          serviceDate: a.serviceDate,
          mealPeriod: a.mealPeriod as ClaimDetail['disallowances'][number]['mealPeriod'],
          residentName: a.residentId ? (residentNames.get(a.residentId) ?? null) : null,
          amountFen: Number(a.amountFen),
          reason: d.reason,
          source: d.source,
          anomalyId: d.anomalyId,
          at: d.at,
          byName: d.byName,
        };
      }),
    events: repo.eventsOf(db, id).map((e) => ({ action: e.action, at: e.at, byName: e.byName, reason: e.reason, details: e.details })),
    anomalies: anomalies.toAnomaly(db, anomalyRows).map((a) => ({
      id: a.id,
      kind: a.kind,
      status: a.status,
      explanation: a.explanation,
      canteenName: a.canteenName,
      residentName: a.residentName,
      periodFrom: a.periodFrom,
      firstDate: a.firstDate,
      lastDate: a.lastDate,
      figures: a.figures,
      orderCount: a.orderCount,
      note: a.note,
    })),
    submittedByName: claim.submittedByName,
    checkedByName: claim.checkedByName,
    decidedByName: claim.decidedByName,
    paidByName: claim.paidByName,
    paymentReference: claim.paymentReference,
    snapshot: claim.snapshotAt !== null,
    can: can(actor, claim, canteen, openAnomalies, todayAt(ctx, canteen)),
  };
}

export function claimOrders(ctx: Ctx, actor: Actor, id: string, q: ClaimOrderQuery): { items: ClaimOrder[]; total: number } {
  const db = ctx.db.read;
  const { claim } = requireClaim(db, actor, id);
  const f: repo.ClaimOrderFilter = {};
  if (q.category !== undefined) f.category = q.category === 'none' ? null : q.category;
  if (q.mealPeriod !== undefined) f.mealPeriod = q.mealPeriod;
  if (q.kind !== undefined) f.kind = q.kind;
  if (q.anomalyId !== undefined) {
    const a = anomalies.requireVisible(db, actor, q.anomalyId);
    f.orderIds = anomalies.orderIdsOf(db, a.id);
  }
  if (q.disallowed !== undefined) f.disallowed = q.disallowed === 'true';
  const { items, total } = repo.ordersPage(db, claim, f, q.limit, q.offset);
  return { items: withOrderDetail(db, claim, items), total };
}

function withOrderDetail(db: Reader, claim: repo.ClaimRow, items: repo.ClaimOrderRow[]): ClaimOrder[] {
  const dis = new Map(repo.activeDisallowances(db, claim.id).map((d) => [d.orderId, d]));
  const names = residents.namesOf(
    db,
    items.map((o) => o.residentId).filter((x): x is string => x !== null),
  );
  const kinds = anomalies.kindsOfOrders(
    db,
    items.map((o) => o.orderId),
  );
  return items.map((o) => {
    const d = dis.get(o.orderId);
    return {
      orderId: o.orderId,
      serviceDate: o.serviceDate,
      mealPeriod: o.mealPeriod as ClaimOrder['mealPeriod'],
      category: o.category as ClaimOrder['category'],
      residentId: o.residentId,
      residentName: o.residentId ? (names.get(o.residentId) ?? null) : null,
      createdAt: o.createdAt,
      identifyMethod: o.identifyMethod as ClaimOrder['identifyMethod'],
      state: o.state as ClaimOrder['state'],
      mealPriceFen: Number(o.mealPriceFen),
      mealFen: Number(o.mealFen),
      deliveryFen: Number(o.deliveryFen),
      operatingFen: Number(o.operatingFen),
      amountFen: Number(o.amountFen),
      disallowed: d ? { reason: d.reason, source: d.source, byName: d.byName } : null,
      anomalies: kinds.get(o.orderId) ?? [],
    };
  });
}

/** Every order of a claim with its detail, read page by page (the export's annex). */
export async function* allClaimOrders(ctx: Ctx, claim: repo.ClaimRow): AsyncGenerator<ClaimOrder> {
  let after: string | null = null;
  for (;;) {
    const rows = repo.ordersAfter(ctx.db.read, claim, after, 1000);
    if (rows.length === 0) return;
    for (const o of withOrderDetail(ctx.db.read, claim, rows)) yield o;
    after = rows[rows.length - 1]!.orderId;
    await new Promise((r) => setImmediate(r));
  }
}

/** The claim and its canteen for an export (scope checked). */
export function forExport(ctx: Ctx, actor: Actor, id: string): { claim: repo.ClaimRow; canteen: sites.CanteenRow; detail: ClaimDetail } {
  const { claim, canteen } = requireClaim(ctx.db.read, actor, id);
  return { claim, canteen, detail: detail(ctx, actor, id) };
}

// ───────────── for other modules ─────────────

// ───────────── annual clearing ─────────────

const zeroFigures = (): ClearingFigures => ({
  claims: 0,
  orders: 0,
  claimedFen: 0,
  disallowedFen: 0,
  adjustmentFen: 0,
  totalFen: 0,
  paidFen: 0,
  outstandingFen: 0,
});

function addFigures(into: ClearingFigures, r: ClearingFigures): void {
  into.claims += r.claims;
  into.orders += r.orders;
  into.claimedFen += r.claimedFen;
  into.disallowedFen += r.disallowedFen;
  into.adjustmentFen += r.adjustmentFen;
  into.totalFen += r.totalFen;
  into.paidFen += r.paidFen;
  into.outstandingFen += r.outstandingFen;
}

/**
 * The annual clearing (年度清算): the approved and paid claims whose period starts in the year, summed per district
 * and payer from their frozen totals (claimed − disallowed + adjustments), what has been paid and what is still
 * owed, and how many claims of the year are not approved yet. Street, district and city staff see the districts
 * of their area (a street sees its own canteens' share); the deadlines are the next year's (CLEARING_DEADLINES).
 */
export function clearing(ctx: Ctx, actor: Actor, q: ClearingQuery): Clearing {
  const u = requireRole(actor, ROLE_GROUPS.areaStaff);
  const scope = u.user.role === 'admin' ? {} : { scopeArea: u.user.scopeAreaCode ?? '' };
  const rows = repo.clearingTotals(ctx.db.read, { ...scope, yearFrom: `${q.year}-01-01`, yearTo: `${q.year}-12-31` });
  const names = sites.areaNames(ctx.db.read);
  const districts = new Map<string, ClearingDistrict>();
  const total = { ...zeroFigures(), openClaims: 0 };
  for (const r of rows) {
    const f: ClearingFigures = {
      claims: Number(r.claims),
      orders: Number(r.orders),
      claimedFen: Number(r.claimedFen),
      disallowedFen: Number(r.disallowedFen),
      adjustmentFen: Number(r.adjustmentFen),
      totalFen: Number(r.totalFen),
      paidFen: Number(r.paidFen),
      outstandingFen: Number(r.totalFen) - Number(r.paidFen),
    };
    let d = districts.get(r.districtCode);
    if (!d) {
      d = { code: r.districtCode, name: names.get(r.districtCode) ?? r.districtCode, openClaims: 0, byPayer: [], ...zeroFigures() };
      districts.set(r.districtCode, d);
    }
    d.openClaims += Number(r.open);
    total.openClaims += Number(r.open);
    if (f.claims > 0) d.byPayer.push({ payer: r.payer, ...f });
    addFigures(d, f);
    addFigures(total, f);
  }
  return {
    year: q.year,
    districtReportBy: `${q.year + 1}-${CLEARING_DEADLINES.districtReport}`,
    cityClearingBy: `${q.year + 1}-${CLEARING_DEADLINES.cityClearing}`,
    today: localParts(ctx.clock.now(), 'Asia/Shanghai').date,
    districts: [...districts.values()],
    total,
  };
}

/** The clearing as a workbook (districts, then districts by payer) or a PDF for signing. */
export function exportClearing(ctx: Ctx, actor: Actor, q: ClearingQuery, format: 'xlsx' | 'pdf') {
  const u = requireRole(actor, ROLE_GROUPS.areaStaff);
  const c = clearing(ctx, actor, q);
  const where = u.user.scopeAreaCode ? (sites.areaNames(ctx.db.read).get(u.user.scopeAreaCode) ?? u.user.scopeAreaCode) : '全市';
  return {
    filename: `年度清算_${where}_${q.year}`,
    build: clearingDocument(c, where, format, { exportedBy: u.user.displayName, scope: `${where} · ${q.year}年` }),
  };
}

// ───────────── payer settings ─────────────

function mayEditPayer(actor: Actor, p: { levels: string[]; areaCodes: string[] }): boolean {
  if (actor.kind !== 'user') return false;
  const u = actor.user;
  if (u.role === 'admin') return true;
  if (!roleIn(u.role, ROLE_GROUPS.claimSettings) || !u.scopeAreaCode) return false;
  return p.areaCodes.every((a) => areaContains(u.scopeAreaCode!, a));
}

export function payerSettings(ctx: Ctx, actor: Actor, month: string | undefined): PayerSetting[] {
  requireRole(actor, ROLE_GROUPS.all);
  const rows = repo.payerSettings(ctx.db.read);
  const m = month ?? localParts(ctx.clock.now(), 'Asia/Shanghai').date.slice(0, 7);
  return policy
    .payers(ctx.db.read)
    .sort((a, b) => a.areaCodes[0]!.length - b.areaCodes[0]!.length || a.payer.localeCompare(b.payer))
    .map((p) => ({
      payer: p.payer,
      levels: p.levels,
      areaCodes: p.areaCodes,
      cadence: cadenceOf(rows, p.payer, m),
      history: rows.filter((r) => r.payer === p.payer).map((r) => ({ fromMonth: r.fromMonth, cadence: r.cadence, setAt: r.setAt, setByName: r.setByName })),
      canEdit: mayEditPayer(actor, p),
    }));
}

/**
 * Claim a payer monthly or quarterly from a month on (quarterly from the first month of a quarter). It may not
 * reach back over claims already submitted; drafts it covers are removed (the next generation makes them again).
 */
export async function setPayerCadence(ctx: Ctx, actor: Actor, body: { payer: string; cadence: ClaimCadence; fromMonth: string }): Promise<PayerSetting[]> {
  const u = requireRole(actor, ROLE_GROUPS.claimSettings);
  const p = policy.payers(ctx.db.read).find((x) => x.payer === body.payer);
  if (!p) throw new AppError('not_found', 'no policy names that payer', 404, { field: 'payer' });
  if (!mayEditPayer(actor, p)) throw new AppError('forbidden', 'this payer is decided by the level of government whose policy names it');
  const month = Number(body.fromMonth.slice(5, 7));
  if (body.cadence === 'quarter' && (month - 1) % 3 !== 0) {
    throw new AppError('bad_request', 'quarterly claiming starts with the first month of a quarter (01, 04, 07, 10)', 400, { field: 'fromMonth' });
  }
  const from = `${body.fromMonth}-01`;
  const settled = repo.settledClaimsFrom(ctx.db.read, body.payer, from);
  if (settled > 0) {
    throw new AppError('conflict', `${settled} claims of this payer from ${body.fromMonth} on are already submitted; start the change later`, 409, {
      field: 'fromMonth',
    });
  }
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const before = cadenceOf(repo.payerSettings(tx), body.payer, body.fromMonth);
    for (const d of repo.draftClaimsFrom(tx, body.payer, from)) repo.deleteClaim(tx, d.id);
    repo.upsertPayerSetting(tx, {
      payer: body.payer,
      fromMonth: body.fromMonth,
      cadence: body.cadence,
      setBy: u.user.id,
      setByName: u.user.displayName,
      setAt: now.toISOString(),
    });
    audit.record(tx, actor, now, {
      action: 'claim.payer_cadence',
      entityType: 'payer',
      entityId: body.payer,
      details: { payer: body.payer, fromMonth: body.fromMonth, before: { cadence: before }, after: { cadence: body.cadence } },
      scope: { areaCode: p.areaCodes.length === 1 ? p.areaCodes[0]! : null },
    });
  });
  return payerSettings(ctx, actor, body.fromMonth);
}

// ───────────── exports ─────────────

/** The claim for signing (PDF) or checking (Excel), with the per-order annex; scope checked before any byte. */
export function exportClaim(ctx: Ctx, actor: Actor, id: string, format: 'xlsx' | 'pdf') {
  const u = requireRole(actor, ROLE_GROUPS.all);
  const { claim, canteen, detail } = forExport(ctx, actor, id);
  // The document travels: its anomalies' explanations name the resident masked, as its other tables do.
  const masked = anomalies.explanationsForExport(ctx.db.read, claim.canteenId, claim.periodFrom, claim.periodTo);
  const d = { ...detail, anomalies: detail.anomalies.map((a) => ({ ...a, explanation: masked.get(a.id) ?? a.explanation })) };
  return {
    filename: claimFileName(d),
    build: claimDocument(d, () => allClaimOrders(ctx, claim), format, {
      exportedBy: u.user.displayName,
      scope: `${canteen.name} · ${d.payer} · ${d.period}`,
      timeZone: canteen.timeZone,
    }),
  };
}

/** The claim list as filtered (Excel or CSV). */
export function exportList(ctx: Ctx, actor: Actor, q: Omit<ClaimListQuery, 'limit' | 'offset'>, format: 'xlsx' | 'csv') {
  const u = requireRole(actor, ROLE_GROUPS.all);
  listFilter(ctx, actor, q);
  const areas = sites.areaNames(ctx.db.read);
  const where = q.canteenId
    ? (sites.canteenById(ctx.db.read, q.canteenId)?.shortName ?? q.canteenId)
    : q.areaCode
      ? (areas.get(q.areaCode) ?? q.areaCode)
      : u.user.scopeAreaCode
        ? (areas.get(u.user.scopeAreaCode) ?? u.user.scopeAreaCode)
        : u.user.role === 'operator'
          ? u.user.displayName
          : '全市';
  const when = q.month ?? (q.year !== undefined ? String(q.year) : '全部');
  return {
    filename: `补贴申报清单_${where}_${when}`,
    build: claimListDocument(listAll(ctx, actor, q), format, `补贴申报清单 ${where} ${when}`, { exportedBy: u.user.displayName, scope: `${where} · ${when}` }),
  };
}
