import { and, asc, desc, eq, inArray, isNull, like, or, sql } from 'drizzle-orm';
import { AppError, residentActiveOn, type ResidentDetail, type ResidentSummary } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type {
  AddCardRequest,
  AddCategoryRequest,
  EndCategoryRequest,
  CreateResidentRequest,
  ResidentListQuery,
  TopupRequest,
  UpdateResidentRequest,
  WalletView,
} from '@yishi/shared/schemas';
import { ageOn, localParts, type ResidentCategory } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../lib/context';
import { areaContains, assertOperates, canSeeCanteen, canSeeResident, requireUser, type Actor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import { hashSecret, maskIdNumber, maskPhone, newToken } from '../../lib/crypto';
import type { Reader } from '../../db/client';
import { residentCategories, residentTokens, residents, walletEntries } from '../../db/schema';
import { areaNames, canteenById } from '../sites/sites.repo';
import { balanceOf } from '../orders/orders.repo';

type Row = typeof residents.$inferSelect;

function today(ctx: Ctx): string {
  return localParts(ctx.clock.now(), 'Asia/Shanghai').date;
}

function summaries(ctx: Ctx, db: Reader, rows: Row[]): ResidentSummary[] {
  const ids = rows.map((r) => r.id);
  const names = areaNames(db);
  const date = today(ctx);
  const cats = ids.length ? db.select().from(residentCategories).where(inArray(residentCategories.residentId, ids)).all() : [];
  const balances = ids.length
    ? new Map(
        db
          .select({ id: walletEntries.residentId, b: sql<number>`sum(${walletEntries.amountFen})` })
          .from(walletEntries)
          .where(inArray(walletEntries.residentId, ids))
          .groupBy(walletEntries.residentId)
          .all()
          .map((x) => [x.id, Number(x.b)]),
      )
    : new Map<string, number>();
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
        cats.filter((c) => c.residentId === r.id && c.validFrom <= date && (c.validTo === null || c.validTo >= date)).map((c) => c.code as ResidentCategory),
      ),
    ],
    balanceFen: balances.get(r.id) ?? 0,
  }));
}

function detail(ctx: Ctx, db: Reader, r: Row): ResidentDetail {
  const s = summaries(ctx, db, [r])[0]!;
  const cats = db.select().from(residentCategories).where(eq(residentCategories.residentId, r.id)).orderBy(asc(residentCategories.validFrom)).all();
  const cards = db.select().from(residentTokens).where(eq(residentTokens.residentId, r.id)).orderBy(asc(residentTokens.issuedAt)).all();
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
    pinLocked: r.pinLockedUntil !== null && new Date(r.pinLockedUntil) > ctx.clock.now(),
    categoryEntries: cats.map((c) => ({
      id: c.id,
      code: c.code as ResidentCategory,
      validFrom: c.validFrom,
      validTo: c.validTo,
      evidence: c.evidence,
      endReason: c.endReason,
      endedAt: c.endedAt,
    })),
    cards: cards.map((c) => ({ id: c.id, kind: c.kind, last4: c.last4, issuedAt: c.issuedAt, revokedAt: c.revokedAt })),
  };
}

function loadVisible(ctx: Ctx, actor: Actor, id: string): Row {
  const r = ctx.db.read.select().from(residents).where(eq(residents.id, id)).get();
  if (!r || !canSeeResident(actor, r)) throw new AppError('resident_not_found', 'no such resident');
  return r;
}

function assertCanEdit(actor: Actor) {
  const u = requireUser(actor);
  if (!['operator', 'street', 'admin'].includes(u.user.role)) throw new AppError('forbidden', 'resident records are kept by operators and street offices');
}

