/**
 * Policy versions: drafts are edited and validated, published versions price orders, and a version that
 * priced an order is frozen (publish a new version instead). What-if re-prices a past month's real
 * orders under a draft without touching them.
 */
import { addDays, describeLayer, localParts, parsePolicy, type Layer, type PolicyDocument, type PolicyVersion } from '@yishi/shared';
import { AppError, type PolicyVersionDetail, type PolicyVersionSummary } from '@yishi/shared/schemas';
import type { Reader, Tx } from '../../db/client';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../lib/context';
import { areaContains, requireUser, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import { areaNames } from '../sites/sites.service';
import * as repo from './policy.repo';

const LEVEL_ROLE: Record<string, string[]> = {
  city: ['city'],
  district: ['district', 'city'],
  street: ['street', 'district', 'city'],
  charity: ['street', 'district', 'city'],
};

/** Who may author a policy at this level and area: its own level of government (or above), within scope. */
function mayEdit(actor: Actor, level: string, areaCode: string): boolean {
  if (actor.kind !== 'user') return false;
  const u = actor.user;
  if (u.role === 'admin') return true;
  if (!(LEVEL_ROLE[level] ?? []).includes(u.role)) return false;
  return u.scopeAreaCode !== null && areaContains(u.scopeAreaCode, areaCode);
}

/** Plain-language sentences for each layer, naming the issuing area ("广州市户籍" rather than "本地户籍"). */
function describeAll(doc: PolicyDocument, names: Map<string, string>) {
  const areaName = names.get(doc.areaCode);
  const opts = areaName ? { areaName } : {};
  return doc.layers.map((l: Layer) => ({
    id: l.id,
    name: l.name,
    kind: l.kind,
    payer: l.payer,
    zh: describeLayer(l, 'zh', opts),
    en: describeLayer(l, 'en', opts),
  }));
}

function summary(ctx: Ctx, actor: Actor, v: repo.PolicyVersionRow, names: Map<string, string>): PolicyVersionSummary {
  return {
    id: v.id,
    policyKey: v.policyKey,
    version: v.version,
    level: v.level,
    areaCode: v.areaCode,
    areaName: names.get(v.areaCode) ?? null,
    name: v.name,
    status: v.status,
    effectiveFrom: v.effectiveFrom,
    effectiveTo: v.effectiveTo,
    createdAt: v.createdAt,
    publishedAt: v.publishedAt,
    firstUsedAt: v.firstUsedAt,
    frozen: v.firstUsedAt !== null,
    editable: v.status === 'draft' && mayEdit(actor, v.level, v.areaCode),
    canAuthor: mayEdit(actor, v.level, v.areaCode),
  };
}

export function listVersions(ctx: Ctx, actor: Actor): PolicyVersionSummary[] {
  requireUser(actor);
  const names = areaNames(ctx.db.read);
  return repo.allVersions(ctx.db.read).map((v) => summary(ctx, actor, v, names));
}

export function getVersion(ctx: Ctx, actor: Actor, id: string): PolicyVersionDetail {
  requireUser(actor);
  const v = repo.versionById(ctx.db.read, id);
  if (!v) throw new AppError('not_found', 'no such policy version');
  const parsed = parsePolicy(v.document);
  const names = areaNames(ctx.db.read);
  return { ...summary(ctx, actor, v, names), document: v.document, layers: parsed.ok ? describeAll(parsed.policy, names) : [] };
}

export function validate(ctx: Ctx, document: unknown) {
  const parsed = parsePolicy(document);
  return parsed.ok ? { ok: true, issues: [], layers: describeAll(parsed.policy, areaNames(ctx.db.read)) } : { ok: false, issues: parsed.issues, layers: [] };
}

function parseOrThrow(document: unknown): PolicyDocument {
  const parsed = parsePolicy(document);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    throw new AppError('policy_invalid', first ? `${first.path || 'policy'}: ${first.message}` : 'the policy is not valid', 400, { issues: parsed.issues });
  }
  return parsed.policy;
}

