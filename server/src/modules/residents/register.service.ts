/**
 * The console's register of residents: list and view (with the wallet balance), register, correct, cards, PIN,
 * categories, and the resident's wallet (its history, and top-ups at the counter: the register decides who may,
 * the wallet module keeps the money). Every change is audited in its own transaction. What other modules need to
 * know about a resident (scope, facts, identification) is residents.service.ts.
 */
import { AppError, type PendingCategory, type ResidentCategoryEntry, type ResidentDetail, type ResidentSummary } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type {
  AddCardRequest,
  AddCategoryRequest,
  CardCheckRequest,
  CardCheckResponse,
  PayoutRequest,
  ApproveCategoryRequest,
  RejectCategoryRequest,
  TopupRequest,
  WalletEntryPage,
  WalletEntryQuery,
  WalletReceipt,
  WalletView,
  EndCategoryRequest,
  CreateResidentRequest,
  ResidentExportQuery,
  ResidentListQuery,
  WalletEntry,
  WalletExportQuery,
  UpdateResidentRequest,
} from '@yishi/shared/schemas';
import { addDays, ageOn, categoryNeedsApproval, localParts, ROLE_GROUPS, type ResidentCategory } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { actorId, areaContains, assertCanteen, assertOperates, canSeeCanteen, canSeeResident, requireUser, roleIn, type Actor } from '../../lib/actor';
import { hashSecret, maskIdNumber, maskPhone, newToken } from '../../lib/crypto';
import { assertWithinHorizon } from '../../lib/horizon';
import * as audit from '../audit/audit.service';
import * as sites from '../sites/sites.service';
import * as wallet from '../wallet/wallet.service';
import * as repo from './residents.repo';
import {
  clearPinTries,
  isActiveOn,
  localToday,
  pinLockedUntil as residentPinLockedUntil,
  requireVisible,
  residentById,
  tokenValueBox,
} from './residents.service';

/**
 * Every canteen's name by id. A resident in the caller's area may have a home canteen outside it (the street's
 * elder who eats in the next street); the console could only show that canteen's id, having no name for it.
 */
function homeCanteenNames(db: Reader): Map<string, string> {
  return new Map(sites.allCanteens(db).map((c) => [c.id, c.name]));
}

function summaries(ctx: Ctx, db: Reader, rows: repo.ResidentRow[]): ResidentSummary[] {
  const ids = rows.map((r) => r.id);
  const names = sites.areaNames(db);
  const date = localToday(ctx);
  const cats = repo.categoriesOf(db, ids);
  const balances = wallet.balancesOf(db, ids);
  const canteenNames = homeCanteenNames(db);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    gender: r.gender,
    birthDate: r.birthDate,
    age: ageOn(r.birthDate, date),
    idNumberMasked: maskIdNumber(r.idNumberLast4),
    phoneMasked: maskPhone(r.phoneLast4),
    hukouAreaCode: r.hukouAreaCode,
    hukouAreaName: r.hukouAreaCode ? (names.get(r.hukouAreaCode) ?? names.get(r.hukouAreaCode.slice(0, 6)) ?? null) : null,
    residenceAreaCode: r.residenceAreaCode,
    careLevel: r.careLevel,
    status: r.status,
    homeCanteenId: r.homeCanteenId,
    homeCanteenName: r.homeCanteenId ? (canteenNames.get(r.homeCanteenId) ?? null) : null,
    categories: [
      ...new Set(
        cats
          .filter((c) => c.residentId === r.id && c.state === 'approved' && c.validFrom <= date && (c.validTo === null || c.validTo >= date))
          .map((c) => c.code as ResidentCategory),
      ),
    ],
    balanceFen: balances.get(r.id) ?? 0,
  }));
}

function categoryEntry(c: repo.CategoryRow): ResidentCategoryEntry {
  return {
    id: c.id,
    code: c.code as ResidentCategory,
    validFrom: c.validFrom,
    validTo: c.validTo,
    evidence: c.evidence,
    endReason: c.endReason,
    endedAt: c.endedAt,
    state: c.state,
    proposedBy: c.createdByName,
    proposedAt: c.createdAt,
    decidedBy: c.decidedByName,
    decidedAt: c.decidedAt,
    decisionNote: c.decisionNote,
  };
}

function detail(ctx: Ctx, db: Reader, r: repo.ResidentRow): ResidentDetail {
  const s = summaries(ctx, db, [r])[0]!;
  const pinLockedUntil = residentPinLockedUntil(ctx, r);
  const cats = repo.categoriesOf(db, [r.id]);
  const cards = repo.tokensOf(db, r.id);
  return {
    ...s,
    disabilityGrade: r.disabilityGrade,
    disabilityLevel: r.disabilityLevel,
    livesAlone: r.livesAlone,
    statusSince: r.statusSince,
    address: r.address,
    dietNeeds: r.dietNeeds,
    allergies: r.allergies,
    hasPin: r.pinHash !== null,
    pinLocked: pinLockedUntil !== null,
    pinLockedUntil,
    categoryEntries: cats.map(categoryEntry),
    cards: cards.map((c) => ({ id: c.id, kind: c.kind, last4: c.last4, issuedAt: c.issuedAt, revokedAt: c.revokedAt })),
  };
}

