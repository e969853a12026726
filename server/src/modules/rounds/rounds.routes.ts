import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AckAlertRequest,
  AssignCourierRequest,
  Delivery,
  DeliveryAlerts,
  DeliveryDoneRequest,
  DeliveryListQuery,
  DeliveryOutRequest,
  DeliveryPage,
  DeliveryRoutes,
  Id,
  LocalDate,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
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
