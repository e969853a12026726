/**
 * Kiosk resident tickets: after a kiosk identifies a resident (card, QR, phone + PIN) it gets a signed,
 * short-lived ticket naming the resident, the device and the method. Quotes and orders from a kiosk
 * carry the ticket, so a kiosk cannot order on someone's subsidy without identifying them first.
 */
import { AppError } from '@yishi/shared/schemas';
import type { IdentifyMethod } from '@yishi/shared';
import type { FieldCrypto } from './crypto';

export const TICKET_MINUTES = 15;

interface TicketBody {
  r: string; // resident id
  d: string; // device id
  m: IdentifyMethod;
  e: number; // expiry, epoch ms
  t?: string; // the card or QR token that identified them (checked again on every use: a revoked card stops at once)
}

/** Who a ticket names and how they identified: checked against the records again on every use. */
export interface TicketHolder {
  residentId: string;
  method: IdentifyMethod;
  /** The card or QR code used (card and QR tickets). */
  tokenId: string | null;
}

export function issueTicket(crypto: FieldCrypto, holder: TicketHolder, deviceId: string, now: Date): { ticket: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + TICKET_MINUTES * 60_000);
  const body: TicketBody = { r: holder.residentId, d: deviceId, m: holder.method, e: expiresAt.getTime(), ...(holder.tokenId ? { t: holder.tokenId } : {}) };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return { ticket: `${payload}.${crypto.sign(payload)}`, expiresAt };
}

/**
 * The holder a ticket names, if it is this server's, for this kiosk and not expired. The caller then checks the
 * holder against the records (residents.assertTicketHolder): the card still live, the resident still active.
 */
export function readTicket(crypto: FieldCrypto, ticket: string, deviceId: string, now: Date): TicketHolder {
  const t = readTicketSigned(crypto, ticket, deviceId);
  if (t.expiresAt <= now.getTime()) throw new AppError('unauthenticated', 'the resident ticket expired; please tap the card again', 401, { expired: true });
  return { residentId: t.residentId, method: t.method, tokenId: t.tokenId };
}

/**
 * A ticket this server signed for this kiosk, whatever its age: for an order that reaches the server late from
 * the kiosk's outbox, whose quote (signed, for the same resident) shows the identification was current when
 * the elder confirmed.
 */
export function readTicketSigned(crypto: FieldCrypto, ticket: string, deviceId: string): TicketHolder & { expiresAt: number } {
  const [payload, sig] = ticket.split('.');
  if (!payload || !sig || !crypto.verify(payload, sig)) throw new AppError('unauthenticated', 'the resident ticket is not valid; please tap the card again');
  let body: TicketBody;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TicketBody;
  } catch {
    throw new AppError('unauthenticated', 'the resident ticket is not valid; please tap the card again');
  }
  if (body.d !== deviceId) throw new AppError('unauthenticated', 'this ticket belongs to another kiosk');
  return { residentId: body.r, method: body.m, tokenId: body.t ?? null, expiresAt: body.e };
}
