/**
 * WS /api/v1/live: pushes LiveEvent messages (menu and stock changes, new and updated orders) for the
 * canteens the caller may see. Authenticated on upgrade by the same rules as every route.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { LiveEvent } from '@yishi/shared/schemas';
import { Id } from '@yishi/shared/schemas';
import { ALL_ROLES } from '../../lib/access';
import { canSeeCanteen } from '../../lib/actor';
import { allCanteens, canteenById } from '../sites/sites.repo';

const LiveQuery = z.strictObject({ canteenId: Id.optional() });

export async function liveRoutes(app: FastifyInstance) {
  const ctx = app.ctx;
  app.get('/live', { websocket: true, config: { access: { roles: ALL_ROLES, device: true } } }, (socket, req) => {
    const actor = req.actor!;
    const parsed = LiveQuery.safeParse(req.query);
    let canteenIds: Set<string>;
    if (!parsed.success) {
      socket.close(1008, 'bad query');
      return;
    }
    if (parsed.data.canteenId) {
      const c = canteenById(ctx.db.read, parsed.data.canteenId);
      if (!c || !canSeeCanteen(actor, c)) {
        socket.close(1008, 'no such canteen');
        return;
      }
      canteenIds = new Set([c.id]);
    } else {
      canteenIds = new Set(allCanteens(ctx.db.read).filter((c) => canSeeCanteen(actor, c)).map((c) => c.id));
    }
    const send = (e: LiveEvent) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(e));
    };
    const unsubscribe = ctx.bus.subscribe((e) => {
      if ('canteenId' in e && canteenIds.has(e.canteenId)) send(e);
    });
    socket.on('close', unsubscribe);
    socket.on('error', unsubscribe);
    // Clients only listen; anything they send is ignored.
    socket.on('message', () => undefined);
    send({ type: 'hello', canteenIds: [...canteenIds] });
  });
}