/** Resident records are kept by operators and street offices (and the platform administrator). */
export function assertCanEdit(actor: Actor) {
  const u = requireUser(actor);
  if (!roleIn(u.user.role, ROLE_GROUPS.recordKeepers)) throw new AppError('forbidden', 'resident records are kept by operators and street offices');
}

export function listResidents(ctx: Ctx, actor: Actor, q: z.infer<typeof ResidentListQuery>): { items: ResidentSummary[]; total: number } {
  const { items, total } = repo.search(ctx.db.read, { ...residentFilter(ctx, actor, q), limit: q.limit, offset: q.offset });
  return { items: summaries(ctx, ctx.db.read, items), total };
}

/** The list's narrowing: the caller's scope (operators: their canteens' residents; area staff: who lives in their area), then the query. */
function residentFilter(
  ctx: Ctx,
  actor: Actor,
  q: { q?: string | undefined; canteenId?: string | undefined; status?: repo.ResidentRow['status'] | undefined },
) {
  const u = requireUser(actor);
  const filter: Omit<repo.ResidentFilter, 'limit' | 'offset'> = { status: q.status };
  if (u.user.role === 'operator') filter.homeCanteenIds = u.user.canteenIds;
  else if (u.user.role !== 'admin') filter.residenceAreaPrefix = u.user.scopeAreaCode ?? '-';
  if (q.canteenId) {
    const c = sites.canteenById(ctx.db.read, q.canteenId);
    if (!c || !canSeeCanteen(actor, c)) throw new AppError('not_found', 'no such canteen');
    filter.homeCanteenIds = filter.homeCanteenIds ? filter.homeCanteenIds.filter((id) => id === q.canteenId) : [q.canteenId];
  }
  if (q.q) {
    const text = q.q.replace(/[%_]/g, '');
    if (/^\d{4,11}$/.test(text)) filter.text = { phoneHash: ctx.crypto.lookupHash('phone', text), cardHash: cardHash(ctx, text), last4: text.slice(-4) };
    else if (/^\d{17}[\dXx]$/.test(text)) filter.text = { idNumberHash: ctx.crypto.lookupHash('id', text.toUpperCase()) };
    else if (/^(?=.*\d)[0-9A-Za-z]{4,32}$/.test(text)) filter.text = { cardHash: cardHash(ctx, text) };
    else filter.text = { nameContains: text };
  }
  return filter;
}

/**
 * `GET /residents/export`: the list as searched, a page at a time, each resident as the list shows them (masked ID
 * number and phone). The export itself is audited: who took which list of people.
 */
export async function exportResidents(ctx: Ctx, actor: Actor, q: z.infer<typeof ResidentExportQuery>): Promise<AsyncIterable<ResidentSummary>> {
  const filter = residentFilter(ctx, actor, q);
  const now = ctx.clock.now();
  await ctx.db.write((tx) =>
    audit.record(tx, actor, now, {
      action: 'residents.exported',
      entityType: 'resident',
      details: { format: q.format, q: q.q ?? null, canteenId: q.canteenId ?? null, status: q.status ?? null },
    }),
  );
  const db = ctx.db.read;
  async function* rows(): AsyncGenerator<ResidentSummary> {
    let after: { name: string; id: string } | undefined;
    for (;;) {
      const page = repo.searchAfter(db, filter, after, 500);
      yield* summaries(ctx, db, page);
      if (page.length < 500) return;
      const last = page[page.length - 1]!;
      after = { name: last.name, id: last.id };
    }
  }
  return rows();
}

export type WalletExportRow = z.infer<typeof WalletEntry> & { residentId: string; residentName: string };

/** `GET /residents/:id/wallet/export` and the canteen's wallet entries between two local dates. */
export async function exportWallet(
  ctx: Ctx,
  actor: Actor,
  scope: { residentId: string } | { canteenId: string },
  q: z.infer<typeof WalletExportQuery>,
): Promise<{ title: string; timeZone: string; rows: AsyncIterable<WalletExportRow> }> {
  let title: string;
  let timeZone = 'Asia/Shanghai';
  const f: { residentId?: string; canteenIds?: string[]; from?: string; to?: string } = {};
  if ('residentId' in scope) {
    const r = requireVisible(ctx, actor, scope.residentId);
    f.residentId = r.id;
    title = `钱包流水 · ${r.name}`;
  } else {
    const canteen = sites.canteenById(ctx.db.read, scope.canteenId);
    assertCanteen(actor, canteen);
    f.canteenIds = [canteen.id];
    title = `钱包流水 · ${canteen.name}`;
    timeZone = canteen.timeZone;
  }
  if (q.from) f.from = dayStart(q.from, timeZone);
  if (q.to) f.to = dayStart(addDays(q.to, 1), timeZone);
  const now = ctx.clock.now();
  await ctx.db.write((tx) =>
    audit.record(tx, actor, now, {
      action: 'wallet.exported',
      entityType: 'resident',
      entityId: f.residentId ?? null,
      details: { ...scope, from: q.from ?? null, to: q.to ?? null },
    }),
  );
  const db = ctx.db.read;
  async function* rows() {
    const names = new Map<string, string>();
    for await (const e of wallet.entriesForExport(db, f)) {
      if (!names.has(e.residentId)) names.set(e.residentId, residentById(db, e.residentId)?.name ?? '');
      yield { ...e, residentName: names.get(e.residentId)! };
    }
  }
  return { title, timeZone, rows: rows() };
}

