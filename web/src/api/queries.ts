import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Area, CanteenSummary, DeviceSummary, Dish, Me, Menu, Order, Paged, ResidentDetail, ResidentSummary, UserSummary, WalletView } from './types';

export const qk = {
  me: ['me'] as const,
  canteens: ['canteens'] as const,
  canteen: (id: string) => ['canteens', id] as const,
  dishes: (canteenId: string) => ['dishes', canteenId] as const,
  menus: (canteenId: string, from: string, to: string) => ['menus', canteenId, from, to] as const,
  menusAll: (canteenId: string) => ['menus', canteenId] as const,
  orders: (canteenId: string, date: string) => ['orders', canteenId, date] as const,
  ordersAll: (canteenId: string) => ['orders', canteenId] as const,
  residents: (params: ResidentParams) => ['residents', params] as const,
  resident: (id: string) => ['resident', id] as const,
  wallet: (id: string) => ['wallet', id] as const,
  devices: (canteenId: string) => ['devices', canteenId] as const,
  users: ['users'] as const,
  areas: ['areas'] as const,
};

export interface ResidentParams {
  q?: string;
  canteenId?: string;
  limit: number;
  offset: number;
}

export const useMe = () => useQuery({ queryKey: qk.me, queryFn: ({ signal }) => api.get<Me>('/auth/me', undefined, signal), staleTime: 60_000 });

export const useCanteens = (enabled = true) =>
  useQuery({ queryKey: qk.canteens, queryFn: ({ signal }) => api.get<CanteenSummary[]>('/canteens', undefined, signal), enabled, staleTime: 30_000 });

export const useCanteen = (id: string | undefined) =>
  useQuery({
    queryKey: qk.canteen(id ?? ''),
    queryFn: ({ signal }) => api.get<CanteenSummary>(`/canteens/${encodeURIComponent(id ?? '')}`, undefined, signal),
    enabled: !!id,
    staleTime: 30_000,
  });

export const useDishes = (canteenId: string) =>
  useQuery({ queryKey: qk.dishes(canteenId), queryFn: ({ signal }) => api.get<Dish[]>(`/canteens/${canteenId}/dishes`, undefined, signal) });

export const useMenus = (canteenId: string, from: string, to: string) =>
  useQuery({ queryKey: qk.menus(canteenId, from, to), queryFn: ({ signal }) => api.get<Menu[]>(`/canteens/${canteenId}/menus`, { from, to }, signal) });

/** All of a day's orders at a canteen (the live socket keeps this list current). */
export const useOrders = (canteenId: string, date: string) =>
  useQuery({
    queryKey: qk.orders(canteenId, date),
    queryFn: ({ signal }) => api.get<Paged<Order>>('/orders', { canteenId, date, limit: 500 }, signal),
    refetchInterval: 120_000,
  });

export const useResidents = (params: ResidentParams) =>
  useQuery({
    queryKey: qk.residents(params),
    queryFn: ({ signal }) => api.get<Paged<ResidentSummary>>('/residents', { ...params }, signal),
    placeholderData: (prev) => prev,
  });

export const useResident = (id: string | null) =>
  useQuery({ queryKey: qk.resident(id ?? ''), queryFn: ({ signal }) => api.get<ResidentDetail>(`/residents/${id}`, undefined, signal), enabled: !!id });

export const useWallet = (id: string | null) =>
  useQuery({ queryKey: qk.wallet(id ?? ''), queryFn: ({ signal }) => api.get<WalletView>(`/residents/${id}/wallet`, undefined, signal), enabled: !!id });

export const useDevices = (canteenId: string) =>
  useQuery({ queryKey: qk.devices(canteenId), queryFn: ({ signal }) => api.get<DeviceSummary[]>(`/canteens/${canteenId}/devices`, undefined, signal) });

export const useUsers = () => useQuery({ queryKey: qk.users, queryFn: ({ signal }) => api.get<UserSummary[]>('/users', undefined, signal) });

export const useAreas = () => useQuery({ queryKey: qk.areas, queryFn: ({ signal }) => api.get<Area[]>('/areas', undefined, signal), staleTime: 600_000 });
