import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  Anomaly,
  AnomalyExportQuery,
  AnomalyListQuery,
  AnomalyOrderPage,
  AnomalyOrderQuery,
  AnomalyPage,
  AnomalyResolveRequest,
  AnomalyScanRequest,
  AnomalyScanResult,
  AuditListQuery,
  AuditPage,
  ClaimDetail,
  ClaimExportQuery,
  ClaimListExportQuery,
  ClaimListQuery,
  ClaimNoteRequest,
  ClaimOrderPage,
  ClaimOrderQuery,
  ClaimPage,
  ClaimPaymentRequest,
  ClaimReasonRequest,
  Clearing,
  ClearingExportQuery,
  ClearingQuery,
  DisallowOrderRequest,
  EmptyRequest,
  GenerateClaimsRequest,
  GenerateClaimsResult,
  PayerSetting,
  PayerSettingsQuery,
  SetPayerCadenceRequest,
} from '@yishi/shared/schemas';
import { download, http, seg, type Download } from './client';
import { useAction } from './action';

export type { Anomaly, AnomalyPage, AuditPage, ClaimDetail, ClaimPage, Clearing, ClearingDistrict, GenerateClaimsResult } from '@yishi/shared/schemas';
export type { AnomalyOrder, AuditEntry, ClaimOrder, ClaimSummary } from '@yishi/shared/schemas';
export type ClaimListParams = z.input<typeof ClaimListQuery>;
export type ClaimOrderParams = z.input<typeof ClaimOrderQuery>;
export type AnomalyListParams = z.input<typeof AnomalyListQuery>;
export type AuditListParams = z.input<typeof AuditListQuery>;
export type ClaimPayment = z.input<typeof ClaimPaymentRequest>;
export type { PayerSetting } from '@yishi/shared/schemas';
export type SetPayerCadence = z.input<typeof SetPayerCadenceRequest>;

/** Settlement: claims, their review, anomalies and the audit log (one area of the console, one cache prefix each). */
export const settlementKeys = {
  claims: ['claims'] as const,
  claimList: (q: ClaimListParams) => ['claims', 'list', q] as const,
  claim: (id: string) => ['claims', 'detail', id] as const,
  claimOrders: (id: string, q: ClaimOrderParams) => ['claims', 'orders', id, q] as const,
  anomalies: ['anomalies'] as const,
  anomalyList: (q: AnomalyListParams) => ['anomalies', 'list', q] as const,
  anomaly: (id: string) => ['anomalies', 'detail', id] as const,
  anomalyOrders: (id: string, q: z.input<typeof AnomalyOrderQuery>) => ['anomalies', 'orders', id, q] as const,
  audit: (q: AuditListParams) => ['audit', q] as const,
  payers: (month: string) => ['claims', 'payers', month] as const,
  clearing: (year: number) => ['claims', 'clearing', year] as const,
};

export type ClaimAction =
  | { kind: 'submit' }
  | { kind: 'check' | 'approve'; note?: string }
  | { kind: 'return' | 'reject'; reason: string }
  | { kind: 'disallow'; orderId: string; reason: string }
  | { kind: 'reinstate'; orderId: string; reason: string }
  | { kind: 'pay'; body: ClaimPayment };

