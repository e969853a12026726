import { DATE_HORIZON_DAYS, horizonEnd, type DateHorizon } from '@yishi/shared';
import { AppError } from '@yishi/shared/schemas';

const WHAT: Record<DateHorizon, string> = {
  menu: 'a menu',
  priceChange: 'a price change',
  residentStatus: "a resident's status change",
};

/**
 * Refuse a date further ahead than the product allows (DATE_HORIZON_DAYS, from `today`: the canteen's local date on
 * the server's clock): 400 date_beyond_horizon naming the field, the latest date allowed and the horizon.
 */
export function assertWithinHorizon(date: string, today: string, horizon: DateHorizon, field: string): void {
  const latest = horizonEnd(today, horizon);
  if (date <= latest) return;
  const days = DATE_HORIZON_DAYS[horizon];
  throw new AppError('date_beyond_horizon', `${WHAT[horizon]} may be dated at most ${days} days ahead: ${latest} at the latest (today is ${today})`, 400, {
    field,
    latest,
    horizonDays: days,
  });
}
