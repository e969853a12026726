import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CloseDayRequest, CloseList, CloseListQuery, DailyClose, Id, LocalDate } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import { requireUser } from '../../lib/actor';
import { sendExport, writePdf } from '../../lib/exports';
import * as closes from './closes.service';

export async function closesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  const DayParams = z.strictObject({ id: Id, date: LocalDate });

  r.get(
    '/canteens/:id/closes',
    {
      schema: { tags: ['closes'], params: IdParams, querystring: CloseListQuery, response: { 200: CloseList } },
      config: { access: { roles: ROLE_GROUPS.all } },
    },
    async (req) => closes.listCloses(ctx, req.actor!, req.params.id, req.query),
  );
  r.get(
    '/canteens/:id/closes/:date',
    { schema: { tags: ['closes'], params: DayParams, response: { 200: DailyClose } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => closes.getClose(ctx, req.actor!, req.params.id, req.params.date),
  );
  r.post(
    '/canteens/:id/closes/:date',
    {
      schema: { tags: ['closes'], params: DayParams, body: CloseDayRequest, response: { 200: DailyClose, 201: DailyClose } },
      config: { access: { roles: ROLE_GROUPS.canteenStaff } },
    },
    async (req, reply) => {
      const { close, created } = await closes.closeDay(ctx, req.actor!, req.params.id, req.params.date, req.body);
      return reply.code(created ? 201 : 200).send(close);
    },
  );
  r.get(
    '/canteens/:id/closes/:date/report.pdf',
    { schema: { tags: ['closes'], params: DayParams, querystring: z.strictObject({}) }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req, reply) => {
      const { doc, filename } = closes.closePdf(ctx, req.actor!, req.params.id, req.params.date, requireUser(req.actor).user.displayName);
      return sendExport(reply, { filename, format: 'pdf', build: (out) => writePdf(out, doc) });
    },
  );
}