export function listResidents(ctx: Ctx, actor: Actor, q: z.infer<typeof ResidentListQuery>): { items: ResidentSummary[]; total: number } {
  const u = requireUser(actor);
  const conds = [];
  if (u.user.role === 'operator') {
    conds.push(u.user.canteenIds.length ? inArray(residents.homeCanteenId, u.user.canteenIds) : sql`0`);
  } else if (u.user.role !== 'admin') {
    conds.push(like(residents.residenceAreaCode, `${u.user.scopeAreaCode ?? '-'}%`));
  }
  if (q.canteenId) {
    const c = canteenById(ctx.db.read, q.canteenId);
    if (!c || !canSeeCanteen(actor, c)) throw new AppError('not_found', 'no such canteen');
    conds.push(eq(residents.homeCanteenId, q.canteenId));
  }
  if (q.status) conds.push(eq(residents.status, q.status));
  if (q.q) {
    const text = q.q.replace(/[%_]/g, '');
    const digits = /^\d{4,11}$/.test(text);
    conds.push(
      digits
        ? or(
            eq(residents.phoneHash, ctx.crypto.lookupHash('phone', text)),
            eq(residents.idNumberLast4, text.slice(-4)),
            eq(residents.phoneLast4, text.slice(-4)),
          )!
        : /^\d{17}[\dXx]$/.test(text)
          ? eq(residents.idNumberHash, ctx.crypto.lookupHash('id', text.toUpperCase()))
          : like(residents.name, `%${text}%`),
    );
  }
  const where = conds.length ? and(...conds) : undefined;
  const rows = ctx.db.read.select().from(residents).where(where).orderBy(asc(residents.name)).limit(q.limit).offset(q.offset).all();
  const total = ctx.db.read
    .select({ n: sql<number>`count(*)` })
    .from(residents)
    .where(where)
    .get()!.n;
  return { items: summaries(ctx, ctx.db.read, rows), total };
}

export function getResident(ctx: Ctx, actor: Actor, id: string): ResidentDetail {
  return detail(ctx, ctx.db.read, loadVisible(ctx, actor, id));
}

export async function createResident(ctx: Ctx, actor: Actor, input: z.infer<typeof CreateResidentRequest>): Promise<ResidentDetail> {
  assertCanEdit(actor);
  const u = requireUser(actor);
  if (input.homeCanteenId) {
    const c = canteenById(ctx.db.read, input.homeCanteenId);
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
    if (tx.select({ id: residents.id }).from(residents).where(eq(residents.idNumberHash, idHash)).get()) {
      throw new AppError('conflict', 'a resident with this ID number is already registered', 409, { field: 'idNumber' });
    }
    tx.insert(residents)
      .values({
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
      })
      .run();
    for (const c of input.categories) {
      tx.insert(residentCategories)
        .values({
          id: uuidv7(),
          residentId: id,
          code: c.code,
          validFrom: c.validFrom,
          validTo: c.validTo,
          evidence: c.evidence,
          createdBy: u.user.id,
          createdAt: now.toISOString(),
        })
        .run();
    }
    audit.record(tx, actor, now, {
      action: 'resident.created',
      entityType: 'resident',
      entityId: id,
      details: { categories: input.categories.map((c) => c.code) },
    });
  });
  return getResident(ctx, actor, id);
}