/** The instant a local day starts (a whole number of hours east of UTC, as Chinese canteens are). */
function dayStart(date: string, timeZone: string): string {
  const noon = new Date(`${date}T12:00:00Z`);
  const local = localParts(noon, timeZone);
  const offsetHours = Number(local.time.slice(0, 2)) - 12;
  return new Date(Date.parse(`${date}T00:00:00Z`) - offsetHours * 3_600_000).toISOString();
}

export function getResident(ctx: Ctx, actor: Actor, id: string): ResidentDetail {
  return detail(ctx, ctx.db.read, requireVisible(ctx, actor, id));
}

export async function createResident(ctx: Ctx, actor: Actor, input: z.infer<typeof CreateResidentRequest>): Promise<ResidentDetail> {
  assertCanEdit(actor);
  const u = requireUser(actor);
  if (input.homeCanteenId) {
    const c = sites.canteenById(ctx.db.read, input.homeCanteenId);
    if (!c || !canSeeCanteen(actor, c)) throw new AppError('bad_request', 'no such home canteen', 400, { field: 'homeCanteenId' });
  } else if (u.user.role === 'operator') {
    throw new AppError('bad_request', 'choose the home canteen', 400, { field: 'homeCanteenId' });
  }
  if (u.user.role === 'street' && !areaContains(u.user.scopeAreaCode ?? '-', input.residenceAreaCode)) {
    throw new AppError('forbidden', 'this resident lives outside your street');
  }
  const birthFromId = `${input.idNumber.slice(6, 10)}-${input.idNumber.slice(10, 12)}-${input.idNumber.slice(12, 14)}`;
  if (birthFromId !== input.birthDate) throw new AppError('bad_request', 'the birth date does not match the ID number', 400, { field: 'birthDate' });
  const cards = input.cards.map((c, i) => ({ ...c, value: c.number.toUpperCase(), hash: cardHash(ctx, c.number), field: `cards.${i}.number` }));
  const twice = cards.find((c, i) => cards.findIndex((o) => o.hash === c.hash) !== i);
  if (twice) throw new AppError('bad_request', 'the same card is given twice', 400, { field: twice.field });
  // Checked before anything is written (and again inside the transaction): a card in use refuses the record.
  for (const c of cards) assertCardFree(ctx.db.read, c.hash, c.field);
  const now = ctx.clock.now();
  const id = await ctx.db.write((tx) => {
    for (const c of cards) assertCardFree(tx, c.hash, c.field);
    const created = insertResidentRecord(tx, ctx, actor, now, input);
    for (const c of cards) {
      repo.deleteRevokedToken(tx, c.hash);
      repo.insertToken(tx, { id: uuidv7(), residentId: created, kind: c.kind, tokenHash: c.hash, last4: c.value.slice(-4), issuedAt: now.toISOString() });
      audit.record(tx, actor, now, {
        action: 'resident.card_added',
        entityType: 'resident',
        entityId: created,
        details: { kind: c.kind, last4: c.value.slice(-4) },
      });
    }
    return created;
  });
  return getResident(ctx, actor, id);
}

/** Registered residents by the keyed hash of their ID number (a roster's rows are matched this way, never by the number). */
export function registeredByIdHashes(db: Reader | Tx, hashes: string[]): Map<string, repo.ResidentRow> {
  return new Map(repo.residentsByIdNumberHashes(db, hashes).map((r) => [r.idNumberHash, r]));
}

/** What a new record holds (the form's request, or a checked roster row). */
export type NewResidentRecord = Omit<z.infer<typeof CreateResidentRequest>, 'cards'>;

/**
 * Write a new resident with their categories in the caller's transaction, audited: the one way a resident record is
 * created (the single-resident form and a roster import both come here, so both follow the same category rules).
 * The caller has checked scope; a registered ID number is refused here (409 conflict on idNumber).
 */
