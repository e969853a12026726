/**
 * The kiosk's backend: pairing a kiosk to a canteen (a one-time code made in the console, or by the system at
 * start-up), the device credential, what the kiosk shows before anyone identifies (canteen, meal period,
 * menu), identifying a resident (card, QR, phone + PIN) with their personal price for every dish, and
 * 呼叫工作人员. Only this module reads or writes the devices table.
 */
import {
  AppError,
  type DeviceSummary,
  type HelpCall,
  type KioskPricing,
  type KioskResident,
  type KioskState,
  type OfflineSnapshot,
  type KioskHeartbeat,
} from '@yishi/shared/schemas';
import type { z } from 'zod';
import type { IdentifyRequest } from '@yishi/shared/schemas';
import { addDays, ageOn, budgetLayerKeys, historyWindow, localParts, weekStart, type DietNeed, type PolicyVersion } from '@yishi/shared';
import { v7 as uuidv7 } from 'uuid';
import type { Reader, Tx } from '../../db/client';
import type { Ctx } from '../../lib/context';
import { actorId, assertOperates, canSeeCanteen, requireUser, type Actor, type DeviceActor } from '../../lib/actor';
import { newToken, numericCode, offlineKeyIdOn, sha256 } from '../../lib/crypto';
import { hasSocket } from '../../lib/presence';
import { issueTicket, type TicketHolder } from '../../lib/ticket';
import * as audit from '../audit/audit.service';
import * as policy from '../policy/policy.service';
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

/** A kiosk counts as online with a live socket open, or a heartbeat this recent (it sends one a minute). */
const ONLINE_HEARTBEAT_MS = 2 * 60_000;

function deviceSummary(ctx: Ctx, d: repo.DeviceRow): DeviceSummary {
  const now = ctx.clock.now().getTime();
  const recent = d.heartbeatAt !== null && now - Date.parse(d.heartbeatAt) <= ONLINE_HEARTBEAT_MS;
  return {
    id: d.id,
    canteenId: d.canteenId,
    name: d.name,
    pairedAt: d.pairedAt,
    revokedAt: d.revokedAt,
    lastSeenAt: d.lastSeenAt,
    online: !d.revokedAt && !!d.pairedAt && (hasSocket(ctx, d.id) || recent),
    heartbeatAt: d.heartbeatAt,
    pendingOrders: d.pendingOrders,
    clockOffsetMs: d.clockOffsetMs,
    cacheFetchedAt: d.cacheFetchedAt,
  };
}

export function kioskCanteen(c: sites.CanteenRow) {
  return { id: c.id, name: c.name, shortName: c.shortName, phone: c.phone, dineIn: c.dineIn, delivery: c.delivery, status: c.status };
}

// ───────────── devices (the console's 设备 page) ─────────────

export function listDevices(ctx: Ctx, actor: Actor, canteenId: string) {
  assertOperates(actor, sites.canteenById(ctx.db.read, canteenId));
  return repo.devicesOf(ctx.db.read, canteenId).map((d) => deviceSummary(ctx, d));
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
  return deviceSummary(ctx, repo.deviceById(ctx.db.read, deviceId)!);
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
    priceNotices: menus.priceNotices(ctx.db.read, canteen.id, date),
    serverTime: now.toISOString(),
  };
}