export async function updateResident(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof UpdateResidentRequest>): Promise<ResidentDetail> {
  assertCanEdit(actor);
  const r = loadVisible(ctx, actor, id);
  if (input.homeCanteenId) {
    const c = canteenById(ctx.db.read, input.homeCanteenId);
    if (!c || !canSeeCanteen(actor, c)) throw new AppError('bad_request', 'no such home canteen', 400, { field: 'homeCanteenId' });
  }
  if (input.status && input.status !== 'active' && !input.statusSince)
    throw new AppError('bad_request', 'say from when the status applies', 400, { field: 'statusSince' });
  const u = requireUser(actor);
  if (input.residenceAreaCode && u.user.role === 'street' && !areaContains(u.user.scopeAreaCode ?? '-', input.residenceAreaCode)) {
    throw new AppError('forbidden', 'a move out of your street is recorded by the street the elder moves to', 403, { field: 'residenceAreaCode' });
  }
  for (const [field, code] of [
    ['residenceAreaCode', input.residenceAreaCode],
    ['hukouAreaCode', input.hukouAreaCode],
  ] as const) {
    if (code && !areaNames(ctx.db.read).has(code)) throw new AppError('bad_request', `unknown area ${code}`, 400, { field });
  }
  const now = ctx.clock.now();
  const { phone, ...rest } = input;
  // Back to active: the old date no longer means anything.
  if (input.status === 'active') Object.assign(rest, { statusSince: null });
  const before = { name: r.name, hukouAreaCode: r.hukouAreaCode, residenceAreaCode: r.residenceAreaCode, status: r.status, statusSince: r.statusSince };
  await ctx.db.write((tx) => {
    tx.update(residents)
      .set({
        ...rest,
        ...(phone !== undefined
          ? {
              phoneEnc: phone ? ctx.crypto.encrypt(phone) : null,
              phoneHash: phone ? ctx.crypto.lookupHash('phone', phone) : null,
              phoneLast4: phone ? phone.slice(-4) : null,
            }
          : {}),
        updatedAt: now.toISOString(),
      })
      .where(eq(residents.id, r.id))
      .run();
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
  const r = loadVisible(ctx, actor, id);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => audit.record(tx, actor, now, { action: 'resident.id_number_viewed', entityType: 'resident', entityId: id }));
  return { idNumber: ctx.crypto.decrypt(r.idNumberEnc) };
}

export async function addCard(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof AddCardRequest>) {
  assertCanEdit(actor);
  const r = loadVisible(ctx, actor, id);
  if (input.kind !== 'qr' && !input.number) throw new AppError('bad_request', 'the card number is needed', 400, { field: 'number' });
  const value = input.kind === 'qr' ? `YS1.${newToken(18)}` : input.number!.toUpperCase();
  const hash = ctx.crypto.lookupHash(input.kind === 'qr' ? 'qr' : 'card', value);
  const now = ctx.clock.now();
  const cardId = uuidv7();
  await ctx.db.write((tx) => {
    const clash = tx.select().from(residentTokens).where(eq(residentTokens.tokenHash, hash)).get();
    if (clash && !clash.revokedAt) throw new AppError('conflict', 'this card is already registered to a resident', 409, { field: 'number' });
    if (clash) tx.delete(residentTokens).where(eq(residentTokens.id, clash.id)).run();
    if (input.kind === 'qr') {
      // One live QR per resident: a new one replaces the old.
      tx.update(residentTokens)
        .set({ revokedAt: now.toISOString() })
        .where(and(eq(residentTokens.residentId, r.id), eq(residentTokens.kind, 'qr'), isNull(residentTokens.revokedAt)))
        .run();
    }
    tx.insert(residentTokens)
      .values({ id: cardId, residentId: r.id, kind: input.kind, tokenHash: hash, last4: value.slice(-4), issuedAt: now.toISOString() })
      .run();
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
  const r = loadVisible(ctx, actor, id);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const card = tx
      .select()
      .from(residentTokens)
      .where(and(eq(residentTokens.id, cardId), eq(residentTokens.residentId, r.id)))
      .get();
    if (!card) throw new AppError('not_found', 'no such card');
    tx.update(residentTokens).set({ revokedAt: now.toISOString() }).where(eq(residentTokens.id, cardId)).run();
    audit.record(tx, actor, now, { action: 'resident.card_revoked', entityType: 'resident', entityId: r.id, details: { kind: card.kind, last4: card.last4 } });
  });
}

export async function setPin(ctx: Ctx, actor: Actor, id: string, pin: string) {
  assertCanEdit(actor);
  const r = loadVisible(ctx, actor, id);
  if (/^(\d)\1{5}$/.test(pin) || '0123456789'.includes(pin) || '9876543210'.includes(pin))
    throw new AppError('weak_password', 'choose a PIN that is not all one digit or a run', 400, { field: 'pin' });
  if (r.birthDate.replace(/-/g, '').slice(2) === pin) throw new AppError('weak_password', 'the PIN must not be the birth date', 400, { field: 'pin' });
  const hash = await hashSecret(pin, ctx.config.scryptN);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    tx.update(residents).set({ pinHash: hash, pinFailures: 0, pinLockedUntil: null, updatedAt: now.toISOString() }).where(eq(residents.id, r.id)).run();
    audit.record(tx, actor, now, { action: 'resident.pin_set', entityType: 'resident', entityId: r.id });
  });
}

function walletView(ctx: Ctx, residentId: string): z.infer<typeof WalletView> {
  const entries = ctx.db.read
    .select()
    .from(walletEntries)
    .where(eq(walletEntries.residentId, residentId))
    .orderBy(desc(walletEntries.createdAt))
    .limit(200)
    .all();
  return {
    residentId,
    balanceFen: balanceOf(ctx.db.read, residentId),
    entries: entries.map((e) => ({
      id: e.id,
      kind: e.kind,
      amountFen: e.amountFen,
      orderId: e.orderId,
      canteenId: e.canteenId,
      method: e.method,
      reference: e.reference,
      createdAt: e.createdAt,
    })),
  };
}

export function wallet(ctx: Ctx, actor: Actor, id: string): z.infer<typeof WalletView> {
  return walletView(ctx, loadVisible(ctx, actor, id).id);
}

