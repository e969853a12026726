import { create } from 'zustand';
import { persist } from 'zustand/middleware';

interface UiState {
  lastCanteenId: string | null;
  siderCollapsed: boolean;
  setLastCanteen: (id: string) => void;
  toggleSider: () => void;
}

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      lastCanteenId: null,
      siderCollapsed: false,
      setLastCanteen: (id) => set({ lastCanteenId: id }),
      toggleSider: () => set((s) => ({ siderCollapsed: !s.siderCollapsed })),
    }),
    { name: 'yishi.console.ui' },
  ),
);
