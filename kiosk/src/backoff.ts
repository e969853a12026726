/** Backoff delay for attempt n (0-based): 1 s, 2 s, 4 s … capped at `capMs` (30 s), with ±20 % jitter so kiosks do not retry in step. */
export function backoffMs(attempt: number, random: () => number = Math.random, capMs = 30_000): number {
  const base = Math.min(capMs, 1000 * 2 ** Math.min(Math.max(0, attempt), 10));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** The wait before the next try: the backoff, or longer if the server asked for more (Retry-After). */
export function nextWaitMs(attempt: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  return Math.max(backoffMs(attempt, random), retryAfterMs ?? 0);
}
