import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, SimulateRequest, SimulationExportQuery, SimulationResult } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import { sendExport } from '../../lib/exports';
import * as whatif from './whatif.service';

export async function whatifRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const limit = { max: 20, timeWindow: '1 minute' };
  r.post(
    '/policies/:id/simulate',
    {
      schema: { tags: ['policy'], params: z.strictObject({ id: Id }), body: SimulateRequest, response: { 200: SimulationResult } },
      config: { access: { roles: ROLE_GROUPS.areaStaff }, rateLimit: limit },
    },
    async (req) => whatif.simulateOffThread(ctx, req.actor!, req.params.id, req.body.month, { compareWith: req.body.compareWith }),
  );
  // The same simulation as an Excel workbook: summary, payers (with a year at this month's rate), categories, who
  // pays more and less and why, and what changed since the orders were priced; every row, not only the first 200.
  r.get(
    '/policies/:id/simulation.xlsx',
    {
      schema: { tags: ['policy'], params: z.strictObject({ id: Id }), querystring: SimulationExportQuery },
      config: { access: { roles: ROLE_GROUPS.areaStaff }, rateLimit: limit },
    },
    async (req, reply) => {
      const { filename, build } = await whatif.simulationWorkbook(ctx, req.actor!, req.params.id, req.query);
      return sendExport(reply, { filename, format: 'xlsx', build });
    },
  );
}
