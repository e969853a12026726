/**
 * What the phone + PIN screen says beside its 下一步 / 确定 button: why the button cannot be pressed yet (还差 1 位数字),
 * or that it can. A grey button with no reason left an elder at 10 of 11 digits not knowing what was wrong.
 */
export type EntryStep = 'phone' | 'pin';

export const ENTRY_LENGTH: Record<EntryStep, number> = { phone: 11, pin: 6 };

export interface EntryHint {
  /** Whether the button goes on. */
  ready: boolean;
  /** The words (an i18n key and its parameters). */
  key: string;
  params?: { n: number };
}

/** A mobile number is 11 digits starting with 1; a PIN is 6 digits. */
export function entryHint(step: EntryStep, value: string): EntryHint {
  const left = ENTRY_LENGTH[step] - value.length;
  if (left > 0) return { ready: false, key: left === 1 ? 'phone.oneMoreDigit' : 'phone.moreDigits', params: { n: left } };
  if (step === 'phone' && !/^1\d{10}$/.test(value)) return { ready: false, key: 'phone.notMobile' };
  return { ready: true, key: step === 'phone' ? 'phone.readyPhone' : 'phone.readyPin' };
}
