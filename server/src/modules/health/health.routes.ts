import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

export async function healthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/health',
    {
      schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok'), db: z.literal('ok'), time: z.string() }) } },
      config: { access: { public: true } },
    },
    async () => {
      app.ctx.db.readerConn.prepare('SELECT 1').get();
      return { status: 'ok' as const, db: 'ok' as const, time: app.ctx.clock.now().toISOString() };
    },
  );
}
