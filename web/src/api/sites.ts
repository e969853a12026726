import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { Area, CanteenSummary } from '@yishi/shared/schemas';
import { http, seg } from './client';
import { qk } from './keys';

export type { CanteenSummary } from '@yishi/shared/schemas';
export type Area = z.infer<typeof Area>;

export const sitesApi = {
  areas: (signal?: AbortSignal) => http.get('/areas', z.array(Area), { signal }),
  canteens: (signal?: AbortSignal) => http.get('/canteens', z.array(CanteenSummary), { signal }),
  canteen: (id: string, signal?: AbortSignal) => http.get(`/canteens/${seg(id)}`, CanteenSummary, { signal }),
};

export const useCanteens = (enabled = true) =>
  useQuery({ queryKey: qk.canteens, queryFn: ({ signal }) => sitesApi.canteens(signal), enabled, staleTime: 30_000 });

export const useCanteen = (id: string | undefined) =>
  useQuery({ queryKey: qk.canteen(id ?? ''), queryFn: ({ signal }) => sitesApi.canteen(id ?? '', signal), enabled: !!id, staleTime: 30_000 });

export const useAreas = () => useQuery({ queryKey: qk.areas, queryFn: ({ signal }) => sitesApi.areas(signal), staleTime: 600_000 });
