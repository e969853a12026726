import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CancelOrderRequest,
  ConfirmPaymentRequest,
  CreateOrderRequest,
  Id,
  KioskOrder,
  Order,
  OrderExportQuery,
  OrderListQuery,
  OrderStateRequest,
  PickupStatus,
  Quote,
  QuoteRequest,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import { listExport, sendExport, table } from '../../lib/exports';
import { requireUser } from '../../lib/actor';
import { zh } from '../../lib/labels';
import * as orders from './orders.service';

export async function ordersRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  const staff = { roles: ROLE_GROUPS.canteenStaff };

  r.post(
    '/quotes',
    { schema: { tags: ['orders'], body: QuoteRequest, response: { 200: Quote } }, config: { access: { roles: ROLE_GROUPS.all, device: true } } },
    async (req) => orders.quote(ctx, req.actor!, req.body),
  );
  r.post(
    '/orders',
    {
      // Console staff get the order; a kiosk its receipt, naming nobody (KioskOrder).
      schema: { tags: ['orders'], body: CreateOrderRequest, response: { 200: z.union([Order, KioskOrder]), 201: z.union([Order, KioskOrder]) } },
      config: { access: { roles: staff.roles, device: true } },
    },
    async (req, reply) => {
      const { order, created } = await orders.createOrder(ctx, req.actor!, req.body);
      return reply.code(created ? 201 : 200).send(order);
    },
  );
  r.get(
    '/orders',
    {
      schema: { tags: ['orders'], querystring: OrderListQuery, response: { 200: z.object({ items: z.array(Order), total: z.number().int() }) } },
      config: { access: { roles: ROLE_GROUPS.all } },
    },
    async (req) => orders.listOrders(ctx, req.actor!, req.query),
  );
  r.get(
    '/orders/export',
    { schema: { tags: ['orders', 'exports'], querystring: OrderExportQuery }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req, reply) => {
      const q = req.query;
      const { canteen, rows } = orders.exportOrders(ctx, req.actor!, q);
      const days = q.from === q.to ? q.from : `${q.from} 至 ${q.to}`;
      const list = table<orders.OrderExportRow>({
        title: `订单明细 · ${canteen.name}`,
        sheetName: '订单明细',
        subtitle: [days, q.mealPeriod ? zh('mealPeriods', q.mealPeriod) : null, q.state === 'active' ? '未完成' : q.state ? zh('orderStates', q.state) : null]
          .filter(Boolean)
          .join(' · '),
        columns: [
          { header: '下单时间', value: 'createdAt', kind: 'datetime' },
          { header: '就餐日期', value: 'serviceDate', kind: 'date' },
          { header: '餐次', value: (o) => zh('mealPeriods', o.mealPeriod) },
          { header: '取餐号', value: 'pickupNumber', kind: 'int' },
          { header: '长者', value: (o) => o.residentName ?? '散客' },
          { header: '类别', value: (o) => zh('categories', o.residentCategory) },
          { header: '菜品', value: 'lines', width: 36 },
          { header: '就餐方式', value: (o) => zh('fulfilments', o.fulfilment) },
          { header: '识别方式', value: (o) => zh('identifyMethods', o.identifyMethod) },
          { header: '餐价', value: 'mealPriceFen', kind: 'money', total: true },
          { header: '长者补贴', value: 'elderSubsidyFen', kind: 'money', total: true },
          { header: '长者实付', value: 'elderPaysFen', kind: 'money', total: true },
          { header: '运营补贴', value: 'operatorSubsidyFen', kind: 'money', total: true },
          { header: '支付方式', value: (o) => zh('paymentMethods', o.paymentMethod) },
          { header: '状态', value: (o) => zh('orderStates', o.state) },
        ],
        rows,
        totals: true,
      });
      const meta = { exportedBy: requireUser(req.actor).user.displayName, scope: `${canteen.name} · ${days}`, timeZone: canteen.timeZone };
      return sendExport(reply, {
        filename: `订单_${canteen.shortName}_${days.replace(' 至 ', '_')}`,
        format: q.format,
        build: listExport(q.format, list, meta),
      });
    },
  );
  r.get(
    '/orders/:id',
    {
      // A kiosk may ask after any order of its canteen, and hears only its number, state and times (PickupStatus).
      schema: { tags: ['orders'], params: IdParams, response: { 200: z.union([Order, PickupStatus]) } },
      config: { access: { roles: ROLE_GROUPS.all, device: true } },
    },
    async (req) => orders.getOrder(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/orders/:id/confirm-payment',
    { schema: { tags: ['orders'], params: IdParams, body: ConfirmPaymentRequest, response: { 200: Order } }, config: { access: staff } },
    async (req) => orders.confirmPayment(ctx, req.actor!, req.params.id, req.body),
  );
  r.post(
    '/orders/:id/state',
    { schema: { tags: ['orders'], params: IdParams, body: OrderStateRequest, response: { 200: Order } }, config: { access: staff } },
    async (req) => orders.setState(ctx, req.actor!, req.params.id, req.body.state),
  );
  r.post(
    '/orders/:id/cancel',
    { schema: { tags: ['orders'], params: IdParams, body: CancelOrderRequest, response: { 200: Order } }, config: { access: staff } },
    async (req) => orders.cancel(ctx, req.actor!, req.params.id, req.body.reason),
  );
  r.post(
    '/orders/:id/refund',
    { schema: { tags: ['orders'], params: IdParams, body: CancelOrderRequest, response: { 200: Order } }, config: { access: staff } },
    async (req) => orders.refund(ctx, req.actor!, req.params.id, req.body.reason),
  );
}
