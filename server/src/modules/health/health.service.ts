import type { Ctx } from '../../lib/context';

/** The server answers and its database answers. */
export function health(ctx: Ctx): { status: 'ok'; db: 'ok'; time: string } {
  ctx.db.ping();
  return { status: 'ok', db: 'ok', time: ctx.clock.now().toISOString() };
}
