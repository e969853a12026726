/**
 * Policy versions: drafts are edited and validated, published versions price orders, and a version that
 * priced an order is frozen (publish a new version instead). What-if re-prices a past month's real
 * orders under a draft without touching them.
 */
import {
  addDays,
  describePolicy,
  dishTagsOf,
  localParts,
  parsePolicy,
  POLICY_LEVEL_AUTHORS,
  type PolicyDocument,
  type PolicyDocumentInput,
  type PolicyLevel,
  type PolicyVersion,
} from '@yishi/shared';
import { AppError, type DishTagOption, type PolicyNamesEn, type PolicyVersionDetail, type PolicyVersionSummary } from '@yishi/shared/schemas';
import type { Reader, Tx } from '../../db/client';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../lib/context';
import { areaContains, requireUser, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import { allCanteens, areaNames } from '../sites/sites.service';
import * as repo from './policy.repo';

/** Who may author a policy at this level and area: its own level of government (or above), within scope. */
function mayEdit(actor: Actor, level: string, areaCode: string): boolean {
  if (actor.kind !== 'user') return false;
  const u = actor.user;
  if (u.role === 'admin') return true;
  if (!(POLICY_LEVEL_AUTHORS[level as PolicyLevel] ?? []).includes(u.role)) return false;
  return u.scopeAreaCode !== null && areaContains(u.scopeAreaCode, areaCode);
}

/**
 * Plain-language sentences for each layer, with the document's own names (declared dish tags, replaced and pooled
 * layers), the issuing area ("广州市户籍" rather than "本地户籍") and the names of named canteens.
 */
function describeAll(db: Reader | Tx, doc: PolicyDocument, names: Map<string, string>) {
  const areaName = names.get(doc.areaCode);
  const named = new Set(doc.layers.flatMap((l) => l.canteens ?? []));
  const canteenNames =
    named.size === 0
      ? undefined
      : Object.fromEntries(
          allCanteens(db)
            .filter((c) => named.has(c.id))
            .map((c) => [c.id, c.name]),
        );
  const opts = { ...(areaName ? { areaName } : {}), ...(canteenNames ? { canteenNames } : {}) };
  const zh = describePolicy(doc, 'zh', opts);
  const en = describePolicy(doc, 'en', opts);
  return doc.layers.map((l, i) => ({
    id: l.id,
    name: l.name,
    nameEn: l.nameEn ?? null,
    kind: l.kind,
    payer: l.payer,
    payerEn: l.payerEn ?? null,
    zh: zh[i]!.text,
    en: en[i]!.text,
  }));
}

/** The city's calendar date now, and the first date a new version may start by default (tomorrow). */
function today(ctx: Ctx): string {
  return localParts(ctx.clock.now(), 'Asia/Shanghai').date;
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
  return { ...summary(ctx, actor, v, names), document: v.document, layers: parsed.ok ? describeAll(ctx.db.read, parsed.policy, names) : [] };
}

export function validate(ctx: Ctx, document: unknown) {
  const parsed = parsePolicy(document);
  return parsed.ok
    ? { ok: true, issues: [], layers: describeAll(ctx.db.read, parsed.policy, areaNames(ctx.db.read)) }
    : { ok: false, issues: parsed.issues, layers: [] };
}

function parseOrThrow(document: unknown): PolicyDocument {
  const parsed = parsePolicy(document);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    throw new AppError('policy_invalid', first ? `${first.path || 'policy'}: ${first.message}` : 'the policy is not valid', 400, { issues: parsed.issues });
  }
  return parsed.policy;
}

/** Who pays a new policy's first layer, until the author says otherwise. */
function defaultPayer(level: PolicyLevel, areaName: string, name: string): string {
  if (level === 'charity') return name;
  if (level === 'street') return `${areaName}办事处`;
  return `${areaName}民政局`;
}

/**
 * The first draft of a new policy: one meal layer with every default written out (户籍 in the issuing area, 60+,
 * registered residents only, lunch and dinner, one meal per meal period), starting tomorrow, paying nothing until
 * the author sets the amount.
 */
function starterDocument(level: PolicyLevel, areaCode: string, areaName: string, name: string, from: string): PolicyDocumentInput {
  return {
    name,
    level,
    areaCode,
    effectiveFrom: from,
    effectiveTo: null,
    layers: [
      {
        id: 'meal',
        name: '就餐补贴',
        payer: defaultPayer(level, areaName, name),
        kind: 'meal',
        who: { hukou: 'issuer_area', minAge: 60, requireRegistered: true },
        pays: { type: 'fixed', amountFen: 0 },
        when: { mealPeriods: ['lunch', 'dinner'], workingDaysOnly: false },
        where: 'issuer_area',
        home: 'hukou',
        limits: { perMealPeriod: 1 },
      },
    ],
  };
}

