import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  Indicators,
  IndicatorsExportQuery,
  IndicatorsQuery,
  RatingRequest,
  RatingResponse,
  Report,
  ReportExportQuery,
  ReportQuery,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import { requireUser } from '../../lib/actor';
import { sendExport } from '../../lib/exports';
import * as reports from './reports.service';
import { indicatorsTitle, periodText, reportTitle, writeIndicators, writeReport } from './reports.export';

export async function reportsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const everyone = { roles: ROLE_GROUPS.all };

  r.get('/reports', { schema: { tags: ['reports'], querystring: ReportQuery, response: { 200: Report } }, config: { access: everyone } }, async (req) =>
    reports.report(ctx, req.actor, req.query),
  );
  r.get('/reports/export', { schema: { tags: ['reports'], querystring: ReportExportQuery }, config: { access: everyone } }, async (req, reply) => {
    const { format, ...q } = req.query;
    const rep = await reports.report(ctx, req.actor, q); // scope is checked here, before the first byte
    const meta = { exportedBy: requireUser(req.actor).user.displayName, scope: `${rep.scope.name} · ${periodText(rep.from, rep.to)}` };
    return sendExport(reply, {
      filename: `${reportTitle(rep)}_${rep.from}_${rep.to}`,
      format,
      build: (out) => writeReport(out, rep, format, meta),
    });
  });
  r.get(
    '/reports/indicators',
    { schema: { tags: ['reports'], querystring: IndicatorsQuery, response: { 200: Indicators } }, config: { access: everyone } },
    async (req) => reports.indicators(ctx, req.actor, req.query),
  );
  r.get(
    '/reports/indicators/export',
    { schema: { tags: ['reports'], querystring: IndicatorsExportQuery }, config: { access: everyone } },
    async (req, reply) => {
      const { format, ...q } = req.query;
      const x = await reports.indicators(ctx, req.actor, q);
      const meta = { exportedBy: requireUser(req.actor).user.displayName, scope: `${x.scope.name} · ${periodText(x.from, x.to)}` };
      return sendExport(reply, {
        filename: `${indicatorsTitle(x)}_${x.from}_${x.to}`,
        format,
        build: (out) => writeIndicators(out, x, format, meta),
      });
    },
  );
  r.post(
    '/ratings',
    {
      schema: { tags: ['reports'], body: RatingRequest, response: { 200: RatingResponse, 201: RatingResponse } },
      config: { access: { roles: [], device: true } },
    },
    async (req, reply) => {
      const { rating, created } = await reports.rate(ctx, req.actor, req.body);
      return reply.code(created ? 201 : 200).send(rating);
    },
  );
}
