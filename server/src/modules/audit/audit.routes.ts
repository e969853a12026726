import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AuditListQuery, AuditPage, AuditVerifyResult } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as audit from './audit.service';

export async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  r.get(
    '/audit/verify',
    {
      schema: { tags: ['audit'], response: { 200: AuditVerifyResult } },
      config: { access: { roles: ROLE_GROUPS.auditors }, rateLimit: { max: 6, timeWindow: '1 minute' } },
    },
    async (req) => audit.verifyChain(ctx, req.actor!),
  );
  r.get(
    '/audit',
    {
      schema: { tags: ['audit'], querystring: AuditListQuery, response: { 200: AuditPage } },
      config: { access: { roles: ROLE_GROUPS.auditReaders } },
    },
    async (req) => audit.list(ctx, req.actor!, req.query),
  );
}
