import { isRetryable, retryAfterOf } from '../api';
import { nextWaitMs } from '../backoff';
import type { Slice } from './types';

/**
 * 呼叫工作人员. The call is sent until the server has it (backoff, Retry-After), and the screen says which it
 * is: on its way, reached staff, or not reached yet (and to wave to the counter). The call has the kiosk's own id,
 * so a resend is the same call. When staff acknowledge it in the console (已处理), the live event
 * help.acknowledged reaches this kiosk alone and helpAcknowledged says so on screen.
 */
export type HelpStatus = 'idle' | 'sending' | 'sent' | 'retrying' | 'failed' | 'acknowledged';

export interface HelpSlice {
  help: { status: HelpStatus; requestId: string | null; attempts: number; overlay: boolean };
  callStaff: () => Promise<void>;
  closeHelp: () => void;
  /** Staff acknowledged the call (any call of this kiosk when no id is given). */
  helpAcknowledged: (requestId?: string) => void;
}

export const helpSlice: Slice<HelpSlice> = (deps) => (set, get) => ({
  help: { status: 'idle', requestId: null, attempts: 0, overlay: false },
  callStaff: async () => {
    const cur = get().help;
    if (cur.status === 'sending' || cur.status === 'retrying') {
      set({ help: { ...cur, overlay: true } }); // already on its way: show it again, do not call twice
      return;
    }
    const requestId = deps.newId();
    const mine = () => get().help.requestId === requestId;
    set({ help: { status: 'sending', requestId, attempts: 1, overlay: true } });
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await get().track(deps.api.callStaff(requestId));
        // The same call (same id) may have been acknowledged already while the answer was on its way.
        if (mine() && get().help.status !== 'acknowledged') set({ help: { ...get().help, status: r.data.acknowledgedAt ? 'acknowledged' : 'sent' } });
        return;
      } catch (e) {
        if (!mine()) return;
        if (!isRetryable(e) || attempt + 1 >= deps.timing.helpMaxAttempts) {
          set({ help: { ...get().help, status: 'failed' } });
          return;
        }
        set({ help: { ...get().help, status: 'retrying', attempts: attempt + 2 } });
        await deps.sleep(nextWaitMs(attempt, retryAfterOf(e), deps.random));
        if (!mine()) return;
      }
    }
  },
  closeHelp: () => set({ help: { ...get().help, overlay: false } }),
  helpAcknowledged: (requestId) => {
    const h = get().help;
    if (h.requestId === null || (requestId !== undefined && requestId !== h.requestId)) return;
    set({ help: { ...h, status: 'acknowledged', overlay: true } });
  },
});
