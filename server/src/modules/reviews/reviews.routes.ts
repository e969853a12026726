import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AcceptLateReviewRequest,
  DisallowLateReviewRequest,
  HandleRefusedOrderRequest,
  Id,
  LateReviewPage,
  LateReviewQuery,
  LateReviewResolved,
  RefusedOrder,
  RefusedOrderPage,
  RefusedOrderQuery,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as reviews from './reviews.service';

/** 离线订单复核: flagged late orders, and settling them (reviews.service.ts). */
export async function reviewsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['orders'];
  const Params = z.strictObject({ orderId: Id });
  const readers = { access: { roles: [...new Set([...ROLE_GROUPS.canteenStaff, ...ROLE_GROUPS.reviewers])] } };

  r.get('/order-reviews', { schema: { tags, querystring: LateReviewQuery, response: { 200: LateReviewPage } }, config: readers }, async (req) =>
    reviews.list(ctx, req.actor!, req.query),
  );
  r.get('/order-reviews/refused', { schema: { tags, querystring: RefusedOrderQuery, response: { 200: RefusedOrderPage } }, config: readers }, async (req) =>
    reviews.listRefused(ctx, req.actor!, req.query),
  );
  r.post(
    '/order-reviews/refused/:orderId/handle',
    { schema: { tags, params: Params, body: HandleRefusedOrderRequest, response: { 200: RefusedOrder } }, config: readers },
    async (req) => reviews.handleRefused(ctx, req.actor!, req.params.orderId, req.body.note),
  );
  r.post(
    '/order-reviews/:orderId/accept',
    { schema: { tags, params: Params, body: AcceptLateReviewRequest, response: { 200: LateReviewResolved } }, config: readers },
    async (req) => reviews.accept(ctx, req.actor!, req.params.orderId, req.body.note),
  );
  r.post(
    '/order-reviews/:orderId/disallow',
    {
      schema: { tags, params: Params, body: DisallowLateReviewRequest, response: { 200: LateReviewResolved } },
      config: { access: { roles: ROLE_GROUPS.reviewers } },
    },
    async (req) => reviews.disallow(ctx, req.actor!, req.params.orderId, req.body.reason),
  );
}