export async function createDraft(ctx: Ctx, actor: Actor, body: { basedOn?: string; policyKey?: string; document?: unknown }): Promise<PolicyVersionDetail> {
  requireUser(actor);
  let policyKey: string;
  let document: unknown;
  if (body.basedOn) {
    const base = repo.versionById(ctx.db.read, body.basedOn);
    if (!base) throw new AppError('not_found', 'no such policy version');
    policyKey = base.policyKey;
    document = body.document ?? base.document;
  } else {
    if (!body.policyKey || body.document === undefined)
      throw new AppError('bad_request', 'a new policy needs policyKey and document', 400, { field: body.policyKey ? 'document' : 'policyKey' });
    policyKey = body.policyKey;
    document = body.document;
  }
  const doc = parseOrThrow(document);
  if (!mayEdit(actor, doc.level, doc.areaCode)) throw new AppError('forbidden', `you cannot author a ${doc.level} policy for area ${doc.areaCode}`);
  const id = uuidv7();
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const latest = repo.latestVersionOf(tx, policyKey);
    if (!body.basedOn && latest) throw new AppError('conflict', `policy ${policyKey} exists; make a new version based on it`, 409, { field: 'policyKey' });
    if (latest && (latest.level !== doc.level || latest.areaCode !== doc.areaCode)) {
      throw new AppError('policy_invalid', 'a new version must keep the level and area of its policy', 400, {
        issues: [{ path: 'areaCode', message: `must stay ${latest.level} ${latest.areaCode}` }],
      });
    }
    repo.insertVersion(tx, {
      id,
      policyKey,
      version: (latest?.version ?? 0) + 1,
      level: doc.level,
      areaCode: doc.areaCode,
      name: doc.name,
      status: 'draft',
      document: doc,
      effectiveFrom: doc.effectiveFrom,
      effectiveTo: doc.effectiveTo,
      createdBy: requireUser(actor).user.id,
      createdAt: now.toISOString(),
    });
    audit.record(tx, actor, now, {
      action: 'policy.draft_created',
      entityType: 'policy_version',
      entityId: id,
      details: { policyKey, basedOn: body.basedOn ?? null },
    });
  });
  return getVersion(ctx, actor, id);
}

function loadEditable(ctx: Ctx, actor: Actor, id: string): repo.PolicyVersionRow {
  const v = repo.versionById(ctx.db.read, id);
  if (!v) throw new AppError('not_found', 'no such policy version');
  if (!mayEdit(actor, v.level, v.areaCode)) throw new AppError('forbidden', 'you cannot change this policy');
  if (v.firstUsedAt) throw new AppError('policy_frozen', 'this version has priced orders and cannot change; make a new version');
  if (v.status !== 'draft') throw new AppError('policy_frozen', 'only drafts can be edited; make a new version');
  return v;
}

export async function updateDraft(ctx: Ctx, actor: Actor, id: string, document: unknown): Promise<PolicyVersionDetail> {
  const v = loadEditable(ctx, actor, id);
  const doc = parseOrThrow(document);
  if (doc.level !== v.level || doc.areaCode !== v.areaCode) {
    throw new AppError('policy_invalid', 'a version must keep the level and area of its policy', 400, {
      issues: [{ path: 'areaCode', message: `must stay ${v.level} ${v.areaCode}` }],
    });
  }
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const current = repo.versionById(tx, id)!;
    if (current.status !== 'draft' || current.firstUsedAt) throw new AppError('policy_frozen', 'this version was published meanwhile');
    repo.updateVersion(tx, id, { document: doc, name: doc.name, effectiveFrom: doc.effectiveFrom, effectiveTo: doc.effectiveTo });
    audit.record(tx, actor, now, { action: 'policy.draft_updated', entityType: 'policy_version', entityId: id });
  });
  return getVersion(ctx, actor, id);
}

/**
 * Publish a draft. Earlier published versions of the same policy end the day before it starts (or are
 * retired when they would not have started); the documents of versions that priced orders never change.
 */
