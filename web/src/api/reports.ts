import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { Indicators, IndicatorsExportQuery, IndicatorsQuery, Report, ReportExportQuery, ReportQuery } from '@yishi/shared/schemas';
import { download, http, type Download } from './client';
import { qk } from './keys';

export type { IndicatorFigures, IndicatorNode, Indicators, Report, ReportFigures, ReportRow, SubsidyByPayer } from '@yishi/shared/schemas';
export type ReportParams = z.input<typeof ReportQuery>;
export type IndicatorParams = z.input<typeof IndicatorsQuery>;
export type ExportFormat = z.input<typeof ReportExportQuery>['format'];

export const reportsApi = {
  report: (query: ReportParams, signal?: AbortSignal) => http.get('/reports', Report, { query, request: ReportQuery, signal }),
  indicators: (query: IndicatorParams, signal?: AbortSignal) => http.get('/reports/indicators', Indicators, { query, request: IndicatorsQuery, signal }),
  exportReport: (query: ReportParams & { format: ExportFormat }, onProgress: (bytes: number) => void, signal?: AbortSignal): Promise<Download> =>
    download('/reports/export', { query, request: ReportExportQuery, signal, onProgress }),
  exportIndicators: (query: IndicatorParams & { format: ExportFormat }, onProgress: (bytes: number) => void, signal?: AbortSignal): Promise<Download> =>
    download('/reports/indicators/export', { query, request: IndicatorsExportQuery, signal, onProgress }),
};

/** A report; the previous one stays on screen while the next period or grouping loads. */
export const useReport = (params: ReportParams) =>
  useQuery({ queryKey: qk.report(params), queryFn: ({ signal }) => reportsApi.report(params, signal), placeholderData: keepPreviousData, staleTime: 30_000 });

export const useIndicators = (params: IndicatorParams) =>
  useQuery({
    queryKey: qk.indicators(params),
    queryFn: ({ signal }) => reportsApi.indicators(params, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
