/**
 * What a kiosk is given so that it can price with the shared engine itself: the facts of the open meal slot
 * (GET /kiosk/pricing), the resident's own part with an identification, and the offline snapshot
 * (GET /kiosk/offline-cache) it identifies and prices from when the network is down. Each field is what the
 * engine's PricingSource reads (shared/src/policy/context.ts), and nothing else.
 */
import { z } from 'zod';
import { DIET_NEEDS, DISABILITY_LEVELS, GENDERS, OFFLINE_IDENTIFY_METHODS, RESIDENT_CATEGORIES, RESIDENT_STATUSES, SUPPLY_MODES } from '../domain/enums';
import { OfficialCalendarSchema, PolicyDocumentSchema } from '../policy/schema';
import { Fen, LocalDate, LocalTime, MealPeriod, SignedFen } from './common';
import { Menu } from './menus';

export const CanteenFactsWire = z.object({ id: z.string(), areaCode: z.string(), supplyMode: z.enum(SUPPLY_MODES) });

/** ResidentFacts as the engine reads them (shared/src/policy/evaluate.ts). */
export const ResidentFactsWire = z.object({
  id: z.string(),
  birthDate: LocalDate,
  hukouAreaCode: z.string().nullable(),
  residenceAreaCode: z.string().nullable(),
  categories: z.array(z.object({ code: z.enum(RESIDENT_CATEGORIES), validFrom: LocalDate, validTo: LocalDate.nullable() })),
  careLevel: z.number().int().min(0).max(5),
  disabilityGrade: z.number().int().nullable(),
  disabilityLevel: z.enum(DISABILITY_LEVELS).nullable().optional(),
  status: z.enum(RESIDENT_STATUSES),
  statusSince: LocalDate.nullable(),
});

/** One layer's payment for one earlier meal (HistoryEntry). */
export const HistoryEntryWire = z.object({ serviceDate: LocalDate, mealPeriod: MealPeriod, canteenId: z.string(), layerKey: z.string(), amountFen: Fen });

export const PolicyVersionWire = z.object({
  versionId: z.string(),
  document: PolicyDocumentSchema,
  previousVersionIds: z.array(z.string()).optional(),
});

/** GET /kiosk/pricing: the facts of the open meal slot every basket at this kiosk is priced with now. */
export const KioskPricing = z.object({
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  canteen: CanteenFactsWire,
  /** The versions in force on the service date, in the order the engine applies them. */
  policies: z.array(PolicyVersionWire),
  calendar: OfficialCalendarSchema,
  /** What layers with a budget have paid so far (budget keys only). */
  layerSpentFen: z.record(z.string(), z.number().int()),
});
export type KioskPricing = z.infer<typeof KioskPricing>;

/** The resident's own part of a price, given with an identification (null while no meal is open). */
export const ResidentPricing = z.object({
  facts: ResidentFactsWire,
  /** The resident's subsidy rows in the service date's history window (its ISO week and calendar month). */
  history: z.array(HistoryEntryWire),
  /** Already had a subsidised meal in this meal period (any canteen). */
  subsidisedThisSlot: z.boolean(),
});
export type ResidentPricing = z.infer<typeof ResidentPricing>;

// ─────────────────────────────── the offline snapshot ───────────────────────────────

/** base64url(HMAC-SHA-256(key, kind + ':' + value)): 43 characters. */
export const CredentialHash = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a base64url HMAC-SHA-256');

export const OfflineResident = z.object({
  /** The server's resident id (opaque to the kiosk). */
  residentKey: z.string(),
  /** 陈*英: at most two characters shown, at least one masked. */
  maskedName: z.string(),
  gender: z.enum(GENDERS),
  dietNeeds: z.array(z.enum(DIET_NEEDS)),
  allergies: z.array(z.string()),
  /** Wallet balance when the snapshot was made (offline wallet payments never go past it). */
  balanceFen: SignedFen,
  facts: ResidentFactsWire,
});
export type OfflineResident = z.infer<typeof OfflineResident>;

export const OfflineCredential = z.object({ hash: CredentialHash, kind: z.enum(OFFLINE_IDENTIFY_METHODS), residentKey: z.string() });
export type OfflineCredential = z.infer<typeof OfflineCredential>;

export const OfflineSubsidyRow = HistoryEntryWire.extend({ residentKey: z.string() });
export type OfflineSubsidyRow = z.infer<typeof OfflineSubsidyRow>;

export const OfflineSlot = z.object({ residentKey: z.string(), serviceDate: LocalDate, mealPeriod: MealPeriod });

/**
 * GET /kiosk/offline-cache. Credentials are keyed hashes under a key made for this kiosk alone; the card
 * number, QR token, phone and PIN never leave the server (phone + PIN is not cached at all).
 */
export const OfflineSnapshot = z.object({
  /** Server time when made. */
  issuedAt: z.string(),
  /** Server time after which it must not be used (at most 48 h after issuedAt). */
  expiresAt: z.string(),
  /** The per-kiosk hash key (32 random bytes, base64url) and its id. */
  key: z.object({ id: z.string().min(1).max(64), raw: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }),
  canteen: CanteenFactsWire,
  timeZone: z.string(),
  mealPeriods: z.array(z.object({ period: MealPeriod, opens: LocalTime, closes: LocalTime, days: z.array(z.number().int().min(1).max(7)) })),
  calendar: OfficialCalendarSchema,
  /** Wallet payment allowed offline per resident per day (0 = pay at the counter only). */
  walletOfflineLimitFen: Fen,
  residents: z.array(OfflineResident),
  credentials: z.array(OfflineCredential),
  /** The residents' subsidy rows the engine's limits can read (from the widest limit window of the policies). */
  subsidisedMeals: z.array(OfflineSubsidyRow),
  /** Meal periods in which a resident already had a subsidised meal (any canteen). */
  subsidisedSlots: z.array(OfflineSlot),
  policies: z.array(PolicyVersionWire),
  /** Which versions are in force on each date the snapshot may be used on, in application order. */
  policiesByDate: z.array(z.object({ date: LocalDate, versionIds: z.array(z.string()) })),
  layerSpentFen: z.record(z.string(), z.number().int()),
  /** Today's and tomorrow's menus. */
  menus: z.array(Menu),
});
export type OfflineSnapshot = z.infer<typeof OfflineSnapshot>;
