import type { Notice, Screen, Slice } from './types';

export interface UiSlice {
  screen: Screen;
  notice: Notice | null;
  go: (screen: Screen) => void;
  setNotice: (n: Notice | null) => void;
}

export const uiSlice: Slice<UiSlice> = () => (set) => ({
  screen: { name: 'loading' },
  notice: null,
  go: (screen) => set({ screen }),
  setNotice: (notice) => set({ notice }),
});
