import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as health from './health.service';

export async function healthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/health',
    {
      schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok'), db: z.literal('ok'), time: z.string() }) } },
      config: { access: { public: true } },
    },
    async () => health.health(app.ctx),
  );
}
