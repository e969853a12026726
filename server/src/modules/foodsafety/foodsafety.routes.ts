import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateFoodSampleRequest, FoodSample, FoodSampleList, FoodSampleQuery, Id } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as foodsafety from './foodsafety.service';

export async function foodsafetyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });

  r.get(
    '/canteens/:id/food-samples',
    {
      schema: { tags: ['food safety'], params: IdParams, querystring: FoodSampleQuery, response: { 200: FoodSampleList } },
      config: { access: { roles: ROLE_GROUPS.all } },
    },
    async (req) => foodsafety.list(ctx, req.actor!, req.params.id, req.query),
  );
  r.post(
    '/canteens/:id/food-samples',
    {
      schema: { tags: ['food safety'], params: IdParams, body: CreateFoodSampleRequest, response: { 200: FoodSample, 201: FoodSample } },
      config: { access: { roles: ROLE_GROUPS.canteenStaff } },
    },
    async (req, reply) => {
      const { sample, created } = await foodsafety.record(ctx, req.actor!, req.params.id, req.body);
      return reply.code(created ? 201 : 200).send(sample);
    },
  );
}
