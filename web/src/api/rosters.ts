import type { z } from 'zod';
import { CommitRosterRequest, CreateRosterImportRequest, RosterImport, StageRosterRowsRequest, StageRosterRowsResponse } from '@yishi/shared/schemas';
import { http, seg } from './client';

export type { RosterDuplicate, RosterImport, RosterRowError, RosterRowInput } from '@yishi/shared/schemas';
export type CreateRosterImport = z.input<typeof CreateRosterImportRequest>;
export type StageRosterRows = z.input<typeof StageRosterRowsRequest>;
export type CommitRoster = z.input<typeof CommitRosterRequest>;

const one = (id: string) => `/roster-imports/${seg(id)}`;

/** A roster import: started, uploaded in chunks (each checked by the server), then committed all at once or abandoned. */
export const rostersApi = {
  create: (body: CreateRosterImport) => http.post('/roster-imports', CreateRosterImportRequest, body, RosterImport),
  stage: (id: string, body: StageRosterRows) => http.post(`${one(id)}/rows`, StageRosterRowsRequest, body, StageRosterRowsResponse),
  commit: (id: string, body: CommitRoster) => http.post(`${one(id)}/commit`, CommitRosterRequest, body, RosterImport),
  abandon: (id: string) => http.del(one(id), RosterImport),
};
