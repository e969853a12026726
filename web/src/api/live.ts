import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { LiveEvent as LiveEventSchema, type LiveEvent } from '@yishi/shared/schemas';
import { API_BASE } from './client';
import { qk } from './keys';
import { upsertOrder } from './orders';
import { reviewKeys } from './reviews';

export type { LiveEvent };
export type LiveStatus = 'connecting' | 'open' | 'closed';

type Listener = (e: LiveEvent) => void;
const listeners = new Set<Listener>();
/** Subscribe to every live event this console receives (e.g. to flash a new order). */
export function onLiveEvent(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Keep a WebSocket to /live for one canteen open while mounted; reconnect with exponential backoff and jitter.
 * Orders go straight into the query cache; menu and stock changes refresh the menus.
 */
export function useLive(canteenId: string | undefined): LiveStatus {
  const qc = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    if (!canteenId) return;
    let ws: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    let everOpened = false;

    const connect = () => {
      if (stopped) return;
      setStatus('connecting');
      const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
      ws = new WebSocket(`${proto}//${location.host}${API_BASE}/live?canteenId=${encodeURIComponent(canteenId)}`);
      ws.onopen = () => {
        attempt = 0;
        setStatus('open');
        // Anything missed while disconnected: fetch again.
        if (everOpened) {
          void qc.invalidateQueries({ queryKey: qk.ordersAll(canteenId) });
          void qc.invalidateQueries({ queryKey: qk.menusAll(canteenId) });
        }
        everOpened = true;
      };
      ws.onmessage = (msg) => {
        let raw: unknown;
        try {
          raw = JSON.parse(String(msg.data));
        } catch {
          return;
        }
        const parsed = LiveEventSchema.safeParse(raw);
        if (!parsed.success) {
          console.warn('live: unexpected event', parsed.error.issues);
          return;
        }
        const ev = parsed.data;
        if (ev.type === 'order.created' || ev.type === 'order.updated') {
          upsertOrder(qc, ev.order);
          void qc.invalidateQueries({ queryKey: qk.canteens, exact: false, refetchType: 'none' });
          // The paged orders list is the server's page: fetch it again (only while it is on screen).
          void qc.invalidateQueries({ queryKey: [...qk.ordersAll(ev.canteenId), 'page'] });
          void qc.invalidateQueries({ queryKey: qk.closes(ev.canteenId), refetchType: 'none' });
        } else if (ev.type === 'delivery.updated') {
          void qc.invalidateQueries({ queryKey: qk.deliveriesAll(ev.canteenId) });
        } else if (ev.type === 'delivery.alert' || ev.type === 'delivery.alert_acknowledged') {
          void qc.invalidateQueries({ queryKey: qk.deliveryAlerts });
          void qc.invalidateQueries({ queryKey: qk.deliveriesAll(ev.canteenId) });
        } else if (ev.type === 'day.closed') {
          void qc.invalidateQueries({ queryKey: qk.closes(ev.canteenId) });
        } else if (ev.type === 'order.refused' || ev.type === 'order.refusal_handled') {
          // The side menu's count of refused offline orders and the 被拒收 list.
          void qc.invalidateQueries({ queryKey: reviewKeys.all });
        } else if (ev.type === 'menu.changed' || ev.type === 'stock.changed') {
          void qc.invalidateQueries({ queryKey: qk.menusAll(ev.canteenId) });
        }
        for (const l of listeners) l(ev);
      };
      ws.onclose = () => {
        ws = null;
        if (stopped) return;
        setStatus('closed');
        const delay = Math.min(30_000, 1000 * 2 ** attempt) * (0.7 + Math.random() * 0.6);
        attempt += 1;
        timer = setTimeout(connect, delay);
      };
      ws.onerror = () => {
        ws?.close();
      };
    };
    connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      ws?.close();
    };
  }, [canteenId, qc]);

  return canteenId ? status : 'closed';
}
