import { z } from 'zod';
import { Id, Month } from './common';
import { POLICY_VERSION_STATUSES } from '../domain/enums';
import { PolicyLevelSchema } from '../policy/schema';

export const PolicyVersionSummary = z.object({
  id: z.string(),
  policyKey: z.string(),
  version: z.number().int(),
  level: PolicyLevelSchema,
  areaCode: z.string(),
  areaName: z.string().nullable(),
  name: z.string(),
  status: z.enum(POLICY_VERSION_STATUSES),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  firstUsedAt: z.string().nullable(),
  /** Priced an order: the document can no longer change. */
  frozen: z.boolean(),
  /** The caller may edit / publish it (a draft of theirs). */
  editable: z.boolean(),
  /** The caller may author versions of this policy (its level of government, in scope). */
  canAuthor: z.boolean(),
});
export type PolicyVersionSummary = z.infer<typeof PolicyVersionSummary>;

export const PolicyLayerDescription = z.object({ id: z.string(), name: z.string(), kind: z.string(), payer: z.string(), zh: z.string(), en: z.string() });

export const PolicyVersionDetail = PolicyVersionSummary.extend({
  /** The policy document (see docs/policy.md). */
  document: z.unknown(),
  layers: z.array(PolicyLayerDescription),
});
export type PolicyVersionDetail = z.infer<typeof PolicyVersionDetail>;

export const CreatePolicyDraftRequest = z.strictObject({
  /** Start from this version (a new version of the same policy), or from `document` for a new policy. */
  basedOn: Id.optional(),
  policyKey: z
    .string()
    .regex(/^[a-z0-9-]{3,40}$/, 'lower-case letters, digits and -')
    .optional(),
  document: z.unknown().optional(),
});

export const UpdatePolicyDraftRequest = z.strictObject({ document: z.unknown() });
export const ValidatePolicyRequest = z.strictObject({ document: z.unknown() });

export const PolicyIssueSchema = z.object({ path: z.string(), message: z.string() });
export const ValidatePolicyResponse = z.object({
  ok: z.boolean(),
  issues: z.array(PolicyIssueSchema),
  layers: z.array(PolicyLayerDescription),
});

export const SimulateRequest = z.strictObject({ month: Month });

const PayerTotals = z.array(z.object({ payer: z.string(), kind: z.string(), baselineFen: z.number().int(), simulatedFen: z.number().int() }));

export const SimulationResult = z.object({
  versionId: z.string(),
  month: Month,
  orders: z.number().int(),
  residents: z.number().int(),
  baseline: z.object({ elderPaysFen: z.number().int(), elderSubsidyFen: z.number().int(), operatorSubsidyFen: z.number().int() }),
  simulated: z.object({ elderPaysFen: z.number().int(), elderSubsidyFen: z.number().int(), operatorSubsidyFen: z.number().int() }),
  byPayer: PayerTotals,
  byCategory: z.array(
    z.object({
      category: z.string(),
      orders: z.number().int(),
      baselineSubsidyFen: z.number().int(),
      simulatedSubsidyFen: z.number().int(),
      elderPaysChangeFen: z.number().int(),
    }),
  ),
  byDay: z.array(z.object({ date: z.string(), baselineSubsidyFen: z.number().int(), simulatedSubsidyFen: z.number().int() })),
  eldersPayingMore: z.number().int(),
  eldersPayingLess: z.number().int(),
});
export type SimulationResult = z.infer<typeof SimulationResult>;
