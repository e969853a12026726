/**
 * "Are you still there?": what the idle guard does on each tick. Pure, so the timings can be tested without a
 * browser. A person who has called staff (呼叫工作人员) and been told to wait is given much longer before the
 * question (staff may take minutes to come over), but not forever: their name and balance are on the screen.
 */
export interface IdleTimings {
  /** No touch for this long → the question. */
  idleMs: number;
  /** The same while the staff-call overlay says staff are on their way. */
  helpIdleMs: number;
  /** Then this long before the screen goes back to the start. */
  idleWarnMs: number;
}

export interface IdleNow {
  now: number;
  lastTouch: number;
  /** When the question's countdown ends; null while it is not shown. */
  warnUntil: number | null;
  /** The staff-call overlay is open (the person was told to wait for staff). */
  waitingForStaff: boolean;
}

export type IdleAction = { kind: 'wait' } | { kind: 'warn'; until: number } | { kind: 'dismiss' } | { kind: 'end' };

export function idleTick(s: IdleNow, t: IdleTimings): IdleAction {
  if (s.warnUntil === null) {
    const quiet = s.waitingForStaff ? Math.max(t.idleMs, t.helpIdleMs) : t.idleMs;
    return s.now - s.lastTouch >= quiet ? { kind: 'warn', until: s.now + t.idleWarnMs } : { kind: 'wait' };
  }
  // Touched anywhere since the question came up: they are there.
  if (s.lastTouch > s.warnUntil - t.idleWarnMs) return { kind: 'dismiss' };
  return s.now >= s.warnUntil ? { kind: 'end' } : { kind: 'wait' };
}
