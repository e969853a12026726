import { useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { CreatePairingRequest, DeviceSummary, EmptyRequest, HelpCall, PairingCode } from '@yishi/shared/schemas';
import { http, seg } from './client';
import { qk } from './keys';
import { useAction } from './action';

export type { DeviceSummary } from '@yishi/shared/schemas';
export type PairingCode = z.infer<typeof PairingCode>;

export const devicesApi = {
  list: (canteenId: string, signal?: AbortSignal) => http.get(`/canteens/${seg(canteenId)}/devices`, z.array(DeviceSummary), { signal }),
  pair: (body: z.input<typeof CreatePairingRequest>) => http.post('/devices/pairing', CreatePairingRequest, body, PairingCode),
  revoke: (id: string) => http.post(`/devices/${seg(id)}/revoke`, EmptyRequest, {}, DeviceSummary),
  /** 已处理: the kiosk that called hears that staff are coming. */
  acknowledgeHelp: (id: string) => http.post(`/help-calls/${seg(id)}/acknowledge`, EmptyRequest, {}, HelpCall),
};

/** Refetched every 30 s: each kiosk's heartbeat (online, orders waiting, clock drift, cache age) comes once a minute. */
export const useDevices = (canteenId: string) =>
  useQuery({ queryKey: qk.devices(canteenId), queryFn: ({ signal }) => devicesApi.list(canteenId, signal), refetchInterval: 30_000 });

export function useDeviceChanges(canteenId: string) {
  const qc = useQueryClient();
  const refresh = () => void qc.invalidateQueries({ queryKey: qk.devices(canteenId) });
  return {
    pair: useAction({ mutationFn: (name: string) => devicesApi.pair({ canteenId, name }), onSuccess: refresh }),
    revoke: useAction({ mutationFn: devicesApi.revoke, onSuccess: refresh }),
  };
}