export function insertResidentRecord(
  tx: Tx,
  ctx: Ctx,
  actor: Actor,
  now: Date,
  input: NewResidentRecord,
  via?: { rosterImportId: string; row: number },
): string {
  const id = uuidv7();
  const idHash = ctx.crypto.lookupHash('id', input.idNumber);
  if (repo.residentIdByIdNumberHash(tx, idHash)) {
    throw new AppError('conflict', 'a resident with this ID number is already registered', 409, { field: 'idNumber', ...(via ? { row: via.row } : {}) });
  }
  repo.insertResident(tx, {
    id,
    name: input.name,
    gender: input.gender,
    birthDate: input.birthDate,
    idNumberEnc: ctx.crypto.encrypt(input.idNumber),
    idNumberHash: idHash,
    idNumberLast4: input.idNumber.slice(-4),
    phoneEnc: input.phone ? ctx.crypto.encrypt(input.phone) : null,
    phoneHash: input.phone ? ctx.crypto.lookupHash('phone', input.phone) : null,
    phoneLast4: input.phone ? input.phone.slice(-4) : null,
    hukouAreaCode: input.hukouAreaCode,
    residenceAreaCode: input.residenceAreaCode,
    address: input.address,
    careLevel: input.careLevel,
    disabilityGrade: input.disabilityGrade,
    disabilityLevel: input.disabilityLevel,
    livesAlone: input.livesAlone,
    dietNeeds: input.dietNeeds,
    allergies: input.allergies,
    homeCanteenId: input.homeCanteenId,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  });
  for (const c of input.categories) insertCategoryRecord(tx, actor, now, id, c, { audit: false });
  audit.record(tx, actor, now, {
    action: 'resident.created',
    entityType: 'resident',
    entityId: id,
    details: {
      categories: input.categories.map((c) => c.code),
      categoriesState: input.categories.map((c) => proposedState(c.code)),
      ...(via ? { rosterImportId: via.rosterImportId, row: via.row } : {}),
    },
  });
  return id;
}

/** A category to record: code, validity, and the evidence it rests on. */
export interface CategoryRecord {
  code: ResidentCategory;
  validFrom: string;
  validTo: string | null;
  evidence: string;
}

/**
 * Record a category on a resident in the caller's transaction: the one way a category is written (the form, a new
 * record, a roster import). Refuses one that overlaps the same category (409 conflict on validFrom).
 */
export function insertCategoryRecord(tx: Tx, actor: Actor, now: Date, residentId: string, c: CategoryRecord, opts: { audit: boolean } = { audit: true }): void {
  const overlapping = repo
    .categoriesWithCode(tx, residentId, c.code)
    .find((x) => (x.validTo === null || x.validTo >= c.validFrom) && (c.validTo === null || x.validFrom <= c.validTo));
  if (overlapping)
    throw new AppError('conflict', 'this category is already recorded for part of that period; end it first', 409, {
      field: 'validFrom',
      categoryId: overlapping.id,
    });
  repo.insertCategory(tx, {
    id: uuidv7(),
    residentId,
    code: c.code,
    validFrom: c.validFrom,
    validTo: c.validTo,
    evidence: c.evidence,
    createdBy: actorId(actor),
    createdByName: requireUser(actor).user.displayName,
    createdAt: now.toISOString(),
    state: proposedState(c.code),
  });
  if (opts.audit)
    audit.record(tx, actor, now, {
      action: 'resident.category_added',
      entityType: 'resident',
      entityId: residentId,
      details: { code: c.code, validFrom: c.validFrom, validTo: c.validTo, evidence: c.evidence, state: proposedState(c.code) },
    });
}

/** What a roster row may change on a registered resident (only what the row says; identity stays as registered). */
export interface RosterChanges {
  phone?: string | null;
  hukouAreaCode?: string | null;
  residenceAreaCode?: string;
  address?: string | null;
  careLevel?: number;
  livesAlone?: boolean;
}

/**
 * A roster row updating a registered resident, in the caller's transaction: the fields the row gives, and the
 * categories the resident does not already hold for that period (through insertCategoryRecord), audited with the
 * old values. The caller has checked the caller may edit this resident.
 */
export function updateResidentFromRoster(
  tx: Tx,
  ctx: Ctx,
  actor: Actor,
  now: Date,
  residentId: string,
  changes: RosterChanges,
  categories: CategoryRecord[],
  via: { rosterImportId: string; row: number },
): { categoriesAdded: number } {
  const r = residentById(tx, residentId);
  if (!r) throw new AppError('resident_not_found', 'no such resident', 404, { row: via.row });
  const { phone, ...rest } = changes;
  const values: Partial<repo.ResidentRow> = { ...rest, updatedAt: now.toISOString() };
  if (phone !== undefined) {
    values.phoneEnc = phone ? ctx.crypto.encrypt(phone) : null;
    values.phoneHash = phone ? ctx.crypto.lookupHash('phone', phone) : null;
    values.phoneLast4 = phone ? phone.slice(-4) : null;
  }
  repo.updateResident(tx, residentId, values);
  const before = Object.fromEntries(Object.keys(rest).map((k) => [k, (r as Record<string, unknown>)[k]]));
  audit.record(tx, actor, now, {
    action: 'resident.updated',
    entityType: 'resident',
    entityId: residentId,
    details: { fields: Object.keys(changes), before, rosterImportId: via.rosterImportId, row: via.row },
  });
  let categoriesAdded = 0;
  for (const c of categories) {
    if (holdsCategory(tx, residentId, c)) continue;
    insertCategoryRecord(tx, actor, now, residentId, c);
    categoriesAdded++;
  }
  return { categoriesAdded };
}

