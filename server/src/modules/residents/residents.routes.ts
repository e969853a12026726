import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AddCardRequest,
  AddCategoryRequest,
  ApproveCategoryRequest,
  EndCategoryRequest,
  PendingCategory,
  RejectCategoryRequest,
  CreateResidentRequest,
  Id,
  Ok,
  ResidentCard,
  ResidentDetail,
  ResidentListQuery,
  ResidentSummary,
  SetPinRequest,
  TopupRequest,
  UpdateResidentRequest,
  WalletView,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as residents from './register.service';

export async function residentsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  const keepers = { roles: ROLE_GROUPS.recordKeepers };

  r.get(
    '/residents',
    {
      schema: {
        tags: ['residents'],
        querystring: ResidentListQuery,
        response: { 200: z.object({ items: z.array(ResidentSummary), total: z.number().int() }) },
      },
      config: { access: { roles: ROLE_GROUPS.all } },
    },
    async (req) => residents.listResidents(ctx, req.actor!, req.query),
  );
  r.get(
    '/residents/:id',
    { schema: { tags: ['residents'], params: IdParams, response: { 200: ResidentDetail } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => residents.getResident(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/residents',
    { schema: { tags: ['residents'], body: CreateResidentRequest, response: { 201: ResidentDetail } }, config: { access: keepers } },
    async (req, reply) => reply.code(201).send(await residents.createResident(ctx, req.actor!, req.body)),
  );
  r.patch(
    '/residents/:id',
    { schema: { tags: ['residents'], params: IdParams, body: UpdateResidentRequest, response: { 200: ResidentDetail } }, config: { access: keepers } },
    async (req) => residents.updateResident(ctx, req.actor!, req.params.id, req.body),
  );
  r.post(
    '/residents/:id/reveal-id',
    {
      schema: { tags: ['residents'], params: IdParams, response: { 200: z.object({ idNumber: z.string() }) } },
      config: { access: { roles: ROLE_GROUPS.all }, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req) => residents.revealIdNumber(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/residents/:id/cards',
    {
      schema: {
        tags: ['residents'],
        params: IdParams,
        body: AddCardRequest,
        response: { 201: z.object({ card: ResidentCard, qrToken: z.string().nullable() }) },
      },
      config: { access: keepers },
    },
    async (req, reply) => reply.code(201).send(await residents.addCard(ctx, req.actor!, req.params.id, req.body)),
  );
  r.delete(
    '/residents/:id/cards/:cardId',
    { schema: { tags: ['residents'], params: z.strictObject({ id: Id, cardId: Id }), response: { 200: Ok } }, config: { access: keepers } },
    async (req) => {
      await residents.revokeCard(ctx, req.actor!, req.params.id, req.params.cardId);
      return { ok: true as const };
    },
  );
  r.post(
    '/residents/:id/pin',
    { schema: { tags: ['residents'], params: IdParams, body: SetPinRequest, response: { 200: Ok } }, config: { access: keepers } },
    async (req) => {
      await residents.setPin(ctx, req.actor!, req.params.id, req.body.pin);
      return { ok: true as const };
    },
  );
  r.post(
    '/residents/:id/pin/unlock',
    { schema: { tags: ['residents'], params: IdParams, response: { 200: ResidentDetail } }, config: { access: keepers } },
    async (req) => residents.unlockPin(ctx, req.actor!, req.params.id),
  );
  r.get(
    '/residents/:id/wallet',
    { schema: { tags: ['wallet'], params: IdParams, response: { 200: WalletView } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => residents.walletOf(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/wallet/topups',
    { schema: { tags: ['wallet'], body: TopupRequest, response: { 200: WalletView } }, config: { access: { roles: ROLE_GROUPS.canteenStaff } } },
    async (req) => residents.topup(ctx, req.actor!, req.body),
  );
  r.post(
    '/residents/:id/categories',
    { schema: { tags: ['residents'], params: IdParams, body: AddCategoryRequest, response: { 200: ResidentDetail } }, config: { access: keepers } },
    async (req) => residents.addCategory(ctx, req.actor!, req.params.id, req.body),
  );
  r.post(
    '/residents/:id/categories/:categoryId/end',
    {
      schema: { tags: ['residents'], params: z.strictObject({ id: Id, categoryId: Id }), body: EndCategoryRequest, response: { 200: ResidentDetail } },
      config: { access: keepers },
    },
    async (req) => residents.endCategory(ctx, req.actor!, req.params.id, req.params.categoryId, req.body),
  );
  const approvers = { roles: ROLE_GROUPS.eligibilityApprovers };
  r.get('/categories/pending', { schema: { tags: ['residents'], response: { 200: z.array(PendingCategory) } }, config: { access: approvers } }, async (req) =>
    residents.pendingCategories(ctx, req.actor!),
  );
  r.post(
    '/residents/:id/categories/:categoryId/approve',
    {
      schema: { tags: ['residents'], params: z.strictObject({ id: Id, categoryId: Id }), body: ApproveCategoryRequest, response: { 200: ResidentDetail } },
      config: { access: approvers },
    },
    async (req) => residents.approveCategory(ctx, req.actor!, req.params.id, req.params.categoryId, req.body),
  );
  r.post(
    '/residents/:id/categories/:categoryId/reject',
    {
      schema: { tags: ['residents'], params: z.strictObject({ id: Id, categoryId: Id }), body: RejectCategoryRequest, response: { 200: ResidentDetail } },
      config: { access: approvers },
    },
    async (req) => residents.rejectCategory(ctx, req.actor!, req.params.id, req.params.categoryId, req.body),
  );
}
