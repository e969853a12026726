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
  ApproveCategoryRequest,
  RejectCategoryRequest,
  TopupRequest,
  WalletView,
  EndCategoryRequest,
  CreateResidentRequest,
  ResidentListQuery,
  UpdateResidentRequest,
} from '@yishi/shared/schemas';
import { ageOn, categoryNeedsApproval, ROLE_GROUPS, type ResidentCategory } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Reader } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { areaContains, assertOperates, canSeeCanteen, requireUser, roleIn, type Actor } from '../../lib/actor';
import { hashSecret, maskIdNumber, maskPhone, newToken } from '../../lib/crypto';
import * as audit from '../audit/audit.service';
import * as sites from '../sites/sites.service';
import * as wallet from '../wallet/wallet.service';
import * as repo from './residents.repo';
import { clearPinTries, isActiveOn, localToday, pinLockedUntil as residentPinLockedUntil, requireVisible } from './residents.service';

function summaries(ctx: Ctx, db: Reader, rows: repo.ResidentRow[]): ResidentSummary[] {
  const ids = rows.map((r) => r.id);
  const names = sites.areaNames(db);
  const date = localToday(ctx);
  const cats = repo.categoriesOf(db, ids);
  const balances = wallet.balancesOf(db, ids);
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
function assertCanEdit(actor: Actor) {
  const u = requireUser(actor);
  if (!roleIn(u.user.role, ROLE_GROUPS.recordKeepers)) throw new AppError('forbidden', 'resident records are kept by operators and street offices');
}

export function listResidents(ctx: Ctx, actor: Actor, q: z.infer<typeof ResidentListQuery>): { items: ResidentSummary[]; total: number } {
  const u = requireUser(actor);
  const filter: repo.ResidentFilter = { status: q.status, limit: q.limit, offset: q.offset };
  if (u.user.role === 'operator') filter.homeCanteenIds = u.user.canteenIds;
  else if (u.user.role !== 'admin') filter.residenceAreaPrefix = u.user.scopeAreaCode ?? '-';
  if (q.canteenId) {
    const c = sites.canteenById(ctx.db.read, q.canteenId);
    if (!c || !canSeeCanteen(actor, c)) throw new AppError('not_found', 'no such canteen');
    filter.homeCanteenIds = filter.homeCanteenIds ? filter.homeCanteenIds.filter((id) => id === q.canteenId) : [q.canteenId];
  }
  if (q.q) {
    const text = q.q.replace(/[%_]/g, '');
    if (/^\d{4,11}$/.test(text)) filter.text = { phoneHash: ctx.crypto.lookupHash('phone', text), last4: text.slice(-4) };
    else if (/^\d{17}[\dXx]$/.test(text)) filter.text = { idNumberHash: ctx.crypto.lookupHash('id', text.toUpperCase()) };
    else filter.text = { nameContains: text };
  }
  const { items, total } = repo.search(ctx.db.read, filter);
  return { items: summaries(ctx, ctx.db.read, items), total };
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
  const id = uuidv7();
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const idHash = ctx.crypto.lookupHash('id', input.idNumber);
    if (repo.residentIdByIdNumberHash(tx, idHash)) {
      throw new AppError('conflict', 'a resident with this ID number is already registered', 409, { field: 'idNumber' });
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
    for (const c of input.categories) {
      repo.insertCategory(tx, {
        id: uuidv7(),
        residentId: id,
        code: c.code,
        validFrom: c.validFrom,
        validTo: c.validTo,
        evidence: c.evidence,
        createdBy: u.user.id,
        createdByName: u.user.displayName,
        createdAt: now.toISOString(),
        state: proposedState(c.code),
      });
    }
    audit.record(tx, actor, now, {
      action: 'resident.created',
      entityType: 'resident',
      entityId: id,
      details: { categories: input.categories.map((c) => c.code), categoriesState: input.categories.map((c) => proposedState(c.code)) },
    });
  });
  return getResident(ctx, actor, id);
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
  const hash = ctx.crypto.lookupHash(input.kind === 'qr' ? 'qr' : 'card', value);
  const now = ctx.clock.now();
  const cardId = uuidv7();
  await ctx.db.write((tx) => {
    const clash = repo.tokenByHash(tx, hash);
    if (clash && !clash.revokedAt) throw new AppError('conflict', 'this card is already registered to a resident', 409, { field: 'number' });
    if (clash) repo.deleteToken(tx, clash.id);
    // One live QR per resident: a new one replaces the old.
    if (input.kind === 'qr') repo.revokeLiveQr(tx, r.id, now.toISOString());
    repo.insertToken(tx, { id: cardId, residentId: r.id, kind: input.kind, tokenHash: hash, last4: value.slice(-4), issuedAt: now.toISOString() });
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
    repo.updateResident(tx, r.id, { pinHash: hash, pinFailures: 0, pinLockedUntil: null, updatedAt: now.toISOString() });
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
  const proposer = requireUser(actor).user;
  await ctx.db.write((tx) => {
    const overlapping = repo
      .categoriesWithCode(tx, r.id, input.code)
      .find((c) => (c.validTo === null || c.validTo >= input.validFrom) && (input.validTo === null || c.validFrom <= input.validTo));
    if (overlapping)
      throw new AppError('conflict', 'this category is already recorded for part of that period; end it first', 409, {
        field: 'validFrom',
        categoryId: overlapping.id,
      });
    const state = proposedState(input.code);
    repo.insertCategory(tx, {
      id: uuidv7(),
      residentId: r.id,
      code: input.code,
      validFrom: input.validFrom,
      validTo: input.validTo,
      evidence: input.evidence,
      createdBy: proposer.id,
      createdByName: proposer.displayName,
      createdAt: now.toISOString(),
      state,
    });
    audit.record(tx, actor, now, {
      action: 'resident.category_added',
      entityType: 'resident',
      entityId: r.id,
      details: { code: input.code, validFrom: input.validFrom, validTo: input.validTo, evidence: input.evidence, state },
    });
  });
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
  return repo.pendingCategories(ctx.db.read, u.user.scopeAreaCode ?? '-').map(({ c, r }) => ({
    ...categoryEntry(c),
    residentId: r.id,
    residentName: r.name,
    residenceAreaCode: r.residenceAreaCode,
    homeCanteenId: r.homeCanteenId,
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

/** `POST /wallet/topups`: the canteen's operator takes cash (or an external payment, with its reference) for a resident they may see. */
export async function topup(ctx: Ctx, actor: Actor, input: z.infer<typeof TopupRequest>): Promise<z.infer<typeof WalletView>> {
  assertOperates(actor, sites.canteenById(ctx.db.read, input.canteenId));
  const r = requireVisible(ctx, actor, input.residentId);
  if (!isActiveOn(r, localToday(ctx))) throw new AppError('resident_inactive', 'this resident record is not active');
  if (input.method === 'external' && !input.reference)
    throw new AppError('bad_request', 'an external payment needs its reference', 400, { field: 'reference' });
  const now = ctx.clock.now();
  await ctx.db.write((tx) => wallet.topup(tx, actor, now, input));
  return wallet.walletView(ctx.db.read, r.id);
}
