/**
 * The console's notion of "now" follows the server's clock: the canteen's service date and meal period must agree
 * with the server's even when this computer's clock is off (or the server runs a demo clock).
 */
let offsetMs = 0;

export function serverNow(): number {
  return Date.now() + offsetMs;
}

export async function syncServerClock(): Promise<void> {
  try {
    const t0 = Date.now();
    const res = await fetch('/api/v1/health', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    const t1 = Date.now();
    if (!res.ok) return;
    const body = (await res.json()) as { time?: unknown };
    if (typeof body.time !== 'string') return;
    const server = Date.parse(body.time);
    if (Number.isNaN(server)) return;
    offsetMs = server - (t0 + t1) / 2;
    // Ignore sub-second differences: they only add noise.
    if (Math.abs(offsetMs) < 2000) offsetMs = 0;
  } catch {
    /* keep the local clock */
  }
}
