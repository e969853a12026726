import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { CancelOrderRequest, ConfirmPaymentRequest, Order, OrderListQuery, OrderPage, OrderStateRequest } from '@yishi/shared/schemas';
import { ApiError, http, seg } from './client';
import { qk } from './keys';
import { useAction } from './action';

export type { Order, OrderPage } from '@yishi/shared/schemas';
export type ConfirmPayment = z.input<typeof ConfirmPaymentRequest>;

export const ordersApi = {
  list: (query: z.input<typeof OrderListQuery>, signal?: AbortSignal) => http.get('/orders', OrderPage, { query, request: OrderListQuery, signal }),
  confirmPayment: (id: string, body: ConfirmPayment) => http.post(`/orders/${seg(id)}/confirm-payment`, ConfirmPaymentRequest, body, Order),
  setState: (id: string, state: z.input<typeof OrderStateRequest>['state']) => http.post(`/orders/${seg(id)}/state`, OrderStateRequest, { state }, Order),
  cancel: (id: string, reason: string) => http.post(`/orders/${seg(id)}/cancel`, CancelOrderRequest, { reason }, Order),
  refund: (id: string, reason: string) => http.post(`/orders/${seg(id)}/refund`, CancelOrderRequest, { reason }, Order),
};

/** All of a day's orders at a canteen (the live socket keeps this list current). */
export const useOrders = (canteenId: string, date: string) =>
  useQuery({
    queryKey: qk.orders(canteenId, date),
    queryFn: ({ signal }) => ordersApi.list({ canteenId, date, limit: 500 }, signal),
    refetchInterval: 120_000,
  });

export type OrderListParams = z.input<typeof OrderListQuery> & { canteenId: string };

/** One page of a canteen's orders, filtered and sorted on the server; the previous page stays while the next loads. */
export const useOrderPage = (params: OrderListParams) =>
  useQuery({
    queryKey: qk.ordersPage(params.canteenId, params),
    queryFn: ({ signal }) => ordersApi.list(params, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 120_000,
  });

/** Put an order into the cached list of its day (insert or replace). */
export function upsertOrder(qc: QueryClient, order: Order): void {
  qc.setQueryData<OrderPage>(qk.orders(order.canteenId, order.serviceDate), (prev) => {
    if (!prev) return prev;
    const i = prev.items.findIndex((o) => o.id === order.id);
    if (i === -1) return { items: [order, ...prev.items], total: prev.total + 1 };
    const items = prev.items.slice();
    items[i] = order;
    return { ...prev, items };
  });
}

export type OrderAction = { kind: 'pay'; body: ConfirmPayment } | { kind: 'ready' | 'completed' } | { kind: 'cancel' | 'refund'; reason: string };

function run(id: string, a: OrderAction): Promise<Order> {
  switch (a.kind) {
    case 'pay':
      return ordersApi.confirmPayment(id, a.body);
    case 'ready':
    case 'completed':
      return ordersApi.setState(id, a.kind);
    case 'cancel':
      return ordersApi.cancel(id, a.reason);
    case 'refund':
      return ordersApi.refund(id, a.reason);
  }
}

/** What staff do with one order; the answer replaces the order in its day's list, and a stale list is fetched again. */
export function useOrderAction(order: Pick<Order, 'id' | 'canteenId' | 'serviceDate'>) {
  const qc = useQueryClient();
  return useAction({
    mutationFn: (a: OrderAction) => run(order.id, a),
    onSuccess: (o) => {
      upsertOrder(qc, o);
      void qc.invalidateQueries({ queryKey: qk.canteens });
    },
    onError: (e) => {
      // Someone else moved the order on (another screen, the kiosk): fetch the day again.
      if (e instanceof ApiError && e.code === 'invalid_state') void qc.invalidateQueries({ queryKey: qk.orders(order.canteenId, order.serviceDate) });
    },
  });
}