/** Identify a resident at a kiosk: card tap, QR, or phone + PIN (locks after repeated failures). */
export async function identify(ctx: Ctx, actor: DeviceActor, body: z.infer<typeof IdentifyRequest>) {
  const now = ctx.clock.now();
  const db = ctx.db.read;
  let holder: TicketHolder;
  /** A card issued before card values were kept: keep it now, so offline caches can hold it from now on. */
  let keepValue: { tokenId: string; kind: 'card' | 'qr'; value: string } | null = null;
  if (body.method === 'card' || body.method === 'qr') {
    // An unknown and a revoked card are the same lookup and the same answer.
    const value = body.method === 'card' ? body.cardNumber : body.token;
    const found = residents.tokenOwner(ctx, body.method, value);
    if (!found) throw new AppError('card_unknown', body.method === 'card' ? 'this card is not registered' : 'this QR code is not valid');
    holder = { residentId: found.residentId, method: body.method, tokenId: found.tokenId };
    if (!found.valueKept) keepValue = { tokenId: found.tokenId, kind: body.method, value };
  } else {
    holder = { residentId: await residents.residentIdByPhonePin(ctx, actor, body.phone, body.pin), method: 'phone_pin', tokenId: null };
  }
  const { residentId, method } = holder;
  const { facts, row } = residents.factsOf(db, residentId);
  if (!residents.isActiveOn(row, residents.localToday(ctx))) throw new AppError('resident_inactive', 'this resident record is not active; please see staff');
  const canteen = sites.canteenById(db, actor.canteenId)!;
  const { ticket, expiresAt } = issueTicket(ctx.crypto, holder, actor.deviceId, now);

  // What the meal open now holds for them: whether a meal subsidy applies (one pricing context for the whole
  // menu), what they already ordered in it, and their own part of a price for the kiosk's engine.
  const slot = canteen.status === 'open' ? sites.openSlot(db, canteen, now) : null;
  const menuRow = slot ? menus.menuBySlot(db, canteen.id, slot) : undefined;
  let subsidy: KioskResident['subsidy'] = { available: false, reason: slot ? 'no_menu' : 'meal_period' };
  let residentPricing: KioskResident['pricing'] = null;
  let alreadyOrdered: KioskResident['alreadyOrdered'] = null;
  if (slot) {
    residentPricing = orders.residentPricing(db, facts, slot);
    const earlier = orders.orderInSlot(db, residentId, slot);
    if (earlier) {
      alreadyOrdered = {
        mealPeriod: earlier.mealPeriod,
        pickupNumber: earlier.pickupNumber,
        fulfilment: earlier.fulfilment,
        subsidised: earlier.elderSubsidyFen > 0,
        here: earlier.canteenId === canteen.id,
        canteenName: earlier.canteenId === canteen.id ? canteen.shortName : (sites.canteenById(db, earlier.canteenId)?.shortName ?? ''),
      };
    }
  }
  if (slot && menuRow && residentPricing) {
    const menu = menus.menuForSlot(db, canteen.id, slot);
    const pc = pricing.pricingContext(pricing.liveSource(db, orders.ledgerOf(db, residentPricing)), { canteen, slot, resident: facts });
    let firstReason: string | null = null;
    // Each dish on sale (an approved price that day), in the menu's order, as the kiosk's menu lists them.
    for (const dishId of menu.items.keys()) {
      if (!menu.dishes.has(dishId)) continue;
      const ev = pricing.evaluateLines(pc, pricing.linesOnMenu(menu, [{ dishId, quantity: 1 }], { allowSoldOut: true }), 'dine_in');
      if (ev.elderSubsidyFen > 0) {
        subsidy = { available: true, reason: null };
        break;
      }
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
    alreadyOrdered,
    lastOrder: orders.lastOrderOf(db, residentId),
    pricing: residentPricing,
  };
  await ctx.db.write((tx) => {
    if (keepValue) residents.keepTokenValue(tx, ctx, keepValue.tokenId, keepValue.kind, keepValue.value);
    audit.record(tx, actor, now, { action: 'resident.identified', entityType: 'resident', entityId: residentId, details: { method, canteenId: canteen.id } });
  });
  return { ticket, ticketExpiresAt: expiresAt.toISOString(), resident };
}

// ───────────── pricing on the kiosk, online and offline ─────────────

/** What every basket at this kiosk is priced with in the meal open now (GET /kiosk/pricing): the kiosk runs the shared engine on it. */
export function kioskPricing(ctx: Ctx, actor: DeviceActor): KioskPricing {
  const db = ctx.db.read;
  const canteen = sites.canteenById(db, actor.canteenId)!;
  const slot = sites.requireOpenSlot(db, canteen, ctx.clock.now());
  const pc = orders.pricingContextFor(db, { canteen, slot, resident: null });
  return { ...slot, canteen: pc.canteen, policies: pc.policies.map(policyWire), calendar: pc.calendar, layerSpentFen: pc.layerSpentFen };
}

function policyWire(v: PolicyVersion) {
  return { versionId: v.versionId, document: v.document, previousVersionIds: [...(v.previousVersionIds ?? [])] };
}

/** An offline cache is good for at most this long without a refresh. */
export const OFFLINE_CACHE_HOURS = 48;
/** Residents who ate at the canteen this recently are cached too, wherever they live. */
export const OFFLINE_RECENT_DAYS = 90;

/**
 * The earliest date each layer's limits can look back to (a count or allowance per week or month), so the
 * snapshot carries the history the engine reads and no more (per meal period or per day: the day itself).
 */
function historyNeededFrom(policies: readonly PolicyVersion[], date: string): Map<string, string> {
  const need = new Map<string, string>();
  const monthStart = `${date.slice(0, 7)}-01`;
  for (const v of policies) {
    for (const l of v.document.layers) {
      const p = l.limits.allowance?.period;
      const from =
        l.limits.perMonth !== undefined || p === 'month'
          ? historyWindow(date).from < monthStart
            ? historyWindow(date).from
            : monthStart
          : l.limits.perWeek !== undefined || p === 'week'
            ? weekStart(date)
            : date;
      for (const id of [v.versionId, ...(v.previousVersionIds ?? [])]) {
        const key = `${id}:${l.id}`;
        const had = need.get(key);
        need.set(key, had && had < from ? had : from);
      }
    }
  }
  return need;
}

/**
 * GET /kiosk/offline-cache: what this kiosk may keep to identify and price with the network down. Residents of
 * the canteen's street and those who ate there in the last 90 days (active today): a masked name, what the menu
 * and the engine read, their wallet balance; their cards, QR codes and phone + PIN as keyed hashes under this
 * kiosk's own key of the day (never the values: docs/threat-model.md); the subsidy rows the policies' limits read; the policies in force
 * today, tomorrow and the day after; today's and tomorrow's menus. Good for 48 hours.
 */
export function offlineSnapshot(ctx: Ctx, actor: DeviceActor): OfflineSnapshot {
  const db = ctx.db.read;
  const now = ctx.clock.now();
  const canteen = sites.canteenById(db, actor.canteenId)!;
  const today = localParts(now, canteen.timeZone).date;
  // A new key each day (rotated at the first refresh of the day): FieldCrypto.kioskKey, lib/crypto offlineKeyIdOn.
  const keyId = offlineKeyIdOn(now);
  const key = ctx.crypto.kioskKey(actor.deviceId, keyId);
  const roster = residents.offlineRoster(ctx, {
    areaPrefix: canteen.streetCode,
    alsoIds: orders.residentsWhoAteAt(db, canteen.id, addDays(today, -OFFLINE_RECENT_DAYS)),
    date: today,
    key,
  });
  const ids = new Set(roster.residents.map((r) => r.residentKey));
  const balances = wallet.balancesOf(db, [...ids]);

  const dates = [today, addDays(today, 1), addDays(today, 2)];
  const byDate = dates.map((date) => ({ date, versions: policy.versionsInForce(db, date) }));
  const policies = new Map<string, PolicyVersion>();
  for (const d of byDate) for (const v of d.versions) policies.set(v.versionId, v);
  const need = historyNeededFrom([...policies.values()], today);
  const earliest = [...need.values(), today].sort()[0]!;
  const subsidised = orders.subsidisedBetween(db, earliest, today);
  const ledgerKeys = budgetLayerKeys([...policies.values()]);

  return {
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + OFFLINE_CACHE_HOURS * 3600_000).toISOString(),
    key: { id: keyId, raw: key.toString('base64url') },
    canteen: pricing.canteenFacts(canteen),
    timeZone: canteen.timeZone,
    mealPeriods: sites.mealPeriodsOf(db, [canteen.id]).map((h) => ({ period: h.period, opens: h.opens, closes: h.closes, days: h.days })),
    calendar: sites.calendar(db),
    walletOfflineLimitFen: canteen.walletOfflineLimitFen,
    residents: roster.residents.map((r) => ({
      ...r,
      facts: { ...r.facts, categories: [...r.facts.categories], disabilityLevel: r.facts.disabilityLevel ?? null },
      balanceFen: balances.get(r.residentKey) ?? 0,
    })),
    credentials: roster.credentials,
    subsidisedMeals: subsidised.rows
      .filter((h) => ids.has(h.residentId) && h.serviceDate >= (need.get(h.layerKey) ?? today))
      .map((h) => ({
        residentKey: h.residentId,
        serviceDate: h.serviceDate,
        mealPeriod: h.mealPeriod,
        canteenId: h.canteenId,
        layerKey: h.layerKey,
        amountFen: h.amountFen,
      })),
    subsidisedSlots: subsidised.slots
      .filter((x) => ids.has(x.residentId) && x.serviceDate === today)
      .map((x) => ({ residentKey: x.residentId, serviceDate: x.serviceDate, mealPeriod: x.mealPeriod })),
    policies: [...policies.values()].map(policyWire),
    policiesByDate: byDate.map((d) => ({ date: d.date, versionIds: d.versions.map((v) => v.versionId) })),
    layerSpentFen: orders.layerSpent(db, ledgerKeys),
    menus: menus.menusOf(db, canteen.id, today, addDays(today, 1)),
  };
}

