import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  PolicyIssueSchema,
  PolicyLayerDescription as PolicyLayerDescriptionSchema,
  PolicyVersionDetail,
  PolicyVersionSummary,
  SimulationResult,
  ValidatePolicyResponse as ValidatePolicyResponseSchema,
} from '@yishi/shared/schemas';
import { api } from './client';

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
};

export const usePolicies = () =>
  useQuery({ queryKey: policyKeys.list, queryFn: ({ signal }) => api.get<PolicyVersionSummary[]>('/policies', undefined, signal) });

export const usePolicy = (id: string) =>
  useQuery({
    queryKey: policyKeys.detail(id),
    queryFn: ({ signal }) => api.get<PolicyVersionDetail>(`/policies/${encodeURIComponent(id)}`, undefined, signal),
  });

export const policyApi = {
  validate: (document: unknown, signal?: AbortSignal) => api.post<ValidatePolicyResponse>('/policies/validate', { document }, { signal }),
  newVersion: (basedOn: string) => api.post<PolicyVersionDetail>('/policies', { basedOn }),
  save: (id: string, document: unknown) => api.put<PolicyVersionDetail>(`/policies/${encodeURIComponent(id)}`, { document }),
  publish: (id: string) => api.post<PolicyVersionDetail>(`/policies/${encodeURIComponent(id)}/publish`),
  simulate: (id: string, month: string) => api.post<SimulationResult>(`/policies/${encodeURIComponent(id)}/simulate`, { month }),
};
