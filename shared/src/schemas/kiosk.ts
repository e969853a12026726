import { z } from 'zod';
import { CANTEEN_STATUSES, DIET_NEEDS, GENDERS } from '../domain/enums';
import { Fen, Id, LocalDate, MealPeriod, SignedFen, nameText, singleLine } from './common';
import { Menu } from './menus';
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
});

/** What the kiosk shows before anyone identifies: the canteen, today's service date, the open meal period and its menu. */
export const KioskState = z.object({
  canteen: KioskCanteen,
  deviceId: z.string(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod.nullable(),
  /** When nothing is open: the next period today and when it opens. */
  next: z.object({ mealPeriod: MealPeriod, opens: z.string() }).nullable(),
  menu: Menu.nullable(),
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

export const PersonalPrice = z.object({ dishId: z.string(), elderPaysFen: Fen, elderSubsidyFen: Fen });

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
  personalPrices: z.array(PersonalPrice),
  lastOrder: z.object({ serviceDate: LocalDate, lines: z.array(z.object({ dishId: z.string(), name: z.string(), quantity: z.number().int() })) }).nullable(),
});
export type KioskResident = z.infer<typeof KioskResident>;

export const IdentifyResponse = z.object({
  /** Signed, short-lived proof that this kiosk identified this resident; send it with quotes and orders. */
  ticket: z.string(),
  ticketExpiresAt: z.string(),
  resident: KioskResident,
});
