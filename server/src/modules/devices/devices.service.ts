import { and, eq, isNull, gt } from 'drizzle-orm';
import { AppError, residentActiveOn, type KioskResident, type KioskState } from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { IdentifyRequest } from '@yishi/shared/schemas';
import { ageOn, localParts, type DietNeed, type IdentifyMethod } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Ctx } from '../../lib/context';
import { assertOperates, type Actor, type DeviceActor } from '../../lib/actor';
import * as audit from '../audit/audit.service';
import { newToken, numericCode, sha256 } from '../../lib/crypto';
import { issueTicket } from '../../lib/ticket';
import { devices } from '../../db/schema';
import { canteenById, type CanteenRow } from '../sites/sites.repo';
import * as menus from '../menus/menus.service';
import * as orders from '../orders/orders.service';
import * as pricing from '../pricing/pricing.service';
import * as residents from '../residents/residents.service';
import * as sites from '../sites/sites.service';
import * as wallet from '../wallet/wallet.service';

export const PAIRING_MINUTES = 15;

function deviceSummary(d: typeof devices.$inferSelect) {
  return { id: d.id, canteenId: d.canteenId, name: d.name, pairedAt: d.pairedAt, revokedAt: d.revokedAt, lastSeenAt: d.lastSeenAt };
}

export function listDevices(ctx: Ctx, actor: Actor, canteenId: string) {
  assertOperates(actor, canteenById(ctx.db.read, canteenId));
  return ctx.db.read.select().from(devices).where(eq(devices.canteenId, canteenId)).all().map(deviceSummary);
}

/** A one-time 8-digit code, valid 15 minutes, that pairs one kiosk to this canteen. */
export async function createPairing(ctx: Ctx, actor: Actor, canteenId: string, name: string) {
  assertOperates(actor, canteenById(ctx.db.read, canteenId));
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + PAIRING_MINUTES * 60_000).toISOString();
  const id = uuidv7();
  const code = await ctx.db.write((tx) => {
    // Retry on the (unlikely) clash with another live code.
    for (let i = 0; i < 5; i++) {
      const c = numericCode(8);
      const clash = tx
        .select({ id: devices.id })
        .from(devices)
        .where(eq(devices.pairingCodeHash, sha256(c)))
        .get();
      if (clash) continue;
      tx.insert(devices)
        .values({
          id,
          canteenId,
          name,
          pairingCodeHash: sha256(c),
          pairingExpiresAt: expiresAt,
          createdBy: actor.kind === 'user' ? actor.user.id : null,
          createdAt: now.toISOString(),
        })
        .run();
      audit.record(tx, actor, now, { action: 'device.pairing_created', entityType: 'device', entityId: id, details: { canteenId, name } });
      return c;
    }
    throw new AppError('conflict', 'could not make a unique code; try again');
  });
  return { deviceId: id, code, expiresAt };
}

export async function pair(ctx: Ctx, code: string): Promise<{ credential: string; deviceId: string; canteen: CanteenRow }> {
  const now = ctx.clock.now();
  const credential = newToken();
  const d = await ctx.db.write((tx) => {
    const dev = tx
      .select()
      .from(devices)
      .where(and(eq(devices.pairingCodeHash, sha256(code)), isNull(devices.revokedAt), gt(devices.pairingExpiresAt, now.toISOString())))
      .get();
    if (!dev || dev.pairedAt) throw new AppError('pairing_code_invalid', 'this pairing code is wrong, used or expired; make a new one in the console', 401);
    tx.update(devices)
      .set({ credentialHash: sha256(credential), pairingCodeHash: null, pairingExpiresAt: null, pairedAt: now.toISOString(), lastSeenAt: now.toISOString() })
      .where(eq(devices.id, dev.id))
      .run();
    audit.record(tx, null, now, { action: 'device.paired', entityType: 'device', entityId: dev.id, details: { canteenId: dev.canteenId } });
    return dev;
  });
  return { credential, deviceId: d.id, canteen: canteenById(ctx.db.read, d.canteenId)! };
}

export async function revoke(ctx: Ctx, actor: Actor, deviceId: string) {
  const d = ctx.db.read.select().from(devices).where(eq(devices.id, deviceId)).get();
  const canteen = d ? canteenById(ctx.db.read, d.canteenId) : undefined;
  if (!d) throw new AppError('not_found', 'no such device');
  assertOperates(actor, canteen);
  const now = ctx.clock.now();
  await ctx.db.write((tx) => {
    tx.update(devices).set({ revokedAt: now.toISOString(), credentialHash: null, pairingCodeHash: null }).where(eq(devices.id, deviceId)).run();
    audit.record(tx, actor, now, { action: 'device.revoked', entityType: 'device', entityId: deviceId });
  });
  return deviceSummary(ctx.db.read.select().from(devices).where(eq(devices.id, deviceId)).get()!);
}

export function kioskCanteen(c: CanteenRow) {
  return { id: c.id, name: c.name, shortName: c.shortName, phone: c.phone, dineIn: c.dineIn, delivery: c.delivery, status: c.status };
}