/** Whether the resident already holds this category for any part of the period (a roster update then leaves it). */
export function holdsCategory(db: Reader | Tx, residentId: string, c: Pick<CategoryRecord, 'code' | 'validFrom' | 'validTo'>): boolean {
  return repo
    .categoriesWithCode(db, residentId, c.code)
    .some((x) => (x.validTo === null || x.validTo >= c.validFrom) && (c.validTo === null || x.validFrom <= c.validTo));
}

// ───────────── cards ─────────────

/** A physical card's lookup hash (social-security and senior cards share one namespace: a number is one card). */
function cardHash(ctx: Ctx, number: string): string {
  return ctx.crypto.lookupHash('card', number.trim().toUpperCase());
}

/** card_in_use unless no live card has this hash (a revoked card may be given again). */
function assertCardFree(db: Reader | Tx, hash: string, field: string): void {
  const clash = repo.tokenByHash(db, hash);
  if (clash && !clash.revokedAt) throw new AppError('card_in_use', 'this card is already registered to a resident', 409, { field });
}

/** `POST /cards/check`: whether a card is free, as it is typed or scanned; the holder is named only to someone who may see them. */
export function checkCard(ctx: Ctx, actor: Actor, input: z.infer<typeof CardCheckRequest>): z.infer<typeof CardCheckResponse> {
  assertCanEdit(actor);
  const clash = repo.tokenByHash(ctx.db.read, cardHash(ctx, input.number));
  if (!clash || clash.revokedAt) return { available: true, holder: null };
  const holder = residentById(ctx.db.read, clash.residentId);
  return { available: false, holder: holder && canSeeResident(actor, holder) ? { id: holder.id, name: holder.name } : null };
}

export async function updateResident(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof UpdateResidentRequest>): Promise<ResidentDetail> {
  assertCanEdit(actor);
  const r = requireVisible(ctx, actor, id);
  if (input.homeCanteenId) {
    const c = sites.canteenById(ctx.db.read, input.homeCanteenId);
    if (!c || !canSeeCanteen(actor, c)) throw new AppError('bad_request', 'no such home canteen', 400, { field: 'homeCanteenId' });
  }
  if (input.status && input.status !== 'active' && !input.statusSince)
    throw new AppError('bad_request', 'say from when the status applies', 400, { field: 'statusSince' });
  if (input.statusSince && (input.status ?? r.status) !== 'active') {
    // Counted from the resident's home canteen's today (the city's time zone without one).
    const home = r.homeCanteenId ? sites.canteenById(ctx.db.read, r.homeCanteenId) : undefined;
    assertWithinHorizon(input.statusSince, localParts(ctx.clock.now(), home?.timeZone ?? 'Asia/Shanghai').date, 'residentStatus', 'statusSince');
  }
  const u = requireUser(actor);
  if (input.residenceAreaCode && u.user.role === 'street' && !areaContains(u.user.scopeAreaCode ?? '-', input.residenceAreaCode)) {
    throw new AppError('forbidden', 'a move out of your street is recorded by the street the elder moves to', 403, { field: 'residenceAreaCode' });
  }
  const known = sites.areaNames(ctx.db.read);
  for (const [field, code] of [
    ['residenceAreaCode', input.residenceAreaCode],
    ['hukouAreaCode', input.hukouAreaCode],
  ] as const) {
    if (code && !known.has(code)) throw new AppError('bad_request', `unknown area ${code}`, 400, { field });
  }
  const now = ctx.clock.now();
  const { phone, ...rest } = input;
  // Back to active: the old date no longer means anything.
  if (input.status === 'active') Object.assign(rest, { statusSince: null });
  const before = { name: r.name, hukouAreaCode: r.hukouAreaCode, residenceAreaCode: r.residenceAreaCode, status: r.status, statusSince: r.statusSince };
  await ctx.db.write((tx) => {
    repo.updateResident(tx, r.id, {
      ...rest,
      ...(phone !== undefined
        ? {
            phoneEnc: phone ? ctx.crypto.encrypt(phone) : null,
            phoneHash: phone ? ctx.crypto.lookupHash('phone', phone) : null,
            phoneLast4: phone ? phone.slice(-4) : null,
          }
        : {}),
      updatedAt: now.toISOString(),
    });
    const changed = Object.fromEntries(Object.entries(before).filter(([k, v]) => k in rest && (rest as Record<string, unknown>)[k] !== v));
    audit.record(tx, actor, now, {
      action: 'resident.updated',
      entityType: 'resident',
      entityId: id,
      details: { fields: Object.keys(input), before: changed },
    });
  });
  return getResident(ctx, actor, id);
}

