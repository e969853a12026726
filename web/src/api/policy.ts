import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import {
  CreatePolicyDraftRequest,
  EmptyRequest,
  PolicyIssueSchema,
  PolicyLayerDescription as PolicyLayerDescriptionSchema,
  PolicyNamesEn,
  PolicyVersionDetail,
  PolicyVersionSummary,
  SimulateRequest,
  SimulationResult,
  UpdatePolicyDraftRequest,
  ValidatePolicyRequest,
  ValidatePolicyResponse as ValidatePolicyResponseSchema,
} from '@yishi/shared/schemas';
import { API_BASE, http, seg } from './client';

export type { PolicyVersionDetail, PolicyVersionSummary, SimulationResult };
export type PolicyLayerDescription = z.infer<typeof PolicyLayerDescriptionSchema>;
export type PolicyIssue = z.infer<typeof PolicyIssueSchema>;
export type ValidatePolicyResponse = z.infer<typeof ValidatePolicyResponseSchema>;
export type PolicyLevel = PolicyVersionSummary['level'];
export type PolicyStatus = PolicyVersionSummary['status'];

export const policyKeys = {
  all: ['policies'] as const,
  list: ['policies', 'list'] as const,
  detail: (id: string) => ['policies', 'detail', id] as const,
  validate: (doc: string) => ['policies', 'validate', doc] as const,
  namesEn: ['policies', 'names'] as const,
};

/** The first draft of a new policy: its level, area and name (the server writes it with every default spelled out). */
export interface NewPolicy {
  level: PolicyLevel;
  areaCode: string;
  name: string;
}

/** Where the simulation's workbook downloads from (a plain GET with the session cookie). */
export function simulationWorkbookUrl(id: string, month: string, compareWith?: string): string {
  const q = new URLSearchParams({ month, ...(compareWith ? { compareWith } : {}) });
  return `${API_BASE}/policies/${seg(id)}/simulation.xlsx?${q.toString()}`;
}

export const policyApi = {
  list: (signal?: AbortSignal) => http.get('/policies', z.array(PolicyVersionSummary), { signal }),
  get: (id: string, signal?: AbortSignal) => http.get(`/policies/${seg(id)}`, PolicyVersionDetail, { signal }),
  namesEn: (signal?: AbortSignal) => http.get('/policies/names', PolicyNamesEn, { signal }),
  validate: (document: unknown, signal?: AbortSignal) =>
    http.post('/policies/validate', ValidatePolicyRequest, { document }, ValidatePolicyResponseSchema, { signal }),
  newVersion: (basedOn: string) => http.post('/policies', CreatePolicyDraftRequest, { basedOn }, PolicyVersionDetail),
  create: (start: NewPolicy) => http.post('/policies', CreatePolicyDraftRequest, { start }, PolicyVersionDetail),
  save: (id: string, document: unknown) => http.put(`/policies/${seg(id)}`, UpdatePolicyDraftRequest, { document }, PolicyVersionDetail),
  publish: (id: string) => http.post(`/policies/${seg(id)}/publish`, EmptyRequest, {}, PolicyVersionDetail),
  simulate: (id: string, month: string, compareWith?: string) =>
    http.post(`/policies/${seg(id)}/simulate`, SimulateRequest, compareWith ? { month, compareWith } : { month }, SimulationResult),
};

export const usePolicies = () => useQuery({ queryKey: policyKeys.list, queryFn: ({ signal }) => policyApi.list(signal) });

export const usePolicy = (id: string) => useQuery({ queryKey: policyKeys.detail(id), queryFn: ({ signal }) => policyApi.get(id, signal) });

/** The published policies' English names of layers and payers, by the Chinese name (asked only while the console is in English). */
export const usePolicyNamesEn = (enabled: boolean) =>
  useQuery({ queryKey: policyKeys.namesEn, queryFn: ({ signal }) => policyApi.namesEn(signal), enabled, staleTime: 5 * 60_000 });
