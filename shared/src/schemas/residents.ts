import { z } from 'zod';
import { DIET_NEEDS, ALLERGENS, CARD_KINDS, CATEGORY_STATES, DISABILITY_LEVELS, GENDERS, RESIDENT_CATEGORIES, RESIDENT_STATUSES } from '../domain/enums';
import { AreaCode, Id, LocalDate, SignedFen, multiLine, nameText, singleLine } from './common';

/** 18-character PRC resident ID number with its check digit (GB 11643). */
export const IdNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^\d{17}[\dX]$/, 'an 18-character ID number')
  .refine(idNumberChecksumOk, 'the ID number check digit is wrong');

export function idNumberChecksumOk(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const codes = '10X98765432';
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(id[i]) * w[i]!;
  return codes[s % 11] === id[17];
}

export const Phone = z
  .string()
  .trim()
  .regex(/^1\d{10}$/, 'an 11-digit mobile number');
export const Pin = z.string().regex(/^\d{6}$/, 'a 6-digit PIN');

export const ResidentCategoryEntry = z.object({
  id: z.string(),
  code: z.enum(RESIDENT_CATEGORIES),
  validFrom: LocalDate,
  validTo: LocalDate.nullable(),
  evidence: z.string(),
  /** Why it was ended early, and when that was recorded (null while it runs its course). */
  endReason: z.string().nullable(),
  endedAt: z.string().nullable(),
  /** pending: proposed, not counted by pricing until street or district staff approve it; rejected: with the reason. */
  state: z.enum(CATEGORY_STATES),
  /** Who proposed it (display name) and when. */
  proposedBy: z.string().nullable(),
  proposedAt: z.string(),
  /** Who approved or rejected it (display name), when, and their note or reason. */
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export type ResidentCategoryEntry = z.infer<typeof ResidentCategoryEntry>;

/** A proposed category in the approval queue of street and district staff. */
export const PendingCategory = ResidentCategoryEntry.extend({
  residentId: z.string(),
  residentName: z.string(),
  residenceAreaCode: z.string(),
  homeCanteenId: z.string().nullable(),
  /** The home canteen's name, also when it lies outside the caller's scope (then the console shows it as text, no link). */
  homeCanteenName: z.string().nullable(),
});
export type PendingCategory = z.infer<typeof PendingCategory>;

export const ApproveCategoryRequest = z.strictObject({
  /** What the approver checked (e.g. 已核对低保证原件). */
  note: multiLine(200, 0).default(''),
});
export const RejectCategoryRequest = z.strictObject({ reason: multiLine(200, 2) });

/** A status other than active takes effect on `statusSince`: before that date the resident is still active. */
export function residentActiveOn(r: { status: string; statusSince: string | null }, date: string): boolean {
  return r.status === 'active' || (r.statusSince !== null && r.statusSince > date);
}

/** A card or QR code of a resident: only its kind and last four characters ever leave the server. */
export const ResidentCard = z.object({ id: z.string(), kind: z.enum(CARD_KINDS), last4: z.string(), issuedAt: z.string(), revokedAt: z.string().nullable() });
export type ResidentCard = z.infer<typeof ResidentCard>;

export const ResidentSummary = z.object({
  id: z.string(),
  name: z.string(),
  gender: z.enum(GENDERS),
  birthDate: LocalDate,
  age: z.number().int(),
  idNumberMasked: z.string(),
  phoneMasked: z.string().nullable(),
  hukouAreaCode: z.string().nullable(),
  hukouAreaName: z.string().nullable(),
  residenceAreaCode: z.string(),
  careLevel: z.number().int(),
  status: z.enum(RESIDENT_STATUSES),
  homeCanteenId: z.string().nullable(),
  /** The home canteen's name, also when it lies outside the caller's scope (a street's resident who eats in the next street). */
  homeCanteenName: z.string().nullable(),
  categories: z.array(z.enum(RESIDENT_CATEGORIES)),
  balanceFen: SignedFen,
});
export type ResidentSummary = z.infer<typeof ResidentSummary>;

export const ResidentDetail = ResidentSummary.extend({
  disabilityGrade: z.number().int().nullable(),
  disabilityLevel: z.enum(DISABILITY_LEVELS),
  livesAlone: z.boolean(),
  statusSince: z.string().nullable(),
  address: z.string().nullable(),
  dietNeeds: z.array(z.string()),
  allergies: z.array(z.string()),
  hasPin: z.boolean(),
  pinLocked: z.boolean(),
  /** Until when phone + PIN is locked after wrong tries (staff can unlock it); null when not locked. */
  pinLockedUntil: z.string().nullable(),
  categoryEntries: z.array(ResidentCategoryEntry),
  cards: z.array(ResidentCard),
});
export type ResidentDetail = z.infer<typeof ResidentDetail>;

export const ResidentListQuery = z.strictObject({
  q: singleLine(50, 0).optional(),
  canteenId: Id.optional(),
  status: z.enum(RESIDENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** A card number as a reader types it. */
export const CardNumber = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z]{6,32}$/, '6–32 letters or digits');

export const AddCardRequest = z.strictObject({
  kind: z.enum(CARD_KINDS),
  /** Card number as the reader types it; for 'qr' leave empty and the server makes a token. */
  number: CardNumber.optional(),
});

/** A physical card (social-security or senior card) given with a new record. */
export const NewCard = z.strictObject({ kind: z.enum(['ss_card', 'senior_card']), number: CardNumber });

export const CreateResidentRequest = z.strictObject({
  name: nameText(30),
  gender: z.enum(GENDERS),
  birthDate: LocalDate,
  idNumber: IdNumber,
  phone: Phone.nullable().default(null),
  hukouAreaCode: AreaCode.nullable(),
  residenceAreaCode: AreaCode,
  address: singleLine(200, 0).nullable().default(null),
  careLevel: z.number().int().min(0).max(5).default(0),
  disabilityGrade: z.number().int().min(1).max(4).nullable().default(null),
  disabilityLevel: z.enum(DISABILITY_LEVELS).default('none'),
  livesAlone: z.boolean().default(false),
  dietNeeds: z.array(z.enum(DIET_NEEDS)).max(10).default([]),
  allergies: z.array(z.enum(ALLERGENS)).max(20).default([]),
  homeCanteenId: Id.nullable().default(null),
  categories: z
    .array(
      z.strictObject({
        code: z.enum(RESIDENT_CATEGORIES),
        validFrom: LocalDate,
        validTo: LocalDate.nullable().default(null),
        evidence: multiLine(200),
      }),
    )
    .max(20)
    .default([]),
  /** Cards bound in the same transaction: a card already in use refuses the whole registration (card_in_use). */
  cards: z.array(NewCard).max(3).default([]),
});

export const UpdateResidentRequest = z.strictObject({
  /** Corrections and moves (audited with the old values). The ID number is not editable: register again. */
  name: nameText(30).optional(),
  gender: z.enum(GENDERS).optional(),
  hukouAreaCode: AreaCode.nullable().optional(),
  residenceAreaCode: AreaCode.optional(),
  phone: Phone.nullable().optional(),
  address: singleLine(200, 0).nullable().optional(),
  careLevel: z.number().int().min(0).max(5).optional(),
  disabilityGrade: z.number().int().min(1).max(4).nullable().optional(),
  disabilityLevel: z.enum(DISABILITY_LEVELS).optional(),
  livesAlone: z.boolean().optional(),
  dietNeeds: z.array(z.enum(DIET_NEEDS)).max(10).optional(),
  allergies: z.array(z.enum(ALLERGENS)).max(20).optional(),
  homeCanteenId: Id.nullable().optional(),
  status: z.enum(RESIDENT_STATUSES).optional(),
  statusSince: LocalDate.optional(),
});

/** POST /cards/check: is this card free to register, as it is typed or scanned (checked again when it is saved). */
export const CardCheckRequest = NewCard;
export const CardCheckResponse = z.object({
  available: z.boolean(),
  /** Who holds it, when the caller may see that resident (otherwise only that it is taken). */
  holder: z.object({ id: z.string(), name: z.string() }).nullable(),
});

export const SetPinRequest = z.strictObject({ pin: Pin });

export const AddCategoryRequest = z.strictObject({
  code: z.enum(RESIDENT_CATEGORIES),
  validFrom: LocalDate,
  validTo: LocalDate.nullable().default(null),
  /** What it rests on: the certificate or decision number (e.g. 低保证 穗天民低字第2022-0381号). */
  evidence: multiLine(200, 2),
});

export const EndCategoryRequest = z.strictObject({
  /** Last day the category applies (inclusive). */
  validTo: LocalDate,
  reason: multiLine(200, 2),
});
