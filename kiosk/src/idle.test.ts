import { describe, expect, it } from 'vitest';
import { idleTick, ticketDeadline, type IdleTimings } from './idle';

const T: IdleTimings = { idleMs: 60_000, helpIdleMs: 300_000, idleWarnMs: 30_000 };
const at = (now: number, o: { warnUntil?: number | null; waitingForStaff?: boolean; lastTouch?: number } = {}) =>
  idleTick({ now, lastTouch: o.lastTouch ?? 0, warnUntil: o.warnUntil ?? null, waitingForStaff: o.waitingForStaff ?? false }, T);

describe('idle guard', () => {
  it('asks after a minute of no touch, then ends the session 30 s later unless touched', () => {
    expect(at(59_999).kind).toBe('wait');
    expect(at(60_000)).toEqual({ kind: 'warn', until: 90_000 });
    expect(at(89_999, { warnUntil: 90_000 }).kind).toBe('wait');
    expect(at(90_000, { warnUntil: 90_000 }).kind).toBe('end');
    expect(at(70_000, { warnUntil: 90_000, lastTouch: 65_000 }).kind).toBe('dismiss');
  });

  it('does not send back to the start a person told to wait for staff after 90 s: they get 5 minutes, then the question', () => {
    // The walk-through: 呼叫工作人员 on the menu with a dish in the basket; "已通知工作人员，请稍候"; staff take two minutes.
    expect(at(60_000, { waitingForStaff: true }).kind).toBe('wait');
    expect(at(120_000, { waitingForStaff: true }).kind).toBe('wait');
    expect(at(299_999, { waitingForStaff: true }).kind).toBe('wait');
    // Still asked first, with the usual time to answer; never reset without a warning.
    expect(at(300_000, { waitingForStaff: true })).toEqual({ kind: 'warn', until: 330_000 });
    expect(at(330_000, { warnUntil: 330_000, waitingForStaff: true }).kind).toBe('end');
  });

  it('the ticket screen waits for staff too, then gives the whole time again once the staff message is closed', () => {
    const t = { ticketMs: 20_000, helpIdleMs: 300_000 };
    // 呼叫工作人员 on the ticket 5 s in: it went back to the start at 20 s with "请稍候" still on the screen.
    expect(ticketDeadline(20_000, 5_000, true, t)).toBe(305_000);
    expect(ticketDeadline(20_000, 90_000, false, t)).toBe(110_000);
  });
});
