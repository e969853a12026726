import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import {
  ApprovePriceRequest,
  EmptyRequest,
  PriceChange,
  PriceChangeListQuery,
  PriceChangePage,
  ProposePriceRequest,
  RejectPriceRequest,
} from '@yishi/shared/schemas';
import { http, seg } from './client';
import { qk } from './keys';
import { useAction } from './action';

export type { PriceChange } from '@yishi/shared/schemas';
export type PriceChangeParams = z.input<typeof PriceChangeListQuery>;
export type ProposePrice = z.input<typeof ProposePriceRequest>;
export type ApprovePrice = z.input<typeof ApprovePriceRequest>;

export const pricesApi = {
  list: (query: PriceChangeParams, signal?: AbortSignal) => http.get('/price-changes', PriceChangePage, { query, request: PriceChangeListQuery, signal }),
  propose: (dishId: string, body: ProposePrice) => http.post(`/dishes/${seg(dishId)}/price-changes`, ProposePriceRequest, body, PriceChange),
  approve: (id: string, body: ApprovePrice) => http.post(`/price-changes/${seg(id)}/approve`, ApprovePriceRequest, body, PriceChange),
  reject: (id: string, note: string) => http.post(`/price-changes/${seg(id)}/reject`, RejectPriceRequest, { note }, PriceChange),
  withdraw: (id: string) => http.post(`/price-changes/${seg(id)}/withdraw`, EmptyRequest, {}, PriceChange),
};

export const usePriceChanges = (params: PriceChangeParams) =>
  useQuery({ queryKey: qk.priceChanges(params), queryFn: ({ signal }) => pricesApi.list(params, signal), placeholderData: (prev) => prev });

/** A decision or a proposal changes the history, the queue and the dishes (their pending and upcoming prices). */
export function usePriceActions() {
  const qc = useQueryClient();
  const refresh = (c: PriceChange) => {
    void qc.invalidateQueries({ queryKey: qk.priceChangesAll });
    void qc.invalidateQueries({ queryKey: qk.dishes(c.canteenId) });
    void qc.invalidateQueries({ queryKey: qk.menusAll(c.canteenId) });
  };
  return {
    propose: useAction({ mutationFn: ({ dishId, body }: { dishId: string; body: ProposePrice }) => pricesApi.propose(dishId, body), onSuccess: refresh }),
    approve: useAction({ mutationFn: ({ id, body }: { id: string; body: ApprovePrice }) => pricesApi.approve(id, body), onSuccess: refresh }),
    reject: useAction({ mutationFn: ({ id, note }: { id: string; note: string }) => pricesApi.reject(id, note), onSuccess: refresh }),
    withdraw: useAction({ mutationFn: (id: string) => pricesApi.withdraw(id), onSuccess: refresh }),
  };
}