/** The full ID number, to a role allowed to see it; every view is audited. */
export async function revealIdNumber(ctx: Ctx, actor: Actor, id: string): Promise<{ idNumber: string }> {
  const u = requireUser(actor);
  if (!u.user.canSeeIdNumbers) throw new AppError('forbidden', 'your account may not see full ID numbers');
  const r = requireVisible(ctx, actor, id);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => audit.record(tx, actor, now, { action: 'resident.id_number_viewed', entityType: 'resident', entityId: id }));
  return { idNumber: ctx.crypto.decrypt(r.idNumberEnc) };
}

export async function addCard(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof AddCardRequest>) {
  assertCanEdit(actor);
  const r = requireVisible(ctx, actor, id);
  if (input.kind !== 'qr' && !input.number) throw new AppError('bad_request', 'the card number is needed', 400, { field: 'number' });
  const value = input.kind === 'qr' ? `YS1.${newToken(18)}` : input.number!.toUpperCase();
  const hash = input.kind === 'qr' ? ctx.crypto.lookupHash('qr', value) : cardHash(ctx, value);
  const now = ctx.clock.now();
  const cardId = uuidv7();
  await ctx.db.write((tx) => {
    assertCardFree(tx, hash, 'number');
    repo.deleteRevokedToken(tx, hash);
    // One live QR per resident: a new one replaces the old.
    if (input.kind === 'qr') repo.revokeLiveQr(tx, r.id, now.toISOString());
    repo.insertToken(tx, {
      id: cardId,
      residentId: r.id,
      kind: input.kind,
      tokenHash: hash,
      tokenEnc: tokenValueBox(ctx, input.kind === 'qr' ? 'qr' : 'card', value),
      last4: value.slice(-4),
      issuedAt: now.toISOString(),
    });
    audit.record(tx, actor, now, {
      action: 'resident.card_added',
      entityType: 'resident',
      entityId: r.id,
      details: { kind: input.kind, last4: value.slice(-4) },
    });
  });
  return {
    card: { id: cardId, kind: input.kind, last4: value.slice(-4), issuedAt: now.toISOString(), revokedAt: null },
    qrToken: input.kind === 'qr' ? value : null,
  };
}

export async function revokeCard(ctx: Ctx, actor: Actor, id: string, cardId: string) {
  assertCanEdit(actor);
  const r = requireVisible(ctx, actor, id);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const card = repo.tokenOf(tx, r.id, cardId);
    if (!card) throw new AppError('not_found', 'no such card');
    repo.revokeToken(tx, cardId, now.toISOString());
    audit.record(tx, actor, now, { action: 'resident.card_revoked', entityType: 'resident', entityId: r.id, details: { kind: card.kind, last4: card.last4 } });
  });
}

export async function setPin(ctx: Ctx, actor: Actor, id: string, pin: string) {
  assertCanEdit(actor);
  const r = requireVisible(ctx, actor, id);
  if (/^(\d)\1{5}$/.test(pin) || '0123456789'.includes(pin) || '9876543210'.includes(pin))
    throw new AppError('weak_password', 'choose a PIN that is not all one digit or a run', 400, { field: 'pin' });
  if (r.birthDate.replace(/-/g, '').slice(2) === pin) throw new AppError('weak_password', 'the PIN must not be the birth date', 400, { field: 'pin' });
  const hash = await hashSecret(pin, ctx.config.scryptN);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    repo.updateResident(tx, r.id, { pinHash: hash, pinEnc: ctx.crypto.encrypt(pin), pinFailures: 0, pinLockedUntil: null, updatedAt: now.toISOString() });
    clearPinTries(tx, r);
    audit.record(tx, actor, now, { action: 'resident.pin_set', entityType: 'resident', entityId: r.id });
  });
}

/** Staff unlock phone + PIN after wrong tries, keeping the PIN (the elder remembered it, or was helped). */
export async function unlockPin(ctx: Ctx, actor: Actor, id: string): Promise<ResidentDetail> {
  assertCanEdit(actor);
  const r = requireVisible(ctx, actor, id);
  const now = ctx.clock.now();
  const was = residentPinLockedUntil(ctx, r);
  await ctx.db.write((tx) => {
    clearPinTries(tx, r);
    audit.record(tx, actor, now, { action: 'resident.pin_unlocked', entityType: 'resident', entityId: r.id, details: { lockedUntil: was } });
  });
  return getResident(ctx, actor, id);
}

/**
 * A category that changes a subsidy is proposed, not granted: it is recorded `pending` and pricing ignores it
 * until street or district staff approve it (approveCategory). Who proposed it and when are kept.
 */
function proposedState(code: ResidentCategory): 'pending' | 'approved' {
  return categoryNeedsApproval(code) ? 'pending' : 'approved';
}

