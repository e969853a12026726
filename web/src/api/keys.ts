import type { z } from 'zod';
import type { IndicatorsQuery, PriceChangeListQuery, ReportQuery, ResidentListQuery } from '@yishi/shared/schemas';

export type ResidentParams = z.input<typeof ResidentListQuery>;
type PriceChangeParams = z.input<typeof PriceChangeListQuery>;

/** Query keys of the console's cache, one place for every area (the live socket updates several). */
export const qk = {
  me: ['me'] as const,
  canteens: ['canteens'] as const,
  canteen: (id: string) => ['canteens', id] as const,
  areas: ['areas'] as const,
  dishes: (canteenId: string) => ['dishes', canteenId] as const,
  menus: (canteenId: string, from: string, to: string) => ['menus', canteenId, from, to] as const,
  menusAll: (canteenId: string) => ['menus', canteenId] as const,
  orders: (canteenId: string, date: string) => ['orders', canteenId, date] as const,
  ordersAll: (canteenId: string) => ['orders', canteenId] as const,
  residentsAll: ['residents'] as const,
  residents: (params: ResidentParams) => ['residents', params] as const,
  resident: (id: string) => ['resident', id] as const,
  wallet: (id: string) => ['wallet', id] as const,
  devices: (canteenId: string) => ['devices', canteenId] as const,
  users: ['users'] as const,
  priceChangesAll: ['priceChanges'] as const,
  priceChanges: (params: PriceChangeParams) => ['priceChanges', params] as const,
  walletEntries: (id: string, page: number) => ['wallet', id, 'entries', page] as const,
  residentOrders: (id: string, page: number) => ['residentOrders', id, page] as const,
  ordersPage: (canteenId: string, params: object) => ['orders', canteenId, 'page', params] as const,
  close: (canteenId: string, date: string) => ['closes', canteenId, date] as const,
  closes: (canteenId: string) => ['closes', canteenId] as const,
  deliveryRoutes: (canteenId: string, date: string) => ['deliveries', canteenId, date] as const,
  deliveriesAll: (canteenId: string) => ['deliveries', canteenId] as const,
  deliveryAlerts: ['delivery-alerts'] as const,
  samples: (canteenId: string, from: string, to: string) => ['samples', canteenId, from, to] as const,
  samplesAll: (canteenId: string) => ['samples', canteenId] as const,
  pendingCategories: ['categories', 'pending'] as const,
  report: (params: z.input<typeof ReportQuery>) => ['reports', params] as const,
  indicators: (params: z.input<typeof IndicatorsQuery>) => ['indicators', params] as const,
};
