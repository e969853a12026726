import { HealthResponse } from '@yishi/shared/schemas';
import { http } from '../api/client';

/**
 * The console's notion of "now" follows the server's clock: the canteen's service date and meal period must agree
 * with the server's even when this computer's clock is off (or the server runs a demo clock).
 */
let offsetMs = 0;

export function serverNow(): number {
  return Date.now() + offsetMs;
}

/** How far the server's clock is from this computer's, ignoring sub-2-second differences (they only add noise). */
export function clockOffset(serverTime: string, sentAt: number, receivedAt: number): number {
  const server = Date.parse(serverTime);
  if (Number.isNaN(server)) return 0;
  const offset = server - (sentAt + receivedAt) / 2;
  return Math.abs(offset) < 2000 ? 0 : offset;
}

export async function syncServerClock(): Promise<void> {
  try {
    const t0 = Date.now();
    const health = await http.get('/health', HealthResponse);
    offsetMs = clockOffset(health.time, t0, Date.now());
  } catch {
    /* keep the local clock */
  }
}