/** Propose a category (特困, 低保 …) with its validity and the evidence it rests on (pending until approved). */
export async function addCategory(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof AddCategoryRequest>): Promise<ResidentDetail> {
  assertCanEdit(actor);
  const r = requireVisible(ctx, actor, id);
  if (input.validTo && input.validTo < input.validFrom) throw new AppError('bad_request', 'validTo is before validFrom', 400, { field: 'validTo' });
  const now = ctx.clock.now();
  await ctx.db.write((tx) => insertCategoryRecord(tx, actor, now, r.id, input));
  return getResident(ctx, actor, id);
}

/** End a category: it applies up to and including `validTo`. The row is kept, so past orders stay explained. */
export async function endCategory(ctx: Ctx, actor: Actor, id: string, categoryId: string, input: z.infer<typeof EndCategoryRequest>): Promise<ResidentDetail> {
  assertCanEdit(actor);
  const r = requireVisible(ctx, actor, id);
  const now = ctx.clock.now();
  const endedBy = requireUser(actor).user.id;
  await ctx.db.write((tx) => {
    const c = repo.categoryOf(tx, r.id, categoryId);
    if (!c) throw new AppError('not_found', 'no such category on this resident');
    if (input.validTo < c.validFrom) throw new AppError('bad_request', 'the end is before the start of this category', 400, { field: 'validTo' });
    if (c.validTo !== null && c.validTo <= input.validTo)
      throw new AppError('conflict', `this category already ends on ${c.validTo}`, 409, { field: 'validTo' });
    repo.updateCategory(tx, c.id, { validTo: input.validTo, endReason: input.reason, endedBy, endedAt: now.toISOString() });
    audit.record(tx, actor, now, {
      action: 'resident.category_ended',
      entityType: 'resident',
      entityId: r.id,
      details: { code: c.code, from: c.validTo, to: input.validTo, reason: input.reason },
    });
  });
  return getResident(ctx, actor, id);
}

// ───────────── approving categories ─────────────

/** Street and district staff decide on proposals for residents in their area, never on their own. */
function assertCanDecide(actor: Actor, c: repo.CategoryRow) {
  const u = requireUser(actor);
  if (!roleIn(u.user.role, ROLE_GROUPS.eligibilityApprovers)) throw new AppError('forbidden', 'categories are approved by street or district staff');
  if (c.createdBy === u.user.id) throw new AppError('forbidden', 'a category is approved by someone other than who proposed it');
  return u.user;
}

/** The approval queue: pending categories of residents in the caller's area, oldest first. */
export function pendingCategories(ctx: Ctx, actor: Actor): PendingCategory[] {
  const u = requireUser(actor);
  if (!roleIn(u.user.role, ROLE_GROUPS.eligibilityApprovers)) throw new AppError('forbidden', 'categories are approved by street or district staff');
  const canteenNames = homeCanteenNames(ctx.db.read);
  return repo.pendingCategories(ctx.db.read, u.user.scopeAreaCode ?? '-').map(({ c, r }) => ({
    ...categoryEntry(c),
    residentId: r.id,
    residentName: r.name,
    residenceAreaCode: r.residenceAreaCode,
    homeCanteenId: r.homeCanteenId,
    homeCanteenName: r.homeCanteenId ? (canteenNames.get(r.homeCanteenId) ?? null) : null,
  }));
}

async function decide(
  ctx: Ctx,
  actor: Actor,
  id: string,
  categoryId: string,
  decision: { state: 'approved' | 'rejected'; note: string },
): Promise<ResidentDetail> {
  const r = requireVisible(ctx, actor, id);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const c = repo.categoryOf(tx, r.id, categoryId);
    if (!c) throw new AppError('not_found', 'no such category on this resident');
    const by = assertCanDecide(actor, c);
    if (c.state !== 'pending') throw new AppError('invalid_state', `this category was already ${c.state}`, 409, { state: c.state });
    repo.updateCategory(tx, c.id, {
      state: decision.state,
      decidedBy: by.id,
      decidedByName: by.displayName,
      decidedAt: now.toISOString(),
      decisionNote: decision.note || null,
    });
    audit.record(tx, actor, now, {
      action: decision.state === 'approved' ? 'resident.category_approved' : 'resident.category_rejected',
      entityType: 'resident',
      entityId: r.id,
      details: {
        categoryId: c.id,
        code: c.code,
        validFrom: c.validFrom,
        validTo: c.validTo,
        evidence: c.evidence,
        proposedBy: c.createdBy,
        note: decision.note,
      },
    });
  });
  return getResident(ctx, actor, id);
}

/** Approve a proposed category: from now on pricing counts it (from its validFrom). */
export function approveCategory(ctx: Ctx, actor: Actor, id: string, categoryId: string, input: z.infer<typeof ApproveCategoryRequest>) {
  return decide(ctx, actor, id, categoryId, { state: 'approved', note: input.note });
}

/** Reject a proposed category, saying why; it stays on the record and never counts. */
export function rejectCategory(ctx: Ctx, actor: Actor, id: string, categoryId: string, input: z.infer<typeof RejectCategoryRequest>) {
  return decide(ctx, actor, id, categoryId, { state: 'rejected', note: input.reason });
}

