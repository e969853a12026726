import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Anomaly, AnomalyExportQuery, AnomalyListQuery, AnomalyOrderPage, AnomalyOrderQuery, AnomalyPage, Id } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import { sendExport } from '../../lib/exports';
import * as anomalies from './anomalies.service';

/**
 * Reading anomalies (street, district and city staff, in their area). Scanning, explaining and confirming are
 * served by the claims module, because confirming an anomaly changes claims.
 */
export async function anomaliesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  const access = { access: { roles: ROLE_GROUPS.reviewers } };

  r.get('/anomalies', { schema: { tags: ['anomalies'], querystring: AnomalyListQuery, response: { 200: AnomalyPage } }, config: access }, async (req) =>
    anomalies.list(ctx, req.actor!, req.query),
  );
  r.get(
    '/anomalies/export',
    {
      schema: { tags: ['anomalies'], querystring: AnomalyExportQuery },
      config: access,
    },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const file = anomalies.exportList(ctx, req.actor!, q, format);
      return sendExport(reply, { filename: file.filename, format, build: file.build });
    },
  );
  r.get('/anomalies/:id', { schema: { tags: ['anomalies'], params: IdParams, response: { 200: Anomaly } }, config: access }, async (req) =>
    anomalies.get(ctx, req.actor!, req.params.id),
  );
  r.get(
    '/anomalies/:id/orders',
    { schema: { tags: ['anomalies'], params: IdParams, querystring: AnomalyOrderQuery, response: { 200: AnomalyOrderPage } }, config: access },
    async (req) => anomalies.orders(ctx, req.actor!, req.params.id, req.query.limit, req.query.offset),
  );
}
