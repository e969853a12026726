import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CanteenStatusRequest, CanteenSummary, Id } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as overview from './overview.service';

export async function overviewRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });

  r.get('/canteens', { schema: { tags: ['sites'], response: { 200: z.array(CanteenSummary) } }, config: { access: { roles: ROLE_GROUPS.all } } }, async (req) =>
    overview.listCanteens(ctx, req.actor!),
  );
  r.get(
    '/canteens/:id',
    { schema: { tags: ['sites'], params: IdParams, response: { 200: CanteenSummary } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => overview.getCanteen(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/canteens/:id/status',
    {
      schema: { tags: ['sites'], params: IdParams, body: CanteenStatusRequest, response: { 200: CanteenSummary } },
      config: { access: { roles: ROLE_GROUPS.policyAuthors } },
    },
    async (req) => overview.setStatus(ctx, req.actor!, req.params.id, req.body),
  );
}