// ───────────── the resident's wallet ─────────────

/** `GET /residents/:id/wallet`: the balance and latest entries of a resident the caller may see. */
export function walletOf(ctx: Ctx, actor: Actor, id: string): z.infer<typeof WalletView> {
  return wallet.walletView(ctx.db.read, requireVisible(ctx, actor, id).id);
}

/** Receipt numbers run per canteen and local day: '<canteen code>-<YYYYMMDD>'. */
function receiptPrefix(ctx: Ctx, canteen: sites.CanteenRow): string {
  return `${canteen.code}-${localParts(ctx.clock.now(), canteen.timeZone).date.replace(/-/g, '')}`;
}

/** `POST /wallet/topups`: the canteen's operator takes cash (or an external payment, with its reference) for a resident they may see. */
export async function topup(ctx: Ctx, actor: Actor, input: z.infer<typeof TopupRequest>): Promise<z.infer<typeof WalletView>> {
  const canteen = sites.canteenById(ctx.db.read, input.canteenId);
  assertOperates(actor, canteen);
  const r = requireVisible(ctx, actor, input.residentId);
  if (!isActiveOn(r, localToday(ctx))) throw new AppError('resident_inactive', 'this resident record is not active');
  if (input.method === 'external' && !input.reference)
    throw new AppError('bad_request', 'an external payment needs its reference', 400, { field: 'reference' });
  const now = ctx.clock.now();
  await ctx.db.write((tx) => wallet.topup(tx, actor, now, input, { receiptPrefix: receiptPrefix(ctx, canteen) }));
  return wallet.walletView(ctx.db.read, r.id);
}

/** `GET /residents/:id/wallet/entries`: a page of the wallet history with the balance after each entry. */
export function walletEntries(ctx: Ctx, actor: Actor, id: string, q: z.infer<typeof WalletEntryQuery>): z.infer<typeof WalletEntryPage> {
  return wallet.entriesPage(ctx.db.read, requireVisible(ctx, actor, id).id, q.limit, q.offset);
}

/** `GET /wallet/entries/:id/receipt`: a top-up or payout receipt, for the resident's wallet the caller may see. */
export function receipt(ctx: Ctx, actor: Actor, entryId: string): WalletReceipt {
  const e = wallet.entryWithBalance(ctx.db.read, entryId);
  if (!e || !e.receiptNo || !e.canteenId) throw new AppError('not_found', 'no such receipt');
  const r = residentById(ctx.db.read, e.residentId);
  if (!r || !canSeeResident(actor, r)) throw new AppError('not_found', 'no such receipt');
  const canteen = sites.canteenById(ctx.db.read, e.canteenId)!;
  const payout = e.kind === 'payout' ? wallet.payoutOf(ctx.db.read, r.id) : null;
  return {
    entryId: e.id,
    kind: e.kind,
    receiptNo: e.receiptNo,
    canteenName: canteen.name,
    canteenPhone: canteen.phone,
    residentName: r.name,
    amountFen: Math.abs(e.amountFen),
    balanceAfterFen: e.balanceAfterFen,
    method: e.method,
    reference: e.reference,
    operatorName: e.createdByName,
    createdAt: e.createdAt,
    recipient: payout
      ? { name: payout.recipientName, relation: payout.recipientRelation, idLast4: payout.recipientIdLast4, phoneMasked: payout.recipientPhoneMasked }
      : null,
  };
}

/**
 * `POST /residents/:id/wallet/payout`: a deceased or moved-out (or institutionalised) resident's balance is paid to a
 * named family member at the counter, as a recorded wallet entry; the wallet is then closed.
 */
export async function payOut(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof PayoutRequest>): Promise<z.infer<typeof WalletView>> {
  const canteen = sites.canteenById(ctx.db.read, input.canteenId);
  assertOperates(actor, canteen);
  const r = requireVisible(ctx, actor, id);
  if (isActiveOn(r, localToday(ctx)))
    throw new AppError('invalid_state', 'a balance is paid out only when the resident has died, moved away or entered an institution', 409, {
      field: 'status',
    });
  const now = ctx.clock.now();
  await ctx.db.write((tx) =>
    wallet.payOut(tx, actor, now, {
      id: input.id,
      residentId: r.id,
      canteenId: canteen.id,
      residentStatus: r.status,
      recipientName: input.recipientName,
      recipientRelation: input.recipientRelation,
      recipientIdLast4: input.recipientIdLast4,
      recipientPhoneEnc: input.recipientPhone ? ctx.crypto.encrypt(input.recipientPhone) : null,
      recipientPhoneLast4: input.recipientPhone ? input.recipientPhone.slice(-4) : null,
      method: input.method,
      reference: input.reference,
      note: input.note,
      receiptPrefix: receiptPrefix(ctx, canteen),
    }),
  );
  return wallet.walletView(ctx.db.read, r.id);
}
