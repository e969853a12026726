import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreatePolicyDraftRequest,
  Id,
  PolicyNamesEn,
  PolicyVersionDetail,
  PolicyVersionSummary,
  UpdatePolicyDraftRequest,
  ValidatePolicyRequest,
  ValidatePolicyResponse,
} from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as policy from './policy.service';

export async function policyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  // Street, district and city staff author policies of their own level and area (checked in the service).
  const authors = { roles: ROLE_GROUPS.areaStaff };

  r.get(
    '/policies',
    { schema: { tags: ['policy'], response: { 200: z.array(PolicyVersionSummary) } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => policy.listVersions(ctx, req.actor!),
  );
  r.get('/policies/names', { schema: { tags: ['policy'], response: { 200: PolicyNamesEn } }, config: { access: { roles: ROLE_GROUPS.all } } }, async () =>
    policy.englishNames(ctx.db.read),
  );
  r.get(
    '/policies/:id',
    { schema: { tags: ['policy'], params: IdParams, response: { 200: PolicyVersionDetail } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => policy.getVersion(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/policies/validate',
    { schema: { tags: ['policy'], body: ValidatePolicyRequest, response: { 200: ValidatePolicyResponse } }, config: { access: { roles: ROLE_GROUPS.all } } },
    async (req) => policy.validate(ctx, req.body.document),
  );
  r.post(
    '/policies',
    { schema: { tags: ['policy'], body: CreatePolicyDraftRequest, response: { 201: PolicyVersionDetail } }, config: { access: authors } },
    async (req, reply) => reply.code(201).send(await policy.createDraft(ctx, req.actor!, req.body)),
  );
  r.put(
    '/policies/:id',
    { schema: { tags: ['policy'], params: IdParams, body: UpdatePolicyDraftRequest, response: { 200: PolicyVersionDetail } }, config: { access: authors } },
    async (req) => policy.updateDraft(ctx, req.actor!, req.params.id, req.body.document),
  );
  r.post(
    '/policies/:id/publish',
    { schema: { tags: ['policy'], params: IdParams, response: { 200: PolicyVersionDetail } }, config: { access: authors } },
    async (req) => policy.publish(ctx, req.actor!, req.params.id),
  );
}