export async function publish(ctx: Ctx, actor: Actor, id: string): Promise<PolicyVersionDetail> {
  const v = loadEditable(ctx, actor, id);
  const doc = parseOrThrow(v.document);
  const now = ctx.clock.now();
  // Never backdated: a version that starts in the past would re-read days already priced and claimed.
  const today = localParts(now, 'Asia/Shanghai').date;
  if (doc.effectiveFrom < today) {
    throw new AppError('policy_invalid', `a version cannot start in the past; effectiveFrom must be ${today} or later`, 400, {
      issues: [{ path: 'effectiveFrom', message: `must be ${today} or later` }],
    });
  }
  await ctx.db.write((tx) => {
    const current = repo.versionById(tx, id)!;
    if (current.status !== 'draft') throw new AppError('policy_frozen', 'already published');
    for (const other of repo.allVersions(tx).filter((o) => o.policyKey === v.policyKey && o.status === 'published' && o.id !== id)) {
      const endsOn = addDays(doc.effectiveFrom, -1);
      if (other.effectiveTo !== null && other.effectiveTo < doc.effectiveFrom) continue;
      if (endsOn < other.effectiveFrom) repo.updateVersion(tx, other.id, { status: 'retired' });
      else repo.updateVersion(tx, other.id, { effectiveTo: endsOn });
      audit.record(tx, actor, now, { action: 'policy.superseded', entityType: 'policy_version', entityId: other.id, details: { by: id, effectiveTo: endsOn } });
    }
    repo.updateVersion(tx, id, { status: 'published', publishedAt: now.toISOString(), publishedBy: requireUser(actor).user.id });
    audit.record(tx, actor, now, { action: 'policy.published', entityType: 'policy_version', entityId: id, details: { effectiveFrom: doc.effectiveFrom } });
  });
  return getVersion(ctx, actor, id);
}

// ───────────── for pricing ─────────────

/**
 * The published versions in force on a date, as the engine takes them: each carries the ids of the earlier
 * versions of its policy, so limits (per week, per month) count across a new version.
 */
export function versionsInForce(db: Reader | Tx, date: string): PolicyVersion[] {
  const rows = repo.publishedInForce(db, date);
  let versions = inForce.get(rows);
  if (!versions) {
    const all = repo.allVersions(db);
    versions = Object.freeze(
      rows.map((v) =>
        Object.freeze({
          versionId: v.id,
          document: v.document as PolicyDocument,
          previousVersionIds: Object.freeze(all.filter((o) => o.policyKey === v.policyKey && o.version < v.version).map((o) => o.id)),
        }),
      ),
    ) as PolicyVersion[];
    inForce.set(rows, versions);
  }
  return versions;
}
/** Built once per kept read of the versions in force (a new read, after a policy is written, builds it again). */
const inForce = new WeakMap<object, PolicyVersion[]>();

/** A version that priced an order is frozen from then on; called in the order's own transaction. */
export function markUsed(tx: Tx, versionIds: string[], at: string): void {
  repo.markUsed(tx, versionIds, at);
}

/**
 * A version to stand in for its policy in a what-if: the caller may read policies, the document is valid. The
 * ids of the policy's other versions come with it, so its limits count what they paid.
 */
export function versionForWhatIf(
  ctx: Ctx,
  actor: Actor,
  id: string,
): { versionId: string; policyKey: string; areaCode: string; document: PolicyDocument; otherVersionIds: string[] } {
  requireUser(actor);
  const v = repo.versionById(ctx.db.read, id);
  if (!v) throw new AppError('not_found', 'no such policy version');
  const document = parseOrThrow(v.document);
  const otherVersionIds = repo
    .allVersions(ctx.db.read)
    .filter((p) => p.policyKey === v.policyKey && p.id !== v.id)
    .map((p) => p.id);
  return { versionId: v.id, policyKey: v.policyKey, areaCode: v.areaCode, document, otherVersionIds };
}

/** The policy line a version belongs to. */
export function policyKeyOf(db: Reader | Tx, versionId: string): string | null {
  return repo.versionById(db, versionId)?.policyKey ?? null;
}

// ───────────── for settlement ─────────────

/**
 * The payers the published policies name (each layer's `payer`), with the levels and areas of the policies that
 * name them: a district may decide how its own payers are claimed.
 */
export function payers(db: Reader | Tx): { payer: string; levels: string[]; areaCodes: string[] }[] {
  const out = new Map<string, { levels: Set<string>; areas: Set<string> }>();
  for (const v of repo.allVersions(db)) {
    if (v.status === 'draft') continue;
    for (const l of (v.document as PolicyDocument).layers ?? []) {
      const e = out.get(l.payer) ?? { levels: new Set<string>(), areas: new Set<string>() };
      e.levels.add(v.level);
      e.areas.add(v.areaCode);
      out.set(l.payer, e);
    }
  }
  return [...out.entries()].map(([payer, e]) => ({ payer, levels: [...e.levels], areaCodes: [...e.areas] }));
}
