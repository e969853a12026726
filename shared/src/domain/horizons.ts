import { addDays, type LocalDate } from './time';

/**
 * How far ahead a date may be entered as data (a product limit, not a rule of the subsidy policy), counted in
 * days from the canteen's today on the server's clock. A menu or a price change is planned weeks ahead, not
 * years; a resident's status change (moved, deceased, in an institution) is recorded when it is known, at most a
 * year before it applies. A date beyond is refused with `date_beyond_horizon` (400; details: field, latest,
 * horizonDays), and the console's date pickers do not offer it.
 */
export const DATE_HORIZON_DAYS = {
  /** PUT /canteens/:id/menus/:date/:period — the menu's date. */
  menu: 90,
  /** POST /dishes/:id/price-changes and its approval — the date the price applies from. */
  priceChange: 90,
  /** PATCH /residents/:id — statusSince of a status other than active. */
  residentStatus: 365,
} as const;
export type DateHorizon = keyof typeof DATE_HORIZON_DAYS;

/** The latest date a horizon allows, from a local today. */
export function horizonEnd(today: LocalDate, horizon: DateHorizon): LocalDate {
  return addDays(today, DATE_HORIZON_DAYS[horizon]);
}
