/**
 * Policy versions: drafts are edited and validated, published versions price orders, and a version that
 * priced an order is frozen (publish a new version instead). What-if re-prices a past month's real
 * orders under a draft without touching them.
 */
import { and, asc, gte, inArray, lte, notInArray } from 'drizzle-orm';
import {
  addDays,
  describeLayer,
  evaluate,
  localParts,
  parsePolicy,
  slotAlreadySubsidised,
  type HistoryEntry,
  type Layer,
  type MealPeriod,
  type PolicyDocument,
  type PolicyVersion,
  type ResidentFacts,
  type SupplyMode,
} from '@yishi/shared';
import { AppError, type PolicyVersionDetail, type PolicyVersionSummary, type SimulationResult } from '@yishi/shared/schemas';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../lib/context';
import { areaContains, canSeeCanteen, requireUser, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import { canteens, orderLines, orderSubsidies, orders, residentCategories, residents } from '../../db/schema';
import { areaNames, calendar } from '../sites/sites.repo';
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

function lastDayOfMonth(month: string): string {
  const days = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, '0')}`;
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

/**
 * What-if: re-price every real order of `month` in the draft's area with the draft standing in for its
 * policy (other published policies stay as they were), and compare with what was stored. The draft is
 * taken as in force for the whole month: the question is what the month would have cost under it.
 */
export function simulate(ctx: Ctx, actor: Actor, id: string, month: string): SimulationResult {
  requireUser(actor);
  const v = repo.versionById(ctx.db.read, id);
  if (!v) throw new AppError('not_found', 'no such policy version');
  const draft = parseOrThrow(v.document);
  const db = ctx.db.read;
  const from = `${month}-01`;
  const to = lastDayOfMonth(month);
  // Only canteens of the policy's city that the caller may see: a street office simulates its own street.
  const canteenRows = db
    .select()
    .from(canteens)
    .all()
    .filter((c) => areaContains(v.areaCode.slice(0, 4), c.streetCode) && canSeeCanteen(actor, c));
  const canteenById = new Map(canteenRows.map((c) => [c.id, c]));
  const orderRows = db
    .select()
    .from(orders)
    .where(and(gte(orders.serviceDate, from), lte(orders.serviceDate, to), notInArray(orders.state, ['cancelled', 'refunded'])))
    .orderBy(asc(orders.serviceDate), asc(orders.createdAt))
    .all()
    .filter((o) => canteenById.has(o.canteenId));
  const ids = orderRows.map((o) => o.id);
  const lines = new Map<string, { dishId: string; unitPriceFen: number; quantity: number }[]>();
  const subs = new Map<string, (typeof orderSubsidies.$inferSelect)[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const l of db.select().from(orderLines).where(inArray(orderLines.orderId, chunk)).all())
      lines.set(l.orderId, [...(lines.get(l.orderId) ?? []), { dishId: l.dishId, unitPriceFen: l.unitPriceFen, quantity: l.quantity }]);
    for (const s of db.select().from(orderSubsidies).where(inArray(orderSubsidies.orderId, chunk)).all())
      subs.set(s.orderId, [...(subs.get(s.orderId) ?? []), s]);
  }
  const cats = db.select().from(residentCategories).all();
  const facts = new Map<string, ResidentFacts>(
    db
      .select()
      .from(residents)
      .all()
      .map((r) => [
        r.id,
        {
          id: r.id,
          birthDate: r.birthDate,
          hukouAreaCode: r.hukouAreaCode,
          residenceAreaCode: r.residenceAreaCode,
          categories: cats
            .filter((c) => c.residentId === r.id)
            .map((c) => ({ code: c.code as ResidentFacts['categories'][number]['code'], validFrom: c.validFrom, validTo: c.validTo })),
          careLevel: r.careLevel,
          disabilityGrade: r.disabilityGrade,
          disabilityLevel: r.disabilityLevel,
          status: r.status,
          statusSince: r.statusSince,
        },
      ]),
  );
  const cal = calendar(db);
  const others = repo.publishedInForce(db, from).filter((p) => p.policyKey !== v.policyKey);
  const previous = repo
    .allVersions(db)
    .filter((p) => p.policyKey === v.policyKey && p.id !== v.id)
    .map((p) => p.id);
  const policies: PolicyVersion[] = [
    ...others.map((p) => ({ versionId: p.id, document: p.document as PolicyDocument })),
    { versionId: v.id, document: { ...draft, effectiveFrom: from, effectiveTo: to }, previousVersionIds: previous },
  ];

  const history = new Map<string, HistoryEntry[]>();
  const subsidisedSlots = new Set<string>();
  const byPayer = new Map<string, { payer: string; kind: string; baselineFen: number; simulatedFen: number }>();
  const byCategory = new Map<
    string,
    { category: string; orders: number; baselineSubsidyFen: number; simulatedSubsidyFen: number; elderPaysChangeFen: number }
  >();
  const byDay = new Map<string, { date: string; baselineSubsidyFen: number; simulatedSubsidyFen: number }>();
  const base = { elderPaysFen: 0, elderSubsidyFen: 0, operatorSubsidyFen: 0 };
  const sim = { elderPaysFen: 0, elderSubsidyFen: 0, operatorSubsidyFen: 0 };
  const change = new Map<string, number>();
  const payer = (name: string, kind: string) => {
    const k = `${name}|${kind}`;
    if (!byPayer.has(k)) byPayer.set(k, { payer: name, kind, baselineFen: 0, simulatedFen: 0 });
    return byPayer.get(k)!;
  };
  for (const o of orderRows) {
    const canteen = canteenById.get(o.canteenId)!;
    const resident = o.residentId ? (facts.get(o.residentId) ?? null) : null;
    const ev = evaluate({
      policies,
      resident,
      canteen: { id: canteen.id, areaCode: canteen.streetCode, supplyMode: canteen.supplyMode as SupplyMode },
      serviceDate: o.serviceDate,
      mealPeriod: o.mealPeriod as MealPeriod,
      fulfilment: o.fulfilment,
      lines: lines.get(o.id) ?? [],
      history: resident
        ? [
            ...(history.get(resident.id) ?? []),
            ...(subsidisedSlots.has(`${resident.id}|${o.serviceDate}|${o.mealPeriod}`)
              ? slotAlreadySubsidised(policies, o.serviceDate, o.mealPeriod as MealPeriod)
              : []),
          ]
        : [],
      calendar: cal,
    });
    if (resident) {
      const applied = ev.layers
        .filter((l) => l.amountFen > 0)
        .map((l) => ({
          serviceDate: o.serviceDate,
          mealPeriod: o.mealPeriod as MealPeriod,
          canteenId: o.canteenId,
          layerKey: l.layerKey,
          amountFen: l.amountFen,
        }));
      if (applied.length) history.set(resident.id, [...(history.get(resident.id) ?? []), ...applied]);
      if (ev.elderSubsidyFen > 0) subsidisedSlots.add(`${resident.id}|${o.serviceDate}|${o.mealPeriod}`);
    }
    base.elderPaysFen += o.elderPaysFen;
    base.elderSubsidyFen += o.elderSubsidyFen;
    base.operatorSubsidyFen += o.operatorSubsidyFen;
    sim.elderPaysFen += ev.elderPaysFen;
    sim.elderSubsidyFen += ev.elderSubsidyFen;
    sim.operatorSubsidyFen += ev.operatorSubsidyFen;
    for (const s of subs.get(o.id) ?? []) if (s.amountFen > 0) payer(s.payer, s.kind).baselineFen += s.amountFen;
    for (const l of ev.layers) if (l.amountFen > 0) payer(l.payer, l.kind).simulatedFen += l.amountFen;
    const category = !resident
      ? 'guest'
      : (resident.categories.find((c) => c.validFrom <= o.serviceDate && (c.validTo === null || c.validTo >= o.serviceDate))?.code ?? 'none');
    const c = byCategory.get(category) ?? { category, orders: 0, baselineSubsidyFen: 0, simulatedSubsidyFen: 0, elderPaysChangeFen: 0 };
    c.orders += 1;
    c.baselineSubsidyFen += o.elderSubsidyFen;
    c.simulatedSubsidyFen += ev.elderSubsidyFen;
    c.elderPaysChangeFen += ev.elderPaysFen - o.elderPaysFen;
    byCategory.set(category, c);
    const d = byDay.get(o.serviceDate) ?? { date: o.serviceDate, baselineSubsidyFen: 0, simulatedSubsidyFen: 0 };
    d.baselineSubsidyFen += o.elderSubsidyFen + o.operatorSubsidyFen;
    d.simulatedSubsidyFen += ev.elderSubsidyFen + ev.operatorSubsidyFen;
    byDay.set(o.serviceDate, d);
    if (o.residentId) change.set(o.residentId, (change.get(o.residentId) ?? 0) + ev.elderPaysFen - o.elderPaysFen);
  }
  return {
    versionId: v.id,
    month,
    orders: orderRows.length,
    residents: change.size,
    baseline: base,
    simulated: sim,
    byPayer: [...byPayer.values()].sort((a, b) => b.simulatedFen - a.simulatedFen),
    byCategory: [...byCategory.values()].sort((a, b) => b.orders - a.orders),
    byDay: [...byDay.values()],
    eldersPayingMore: [...change.values()].filter((x) => x > 0).length,
    eldersPayingLess: [...change.values()].filter((x) => x < 0).length,
  };
}
