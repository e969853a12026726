import { z } from 'zod';
import { LocalDate } from './common';
import { Order } from './orders';
import { ResidentCard, ResidentSummary } from './residents';

/**
 * Shapes that routes declared inline, named here so that clients check them too (the console validates every
 * answer against these). Same shapes as the routes' own; a route may import them instead of spelling them out.
 */

/** One page of a list: the items and how many there are in all. */
export const paged = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });

/** GET /orders */
export const OrderPage = paged(Order);
export type OrderPage = z.infer<typeof OrderPage>;

/** GET /residents */
export const ResidentPage = paged(ResidentSummary);
export type ResidentPage = z.infer<typeof ResidentPage>;

/** A card or QR token of a resident (as in ResidentDetail.cards). */
/** POST /residents/:id/cards: the card, and for a QR token its secret, shown once. */
export const AddCardResponse = z.object({ card: ResidentCard, qrToken: z.string().nullable() });

/** POST /residents/:id/reveal-id (audited). */
export const RevealIdResponse = z.object({ idNumber: z.string() });

/** GET /canteens/:id/menus */
export const MenuRangeQuery = z.strictObject({ from: LocalDate, to: LocalDate });

/** GET /health: the server's clock is business time (clients show the service date from it). */
export const HealthResponse = z.object({ status: z.literal('ok'), db: z.literal('ok'), time: z.string() });

/** A POST that carries nothing (logout, disable a user, revoke a device, publish a policy …). */
export const EmptyRequest = z.strictObject({});
