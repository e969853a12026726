import { z } from 'zod';
import { MEAL_PERIODS } from '../domain/enums';
import { MAX_FEN } from '../money';

/** Client-made ids are uuid (v7 recommended: time-ordered, safe to create offline). */
export const Uuid = z.uuid();
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');
export const LocalDate = z.iso.date();
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
export const Instant = z.string();
/** An amount of integer fen on the wire, bounded as money.ts bounds every amount (MAX_FEN). */
export const Fen = z.number().int().min(0).max(MAX_FEN);
export const SignedFen = z.number().int().min(-MAX_FEN).max(MAX_FEN);
export const MealPeriod = z.enum(MEAL_PERIODS);
export const AreaCode = z.string().regex(/^\d{4,12}$/, 'an administrative area code');
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'YYYY-MM');
export * from './text';

export const Page = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const Ok = z.object({ ok: z.literal(true) });
