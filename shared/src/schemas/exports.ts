import { z } from 'zod';
import { DELIVERY_STATES, FULFILMENTS, MEAL_PERIODS, ORDER_STATES, PAYMENT_METHODS, RESIDENT_STATUSES } from '../domain/enums';
import { Id, LocalDate } from './common';

/** The formats a list is exported in (Excel and CSV; signing documents are PDFs of their own). */
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];
const Format = z.enum(EXPORT_FORMATS);

/**
 * Every list's export takes the filters of the list on screen and a format; the file is streamed
 * (Content-Disposition: attachment), so the 200 answer has no JSON schema.
 */

/** GET /orders/export: a canteen's orders of one day (the list on screen) or of a range of days. */
export const OrderExportQuery = z.strictObject({
  canteenId: Id,
  from: LocalDate,
  to: LocalDate,
  mealPeriod: z.enum(MEAL_PERIODS).optional(),
  /** One state, or 'active' (awaiting payment, paid, ready) as the screen's filter says. */
  state: z.enum([...ORDER_STATES, 'active']).optional(),
  fulfilment: z.enum(FULFILMENTS).optional(),
  paymentMethod: z.enum(PAYMENT_METHODS).optional(),
  format: Format,
});

/** GET /residents/export: the residents list as searched (masked: ID number and phone show their last 4 only). */
export const ResidentExportQuery = z.strictObject({
  q: z.string().trim().max(50).optional(),
  canteenId: Id.optional(),
  status: z.enum(RESIDENT_STATUSES).optional(),
  format: Format,
});

/** GET /residents/:id/wallet/export and GET /canteens/:id/wallet-entries/export (local dates, inclusive). */
export const WalletExportQuery = z.strictObject({ from: LocalDate.optional(), to: LocalDate.optional(), format: Format });

/** GET /canteens/:id/menus/export: the menus of a range of days (the week on screen). */
export const MenuExportQuery = z.strictObject({ from: LocalDate, to: LocalDate, format: Format });

/** GET /price-changes/export: a canteen's price history. */
export const PriceChangeExportQuery = z.strictObject({ canteenId: Id, format: Format });

/**
 * GET /canteens/:id/deliveries/export: a day's deliveries as the route lists show them (per courier, in stop
 * order); residents' phones show their last 4 only.
 */
export const DeliveryExportQuery = z.strictObject({
  date: LocalDate,
  mealPeriod: z.enum(MEAL_PERIODS).optional(),
  /** Cancelled deliveries are on no route list, so they are not a filter either. */
  state: z.enum(DELIVERY_STATES).exclude(['cancelled']).optional(),
  format: Format,
});
