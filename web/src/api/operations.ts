/** The canteen's day: the daily close (日结), couriers' rounds and their alerts, the food-sample log. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  AckAlertRequest,
  AssignCourierRequest,
  CloseDayRequest,
  CloseList,
  CloseListQuery,
  CreateFoodSampleRequest,
  DailyClose,
  Delivery,
  DeliveryAlerts,
  DeliveryDoneRequest,
  DeliveryOutRequest,
  DeliveryRoutes,
  FoodSample,
  FoodSampleList,
  FoodSampleQuery,
} from '@yishi/shared/schemas';
import { API_BASE, http, seg } from './client';
import { qk } from './keys';
import { useAction } from './action';

export type { CloseList, DailyClose, Delivery, DeliveryRoutes, FoodSample, FoodSampleList } from '@yishi/shared/schemas';
export type DeliveryAlert = z.infer<typeof DeliveryAlerts>['items'][number];

const RouteQuery = z.strictObject({ date: z.string() });

export const operationsApi = {
  close: (canteenId: string, date: string, signal?: AbortSignal) => http.get(`/canteens/${seg(canteenId)}/closes/${seg(date)}`, DailyClose, { signal }),
  closes: (canteenId: string, from: string, to: string, signal?: AbortSignal) =>
    http.get(`/canteens/${seg(canteenId)}/closes`, CloseList, { query: { from, to }, request: CloseListQuery, signal }),
  closeDay: (canteenId: string, date: string, body: z.input<typeof CloseDayRequest>) =>
    http.post(`/canteens/${seg(canteenId)}/closes/${seg(date)}`, CloseDayRequest, body, DailyClose),
  closePdfUrl: (canteenId: string, date: string) => `${API_BASE}/canteens/${seg(canteenId)}/closes/${seg(date)}/report.pdf`,
  routes: (canteenId: string, date: string, signal?: AbortSignal) =>
    http.get(`/canteens/${seg(canteenId)}/delivery-routes`, DeliveryRoutes, { query: { date }, request: RouteQuery, signal }),
  assign: (canteenId: string, body: z.input<typeof AssignCourierRequest>) =>
    http.post(`/canteens/${seg(canteenId)}/deliveries/assign`, AssignCourierRequest, body, z.object({ items: z.array(Delivery) })),
  out: (id: string) => http.post(`/deliveries/${seg(id)}/out`, DeliveryOutRequest, {}, Delivery),
  done: (id: string, body: z.input<typeof DeliveryDoneRequest>) => http.post(`/deliveries/${seg(id)}/done`, DeliveryDoneRequest, body, Delivery),
  alerts: (signal?: AbortSignal) => http.get('/delivery-alerts', DeliveryAlerts, { signal }),
  acknowledge: (id: string, note: string) => http.post(`/deliveries/${seg(id)}/acknowledge`, AckAlertRequest, { note }, Delivery),
  samples: (canteenId: string, from: string, to: string, signal?: AbortSignal) =>
    http.get(`/canteens/${seg(canteenId)}/food-samples`, FoodSampleList, { query: { from, to }, request: FoodSampleQuery, signal }),
  recordSample: (canteenId: string, body: z.input<typeof CreateFoodSampleRequest>) =>
    http.post(`/canteens/${seg(canteenId)}/food-samples`, CreateFoodSampleRequest, body, FoodSample),
};

export const useClose = (canteenId: string, date: string) =>
  useQuery({ queryKey: qk.close(canteenId, date), queryFn: ({ signal }) => operationsApi.close(canteenId, date, signal), refetchInterval: 60_000 });

export const useCloses = (canteenId: string, from: string, to: string) =>
  useQuery({ queryKey: [...qk.closes(canteenId), 'list', from, to], queryFn: ({ signal }) => operationsApi.closes(canteenId, from, to, signal) });

export function useCloseDay(canteenId: string, date: string) {
  const qc = useQueryClient();
  return useAction({
    mutationFn: (body: z.input<typeof CloseDayRequest>) => operationsApi.closeDay(canteenId, date, body),
    onSuccess: (c) => {
      qc.setQueryData(qk.close(canteenId, date), c);
      void qc.invalidateQueries({ queryKey: qk.closes(canteenId) });
    },
  });
}

export const useDeliveryRoutes = (canteenId: string, date: string) =>
  useQuery({ queryKey: qk.deliveryRoutes(canteenId, date), queryFn: ({ signal }) => operationsApi.routes(canteenId, date, signal), refetchInterval: 60_000 });

export function useDeliveryChanges(canteenId: string) {
  const qc = useQueryClient();
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: qk.deliveriesAll(canteenId) });
    void qc.invalidateQueries({ queryKey: qk.deliveryAlerts });
  };
  return {
    assign: useAction({ mutationFn: (body: z.input<typeof AssignCourierRequest>) => operationsApi.assign(canteenId, body), onSuccess: refresh }),
    out: useAction({ mutationFn: operationsApi.out, onSuccess: refresh }),
    done: useAction({ mutationFn: (a: { id: string; body: z.input<typeof DeliveryDoneRequest> }) => operationsApi.done(a.id, a.body), onSuccess: refresh }),
  };
}

/** Alerts stay on every page until acknowledged: polled, and refreshed at once by the live socket. */
export const useDeliveryAlerts = (enabled: boolean) =>
  useQuery({ queryKey: qk.deliveryAlerts, queryFn: ({ signal }) => operationsApi.alerts(signal), refetchInterval: 30_000, enabled });

export function useAcknowledge() {
  const qc = useQueryClient();
  return useAction({
    mutationFn: (a: { id: string; note: string }) => operationsApi.acknowledge(a.id, a.note),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.deliveryAlerts }),
  });
}

export const useSamples = (canteenId: string, from: string, to: string) =>
  useQuery({ queryKey: qk.samples(canteenId, from, to), queryFn: ({ signal }) => operationsApi.samples(canteenId, from, to, signal) });

export function useRecordSample(canteenId: string) {
  const qc = useQueryClient();
  return useAction({
    mutationFn: (body: z.input<typeof CreateFoodSampleRequest>) => operationsApi.recordSample(canteenId, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.samplesAll(canteenId) });
      void qc.invalidateQueries({ queryKey: qk.closes(canteenId) });
    },
  });
}
