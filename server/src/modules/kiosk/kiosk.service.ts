/**
 * The kiosk's backend: pairing a kiosk to a canteen (a one-time code made in the console, or by the system at
 * start-up), the device credential, what the kiosk shows before anyone identifies (canteen, meal period,
 * menu), identifying a resident (card, QR, phone + PIN) with their personal price for every dish, and
 * 呼叫工作人员. Only this module reads or writes the devices table.
 */
import { AppError, type KioskResident, type KioskState } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { IdentifyRequest } from '@yishi/shared/schemas';
import { ageOn, localParts, type DietNeed } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../lib/context';
import { actorId, assertOperates, type Actor, type DeviceActor } from '../../lib/actor';
import { newToken, numericCode, sha256 } from '../../lib/crypto';
import { issueTicket, type TicketHolder } from '../../lib/ticket';
import * as audit from '../audit/audit.service';
import * as menus from '../menus/menus.service';
import * as orders from '../orders/orders.service';
import * as pricing from '../pricing/pricing.service';
import * as residents from '../residents/residents.service';
import * as sites from '../sites/sites.service';
import * as wallet from '../wallet/wallet.service';
import * as repo from './kiosk.repo';

export const PAIRING_MINUTES = 15;
/** How often a kiosk's last-seen time is written at most (each request would otherwise be a write). */
const SEEN_EVERY_MS = 60_000;

function deviceSummary(d: repo.DeviceRow) {
  return { id: d.id, canteenId: d.canteenId, name: d.name, pairedAt: d.pairedAt, revokedAt: d.revokedAt, lastSeenAt: d.lastSeenAt };
}

export function kioskCanteen(c: sites.CanteenRow) {
  return { id: c.id, name: c.name, shortName: c.shortName, phone: c.phone, dineIn: c.dineIn, delivery: c.delivery, status: c.status };
}

// ───────────── devices (the console's 设备 page) ─────────────

export function listDevices(ctx: Ctx, actor: Actor, canteenId: string) {
  assertOperates(actor, sites.canteenById(ctx.db.read, canteenId));
  return repo.devicesOf(ctx.db.read, canteenId).map(deviceSummary);
}

async function newPairing(ctx: Ctx, actor: Actor | null, canteenId: string, name: string) {
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + PAIRING_MINUTES * 60_000).toISOString();
  const id = uuidv7();
  const code = await ctx.db.write((tx) => {
    // Retry on the (unlikely) clash with another live code.
    for (let i = 0; i < 5; i++) {
      const c = numericCode(8);
      if (repo.pairingCodeInUse(tx, sha256(c))) continue;
      repo.insertDevice(tx, {
        id,
        canteenId,
        name,
        pairingCodeHash: sha256(c),
        pairingExpiresAt: expiresAt,
        createdBy: actor ? actorId(actor) : null,
        createdAt: now.toISOString(),
      });
      audit.record(tx, actor, now, { action: 'device.pairing_created', entityType: 'device', entityId: id, details: { canteenId, name } });
      return c;
    }
    throw new AppError('conflict', 'could not make a unique code; try again');
  });
  return { deviceId: id, code, expiresAt };
}

/** A one-time 8-digit code, valid 15 minutes, that pairs one kiosk to this canteen (its operator makes it). */
export async function createPairing(ctx: Ctx, actor: Actor, canteenId: string, name: string) {
  assertOperates(actor, sites.canteenById(ctx.db.read, canteenId));
  return newPairing(ctx, actor, canteenId, name);
}

/**
 * The pairing code the server prints when it starts, so a first kiosk can be paired before anyone logs in.
 * Made by the system (audited as such); null when the canteen does not exist (an empty database).
 */
export async function createStartupPairing(ctx: Ctx, canteenId: string, name: string) {
  if (!sites.canteenById(ctx.db.read, canteenId)) return null;
  return newPairing(ctx, null, canteenId, name);
}

