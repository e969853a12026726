import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CommitRosterRequest, CreateRosterImportRequest, Id, RosterImport, StageRosterRowsRequest, StageRosterRowsResponse } from '@yishi/shared/schemas';
import { ROLE_GROUPS } from '@yishi/shared';
import * as rosters from './rosters.service';

export async function rostersRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const IdParams = z.strictObject({ id: Id });
  const keepers = { roles: ROLE_GROUPS.recordKeepers };

  r.post(
    '/roster-imports',
    { schema: { tags: ['rosters'], body: CreateRosterImportRequest, response: { 201: RosterImport } }, config: { access: keepers } },
    async (req, reply) => reply.code(201).send(await rosters.createImport(ctx, req.actor!, req.body)),
  );
  r.get('/roster-imports/:id', { schema: { tags: ['rosters'], params: IdParams, response: { 200: RosterImport } }, config: { access: keepers } }, async (req) =>
    rosters.getImport(ctx, req.actor!, req.params.id),
  );
  r.post(
    '/roster-imports/:id/rows',
    {
      schema: { tags: ['rosters'], params: IdParams, body: StageRosterRowsRequest, response: { 200: StageRosterRowsResponse } },
      // A chunk stays under the app's body limit (the console cuts chunks by size too); 20,000 rows are ~40 chunks.
      config: { access: keepers },
    },
    async (req) => rosters.stageRows(ctx, req.actor!, req.params.id, req.body),
  );
  r.post(
    '/roster-imports/:id/commit',
    { schema: { tags: ['rosters'], params: IdParams, body: CommitRosterRequest, response: { 200: RosterImport } }, config: { access: keepers } },
    async (req) => rosters.commit(ctx, req.actor!, req.params.id, req.body),
  );
  r.delete(
    '/roster-imports/:id',
    { schema: { tags: ['rosters'], params: IdParams, response: { 200: RosterImport } }, config: { access: keepers } },
    async (req) => rosters.abandon(ctx, req.actor!, req.params.id),
  );
}
