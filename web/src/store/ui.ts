import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/** What this browser remembers about the console's layout, per person where it concerns their work. */
export interface UiState {
  /** The canteen each user last worked in on this browser (user id → canteen id). */
  lastCanteenByUser: Record<string, string>;
  siderCollapsed: boolean;
  rememberCanteen: (userId: string, canteenId: string) => void;
  toggleSider: () => void;
}

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      lastCanteenByUser: {},
      siderCollapsed: false,
      rememberCanteen: (userId, canteenId) =>
        set((s) => (s.lastCanteenByUser[userId] === canteenId ? s : { lastCanteenByUser: { ...s.lastCanteenByUser, [userId]: canteenId } })),
      toggleSider: () => set((s) => ({ siderCollapsed: !s.siderCollapsed })),
    }),
    {
      name: 'yishi.console.ui',
      version: 2,
      // Version 1 kept one canteen for whoever used the browser last; it is not known whose it was, so forget it.
      migrate: (old) => {
        const prev = (old ?? {}) as { siderCollapsed?: unknown };
        return { lastCanteenByUser: {}, siderCollapsed: prev.siderCollapsed === true };
      },
      partialize: (s) => ({ lastCanteenByUser: s.lastCanteenByUser, siderCollapsed: s.siderCollapsed }),
    },
  ),
);

/** The canteen a user should land on: the one they last used if they still have it, else their first. */
export function landingCanteen(lastUsed: string | undefined, available: readonly string[]): string | undefined {
  return lastUsed && available.includes(lastUsed) ? lastUsed : available[0];
}