export function kioskState(ctx: Ctx, actor: DeviceActor): KioskState {
  const now = ctx.clock.now();
  const canteen = canteenById(ctx.db.read, actor.canteenId)!;
  const { date } = localParts(now, canteen.timeZone);
  const slot = canteen.status === 'open' ? sites.openSlot(ctx.db.read, canteen, now) : null;
  const menuRow = slot ? menus.menuBySlot(ctx.db.read, canteen.id, slot) : undefined;
  const upcoming = slot ? null : sites.nextMealToday(ctx.db.read, canteen, now);
  return {
    canteen: kioskCanteen(canteen),
    deviceId: actor.deviceId,
    serviceDate: date,
    mealPeriod: slot?.mealPeriod ?? null,
    next: upcoming,
    menu: menuRow ? menus.menuView(ctx.db.read, menuRow) : null,
    serverTime: now.toISOString(),
  };
}

/** Identify a resident at a kiosk: card tap, QR, or phone + PIN (locks after repeated failures). */
export async function identify(ctx: Ctx, actor: DeviceActor, body: z.infer<typeof IdentifyRequest>) {
  const now = ctx.clock.now();
  let residentId: string;
  let method: IdentifyMethod;
  if (body.method === 'card' || body.method === 'qr') {
    const found = residents.residentIdByToken(ctx, body.method, body.method === 'card' ? body.cardNumber : body.token);
    if (!found) throw new AppError('card_unknown', body.method === 'card' ? 'this card is not registered' : 'this QR code is not valid');
    residentId = found;
    method = body.method;
  } else {
    residentId = await residents.residentIdByPhonePin(ctx, actor, body.phone, body.pin);
    method = 'phone_pin';
  }
  const { facts, row } = residents.factsOf(ctx.db.read, residentId);
  if (!residentActiveOn(row, localParts(now, 'Asia/Shanghai').date))
    throw new AppError('resident_inactive', 'this resident record is not active; please see staff');
  const canteen = canteenById(ctx.db.read, actor.canteenId)!;
  const { ticket, expiresAt } = issueTicket(ctx.crypto, residentId, actor.deviceId, method, now);

  // What today holds: a personal price per dish on the open menu, and whether a meal subsidy applies now.
  const slot = canteen.status === 'open' ? sites.openSlot(ctx.db.read, canteen, now) : null;
  const menuRow = slot ? menus.menuBySlot(ctx.db.read, canteen.id, slot) : undefined;
  const personalPrices: KioskResident['personalPrices'] = [];
  let subsidy: KioskResident['subsidy'] = { available: false, reason: slot ? 'no_menu' : 'meal_period' };
  if (slot && menuRow) {
    const menu = menus.menuForSlot(ctx.db.read, canteen.id, slot);
    const pc = orders.pricingContextFor(ctx.db.read, { canteen, slot, resident: facts });
    let firstReason: string | null = null;
    for (const item of menus.menuView(ctx.db.read, menuRow).items) {
      const ev = pricing.evaluateLines(pc, pricing.linesOnMenu(menu, [{ dishId: item.dish.id, quantity: 1 }], { allowSoldOut: true }), 'dine_in');
      personalPrices.push({ dishId: item.dish.id, elderPaysFen: ev.elderPaysFen, elderSubsidyFen: ev.elderSubsidyFen });
      if (ev.elderSubsidyFen > 0) subsidy = { available: true, reason: null };
      const mealLayer = ev.layers.find((l) => l.kind === 'meal');
      firstReason ??= mealLayer?.reason ?? 'no_policy';
    }
    if (!subsidy.available) subsidy = { available: false, reason: firstReason ?? 'no_menu' };
  }
  const resident: KioskResident = {
    id: row.id,
    name: row.name,
    gender: row.gender,
    age: ageOn(row.birthDate, localParts(now, canteen.timeZone).date),
    balanceFen: wallet.balanceOf(ctx.db.read, residentId),
    dietNeeds: row.dietNeeds as DietNeed[],
    allergies: row.allergies,
    canDeliver: canteen.delivery && !!row.address,
    deliveryAddress: canteen.delivery ? row.address : null,
    subsidy,
    personalPrices,
    lastOrder: orders.lastOrderOf(ctx.db.read, residentId),
  };
  await ctx.db.write((tx) =>
    audit.record(tx, actor, now, { action: 'resident.identified', entityType: 'resident', entityId: residentId, details: { method, canteenId: canteen.id } }),
  );
  return { ticket, ticketExpiresAt: expiresAt.toISOString(), resident };
}

/** 呼叫工作人员: tell the canteen's console that someone at this kiosk needs help. */
export async function requestHelp(ctx: Ctx, actor: DeviceActor) {
  const now = ctx.clock.now();
  const d = ctx.db.read.select().from(devices).where(eq(devices.id, actor.deviceId)).get()!;
  await ctx.db.write((tx) =>
    audit.record(tx, actor, now, { action: 'kiosk.help_requested', entityType: 'device', entityId: d.id, details: { canteenId: d.canteenId } }),
  );
  ctx.bus.publish({ type: 'help.requested', canteenId: d.canteenId, deviceId: d.id, deviceName: d.name, at: now.toISOString() });
  return { ok: true as const };
}
