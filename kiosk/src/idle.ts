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

/**
 * The ticket screen goes back to the start on its own after `ticketMs`. While the staff-call overlay says staff are
 * coming it waits as the menu does (`helpIdleMs`); once the overlay is closed the person gets the whole `ticketMs`
 * again. It went back after 20 s and took the "please wait" message with it, before staff had come over.
 */
export function ticketDeadline(deadline: number, now: number, waitingForStaff: boolean, t: { ticketMs: number; helpIdleMs: number }): number {
  return waitingForStaff ? Math.max(deadline, now + t.helpIdleMs) : now + t.ticketMs;
}