export async function pair(ctx: Ctx, code: string): Promise<{ credential: string; deviceId: string; canteen: sites.CanteenRow }> {
  const now = ctx.clock.now();
  const credential = newToken();
  const d = await ctx.db.write((tx) => {
    const dev = repo.pendingPairing(tx, sha256(code), now.toISOString());
    if (!dev || dev.pairedAt) throw new AppError('pairing_code_invalid', 'this pairing code is wrong, used or expired; make a new one in the console', 401);
    repo.updateDevice(tx, dev.id, {
      credentialHash: sha256(credential),
      pairingCodeHash: null,
      pairingExpiresAt: null,
      pairedAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
    });
    audit.record(tx, null, now, { action: 'device.paired', entityType: 'device', entityId: dev.id, details: { canteenId: dev.canteenId } });
    return dev;
  });
  return { credential, deviceId: d.id, canteen: sites.canteenById(ctx.db.read, d.canteenId)! };
}

export async function revoke(ctx: Ctx, actor: Actor, deviceId: string) {
  const d = repo.deviceById(ctx.db.read, deviceId);
  if (!d) throw new AppError('not_found', 'no such device');
  assertOperates(actor, sites.canteenById(ctx.db.read, d.canteenId));
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    repo.updateDevice(tx, deviceId, { revokedAt: now.toISOString(), credentialHash: null, pairingCodeHash: null });
    audit.record(tx, actor, now, { action: 'device.revoked', entityType: 'device', entityId: deviceId });
  });
  return deviceSummary(repo.deviceById(ctx.db.read, deviceId)!);
}

// ───────────── the device credential ─────────────

/** The kiosk a device credential belongs to, or null (unknown or revoked). Notes when it was last seen. */
export async function resolveDevice(ctx: Ctx, credential: string): Promise<DeviceActor | null> {
  if (credential.length < 20 || credential.length > 200) return null;
  const d = repo.deviceByCredentialHash(ctx.db.read, sha256(credential));
  if (!d || d.revokedAt) return null;
  const now = ctx.clock.now();
  if (!d.lastSeenAt || now.getTime() - new Date(d.lastSeenAt).getTime() > SEEN_EVERY_MS) {
    void ctx.db.write((tx) => repo.updateDevice(tx, d.id, { lastSeenAt: now.toISOString() })).catch(() => undefined);
  }
  return { kind: 'device', deviceId: d.id, canteenId: d.canteenId };
}

/** Whether a kiosk is still paired (an open live socket re-checks this). */
export function deviceStillValid(ctx: Ctx, deviceId: string): boolean {
  const d = repo.deviceById(ctx.db.read, deviceId);
  return !!d && d.revokedAt === null;
}

// ───────────── what the kiosk shows ─────────────

export function kioskState(ctx: Ctx, actor: DeviceActor): KioskState {
  const now = ctx.clock.now();
  const canteen = sites.canteenById(ctx.db.read, actor.canteenId)!;
  const { date } = localParts(now, canteen.timeZone);
  const slot = canteen.status === 'open' ? sites.openSlot(ctx.db.read, canteen, now) : null;
  const menuRow = slot ? menus.menuBySlot(ctx.db.read, canteen.id, slot) : undefined;
  return {
    canteen: kioskCanteen(canteen),
    deviceId: actor.deviceId,
    serviceDate: date,
    mealPeriod: slot?.mealPeriod ?? null,
    next: slot ? null : sites.nextMealToday(ctx.db.read, canteen, now),
    menu: menuRow ? menus.menuView(ctx.db.read, menuRow) : null,
    serverTime: now.toISOString(),
  };
}

