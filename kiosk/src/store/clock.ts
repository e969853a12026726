import type { KioskDeps, Prefs, Slice } from './types';

/**
 * The server's clock as this kiosk knows it: the offset between the server's time and the device's, learned
 * from every answer that carries the server's time. Until it is known the top bar shows no time at all (never
 * the device's own clock, which on a kiosk is often wrong). It is remembered, so a reload shows the server's
 * time from the first paint; a remembered offset older than two days, or from a device clock that has since
 * gone backwards, is not trusted.
 */
export interface ClockSlice {
  /** Server time minus device time (ms); null until the kiosk has heard the server. */
  serverOffsetMs: number | null;
  learnServerTime: (serverTime: string) => void;
}

const KEY = 'yishi.kiosk.clock';
const TRUST_MS = 48 * 3600_000;

export function rememberedOffset(prefs: Prefs, deviceNow: number): number | null {
  try {
    const raw = prefs.get(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as { offsetMs?: unknown; learnedAt?: unknown };
    if (typeof v.offsetMs !== 'number' || typeof v.learnedAt !== 'number') return null;
    const age = deviceNow - v.learnedAt;
    return age >= 0 && age < TRUST_MS ? v.offsetMs : null;
  } catch {
    return null;
  }
}

export const clockSlice: Slice<ClockSlice> = (deps: KioskDeps) => (set) => ({
  serverOffsetMs: rememberedOffset(deps.prefs, deps.now()),
  learnServerTime: (serverTime) => {
    const t = Date.parse(serverTime);
    if (Number.isNaN(t)) return;
    const learnedAt = deps.now();
    const offsetMs = t - learnedAt;
    deps.prefs.set(KEY, JSON.stringify({ offsetMs, learnedAt }));
    set({ serverOffsetMs: offsetMs });
  },
});

/** The server's time now, or null while unknown. */
export function serverNow(s: Pick<ClockSlice, 'serverOffsetMs'>, deviceNow: number): Date | null {
  return s.serverOffsetMs === null ? null : new Date(deviceNow + s.serverOffsetMs);
}
