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

export const PolicyLayerDescription = z.object({
  id: z.string(),
  name: z.string(),
  /** The layer's and payer's English names where the document gives them (nameEn, payerEn). */
  nameEn: z.string().nullable(),
  kind: z.string(),
  payer: z.string(),
  payerEn: z.string().nullable(),
  zh: z.string(),
  en: z.string(),
});

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
  /** A new policy from scratch: its level, area and name; the server writes a first draft with every default spelled out. */
  start: z
    .strictObject({
      level: PolicyLevelSchema,
      areaCode: z.string().regex(/^\d{2,12}$/, 'an area code of 2–12 digits'),
      name: z.string().trim().min(1).max(200),
    })
    .optional(),
});

export const UpdatePolicyDraftRequest = z.strictObject({ document: z.unknown() });
export const ValidatePolicyRequest = z.strictObject({ document: z.unknown() });

/** A problem with a policy document: where, in English, and as a code with its figures (see PolicyIssue in policy/schema.ts). */
export const PolicyIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export const ValidatePolicyResponse = z.object({
  ok: z.boolean(),
  issues: z.array(PolicyIssueSchema),
  layers: z.array(PolicyLayerDescription),
});

export const SimulateRequest = z.strictObject({
  month: Month,
  /** A second draft to simulate side by side (each against the published policies). */
  compareWith: z.string().min(1).max(64).optional(),
});

const Totals = z.object({ elderPaysFen: z.number().int(), elderSubsidyFen: z.number().int(), operatorSubsidyFen: z.number().int() });

/** A layer that paid differently for one elder under the draft, and the reason it mostly gave (reason codes, reasons.ts). */
const LayerChange = z.object({
  layerName: z.string(),
  payer: z.string(),
  publishedFen: z.number().int(),
  simulatedFen: z.number().int(),
  publishedReason: z.string(),
  simulatedReason: z.string(),
  /** The simulated reason in Chinese words (for the export; the console translates the code). */
  reasonText: z.string(),
});

/** One elder who would pay more (or less) under a draft than under the published policies, in the month. */
export const PersonChange = z.object({
  residentId: z.string(),
  /** As the caller may see it: the full name for residents in their register, otherwise masked (陈*英). */
  name: z.string(),
  /** The ID number masked to its last 4, for residents in the caller's register; null otherwise. */
  idMasked: z.string().nullable(),
  /** The category the elder's orders count under (orders.residentCategory). */
  category: z.string().nullable(),
  /** Orders whose price changed. */
  orders: z.number().int(),
  /** What they would pay in the month minus what the published policies charge (fen; > 0 = more). */
  changeFen: z.number().int(),
  layers: z.array(LayerChange),
});

/**
 * An order whose stored figures differ from pricing it again under the policies published for its date: something
 * changed after it was priced. `cause`: 'facts' (the same versions; the resident's facts changed since, e.g. a death
 * recorded late, a category ended) or 'version' (a version was published since for that date).
 */
export const FactsChange = z.object({
  orderId: z.string(),
  serviceDate: z.string(),
  mealPeriod: z.string(),
  canteenName: z.string(),
  residentId: z.string().nullable(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  statusSince: z.string().nullable(),
  cause: z.enum(['facts', 'version']),
  storedElderPaysFen: z.number().int(),
  publishedElderPaysFen: z.number().int(),
  storedSubsidyFen: z.number().int(),
  publishedSubsidyFen: z.number().int(),
  layers: z.array(z.object({ layerName: z.string(), storedReason: z.string().nullable(), reason: z.string(), reasonText: z.string() })),
});

/** One draft against the published policies, over the month's orders the caller may see. */
export const DraftSimulation = z.object({
  versionId: z.string(),
  policyKey: z.string(),
  version: z.number().int(),
  name: z.string(),
  totals: Totals,
  /** Per payer: stored, re-priced under the published policies, under the draft; and a year at this month's rate (× 12). */
  byPayer: z.array(
    z.object({
      payer: z.string(),
      kind: z.string(),
      storedFen: z.number().int(),
      publishedFen: z.number().int(),
      simulatedFen: z.number().int(),
      yearPublishedFen: z.number().int(),
      yearSimulatedFen: z.number().int(),
    }),
  ),
  byCategory: z.array(
    z.object({
      category: z.string(),
      orders: z.number().int(),
      storedSubsidyFen: z.number().int(),
      publishedSubsidyFen: z.number().int(),
      simulatedSubsidyFen: z.number().int(),
      /** The draft's effect on what these elders pay (against the published policies). */
      elderPaysChangeFen: z.number().int(),
    }),
  ),
  byDay: z.array(
    z.object({ date: z.string(), storedSubsidyFen: z.number().int(), publishedSubsidyFen: z.number().int(), simulatedSubsidyFen: z.number().int() }),
  ),
  eldersPayingMore: z.number().int(),
  eldersPayingLess: z.number().int(),
  /** Most first, at most 200 (the export has them all). */
  payingMore: z.array(PersonChange),
  payingLess: z.array(PersonChange),
});

export const SimulationResult = z.object({
  month: Month,
  orders: z.number().int(),
  residents: z.number().int(),
  /** As stored with the orders. */
  stored: Totals,
  /** Priced again under the policies published for each date, with the facts as they are now. */
  published: Totals,
  /** Stored ≠ published: changed since the orders were priced; not any draft's effect. */
  factsChanged: z.object({
    orders: z.number().int(),
    residents: z.number().int(),
    elderPaysChangeFen: z.number().int(),
    subsidyChangeFen: z.number().int(),
    /** At most 200 (the export has them all). */
    list: z.array(FactsChange),
  }),
  /** The draft simulated, then the one it is compared with. */
  drafts: z.array(DraftSimulation).min(1).max(2),
});
export type SimulationResult = z.infer<typeof SimulationResult>;

/** The simulation as a workbook: the same request, in the query. */
export const SimulationExportQuery = z.strictObject({
  month: Month,
  compareWith: z.string().min(1).max(64).optional(),
});

/**
 * GET /policies/names: the English names the published policies give their layers and payers (`nameEn`, `payerEn`),
 * each by the Chinese name it stands for (claims, reports and the clearing keep a payer under its Chinese name). A
 * name absent here has no English one: show the Chinese.
 */
export const PolicyNamesEn = z.object({ payers: z.record(z.string(), z.string()), layers: z.record(z.string(), z.string()) });
export type PolicyNamesEn = z.infer<typeof PolicyNamesEn>;
