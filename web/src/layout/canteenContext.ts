import type { MealPeriod } from '@yishi/shared/domain';
import { createContext, useContext } from 'react';
import type { LiveStatus } from '../api/live';
import type { CanteenSummary } from '../api/sites';

/** What every page of one canteen knows: the canteen, its day and meal now, the live link, and what the user may do. */
export interface CanteenCtx {
  canteen: CanteenSummary;
  live: LiveStatus;
  /** Today in the canteen's time zone. */
  today: string;
  /** The meal period open now, or null outside meal hours. */
  period: MealPeriod | null;
  /** The current user may act as this canteen's staff (ROLE_GROUPS.canteenStaff). */
  canOperate: boolean;
}

export const CanteenContext = createContext<CanteenCtx | null>(null);

export function useCanteenCtx(): CanteenCtx {
  const c = useContext(CanteenContext);
  if (!c) throw new Error('useCanteenCtx outside CanteenLayout');
  return c;
}
