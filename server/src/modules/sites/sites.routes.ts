import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Area, CanteenStatusRequest, CanteenSummary, Id } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as canteens from './canteens.service';
import * as sites from './sites.service';

export async function sitesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });

  r.get('/areas', { schema: { tags: ['sites'], response: { 200: z.array(Area) } }, config: { access: { roles: ROLE_GROUPS.all } } }, async () =>
    sites.listAreas(ctx),
  );
  r.get('/canteens', { schema: { tags: ['sites'], response: { 200: z.array(CanteenSummary) } }, config: { access: { roles: ROLE_GROUPS.all } } }, async (req) =>
    canteens.listCanteens(ctx, req.actor!),
  );
  r.get(
    '/canteens/:id',
    { schema: { tags: ['sites'], params: IdParams, response: { 200: CanteenSummary } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => canteens.getCanteen(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/canteens/:id/status',
    {
      schema: { tags: ['sites'], params: IdParams, body: CanteenStatusRequest, response: { 200: CanteenSummary } },
      config: { access: { roles: ROLE_GROUPS.policyAuthors } },
    },
    async (req) => canteens.setStatus(ctx, req.actor!, req.params.id, req.body),
  );
}