/** Identify a resident at a kiosk: card tap, QR, or phone + PIN (locks after repeated failures). */
export async function identify(ctx: Ctx, actor: DeviceActor, body: z.infer<typeof IdentifyRequest>) {
  const now = ctx.clock.now();
  const db = ctx.db.read;
  let holder: TicketHolder;
  if (body.method === 'card' || body.method === 'qr') {
    // An unknown and a revoked card are the same lookup and the same answer.
    const found = residents.residentByToken(ctx, body.method, body.method === 'card' ? body.cardNumber : body.token);
    if (!found) throw new AppError('card_unknown', body.method === 'card' ? 'this card is not registered' : 'this QR code is not valid');
    holder = { residentId: found.residentId, method: body.method, tokenId: found.tokenId };
  } else {
    holder = { residentId: await residents.residentIdByPhonePin(ctx, actor, body.phone, body.pin), method: 'phone_pin', tokenId: null };
  }
  const { residentId, method } = holder;
  const { facts, row } = residents.factsOf(db, residentId);
  if (!residents.isActiveOn(row, residents.localToday(ctx))) throw new AppError('resident_inactive', 'this resident record is not active; please see staff');
  const canteen = sites.canteenById(db, actor.canteenId)!;
  const { ticket, expiresAt } = issueTicket(ctx.crypto, holder, actor.deviceId, now);

  // What today holds: a personal price per dish on the open menu (one pricing context for the whole menu), and
  // whether a meal subsidy applies now.
  const slot = canteen.status === 'open' ? sites.openSlot(db, canteen, now) : null;
  const menuRow = slot ? menus.menuBySlot(db, canteen.id, slot) : undefined;
  const personalPrices: KioskResident['personalPrices'] = [];
  let subsidy: KioskResident['subsidy'] = { available: false, reason: slot ? 'no_menu' : 'meal_period' };
  if (slot && menuRow) {
    const menu = menus.menuForSlot(db, canteen.id, slot);
    const pc = orders.pricingContextFor(db, { canteen, slot, resident: facts });
    let firstReason: string | null = null;
    for (const item of menus.menuView(db, menuRow).items) {
      const ev = pricing.evaluateLines(pc, pricing.linesOnMenu(menu, [{ dishId: item.dish.id, quantity: 1 }], { allowSoldOut: true }), 'dine_in');
      personalPrices.push({ dishId: item.dish.id, elderPaysFen: ev.elderPaysFen, elderSubsidyFen: ev.elderSubsidyFen });
      if (ev.elderSubsidyFen > 0) subsidy = { available: true, reason: null };
      firstReason ??= ev.layers.find((l) => l.kind === 'meal')?.reason ?? 'no_policy';
    }
    if (!subsidy.available) subsidy = { available: false, reason: firstReason ?? 'no_menu' };
  }
  const resident: KioskResident = {
    id: row.id,
    name: row.name,
    gender: row.gender,
    age: ageOn(row.birthDate, localParts(now, canteen.timeZone).date),
    balanceFen: wallet.balanceOf(db, residentId),
    dietNeeds: row.dietNeeds as DietNeed[],
    allergies: row.allergies,
    canDeliver: canteen.delivery && !!row.address,
    deliveryAddress: canteen.delivery ? row.address : null,
    subsidy,
    personalPrices,
    lastOrder: orders.lastOrderOf(db, residentId),
  };
  await ctx.db.write((tx) =>
    audit.record(tx, actor, now, { action: 'resident.identified', entityType: 'resident', entityId: residentId, details: { method, canteenId: canteen.id } }),
  );
  return { ticket, ticketExpiresAt: expiresAt.toISOString(), resident };
}

/** 呼叫工作人员: tell the canteen's console that someone at this kiosk needs help. */
export async function requestHelp(ctx: Ctx, actor: DeviceActor) {
  const now = ctx.clock.now();
  const d = repo.deviceById(ctx.db.read, actor.deviceId)!;
  await ctx.db.write((tx) =>
    audit.record(tx, actor, now, { action: 'kiosk.help_requested', entityType: 'device', entityId: d.id, details: { canteenId: d.canteenId } }),
  );
  ctx.bus.publish({ type: 'help.requested', canteenId: d.canteenId, deviceId: d.id, deviceName: d.name, at: now.toISOString() });
  return { ok: true as const };
}
