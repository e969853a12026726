import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreatePolicyDraftRequest,
  Id,
  PolicyVersionDetail,
  PolicyVersionSummary,
  SimulateRequest,
  SimulationResult,
  UpdatePolicyDraftRequest,
  ValidatePolicyRequest,
  ValidatePolicyResponse,
} from '@yishi/shared/schemas';
import { ALL_ROLES, AREA_ROLES } from '../../lib/access';
import * as policy from './policy.service';

export async function policyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  const authors = { roles: AREA_ROLES };

  r.get(
    '/policies',
    { schema: { tags: ['policy'], response: { 200: z.array(PolicyVersionSummary) } }, config: { access: { roles: ALL_ROLES } } },
    async (req) => policy.listVersions(ctx, req.actor!),
  );
  r.get(
    '/policies/:id',
    { schema: { tags: ['policy'], params: IdParams, response: { 200: PolicyVersionDetail } }, config: { access: { roles: ALL_ROLES } } },
    async (req) => policy.getVersion(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/policies/validate',
    { schema: { tags: ['policy'], body: ValidatePolicyRequest, response: { 200: ValidatePolicyResponse } }, config: { access: { roles: ALL_ROLES } } },
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
  r.post(
    '/policies/:id/simulate',
    {
      schema: { tags: ['policy'], params: IdParams, body: SimulateRequest, response: { 200: SimulationResult } },
      config: { access: authors, rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req) => policy.simulate(ctx, req.actor!, req.params.id, req.body.month),
  );
}