/** POST /kiosk/heartbeat: what the kiosk says about itself, for the console's 设备 page. */
export async function heartbeat(ctx: Ctx, actor: DeviceActor, body: z.infer<typeof KioskHeartbeat>) {
  const now = ctx.clock.now();
  await ctx.db.write((tx) =>
    repo.updateDevice(tx, actor.deviceId, {
      heartbeatAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      pendingOrders: body.pendingOrders,
      clockOffsetMs: body.clockOffsetMs,
      cacheFetchedAt: body.cacheFetchedAt,
    }),
  );
  return { serverTime: now.toISOString() };
}

// ───────────── 呼叫工作人员 ─────────────

function helpCallView(db: Parameters<typeof repo.helpCallById>[0], c: repo.HelpCallRow): HelpCall {
  return {
    id: c.id,
    canteenId: c.canteenId,
    canteenName: sites.canteenById(db, c.canteenId)?.shortName ?? '',
    deviceId: c.deviceId,
    deviceName: repo.deviceById(db, c.deviceId)?.name ?? '',
    requestedAt: c.requestedAt,
    acknowledgedAt: c.acknowledgedAt,
    acknowledgedBy: c.acknowledgedBy,
  };
}

/**
 * 呼叫工作人员: record the call (once per id: a kiosk resends the same call until it hears back) and tell the
 * canteen's consoles. The answer is the call as stored, so the kiosk also learns when it was acknowledged.
 */