/** A top-up at the counter. The client's id makes a retried or double-clicked top-up count once. */
export async function topup(ctx: Ctx, actor: Actor, input: z.infer<typeof TopupRequest>) {
  const canteen = canteenById(ctx.db.read, input.canteenId);
  assertOperates(actor, canteen);
  const r = ctx.db.read.select().from(residents).where(eq(residents.id, input.residentId)).get();
  // Only a resident the caller may see: the answer is the wallet with its history.
  if (!r || !canSeeResident(actor, r)) throw new AppError('resident_not_found', 'no such resident');
  if (!residentActiveOn(r, today(ctx))) throw new AppError('resident_inactive', 'this resident record is not active');
  if (input.method === 'external' && !input.reference)
    throw new AppError('bad_request', 'an external payment needs its reference', 400, { field: 'reference' });
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const existing = tx.select().from(walletEntries).where(eq(walletEntries.id, input.id)).get();
    if (existing) {
      if (existing.residentId !== input.residentId || existing.amountFen !== input.amountFen)
        throw new AppError('idempotency_mismatch', 'that top-up id was already used for a different top-up');
      return;
    }
    tx.insert(walletEntries)
      .values({
        id: input.id,
        residentId: r.id,
        kind: 'topup',
        amountFen: input.amountFen,
        canteenId: input.canteenId,
        method: input.method,
        reference: input.reference,
        createdBy: actor.kind === 'user' ? actor.user.id : null,
        createdAt: now.toISOString(),
      })
      .run();
    audit.record(tx, actor, now, {
      action: 'wallet.topup',
      entityType: 'resident',
      entityId: r.id,
      details: { amountFen: input.amountFen, method: input.method, canteenId: input.canteenId },
    });
  });
  return walletView(ctx, r.id);
}

/** Record a category (特困, 低保 …) with its validity and the evidence it rests on. */
export async function addCategory(ctx: Ctx, actor: Actor, id: string, input: z.infer<typeof AddCategoryRequest>): Promise<ResidentDetail> {
  assertCanEdit(actor);
  const r = loadVisible(ctx, actor, id);
  if (input.validTo && input.validTo < input.validFrom) throw new AppError('bad_request', 'validTo is before validFrom', 400, { field: 'validTo' });
  const now = ctx.clock.now();
  const catId = uuidv7();
  await ctx.db.write((tx) => {
    const overlapping = tx
      .select()
      .from(residentCategories)
      .where(and(eq(residentCategories.residentId, r.id), eq(residentCategories.code, input.code)))
      .all()
      .find((c) => (c.validTo === null || c.validTo >= input.validFrom) && (input.validTo === null || c.validFrom <= input.validTo));
    if (overlapping)
      throw new AppError('conflict', 'this category is already recorded for part of that period; end it first', 409, {
        field: 'validFrom',
        categoryId: overlapping.id,
      });
    tx.insert(residentCategories)
      .values({
        id: catId,
        residentId: r.id,
        code: input.code,
        validFrom: input.validFrom,
        validTo: input.validTo,
        evidence: input.evidence,
        createdBy: requireUser(actor).user.id,
        createdAt: now.toISOString(),
      })
      .run();
    audit.record(tx, actor, now, {
      action: 'resident.category_added',
      entityType: 'resident',
      entityId: r.id,
      details: { code: input.code, validFrom: input.validFrom, validTo: input.validTo, evidence: input.evidence },
    });
  });
  return getResident(ctx, actor, id);
}

/** End a category: it applies up to and including `validTo`. The row is kept, so past orders stay explained. */
export async function endCategory(ctx: Ctx, actor: Actor, id: string, categoryId: string, input: z.infer<typeof EndCategoryRequest>): Promise<ResidentDetail> {
  assertCanEdit(actor);
  const r = loadVisible(ctx, actor, id);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    const c = tx
      .select()
      .from(residentCategories)
      .where(and(eq(residentCategories.id, categoryId), eq(residentCategories.residentId, r.id)))
      .get();
    if (!c) throw new AppError('not_found', 'no such category on this resident');
    if (input.validTo < c.validFrom) throw new AppError('bad_request', 'the end is before the start of this category', 400, { field: 'validTo' });
    if (c.validTo !== null && c.validTo <= input.validTo)
      throw new AppError('conflict', `this category already ends on ${c.validTo}`, 409, { field: 'validTo' });
    tx.update(residentCategories)
      .set({ validTo: input.validTo, endReason: input.reason, endedBy: requireUser(actor).user.id, endedAt: now.toISOString() })
      .where(eq(residentCategories.id, c.id))
      .run();
    audit.record(tx, actor, now, {
      action: 'resident.category_ended',
      entityType: 'resident',
      entityId: r.id,
      details: { code: c.code, from: c.validTo, to: input.validTo, reason: input.reason },
    });
  });
  return getResident(ctx, actor, id);
}
