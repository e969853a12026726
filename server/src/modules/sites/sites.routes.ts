import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Area } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as sites from './sites.service';

export async function sitesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  r.get('/areas', { schema: { tags: ['sites'], response: { 200: z.array(Area) } }, config: { access: { roles: ROLE_GROUPS.all } } }, async () =>
    sites.listAreas(ctx),
  );
}
