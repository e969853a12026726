/**
 * WS /api/v1/live: pushes LiveEvent messages (menu and stock changes, new and updated orders) for the
 * canteens the caller may see. Authenticated on upgrade by the same rules as every route.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { LiveEvent } from '@yishi/shared/schemas';
import { Id } from '@yishi/shared/schemas';
import { ALL_ROLES } from '../../lib/access';
import { canSeeCanteen, type Actor } from '../../lib/actor';
import type { Ctx } from '../../lib/context';
import { eq } from 'drizzle-orm';
import { sessions, users } from '../../db/schema';
import { deviceStillValid } from '../kiosk/kiosk.service';
import { allCanteens, canteenById } from '../sites/sites.repo';

const LiveQuery = z.strictObject({ canteenId: Id.optional() });

function stillValid(ctx: Ctx, actor: Actor): boolean {
  const now = ctx.clock.now().toISOString();
  if (actor.kind === 'device') return deviceStillValid(ctx, actor.deviceId);
  const row = ctx.db.read
    .select({ revokedAt: sessions.revokedAt, expiresAt: sessions.expiresAt, disabled: users.disabled })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, actor.sessionId))
    .get();
  return !!row && row.revokedAt === null && row.expiresAt > now && !row.disabled;
}

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
      canteenIds = new Set(
        allCanteens(ctx.db.read)
          .filter((c) => canSeeCanteen(actor, c))
          .map((c) => c.id),
      );
    }
    const send = (e: LiveEvent) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(e));
    };
    const unsubscribe = ctx.bus.subscribe((e) => {
      if ('canteenId' in e && canteenIds.has(e.canteenId)) send(e);
    });
    // A socket lives no longer than the credential it was opened with: logging out, revoking the kiosk or
    // disabling the user closes it within the check interval.
    const check = setInterval(() => {
      let valid = false;
      try {
        valid = stillValid(ctx, actor);
      } catch {
        // The database is closing (server shutdown): the socket goes with it.
      }
      if (!valid) socket.close(4001, 'credential no longer valid');
    }, ctx.config.liveRecheckMs ?? 15_000);
    const stop = () => {
      clearInterval(check);
      unsubscribe();
    };
    socket.on('close', stop);
    socket.on('error', stop);
    // Clients only listen; anything they send is ignored.
    socket.on('message', () => undefined);
    send({ type: 'hello', canteenIds: [...canteenIds] });
  });
}
