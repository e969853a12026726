/**
 * The audit log: append-only and hash-chained. Each row's hash covers the previous row's hash and its own
 * canonical content, so changing, inserting or deleting any row breaks the chain from there on (`verify`).
 * Money, eligibility, policy, prices, permissions and devices changes call `record` inside the caller's own
 * write transaction, so the change and its audit row commit together or not at all.
 */
import type { AuditVerifyResult } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { requireRole, type Actor } from '../../lib/actor';
import { sha256 } from '../../lib/crypto';
import * as repo from './audit.repo';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
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
}

function canonical(row: Content): string {
  return JSON.stringify([row.at, row.actorType, row.actorId, row.action, row.entityType, row.entityId, sortKeys(row.details)]);
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

function actorRef(actor: Actor | null): Pick<Content, 'actorType' | 'actorId'> {
  if (!actor) return { actorType: 'system', actorId: null };
  return actor.kind === 'user' ? { actorType: 'user', actorId: actor.user.id } : { actorType: 'device', actorId: actor.deviceId };
}

/** Append one row inside the caller's write transaction. `actor` null = the system (start-up, seed, a login). */
export function record(tx: Tx, actor: Actor | null, at: Date, input: AuditInput): void {
  const prevHash = repo.lastHash(tx) ?? GENESIS;
  const row: Content = {
    at: at.toISOString(),
    ...actorRef(actor),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    details: input.details ?? {},
  };
  repo.insert(tx, { ...row, prevHash, hash: sha256(prevHash + canonical(row)) });
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
