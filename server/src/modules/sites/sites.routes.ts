import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Area, CanteenStatusRequest, CanteenSummary, Id } from '@yishi/shared/schemas';
import { ALL_ROLES } from '../../lib/access';
import * as sites from './sites.service';

export async function sitesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });

  r.get('/areas', { schema: { tags: ['sites'], response: { 200: z.array(Area) } }, config: { access: { roles: ALL_ROLES } } }, async () =>
    sites.listAreas(ctx),
  );
  r.get('/canteens', { schema: { tags: ['sites'], response: { 200: z.array(CanteenSummary) } }, config: { access: { roles: ALL_ROLES } } }, async (req) =>
    sites.listCanteens(ctx, req.actor!),
  );
  r.get(
    '/canteens/:id',
    { schema: { tags: ['sites'], params: IdParams, response: { 200: CanteenSummary } }, config: { access: { roles: ALL_ROLES } } },
    async (req) => sites.getCanteen(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/canteens/:id/status',
    {
      schema: { tags: ['sites'], params: IdParams, body: CanteenStatusRequest, response: { 200: CanteenSummary } },
      config: { access: { roles: ['district', 'city', 'admin'] } },
    },
    async (req) => sites.setStatus(ctx, req.actor!, req.params.id, req.body),
  );
}
