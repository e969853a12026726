import { z } from 'zod';

/** The result of walking the hash-chained audit log (`GET /audit/verify`, `pnpm audit:verify`). */
export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  /** Rows checked (up to and including the first broken one). */
  rows: z.number().int(),
  /** Sequence number of the first row that breaks the chain; null when intact. */
  brokenAt: z.number().int().nullable(),
  message: z.string(),
});
export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;
