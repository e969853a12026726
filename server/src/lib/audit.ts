/**
 * Append-only, hash-chained audit log. Each row's hash covers the previous row's hash and its own
 * canonical content, so changing or deleting any row breaks every hash after it (verifyAuditChain).
 */
import { desc, asc } from 'drizzle-orm';
import { auditLog } from '../db/schema';
import type { Reader, Tx } from '../db/client';
import { sha256 } from './crypto';
import type { Actor } from './actor';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

function canonical(row: {
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
}): string {
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

export function actorRef(actor: Actor | null): { actorType: 'user' | 'device' | 'system'; actorId: string | null } {
  if (!actor) return { actorType: 'system', actorId: null };
  return actor.kind === 'user' ? { actorType: 'user', actorId: actor.user.id } : { actorType: 'device', actorId: actor.deviceId };
}

/** Append one audit row inside the caller's write transaction. */
export function audit(tx: Tx, actor: Actor | null, at: Date, input: AuditInput): void {
  const prev = tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1).get();
  const prevHash = prev?.hash ?? 'genesis';
  const row = {
    at: at.toISOString(),
    ...actorRef(actor),
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId ?? null,
    details: input.details ?? {},
  };
  const hash = sha256(prevHash + canonical(row));
  tx.insert(auditLog)
    .values({ ...row, prevHash, hash })
    .run();
}

/** Walk the chain; returns the first broken sequence number, or null when intact. */
export function verifyAuditChain(db: Reader | Tx): { ok: boolean; rows: number; brokenAt: number | null } {
  const rows = db.select().from(auditLog).orderBy(asc(auditLog.seq)).all();
  let prevHash = 'genesis';
  for (const r of rows) {
    const expected = sha256(
      prevHash +
        canonical({
          at: r.at,
          actorType: r.actorType,
          actorId: r.actorId,
          action: r.action,
          entityType: r.entityType,
          entityId: r.entityId,
          details: r.details,
        }),
    );
    if (r.prevHash !== prevHash || r.hash !== expected) return { ok: false, rows: rows.length, brokenAt: r.seq };
    prevHash = r.hash;
  }
  return { ok: true, rows: rows.length, brokenAt: null };
}