export async function requestHelp(ctx: Ctx, actor: DeviceActor, requestId: string): Promise<HelpCall> {
  const now = ctx.clock.now();
  const d = repo.deviceById(ctx.db.read, actor.deviceId)!;
  const created = await ctx.db.write((tx) => {
    const existing = repo.helpCallById(tx, requestId);
    if (existing) {
      if (existing.deviceId !== actor.deviceId) throw new AppError('idempotency_mismatch', 'that call id is already used');
      return false;
    }
    repo.insertHelpCall(tx, {
      id: requestId,
      canteenId: d.canteenId,
      deviceId: d.id,
      requestedAt: now.toISOString(),
      acknowledgedAt: null,
      acknowledgedBy: null,
    });
    audit.record(tx, actor, now, { action: 'kiosk.help_requested', entityType: 'device', entityId: d.id, details: { canteenId: d.canteenId, requestId } });
    return true;
  });
  const call = repo.helpCallById(ctx.db.read, requestId)!;
  if (created) ctx.bus.publish({ type: 'help.requested', canteenId: d.canteenId, deviceId: d.id, deviceName: d.name, at: call.requestedAt, requestId });
  return helpCallView(ctx.db.read, call);
}

/** A kiosk's name as staff gave it (null: no such device). */
export function deviceName(db: Reader | Tx, deviceId: string): string | null {
  return repo.deviceById(db, deviceId)?.name ?? null;
}

/** Open calls in the canteens the caller runs (all of them, or one). */
export function openHelpCalls(ctx: Ctx, actor: Actor, canteenId?: string): HelpCall[] {
  requireUser(actor);
  const db = ctx.db.read;
  let ids: string[];
  if (canteenId) {
    const c = sites.canteenById(db, canteenId);
    assertOperates(actor, c);
    ids = [c.id];
  } else {
    ids = sites.visibleCanteens(db, actor).map((c) => c.id);
  }
  return repo.openHelpCalls(db, ids).map((c) => helpCallView(db, c));
}

/** 已处理: staff acknowledge a call; the kiosk that called hears it (live event help.acknowledged). */
export async function acknowledgeHelp(ctx: Ctx, actor: Actor, id: string): Promise<HelpCall> {
  const u = requireUser(actor);
  const db = ctx.db.read;
  const call = repo.helpCallById(db, id);
  const canteen = call ? sites.canteenById(db, call.canteenId) : undefined;
  if (!call || !canteen || !canSeeCanteen(actor, canteen)) throw new AppError('not_found', 'no such call');
  assertOperates(actor, canteen);
  const now = ctx.clock.now();
  const by = u.user.displayName;
  const acknowledged = await ctx.db.write((tx) => {
    const done = repo.acknowledgeHelpCall(tx, id, now.toISOString(), by);
    if (done)
      audit.record(tx, actor, now, {
        action: 'kiosk.help_acknowledged',
        entityType: 'device',
        entityId: call.deviceId,
        details: { canteenId: call.canteenId, requestId: id },
      });
    return done;
  });
  const after = repo.helpCallById(ctx.db.read, id)!;
  if (acknowledged) {
    ctx.bus.publish({
      type: 'help.acknowledged',
      canteenId: after.canteenId,
      deviceId: after.deviceId,
      requestId: id,
      at: after.acknowledgedAt!,
      by: after.acknowledgedBy!,
    });
  }
  return helpCallView(ctx.db.read, after);
}
