import type { SpeechDialect } from '../speech';
import type { KioskDeps, Slice } from './types';

/**
 * Settings of this kiosk, made by staff on the kiosk itself (long press on the 颐 mark) and kept on it:
 * the spoken dialect for Chinese and the receipt paper width. Unlike the person's language and voice switch,
 * they survive from one person to the next.
 */
export interface SettingsSlice {
  speechDialect: SpeechDialect;
  paperWidth: 58 | 80;
  settingsOpen: boolean;
  setSpeechDialect: (d: SpeechDialect) => void;
  setPaperWidth: (w: 58 | 80) => void;
  openSettings: () => void;
  closeSettings: () => void;
}

const DIALECT_KEY = 'yishi.kiosk.speechDialect';
const PAPER_KEY = 'yishi.kiosk.paper';

export const settingsSlice: Slice<SettingsSlice> = (deps: KioskDeps) => (set) => ({
  speechDialect: deps.prefs.get(DIALECT_KEY) === 'cantonese' ? 'cantonese' : 'mandarin',
  paperWidth: deps.prefs.get(PAPER_KEY) === '58' ? 58 : 80,
  settingsOpen: false,
  setSpeechDialect: (speechDialect) => {
    deps.prefs.set(DIALECT_KEY, speechDialect);
    set({ speechDialect });
  },
  setPaperWidth: (paperWidth) => {
    deps.prefs.set(PAPER_KEY, String(paperWidth));
    set({ paperWidth });
  },
  openSettings: () => set({ settingsOpen: true }),
  closeSettings: () => set({ settingsOpen: false }),
});