export const settlementApi = {
  claims: (query: ClaimListParams, signal?: AbortSignal) => http.get('/claims', ClaimPage, { query, request: ClaimListQuery, signal }),
  claim: (id: string, signal?: AbortSignal) => http.get(`/claims/${seg(id)}`, ClaimDetail, { signal }),
  claimOrders: (id: string, query: ClaimOrderParams, signal?: AbortSignal) =>
    http.get(`/claims/${seg(id)}/orders`, ClaimOrderPage, { query, request: ClaimOrderQuery, signal }),
  generate: (body: z.input<typeof GenerateClaimsRequest>) => http.post('/claims/generate', GenerateClaimsRequest, body, GenerateClaimsResult),
  act: (id: string, a: ClaimAction): Promise<ClaimDetail> => {
    const base = `/claims/${seg(id)}`;
    switch (a.kind) {
      case 'submit':
        return http.post(`${base}/submit`, EmptyRequest, {}, ClaimDetail);
      case 'check':
      case 'approve':
        return http.post(`${base}/${a.kind}`, ClaimNoteRequest, a.note ? { note: a.note } : {}, ClaimDetail);
      case 'return':
      case 'reject':
        return http.post(`${base}/${a.kind}`, ClaimReasonRequest, { reason: a.reason }, ClaimDetail);
      case 'disallow':
        return http.post(`${base}/disallowances`, DisallowOrderRequest, { orderId: a.orderId, reason: a.reason }, ClaimDetail);
      case 'reinstate':
        return http.post(`${base}/disallowances/${seg(a.orderId)}/reinstate`, ClaimReasonRequest, { reason: a.reason }, ClaimDetail);
      case 'pay':
        return http.post(`${base}/payment`, ClaimPaymentRequest, a.body, ClaimDetail);
    }
  },
  anomalies: (query: AnomalyListParams, signal?: AbortSignal) => http.get('/anomalies', AnomalyPage, { query, request: AnomalyListQuery, signal }),
  anomaly: (id: string, signal?: AbortSignal) => http.get(`/anomalies/${seg(id)}`, Anomaly, { signal }),
  anomalyOrders: (id: string, query: z.input<typeof AnomalyOrderQuery>, signal?: AbortSignal) =>
    http.get(`/anomalies/${seg(id)}/orders`, AnomalyOrderPage, { query, request: AnomalyOrderQuery, signal }),
  scan: (body: z.input<typeof AnomalyScanRequest>) => http.post('/anomalies/scan', AnomalyScanRequest, body, AnomalyScanResult),
  resolve: (id: string, how: 'explain' | 'confirm', note: string) => http.post(`/anomalies/${seg(id)}/${how}`, AnomalyResolveRequest, { note }, Anomaly),
  payers: (month: string, signal?: AbortSignal) =>
    http.get('/claims/settings', z.array(PayerSetting), { query: { month }, request: PayerSettingsQuery, signal }),
  setCadence: (body: SetPayerCadence) => http.put('/claims/settings', SetPayerCadenceRequest, body, z.array(PayerSetting)),
  audit: (query: AuditListParams, signal?: AbortSignal) => http.get('/audit', AuditPage, { query, request: AuditListQuery, signal }),
};

type Progress = (bytes: number) => void;

/** File exports, read as they arrive (ExportButtons shows the bytes received and can cancel). */
export const settlementFiles = {
  claim: (id: string, format: 'xlsx' | 'pdf', onProgress: Progress, signal: AbortSignal): Promise<Download> =>
    download(`/claims/${seg(id)}/export`, { query: { format }, request: ClaimExportQuery, signal, onProgress }),
  claims: (q: Omit<z.input<typeof ClaimListExportQuery>, 'format'>, format: 'xlsx' | 'csv', onProgress: Progress, signal: AbortSignal): Promise<Download> =>
    download('/claims/export', { query: { ...q, format }, request: ClaimListExportQuery, signal, onProgress }),
  anomalies: (q: Omit<z.input<typeof AnomalyExportQuery>, 'format'>, format: 'xlsx' | 'pdf', onProgress: Progress, signal: AbortSignal): Promise<Download> =>
    download('/anomalies/export', { query: { ...q, format }, request: AnomalyExportQuery, signal, onProgress }),
  clearing: (year: number, format: 'xlsx' | 'pdf', onProgress: Progress, signal: AbortSignal): Promise<Download> =>
    download('/claims/clearing/export', { query: { year, format }, request: ClearingExportQuery, signal, onProgress }),
};

/** The annual clearing of a year (street, district and city staff; the server scopes it). */
export const useClearing = (year: number) =>
  useQuery({
    queryKey: settlementKeys.clearing(year),
    queryFn: ({ signal }) => http.get('/claims/clearing', Clearing, { query: { year }, request: ClearingQuery, signal }),
    placeholderData: keepPreviousData,
  });

