import { z } from 'zod';
import { CANTEEN_STATUSES, DIET_NEEDS, FULFILMENTS, GENDERS } from '../domain/enums';
import { Id, LocalDate, MealPeriod, SignedFen, Uuid, nameText, singleLine } from './common';
import { Menu, PriceNotice } from './menus';
import { ResidentPricing } from './offline';
import { Phone, Pin } from './residents';

export const CreatePairingRequest = z.strictObject({ canteenId: Id, name: nameText(40) });
export const PairingCode = z.object({ deviceId: z.string(), code: z.string(), expiresAt: z.string() });

export const PairRequest = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{8}$/, 'an 8-digit pairing code'),
});

export const KioskCanteen = z.object({
  id: z.string(),
  name: z.string(),
  shortName: z.string(),
  phone: z.string().nullable(),
  dineIn: z.boolean(),
  delivery: z.boolean(),
  status: z.enum(CANTEEN_STATUSES),
});

export const PairResponse = z.object({ deviceId: z.string(), credential: z.string(), canteen: KioskCanteen });

export const DeviceSummary = z.object({
  id: z.string(),
  canteenId: z.string(),
  name: z.string(),
  pairedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  /** A live socket is open now, or the kiosk sent a heartbeat in the last two minutes. */
  online: z.boolean(),
  /** What the kiosk said in its last heartbeat (null before the first). */
  heartbeatAt: z.string().nullable(),
  /** Orders kept on the kiosk that the server has not stored yet. */
  pendingOrders: z.number().int().nullable(),
  /** Server time minus the kiosk's own clock, in ms (how far its clock is off). */
  clockOffsetMs: z.number().int().nullable(),
  /** When its offline cache was last filled (server time), null when it has none. */
  cacheFetchedAt: z.string().nullable(),
});
export type DeviceSummary = z.infer<typeof DeviceSummary>;

/** POST /kiosk/heartbeat: the kiosk's own state, for the console's 设备 page. */
export const KioskHeartbeat = z.strictObject({
  pendingOrders: z.number().int().min(0).max(100_000),
  clockOffsetMs: z
    .number()
    .int()
    .min(-10 * 365 * 24 * 3600_000)
    .max(10 * 365 * 24 * 3600_000)
    .nullable(),
  cacheFetchedAt: z.iso.datetime({ offset: true }).nullable(),
});
export const KioskHeartbeatResponse = z.object({ serverTime: z.string() });

/** POST /kiosk/help: one call per client-made id (a retry of the same id is the same call). */
export const HelpRequest = z.strictObject({ requestId: Uuid });

/** A call for staff from a kiosk, open until someone acknowledges it (已处理). */
export const HelpCall = z.object({
  id: z.string(),
  canteenId: z.string(),
  canteenName: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  requestedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
});
export type HelpCall = z.infer<typeof HelpCall>;
export const HelpCallList = z.object({ items: z.array(HelpCall) });

/** What the kiosk shows before anyone identifies: the canteen, today's service date, the open meal period and its menu. */
export const KioskState = z.object({
  canteen: KioskCanteen,
  deviceId: z.string(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod.nullable(),
  /** When nothing is open: the next period today and when it opens. */
  next: z.object({ mealPeriod: MealPeriod, opens: z.string() }).nullable(),
  menu: Menu.nullable(),
  /** Price changes announced at this canteen (公示): from approval until some days after they take effect. */
  priceNotices: z.array(PriceNotice).default([]),
  serverTime: z.string(),
});
export type KioskState = z.infer<typeof KioskState>;

export const IdentifyRequest = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('card'),
    cardNumber: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z]{6,32}$/, '6–32 letters or digits'),
  }),
  z.strictObject({ method: z.literal('qr'), token: singleLine(128, 8) }),
  z.strictObject({ method: z.literal('phone_pin'), phone: Phone, pin: Pin }),
]);

export const KioskResident = z.object({
  id: z.string(),
  /** Display name as a kiosk greets: full name (the greeting is built by the client). */
  name: z.string(),
  gender: z.enum(GENDERS),
  age: z.number().int(),
  balanceFen: SignedFen,
  dietNeeds: z.array(z.enum(DIET_NEEDS)),
  allergies: z.array(z.string()),
  canDeliver: z.boolean(),
  deliveryAddress: z.string().nullable(),
  subsidy: z.object({
    /** A meal subsidy can apply to an order now. */
    available: z.boolean(),
    /** Why not (a policy reason code), when unavailable. */
    reason: z.string().nullable(),
  }),
  /**
   * The resident already ordered in the meal period open now ("您今天已点过午餐，取餐号 3"): the latest such
   * order that is not cancelled or refunded, here or at another canteen. Null otherwise.
   */
  alreadyOrdered: z
    .object({
      mealPeriod: MealPeriod,
      pickupNumber: z.number().int(),
      fulfilment: z.enum(FULFILMENTS),
      subsidised: z.boolean(),
      /** At this kiosk's canteen (the pickup number is this canteen's). */
      here: z.boolean(),
      canteenName: z.string(),
    })
    .nullable(),
  /** The latest order that counts, not cancelled or refunded ("和上次一样"), with its meal period so a meal taken today is not silently repeated. */
  lastOrder: z
    .object({
      serviceDate: LocalDate,
      mealPeriod: MealPeriod,
      lines: z.array(z.object({ dishId: z.string(), name: z.string(), quantity: z.number().int() })),
    })
    .nullable(),
  /** The resident's own part of a price, for the kiosk's engine (the menu's marginal prices); null while no meal is open. */
  pricing: ResidentPricing.nullable(),
});
export type KioskResident = z.infer<typeof KioskResident>;

export const IdentifyResponse = z.object({
  /** Signed, short-lived proof that this kiosk identified this resident; send it with quotes and orders. */
  ticket: z.string(),
  ticketExpiresAt: z.string(),
  resident: KioskResident,
});
