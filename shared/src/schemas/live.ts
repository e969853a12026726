import { z } from 'zod';
import { LocalDate, MealPeriod } from './common';
import { Order, PickupStatus } from './orders';
import { Delivery, DeliveryAlert } from './deliveries';

const MenuChanged = z.object({ type: z.literal('menu.changed'), canteenId: z.string(), serviceDate: LocalDate, mealPeriod: MealPeriod });
const StockChanged = z.object({
  type: z.literal('stock.changed'),
  canteenId: z.string(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  dishId: z.string(),
  remaining: z.number().int().nullable(),
  soldOut: z.boolean(),
});
/** Someone at a kiosk pressed 呼叫工作人员. */
const HelpRequested = z.object({
  type: z.literal('help.requested'),
  canteenId: z.string(),
  deviceId: z.string(),
  deviceName: z.string(),
  at: z.string(),
  /** The call's id (the kiosk's requestId). */
  requestId: z.string(),
});
/** Staff acknowledged a call (已处理): consoles of the canteen, and the one kiosk that called, hear it. */
const HelpAcknowledged = z.object({
  type: z.literal('help.acknowledged'),
  canteenId: z.string(),
  deviceId: z.string(),
  requestId: z.string(),
  at: z.string(),
  by: z.string(),
});

/** Events pushed over the WebSocket at /api/v1/live to console staff. */
export const LiveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), canteenIds: z.array(z.string()).nullable() }),
  MenuChanged,
  StockChanged,
  z.object({ type: z.literal('order.created'), canteenId: z.string(), order: Order }),
  z.object({ type: z.literal('order.updated'), canteenId: z.string(), order: Order }),
  z.object({ type: z.literal('delivery.updated'), canteenId: z.string(), delivery: Delivery }),
  /** A resident who lives alone was not reached by the delivery: staff must follow up today. */
  z.object({ type: z.literal('delivery.alert'), canteenId: z.string(), alert: DeliveryAlert }),
  z.object({ type: z.literal('delivery.alert_acknowledged'), canteenId: z.string(), deliveryId: z.string() }),
  /** The day was closed (日结). */
  z.object({ type: z.literal('day.closed'), canteenId: z.string(), serviceDate: LocalDate }),
  HelpRequested,
  HelpAcknowledged,
  /** An order a kiosk made offline was refused when it arrived (被拒收): staff must settle it with the elder. */
  z.object({ type: z.literal('order.refused'), canteenId: z.string(), orderId: z.string(), serviceDate: LocalDate }),
  /** Staff marked a refused offline order handled (on this console or another). */
  z.object({ type: z.literal('order.refusal_handled'), canteenId: z.string(), orderId: z.string(), serviceDate: LocalDate }),
]);
export type LiveEvent = z.infer<typeof LiveEvent>;

/**
 * The same events as a kiosk receives them: the server rewrites each event for its recipient when it sends it
 * (server/src/modules/live/live.service.ts `forDevice`), so a kiosk hears pickup numbers, states and stock and
 * never a name, an address, a phone, an amount or a category. An event with no device form is not sent to kiosks.
 */
export const DeviceLiveEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), canteenIds: z.array(z.string()).nullable() }),
  MenuChanged,
  StockChanged,
  z.object({ type: z.literal('order.created'), canteenId: z.string(), order: PickupStatus }),
  z.object({ type: z.literal('order.updated'), canteenId: z.string(), order: PickupStatus }),
  HelpRequested,
  // The kiosk that called hears that its call was taken care of, not by whom.
  HelpAcknowledged.omit({ by: true }),
]);
export type DeviceLiveEvent = z.infer<typeof DeviceLiveEvent>;
