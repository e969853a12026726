import { z } from 'zod';
import { LocalDate, MealPeriod } from './common';
import { Order } from './orders';

/** Events pushed over the WebSocket at /api/v1/live. */
export const LiveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), canteenIds: z.array(z.string()).nullable() }),
  z.object({ type: z.literal('menu.changed'), canteenId: z.string(), serviceDate: LocalDate, mealPeriod: MealPeriod }),
  z.object({
    type: z.literal('stock.changed'),
    canteenId: z.string(),
    serviceDate: LocalDate,
    mealPeriod: MealPeriod,
    dishId: z.string(),
    remaining: z.number().int().nullable(),
    soldOut: z.boolean(),
  }),
  z.object({ type: z.literal('order.created'), canteenId: z.string(), order: Order }),
  z.object({ type: z.literal('order.updated'), canteenId: z.string(), order: Order }),
  /** Someone at a kiosk pressed 呼叫工作人员. */
  z.object({
    type: z.literal('help.requested'),
    canteenId: z.string(),
    deviceId: z.string(),
    deviceName: z.string(),
    at: z.string(),
    /** The call's id (the kiosk's requestId). */
    requestId: z.string(),
  }),
  /** Staff acknowledged a call (已处理): consoles of the canteen, and the one kiosk that called, hear it. */
  z.object({
    type: z.literal('help.acknowledged'),
    canteenId: z.string(),
    deviceId: z.string(),
    requestId: z.string(),
    at: z.string(),
    by: z.string(),
  }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;
