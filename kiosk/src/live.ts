import { DeviceLiveEvent } from '@yishi/shared/schemas';
import { API_BASE } from './api';
import { backoffMs } from './backoff';

export interface LiveHandlers {
  onEvent: (ev: DeviceLiveEvent) => void;
  /** Called on every (re)connection: refetch what may have been missed. */
  onOpen: () => void;
  onClose: () => void;
}

export function liveUrl(loc: Pick<Location, 'protocol' | 'host'>, canteenId: string): string {
  const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${loc.host}${API_BASE}/live?canteenId=${encodeURIComponent(canteenId)}`;
}

/** Keep one WebSocket open to /api/v1/live, reconnecting with backoff. Returns a function that closes it for good. */
export function connectLive(canteenId: string, handlers: LiveHandlers): () => void {
  let ws: WebSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const open = () => {
    if (stopped) return;
    try {
      ws = new WebSocket(liveUrl(window.location, canteenId));
    } catch {
      schedule();
      return;
    }
    ws.onopen = () => {
      attempt = 0;
      handlers.onOpen();
    };
    ws.onmessage = (msg) => {
      if (typeof msg.data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(msg.data);
      } catch {
        return;
      }
      const parsed = DeviceLiveEvent.safeParse(json);
      if (parsed.success) handlers.onEvent(parsed.data);
    };
    ws.onclose = () => {
      ws = null;
      handlers.onClose();
      schedule();
    };
    ws.onerror = () => {
      ws?.close();
    };
  };

  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      open();
    }, backoffMs(attempt++));
  };

  const wake = () => {
    // The network came back: try now rather than wait out the backoff.
    if (ws || stopped) return;
    if (timer) clearTimeout(timer);
    timer = null;
    attempt = 0;
    open();
  };
  window.addEventListener('online', wake);
  open();

  return () => {
    stopped = true;
    window.removeEventListener('online', wake);
    if (timer) clearTimeout(timer);
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
  };
}
