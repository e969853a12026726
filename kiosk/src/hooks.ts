import { useEffect, useState } from 'react';

/**
 * The server's clock minus this screen's, learned from each /kiosk/state answer, so the clock on screen agrees
 * with the meal periods the server applies even when the kiosk's own clock is wrong.
 */
let serverOffsetMs = 0;
export function learnServerTime(serverTime: string): void {
  const t = Date.parse(serverTime);
  if (!Number.isNaN(t)) serverOffsetMs = t - Date.now();
}
export function serverNow(): Date {
  return new Date(Date.now() + serverOffsetMs);
}

export function useNow(everyMs: number): Date {
  const [now, setNow] = useState(() => serverNow());
  useEffect(() => {
    const id = setInterval(() => setNow(serverNow()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}

/** Seconds left until `deadline` (ms epoch), ticking each second. */
export function useCountdown(deadline: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [deadline]);
  if (deadline === null) return 0;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
