/** Timings, overridable from the URL for tests and demos: /kiosk/?idleMs=5000&idleWarnMs=5000&ticketMs=3000 */
function num(name: string, fallback: number): number {
  try {
    const v = new URLSearchParams(window.location.search).get(name);
    const n = v === null ? NaN : Number(v);
    return Number.isFinite(n) && n >= 0 ? n : fallback;
  } catch {
    return fallback;
  }
}

export const config = {
  /** No touch for this long on the menu / confirm / keypad screens → "are you still there?". */
  idleMs: num('idleMs', 60_000),
  /** The same while the staff-call overlay is open: the person was told to wait for staff, who may take minutes. */
  helpIdleMs: num('helpIdleMs', 5 * 60_000),
  /** Then this long before the screen goes back to the start. */
  idleWarnMs: num('idleWarnMs', 30_000),
  /** A refusal on the start screen (unknown card, wrong PIN) goes after this long: the next person should not find it. */
  startNoticeMs: num('startNoticeMs', 30_000),
  /** The ticket screen goes back to the start after this long. */
  ticketMs: num('ticketMs', 20_000),
  /** Refetch /kiosk/state this often (meal periods open and close). */
  statePollMs: num('statePollMs', 60_000),
  /** Send the order outbox this often while online. */
  outboxMs: num('outboxMs', 15_000),
  /** Refill the offline identification cache this often while online. */
  offlineCacheMs: num('offlineCacheMs', 15 * 60_000),
  /** Tell the console this kiosk's state this often. */
  heartbeatMs: num('heartbeatMs', 60_000),
};