export const useClaims = (q: ClaimListParams) =>
  useQuery({ queryKey: settlementKeys.claimList(q), queryFn: ({ signal }) => settlementApi.claims(q, signal), placeholderData: keepPreviousData });

export const useClaim = (id: string) => useQuery({ queryKey: settlementKeys.claim(id), queryFn: ({ signal }) => settlementApi.claim(id, signal) });

export const useClaimOrders = (id: string, q: ClaimOrderParams) =>
  useQuery({
    queryKey: settlementKeys.claimOrders(id, q),
    queryFn: ({ signal }) => settlementApi.claimOrders(id, q, signal),
    placeholderData: keepPreviousData,
  });

/** One step of a claim's review; the answer replaces the claim, and lists and orders are fetched again. */
export function useClaimAction(id: string) {
  const qc = useQueryClient();
  return useAction({
    mutationFn: (a: ClaimAction) => settlementApi.act(id, a),
    onSuccess: (claim) => {
      qc.setQueryData(settlementKeys.claim(id), claim);
      void qc.invalidateQueries({ queryKey: ['claims', 'list'] });
      void qc.invalidateQueries({ queryKey: ['claims', 'orders', id] });
      void qc.invalidateQueries({ queryKey: settlementKeys.anomalies });
    },
  });
}

export function useGenerateClaims() {
  const qc = useQueryClient();
  return useAction({
    mutationFn: settlementApi.generate,
    onSuccess: () => void qc.invalidateQueries({ queryKey: settlementKeys.claims }),
  });
}

export const useAnomalies = (q: AnomalyListParams) =>
  useQuery({ queryKey: settlementKeys.anomalyList(q), queryFn: ({ signal }) => settlementApi.anomalies(q, signal), placeholderData: keepPreviousData });

export const useAnomaly = (id: string | undefined) =>
  useQuery({ queryKey: settlementKeys.anomaly(id ?? ''), queryFn: ({ signal }) => settlementApi.anomaly(id ?? '', signal), enabled: !!id });

export const useAnomalyOrders = (id: string | undefined, q: z.input<typeof AnomalyOrderQuery>) =>
  useQuery({
    queryKey: settlementKeys.anomalyOrders(id ?? '', q),
    queryFn: ({ signal }) => settlementApi.anomalyOrders(id ?? '', q, signal),
    enabled: !!id,
    placeholderData: keepPreviousData,
  });

/** Explain or confirm an anomaly; confirming disallows its orders, so claims are fetched again too. */
export function useResolveAnomaly() {
  const qc = useQueryClient();
  return useAction({
    mutationFn: (v: { id: string; how: 'explain' | 'confirm'; note: string }) => settlementApi.resolve(v.id, v.how, v.note),
    onSuccess: (a) => {
      qc.setQueryData(settlementKeys.anomaly(a.id), a);
      void qc.invalidateQueries({ queryKey: settlementKeys.anomalies });
      void qc.invalidateQueries({ queryKey: settlementKeys.claims });
    },
  });
}

export function useScanAnomalies() {
  const qc = useQueryClient();
  return useAction({
    mutationFn: settlementApi.scan,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: settlementKeys.anomalies });
      void qc.invalidateQueries({ queryKey: settlementKeys.claims });
    },
  });
}

export const useAudit = (q: AuditListParams) =>
  useQuery({ queryKey: settlementKeys.audit(q), queryFn: ({ signal }) => settlementApi.audit(q, signal), placeholderData: keepPreviousData });

/** The payers the policies name, with how each is claimed in a month (monthly or quarterly). */
export const usePayerSettings = (month: string, enabled: boolean) =>
  useQuery({ queryKey: settlementKeys.payers(month), queryFn: ({ signal }) => settlementApi.payers(month, signal), enabled });

export function useSetPayerCadence() {
  const qc = useQueryClient();
  return useAction({ mutationFn: settlementApi.setCadence, onSuccess: () => void qc.invalidateQueries({ queryKey: settlementKeys.claims }) });
}
