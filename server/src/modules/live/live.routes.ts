/**
 * WS /api/v1/live: pushes LiveEvent messages (menu and stock changes, new and updated orders) for the
 * canteens the caller may see. Authenticated on upgrade by the same rules as every route.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DeviceLiveEvent, LiveEvent } from '@yishi/shared/schemas';
import { Id } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as live from './live.service';

const LiveQuery = z.strictObject({ canteenId: Id.optional() });

export async function liveRoutes(app: FastifyInstance) {
  const ctx = app.ctx;
  // Each open socket's stop(): the app stops every credential re-check before the database closes.
  const open = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const stop of [...open]) stop();
  });
  app.get('/live', { websocket: true, config: { access: { roles: ROLE_GROUPS.all, device: true } } }, (socket, req) => {
    const actor = req.actor!;
    const parsed = LiveQuery.safeParse(req.query);
    if (!parsed.success) {
      socket.close(1008, 'bad query');
      return;
    }
    const canteenIds = live.canteensFor(ctx, actor, parsed.data.canteenId);
    if (!canteenIds) {
      socket.close(1008, 'no such canteen');
      return;
    }
    // The events of one change (an order: order.created and a stock.changed per dish) leave this socket in one
    // write: the TCP socket under ws is corked on the first send of a tick and uncorked on the next one, instead
    // of one system call per event and recipient (most of what the fan-out cost).
    const tcp = (socket as unknown as { _socket?: Socket })._socket;
    let corked = false;
    const send = (e: LiveEvent | DeviceLiveEvent | null) => {
      if (!e || socket.readyState !== socket.OPEN) return;
      if (tcp && !corked) {
        corked = true;
        tcp.cork();
        process.nextTick(() => {
          corked = false;
          tcp.uncork();
        });
      }
      socket.send(JSON.stringify(e));
    };
    // Each event is rewritten for this recipient before it leaves: a kiosk never hears names or addresses.
    const unsubscribe = ctx.bus.subscribe((e) => {
      if ('canteenId' in e && canteenIds.has(e.canteenId)) send(live.eventFor(actor, e));
    });
    live.opened(ctx, actor);
    // A socket lives no longer than the credential it was opened with: logging out, revoking the kiosk or
    // disabling the user closes it within the check interval.
    const check = setInterval(() => {
      let valid = false;
      try {
        valid = live.stillValid(ctx, actor);
      } catch {
        // The database is closing (server shutdown): the socket goes with it.
      }
      if (!valid) socket.close(4001, 'credential no longer valid');
    }, ctx.config.liveRecheckMs ?? 15_000);
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      clearInterval(check);
      unsubscribe();
      open.delete(stop);
      live.closed(ctx, actor);
    };
    open.add(stop);
    socket.on('close', stop);
    socket.on('error', stop);
    // Clients only listen; anything they send is ignored.
    socket.on('message', () => undefined);
    send(live.eventFor(actor, { type: 'hello', canteenIds: [...canteenIds] }));
  });
}
