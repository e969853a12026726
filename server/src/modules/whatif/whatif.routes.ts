import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, SimulateRequest, SimulationResult } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as whatif from './whatif.service';

export async function whatifRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  r.post(
    '/policies/:id/simulate',
    {
      schema: { tags: ['policy'], params: z.strictObject({ id: Id }), body: SimulateRequest, response: { 200: SimulationResult } },
      config: { access: { roles: ROLE_GROUPS.areaStaff }, rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req) => whatif.simulate(ctx, req.actor!, req.params.id, req.body.month),
  );
}
