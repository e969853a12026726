import { z } from 'zod';

/** Stable error codes. Clients translate the code; the message is for developers and logs. */
export const ERROR_CODES = [
  'bad_request', // malformed body / query / params (details.issues says where)
  'unauthenticated', // no or expired session / device credential
  'forbidden', // authenticated but not allowed (role or scope)
  'not_found',
  'conflict', // generic state conflict
  'idempotency_mismatch', // the same client id was used with a different request
  'rate_limited',
  'payload_too_large',
  'headers_too_large', // the request's headers are over the server's limit (431)
  'request_timeout', // the request did not arrive in time (408)
  'login_failed',
  'account_locked',
  'account_disabled',
  'password_change_required',
  'weak_password',
  'pin_locked',
  'pin_wrong',
  'resident_not_found',
  'resident_inactive',
  'card_unknown',
  'canteen_closed', // canteen suspended / closed, or no meal period open now
  'menu_not_found',
  'dish_unavailable', // not on this menu
  'sold_out',
  'insufficient_balance',
  'quote_changed', // the order would cost something else than the quote it names (details.quote: the fresh quote to confirm)
  'quote_expired', // the quote is too old (details.quote: the fresh quote to confirm)
  'quote_used', // the quote already placed another order
  'quote_invalid', // not a quote of this server, or one for another resident, canteen or caller
  'invalid_state', // e.g. completing a cancelled order
  'delivery_not_offered',
  'policy_invalid',
  'policy_frozen', // a version that priced an order cannot be edited
  'claim_frozen', // an approved (or paid) claim is never changed: a later correction is an adjustment in a later claim
  'claim_period_open', // the claim's period has not ended yet: it can be previewed, not submitted
  'claim_orders_unpaid', // orders of the period still wait for payment: confirm or cancel them first (details.orders)
  'claim_open_anomalies', // anomalies of the claim's canteen and period are still open (details.anomalies)
  'four_eyes', // the person who submitted (or checked) a claim may not also check (or approve) it
  'already_rated', // the order was already rated with another answer (a rating is given once)
  'card_in_use', // the card or QR code is registered to another resident
  'wallet_closed', // the balance was paid out (deceased / moved): no more top-ups
  'price_approval_required', // a dish price is changed through a proposal that street or district staff approve
  'price_not_approved', // the dish has no approved price for that day yet (a new dish waiting for approval)
  'import_has_errors', // a roster with refused rows is not imported at all
  'import_incomplete', // not every row of the roster has been uploaded
  'pairing_code_invalid',
  'device_revoked',
  'offline_identity_invalid', // an offline order's credential hash is not one this server issued to that kiosk for that resident
  'csrf_rejected',
  'day_closed', // the day is already closed (日结) with other figures: a change now goes to the next close
  'date_beyond_horizon', // a date further ahead than the product allows (DATE_HORIZON_DAYS): details.field, latest, horizonDays
  'unconfirmed_orders', // counter orders still await payment: confirm or cancel each before closing (details.orders)
  'overloaded', // the server sheds load: wait for Retry-After and send the same request again
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Thrown by services; the central handler turns it into the error body with its HTTP status. */
export class AppError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly status: number = statusFor(code),
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function statusFor(code: ErrorCode): number {
  switch (code) {
    case 'bad_request':
    case 'weak_password':
    case 'policy_invalid':
    case 'quote_invalid':
    case 'date_beyond_horizon':
      return 400;
    case 'unauthenticated':
    case 'login_failed':
    case 'pin_wrong':
      return 401;
    case 'forbidden':
    case 'account_disabled':
    case 'password_change_required':
    case 'device_revoked':
    case 'csrf_rejected':
    case 'offline_identity_invalid':
      return 403;
    case 'not_found':
    case 'resident_not_found':
    case 'card_unknown':
    case 'menu_not_found':
      return 404;
    case 'payload_too_large':
      return 413;
    case 'headers_too_large':
      return 431;
    case 'request_timeout':
      return 408;
    case 'account_locked':
    case 'pin_locked':
    case 'rate_limited':
      return 429;
    case 'internal':
      return 500;
    case 'overloaded':
      return 503;
    default:
      return 409;
  }
}
