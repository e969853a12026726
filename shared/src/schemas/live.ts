import { z } from 'zod';
import { LocalDate, MealPeriod } from './common';
import { Order } from './orders';
import { Delivery, DeliveryAlert } from './deliveries';

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
  z.object({ type: z.literal('delivery.updated'), canteenId: z.string(), delivery: Delivery }),
  /** A resident who lives alone was not reached by the delivery: staff must follow up today. */
  z.object({ type: z.literal('delivery.alert'), canteenId: z.string(), alert: DeliveryAlert }),
  z.object({ type: z.literal('delivery.alert_acknowledged'), canteenId: z.string(), deliveryId: z.string() }),
  /** The day was closed (日结). */
  z.object({ type: z.literal('day.closed'), canteenId: z.string(), serviceDate: LocalDate }),
  /** Someone at a kiosk pressed 呼叫工作人员. */
  z.object({ type: z.literal('help.requested'), canteenId: z.string(), deviceId: z.string(), deviceName: z.string(), at: z.string() }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;
