import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AckAlertRequest,
  AssignCourierRequest,
  Delivery,
  DeliveryAlerts,
  DeliveryDoneRequest,
  DeliveryExportQuery,
  DeliveryListQuery,
  DeliveryOutRequest,
  DeliveryPage,
  DeliveryRoutes,
  Id,
  LocalDate,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import { listExport, sendExport, table, type ExportMeta } from '../../lib/exports';
import { maskPhone } from '../../lib/crypto';
import { requireUser } from '../../lib/actor';
import { zh } from '../../lib/labels';
import * as rounds from './rounds.service';

export async function roundsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  const everyone = { roles: ROLE_GROUPS.all };
  const staff = { roles: ROLE_GROUPS.canteenStaff };

  r.get(
    '/canteens/:id/deliveries',
    { schema: { tags: ['deliveries'], params: IdParams, querystring: DeliveryListQuery, response: { 200: DeliveryPage } }, config: { access: everyone } },
    async (req) => rounds.list(ctx, req.actor!, req.params.id, req.query),
  );
  r.get(
    '/canteens/:id/delivery-routes',
    {
      schema: { tags: ['deliveries'], params: IdParams, querystring: z.strictObject({ date: LocalDate }), response: { 200: DeliveryRoutes } },
      config: { access: everyone },
    },
    async (req) => rounds.routes(ctx, req.actor!, req.params.id, req.query.date),
  );
  r.get(
    '/canteens/:id/deliveries/export',
    { schema: { tags: ['deliveries', 'exports'], params: IdParams, querystring: DeliveryExportQuery }, config: { access: everyone } },
    async (req, reply) => {
      const q = req.query;
      const { canteen, rows } = await rounds.exportDay(ctx, req.actor!, req.params.id, q);
      const list = table<Delivery>({
        title: `送餐路线 · ${canteen.name}`,
        sheetName: '送餐路线',
        subtitle: [q.date, q.mealPeriod ? zh('mealPeriods', q.mealPeriod) : null, q.state ? zh('deliveryStates', q.state) : null, '电话只显示后 4 位']
          .filter(Boolean)
          .join(' · '),
        columns: [
          { header: '送餐员', value: (d) => d.courier ?? '未分配' },
          { header: '站序', value: (d) => d.stopOrder, kind: 'int' },
          { header: '取餐号', value: 'pickupNumber', kind: 'int' },
          { header: '餐次', value: (d) => zh('mealPeriods', d.mealPeriod) },
          { header: '长者', value: (d) => d.residentName ?? '' },
          { header: '独居', value: (d) => (d.livesAlone ? '是' : '') },
          { header: '联系电话', value: (d) => maskPhone(d.phoneLast4) ?? '' },
          { header: '街道', value: (d) => d.streetName ?? '' },
          { header: '社区', value: (d) => d.communityName ?? '' },
          { header: '地址', value: 'address', width: 32 },
          { header: '菜品', value: 'items', width: 28 },
          { header: '照护等级', value: 'careLevelAtOrder', kind: 'int' },
          { header: '状态', value: (d) => zh('deliveryStates', d.state) },
          { header: '出发时间', value: 'dispatchedAt', kind: 'datetime' },
          { header: '送达时间', value: 'deliveredAt', kind: 'datetime' },
          { header: '未送达时间', value: 'failedAt', kind: 'datetime' },
          { header: '未送达原因', value: (d) => d.failReason ?? '' },
        ],
        rows,
      });
      const meta: ExportMeta = { exportedBy: requireUser(req.actor).user.displayName, scope: `${canteen.name} · ${q.date}`, timeZone: canteen.timeZone };
      return sendExport(reply, { filename: `送餐路线_${canteen.shortName}_${q.date}`, format: q.format, build: listExport(q.format, list, meta) });
    },
  );
  r.post(
    '/canteens/:id/deliveries/assign',
    {
      schema: { tags: ['deliveries'], params: IdParams, body: AssignCourierRequest, response: { 200: z.object({ items: z.array(Delivery) }) } },
      config: { access: staff },
    },
    async (req) => ({ items: await rounds.assign(ctx, req.actor!, req.params.id, req.body) }),
  );
  r.post(
    '/deliveries/:id/out',
    { schema: { tags: ['deliveries'], params: IdParams, body: DeliveryOutRequest, response: { 200: Delivery } }, config: { access: staff } },
    async (req) => rounds.markOut(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/deliveries/:id/done',
    { schema: { tags: ['deliveries'], params: IdParams, body: DeliveryDoneRequest, response: { 200: Delivery } }, config: { access: staff } },
    async (req) => rounds.markDone(ctx, req.actor!, req.params.id, req.body),
  );
  r.get('/delivery-alerts', { schema: { tags: ['deliveries'], response: { 200: DeliveryAlerts } }, config: { access: everyone } }, async (req) => ({
    items: rounds.alerts(ctx, req.actor!),
  }));
  r.post(
    '/deliveries/:id/acknowledge',
    { schema: { tags: ['deliveries'], params: IdParams, body: AckAlertRequest, response: { 200: Delivery } }, config: { access: staff } },
    async (req) => rounds.acknowledge(ctx, req.actor!, req.params.id, req.body),
  );
}