export interface CreateDraftBody {
  basedOn?: string | undefined;
  policyKey?: string | undefined;
  document?: unknown;
  start?: { level: PolicyLevel; areaCode: string; name: string } | undefined;
}

/**
 * A new draft: a new version of a policy (`basedOn`; it starts tomorrow unless the base starts later), or a new
 * policy from a document or from `start` (level, area, name). Only the level of government that issues a policy
 * (or one above it), within its area, may author it.
 */
export async function createDraft(ctx: Ctx, actor: Actor, body: CreateDraftBody): Promise<PolicyVersionDetail> {
  requireUser(actor);
  const names = areaNames(ctx.db.read);
  const tomorrow = addDays(today(ctx), 1);
  let policyKey: string | null;
  let document: unknown;
  if (body.basedOn) {
    const base = repo.versionById(ctx.db.read, body.basedOn);
    if (!base) throw new AppError('not_found', 'no such policy version');
    policyKey = base.policyKey;
    if (body.document !== undefined) document = body.document;
    else {
      // A new version starts tomorrow by default: never in the past, never on a day already being priced.
      const from = base.effectiveFrom > tomorrow ? base.effectiveFrom : tomorrow;
      const to = base.effectiveTo !== null && base.effectiveTo >= from ? base.effectiveTo : null;
      document = { ...(base.document as Record<string, unknown>), effectiveFrom: from, effectiveTo: to };
    }
  } else if (body.start) {
    const { level, areaCode, name } = body.start;
    const areaName = names.get(areaCode);
    if (areaName === undefined) {
      throw new AppError('policy_invalid', `no area with code ${areaCode}`, 400, {
        issues: [{ path: 'areaCode', message: `no area with code ${areaCode}`, code: 'unknownArea' }],
      });
    }
    policyKey = body.policyKey ?? null;
    document = starterDocument(level, areaCode, areaName, name, tomorrow);
  } else {
    if (body.document === undefined)
      throw new AppError('bad_request', 'a new policy needs a document, or start: { level, areaCode, name }', 400, { field: 'document' });
    policyKey = body.policyKey ?? null;
    document = body.document;
  }
  const doc = parseOrThrow(document);
  if (!body.basedOn && !names.has(doc.areaCode)) {
    throw new AppError('policy_invalid', `no area with code ${doc.areaCode}`, 400, {
      issues: [{ path: 'areaCode', message: `no area with code ${doc.areaCode}`, code: 'unknownArea' }],
    });
  }
  if (!mayEdit(actor, doc.level, doc.areaCode)) {
    throw new AppError('forbidden', `you cannot author a ${doc.level} policy for area ${doc.areaCode}`, 403, {
      issues: [{ path: 'areaCode', message: `you cannot author a ${doc.level} policy for area ${doc.areaCode}`, code: 'notYourArea' }],
    });
  }
  const id = uuidv7();
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    if (policyKey === null) {
      // A readable key of its own: "district-440106-2" when "district-440106" is taken.
      const taken = new Set(repo.allVersions(tx).map((v) => v.policyKey));
      const stem = `${doc.level}-${doc.areaCode}`;
      let n = 1;
      while (taken.has(n === 1 ? stem : `${stem}-${n}`)) n += 1;
      policyKey = n === 1 ? stem : `${stem}-${n}`;
    }
    const latest = repo.latestVersionOf(tx, policyKey);
    if (!body.basedOn && latest) throw new AppError('conflict', `policy ${policyKey} exists; make a new version based on it`, 409, { field: 'policyKey' });
    if (latest && (latest.level !== doc.level || latest.areaCode !== doc.areaCode)) {
      throw new AppError('policy_invalid', 'a new version must keep the level and area of its policy', 400, {
        issues: [
          {
            path: 'areaCode',
            message: `must stay ${latest.level} ${latest.areaCode}`,
            code: 'keepArea',
            params: { level: latest.level, areaCode: latest.areaCode },
          },
        ],
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
      issues: [{ path: 'areaCode', message: `must stay ${v.level} ${v.areaCode}`, code: 'keepArea', params: { level: v.level, areaCode: v.areaCode } }],
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
  const first = today(ctx);
  if (doc.effectiveFrom < first) {
    throw new AppError('policy_invalid', `a version cannot start in the past; effectiveFrom must be ${first} or later`, 400, {
      issues: [{ path: 'effectiveFrom', message: `must be ${first} or later`, code: 'startsInPast', params: { first } }],
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

// ───────────── for dishes ─────────────

/**
 * The dish tags an operator may use at a canteen in this area: the base tags, then those declared by the published
 * policies that cover it and have not ended by `date` (a policy that starts next month declares its tags now, so
 * dishes can be tagged before it applies).
 */
export function dishTagsAt(db: Reader | Tx, areaCode: string, date: string): DishTagOption[] {
  const covering = repo
    .publishedFrom(db, date)
    .filter((v) => areaContains(v.areaCode, areaCode))
    .map((v) => ({ name: v.name, doc: v.document as PolicyDocument }));
  const declaredBy = new Map<string, string>();
  for (const p of covering) for (const t of p.doc.dishTags ?? []) if (!declaredBy.has(t.code)) declaredBy.set(t.code, p.name);
  return dishTagsOf(covering.map((p) => p.doc)).map((t) => ({ ...t, declaredBy: declaredBy.get(t.code) ?? null }));
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
  db: Reader,
  actor: Actor,
  id: string,
): { versionId: string; policyKey: string; version: number; areaCode: string; document: PolicyDocument; otherVersionIds: string[] } {
  requireUser(actor);
  const v = repo.versionById(db, id);
  if (!v) throw new AppError('not_found', 'no such policy version');
  const document = parseOrThrow(v.document);
  const otherVersionIds = repo
    .allVersions(db)
    .filter((p) => p.policyKey === v.policyKey && p.id !== v.id)
    .map((p) => p.id);
  return { versionId: v.id, policyKey: v.policyKey, version: v.version, areaCode: v.areaCode, document, otherVersionIds };
}

/** The policy line of every version (what-if lines up a draft's layers with the published ones by line and layer id). */
export function policyKeysOf(db: Reader | Tx): Map<string, string> {
  return new Map(repo.allVersions(db).map((v) => [v.id, v.policyKey]));
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

// ───────────── names in English ─────────────

/**
 * The English names the policies give their layers and payers (`nameEn`, `payerEn`), each by the Chinese name it
 * stands for, for the English console and kiosk: a payer's claims, reports and clearing are kept under its Chinese
 * name. Published versions (a draft's words are not yet anyone's), in the order published, so the latest one's word
 * wins; a name without an English one is absent (shown in Chinese).
 */
export function englishNames(db: Reader | Tx): PolicyNamesEn {
  const payers: Record<string, string> = {};
  const layers: Record<string, string> = {};
  const versions = repo
    .allVersions(db)
    .filter((v) => v.status !== 'draft')
    .sort((a, b) => (a.publishedAt ?? a.createdAt).localeCompare(b.publishedAt ?? b.createdAt));
  for (const v of versions) {
    for (const l of (v.document as PolicyDocument).layers ?? []) {
      if (l.payerEn) payers[l.payer] = l.payerEn;
      if (l.nameEn) layers[l.name] = l.nameEn;
    }
  }
  return { payers, layers };
}

/** A quote's or an order's split with each layer's and payer's English name, where its policy version gives one. */
export function withEnglishNames<T extends { policyVersionId: string; layerId: string; payer: string }>(
  db: Reader | Tx,
  subsidies: readonly T[],
): (T & { layerNameEn: string | null; payerEn: string | null })[] {
  const layers = layersByKey(repo.allVersions(db));
  return subsidies.map((s) => {
    const layer = layers.get(`${s.policyVersionId}|${s.layerId}`);
    return { ...s, layerNameEn: layer?.nameEn ?? null, payerEn: layer?.payerEn ?? null };
  });
}

/** Every version's layers by version and layer id, made once per kept list of versions (a card tap's quote reads it). */
const layerIndex = new WeakMap<readonly repo.PolicyVersionRow[], Map<string, PolicyDocument['layers'][number]>>();
function layersByKey(versions: readonly repo.PolicyVersionRow[]) {
  let index = layerIndex.get(versions);
  if (!index) {
    index = new Map(versions.flatMap((v) => ((v.document as PolicyDocument).layers ?? []).map((l) => [`${v.id}|${l.id}`, l] as const)));
    layerIndex.set(versions, index);
  }
  return index;
}
