import { z } from 'zod';
import { ACTOR_TYPES } from '../domain/enums';
import { AreaCode, Id, LocalDate } from './common';

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

/** GET /audit: the audit log, newest first, filtered; street and district staff see the rows of their area. */
export const AuditListQuery = z.strictObject({
  /** Who: a user id, or part of the person's name as it was when they acted. */
  who: z.string().trim().min(1).max(64).optional(),
  /** An action, or the start of one ('claim.' for every claim action). */
  action: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z_.]+$/, 'an action such as claim.approved, or its start such as claim.')
    .optional(),
  entityType: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[a-z_]+$/, 'an entity type such as claim, order, resident')
    .optional(),
  entityId: z.string().trim().min(1).max(64).optional(),
  canteenId: Id.optional(),
  /** An area and everything in it (district 440106, street 440106004 …). */
  areaCode: AreaCode.optional(),
  /** Local dates (Asia/Shanghai), inclusive. */
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorType: z.enum(ACTOR_TYPES),
  actorId: z.string().nullable(),
  /** The person's name when they acted (null for a kiosk, the system, or rows written before names were kept). */
  actorName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  canteenId: z.string().nullable(),
  areaCode: z.string().nullable(),
  /** What the row recorded; changes carry `before` and `after`. */
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z.object({ items: z.array(AuditEntry), total: z.number().int() });
export type AuditPage = z.infer<typeof AuditPage>;
