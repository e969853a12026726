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
  OrderListQuery,
  OrderStateRequest,
  PickupStatus,
  Quote,
  QuoteRequest,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
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
