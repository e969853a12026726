import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import type { z } from 'zod';
import {
  AcceptLateReviewRequest,
  DisallowLateReviewRequest,
  HandleRefusedOrderRequest,
  LateReviewPage,
  LateReviewQuery,
  LateReviewResolved,
  RefusedOrder,
  RefusedOrderPage,
  RefusedOrderQuery,
} from '@yishi/shared/schemas';
import { http, seg } from './client';
import { useAction } from './action';

export type { LateReview, LateReviewPage, RefusedOrder } from '@yishi/shared/schemas';
export type RefusedOrderParams = z.input<typeof RefusedOrderQuery>;
export type LateReviewParams = z.input<typeof LateReviewQuery>;

/** 离线订单复核: flagged late orders, and settling them (accept as served, or disallow the subsidy from the claims). */
export const reviewKeys = {
  all: ['lateReviews'] as const,
  list: (q: LateReviewParams) => ['lateReviews', 'list', q] as const,
  refused: (q: RefusedOrderParams) => ['lateReviews', 'refused', q] as const,
};

export const reviewsApi = {
  list: (query: LateReviewParams, signal?: AbortSignal) => http.get('/order-reviews', LateReviewPage, { query, request: LateReviewQuery, signal }),
  accept: (orderId: string, note: string) => http.post(`/order-reviews/${seg(orderId)}/accept`, AcceptLateReviewRequest, { note }, LateReviewResolved),
  disallow: (orderId: string, reason: string) =>
    http.post(`/order-reviews/${seg(orderId)}/disallow`, DisallowLateReviewRequest, { reason }, LateReviewResolved),
  refused: (query: RefusedOrderParams, signal?: AbortSignal) =>
    http.get('/order-reviews/refused', RefusedOrderPage, { query, request: RefusedOrderQuery, signal }),
  handleRefused: (orderId: string, note: string) =>
    http.post(`/order-reviews/refused/${seg(orderId)}/handle`, HandleRefusedOrderRequest, { note }, RefusedOrder),
};

/** 被拒收: orders a kiosk priced offline that the server refused when they arrived. */
export const useRefusedOrders = (q: RefusedOrderParams) =>
  useQuery({ queryKey: reviewKeys.refused(q), queryFn: ({ signal }) => reviewsApi.refused(q, signal), placeholderData: keepPreviousData });

export function useHandleRefused() {
  const qc = useQueryClient();
  return useAction({
    mutationFn: (v: { orderId: string; note: string }) => reviewsApi.handleRefused(v.orderId, v.note),
    onSuccess: () => void qc.invalidateQueries({ queryKey: reviewKeys.all }),
  });
}

/** `enabled` false: not asked (the page's other tab is open). */
export const useLateReviews = (q: LateReviewParams, enabled = true) =>
  useQuery({ queryKey: reviewKeys.list(q), queryFn: ({ signal }) => reviewsApi.list(q, signal), placeholderData: keepPreviousData, enabled });

/** Settle one; a disallowance changes claims, so they are fetched again too. */
export function useSettleLateReview() {
  const qc = useQueryClient();
  return useAction({
    mutationFn: (v: { orderId: string; how: 'accept' | 'disallow'; text: string }) =>
      v.how === 'accept' ? reviewsApi.accept(v.orderId, v.text) : reviewsApi.disallow(v.orderId, v.text),
    onSuccess: (_r, v) => {
      void qc.invalidateQueries({ queryKey: reviewKeys.all });
      if (v.how === 'disallow') void qc.invalidateQueries({ queryKey: ['claims'] });
    },
  });
}

/**
 * How many refused offline orders of this month wait to be handled, in the caller's canteens: the side menu shows
 * it on 离线订单复核 (an operator at a busy lunch is not on that page). Asked again when a canteen page's live socket
 * hears a refusal kept or handled (`useLive`), and every minute for the pages without one.
 */
export function useRefusedWaiting(month: string, enabled: boolean): number {
  const from = `${month}-01`;
  const q: RefusedOrderParams = { from, to: dayjs(from).endOf('month').format('YYYY-MM-DD'), status: 'open', limit: 1 };
  return (
    useQuery({ queryKey: reviewKeys.refused(q), queryFn: ({ signal }) => reviewsApi.refused(q, signal), enabled, refetchInterval: 60_000 }).data?.total ?? 0
  );
}
