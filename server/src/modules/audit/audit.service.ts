/**
 * The audit log: append-only and hash-chained. Each row's hash covers the previous row's hash and its own
 * canonical content, so changing, inserting or deleting any row breaks the chain from there on (`verify`).
 * Money, eligibility, policy, prices, permissions and devices changes call `record` inside the caller's own
 * write transaction, so the change and its audit row commit together or not at all.
 */
import { AppError, type AuditListQuery, type AuditPage, type AuditVerifyResult } from '@yishi/shared/schemas';
import { addDays, ROLE_GROUPS } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { requireRole, roleIn, type Actor } from '../../lib/actor';
import { sha256 } from '../../lib/crypto';
import * as repo from './audit.repo';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  /** For changes, what it was and what it became: `{ before: {…}, after: {…} }` (the console shows them side by side). */
  details?: Record<string, unknown>;
  /**
   * The canteen and area the change concerns, when it concerns one: the console's audit log filters by them and
   * shows street and district staff the rows of their area. A string `details.canteenId` is taken when no canteen is given.
   */
  scope?: { canteenId?: string | null; areaCode?: string | null };
}

const GENESIS = 'genesis';

interface Content {
  at: string;
  actorType: 'user' | 'device' | 'system';
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
  actorName: string | null;
  canteenId: string | null;
  areaCode: string | null;
}

/**
 * What a row's hash covers. The actor's name and the row's canteen and area (added later) are covered when set,
 * so rows written before they existed hash exactly as they did.
 */
function canonical(row: Content): string {
  const base: unknown[] = [row.at, row.actorType, row.actorId, row.action, row.entityType, row.entityId, sortKeys(row.details)];
  const extra = Object.fromEntries(
    (
      [
        ['actorName', row.actorName],
        ['areaCode', row.areaCode],
        ['canteenId', row.canteenId],
      ] as const
    ).filter(([, v]) => v !== null && v !== undefined),
  );
  return JSON.stringify(Object.keys(extra).length ? [...base, extra] : base);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

function actorRef(actor: Actor | null): Pick<Content, 'actorType' | 'actorId' | 'actorName'> {
  if (!actor) return { actorType: 'system', actorId: null, actorName: null };
  return actor.kind === 'user'
    ? { actorType: 'user', actorId: actor.user.id, actorName: actor.user.displayName }
    : { actorType: 'device', actorId: actor.deviceId, actorName: null };
}

/** Append one row inside the caller's write transaction. `actor` null = the system (start-up, seed, a login). */
export function record(tx: Tx, actor: Actor | null, at: Date, input: AuditInput): void {
  const prevHash = repo.lastHash(tx) ?? GENESIS;
  const details = input.details ?? {};
  const row: Content = {
    at: at.toISOString(),
    ...actorRef(actor),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    details,
    canteenId: input.scope?.canteenId ?? (typeof details.canteenId === 'string' ? details.canteenId : null),
    areaCode: input.scope?.areaCode ?? null,
  };
  repo.insert(tx, { ...row, prevHash, hash: sha256(prevHash + canonical(row)) });
}

/** Who did `action` to an entity at `at`, by the name the log recorded then (a closed day names who closed it). */
export function nameRecorded(db: Reader | Tx, w: { entityType: string; entityId: string; actorId: string; action: string; at: string }): string | null {
  return repo.actorNameAt(db, w);
}

/**
 * Walk the whole chain. The first broken link is named: a row whose `prev_hash` is not the hash of the row
 * before it (a row was deleted or inserted there), or whose own hash does not match its content (it was changed).
 */
export function verify(db: Reader | Tx): AuditVerifyResult {
  let prevHash = GENESIS;
  let rows = 0;
  let after = 0;
  for (;;) {
    const batch = repo.rowsAfter(db, after, 2000);
    if (batch.length === 0) break;
    for (const r of batch) {
      rows += 1;
      if (r.prevHash !== prevHash) {
        return { ok: false, rows, brokenAt: r.seq, message: `row ${r.seq} does not follow the row before it: a row was deleted or inserted before it` };
      }
      if (r.hash !== sha256(prevHash + canonical(r))) {
        return { ok: false, rows, brokenAt: r.seq, message: `row ${r.seq} (${r.action}) was changed after it was written` };
      }
      prevHash = r.hash;
    }
    after = batch[batch.length - 1]!.seq;
  }
  return { ok: true, rows, brokenAt: null, message: `the audit chain of ${rows} rows is intact` };
}

/** `GET /audit/verify`: city and platform staff check the whole chain. */
export function verifyChain(ctx: Ctx, actor: Actor): AuditVerifyResult {
  requireRole(actor, ROLE_GROUPS.auditors);
  return verify(ctx.db.read);
}

/** The start of a local date in Guangzhou as a UTC instant (the log stores instants). */
function startOfDay(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}

/**
 * `GET /audit`: the log, newest first, with filters. City and platform staff read every row; street and district
 * staff read the rows of their own area (a row belongs to the area of its canteen or its own area code).
 */
export function list(ctx: Ctx, actor: Actor, q: AuditListQuery): AuditPage {
  const u = requireRole(actor, ROLE_GROUPS.auditReaders);
  const all = roleIn(u.user.role, ROLE_GROUPS.auditors);
  if (!all && !u.user.scopeAreaCode) throw new AppError('forbidden', 'your account has no area');
  const { items, total } = repo.list(ctx.db.read, {
    ...(q.who !== undefined ? { who: q.who } : {}),
    ...(q.action !== undefined ? { actionPrefix: q.action } : {}),
    ...(q.entityType !== undefined ? { entityType: q.entityType } : {}),
    ...(q.entityId !== undefined ? { entityId: q.entityId } : {}),
    ...(q.canteenId !== undefined ? { canteenId: q.canteenId } : {}),
    ...(q.areaCode !== undefined ? { areaPrefix: q.areaCode } : {}),
    ...(all ? {} : { scopePrefix: u.user.scopeAreaCode! }),
    ...(q.from !== undefined ? { fromAt: startOfDay(q.from) } : {}),
    ...(q.to !== undefined ? { toAt: startOfDay(addDays(q.to, 1)) } : {}),
    limit: q.limit,
    offset: q.offset,
  });
  return {
    total,
    items: items.map((r) => ({
      seq: r.seq,
      at: r.at,
      actorType: r.actorType,
      actorId: r.actorId,
      actorName: r.actorName,
      action: r.action,
      entityType: r.entityType,
      entityId: r.entityId,
      canteenId: r.canteenId,
      areaCode: r.areaCode,
      details: r.details,
      hash: r.hash,
    })),
  };
}
