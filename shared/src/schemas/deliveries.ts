import { CONTROL_MESSAGE, CONTROL_MESSAGE_MULTI, MULTI_LINE, SINGLE_LINE } from './text';
import { z } from 'zod';
import { DELIVERY_STATES, ORDER_STATES } from '../domain/enums';
import { Id, LocalDate, MealPeriod } from './common';

const ShortText = z.string().trim().min(1).max(100).regex(SINGLE_LINE, CONTROL_MESSAGE);

/** A delivery as a route list shows it: one stop of a courier's round. */
export const Delivery = z.object({
  id: z.string(),
  orderId: z.string(),
  canteenId: z.string(),
  serviceDate: LocalDate,
  mealPeriod: MealPeriod,
  pickupNumber: z.number().int(),
  items: z.string(),
  residentId: z.string().nullable(),
  residentName: z.string().nullable(),
  /** Last 4 digits of the resident's phone (the courier calls the canteen to be put through). */
  phoneLast4: z.string().nullable(),
  livesAlone: z.boolean(),
  address: z.string(),
  /** The street (街道) and community (社区) of the resident's home, for grouping stops. */
  streetName: z.string().nullable(),
  communityName: z.string().nullable(),
  state: z.enum(DELIVERY_STATES),
  orderState: z.enum(ORDER_STATES),
  courier: z.string().nullable(),
  stopOrder: z.number().int().nullable(),
  careLevelAtOrder: z.number().int(),
  dispatchedAt: z.string().nullable(),
  dispatchedBy: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  deliveredBy: z.string().nullable(),
  failedAt: z.string().nullable(),
  failedBy: z.string().nullable(),
  failReason: z.string().nullable(),
  alertAt: z.string().nullable(),
  alertAckAt: z.string().nullable(),
});
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryListQuery = z.strictObject({
  date: LocalDate,
  mealPeriod: MealPeriod.optional(),
  state: z.enum(DELIVERY_STATES).optional(),
  courier: z.string().trim().max(40).regex(SINGLE_LINE, CONTROL_MESSAGE).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** A courier's round: stops in the order to visit them. */
export const DeliveryRoute = z.object({ courier: z.string().nullable(), stops: z.array(Delivery) });
export const DeliveryRoutes = z.object({ serviceDate: LocalDate, total: z.number().int(), routes: z.array(DeliveryRoute), couriers: z.array(z.string()) });
export type DeliveryRoutes = z.infer<typeof DeliveryRoutes>;
export const DeliveryPage = z.object({ items: z.array(Delivery), total: z.number().int() });

export const CourierName = z.string().trim().min(1, '请填写送餐员姓名').max(40).regex(SINGLE_LINE, CONTROL_MESSAGE);

/** Give deliveries to a courier; their stops are ordered by street, community and address. */
export const AssignCourierRequest = z.strictObject({
  deliveryIds: z.array(Id).min(1).max(500),
  courier: CourierName,
});

export const DeliveryOutRequest = z.strictObject({});
export const DeliveryDoneRequest = z.strictObject({
  outcome: z.enum(['delivered', 'failed']),
  /** Why it failed (nobody home, refused, wrong address …): needed for a failed delivery. */
  reason: z.string().trim().max(200).regex(MULTI_LINE, CONTROL_MESSAGE_MULTI).nullable().default(null),
});

/** A resident who lives alone and was not reached: an alert for staff until acknowledged. */
export const DeliveryAlert = z.object({
  deliveryId: z.string(),
  canteenId: z.string(),
  canteenName: z.string(),
  residentName: z.string().nullable(),
  address: z.string(),
  serviceDate: LocalDate,
  failReason: z.string().nullable(),
  alertAt: z.string(),
  courier: z.string().nullable(),
});
export type DeliveryAlert = z.infer<typeof DeliveryAlert>;
export const DeliveryAlerts = z.object({ items: z.array(DeliveryAlert) });
export const AckAlertRequest = z.strictObject({ note: ShortText });
