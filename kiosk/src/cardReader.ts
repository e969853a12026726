/**
 * Keyboard-wedge readers (USB card readers, barcode scanners) "type" the number and press Enter.
 * This buffer collects the characters typed anywhere on the screen and yields a scan on Enter.
 * Characters typed with a long pause between them start a new buffer (a stray key is not a card).
 */
export type Scan = { kind: 'card'; cardNumber: string } | { kind: 'qr'; token: string };

const CARD_RE = /^[0-9A-Za-z]{6,32}$/;

export interface CardBuffer {
  /** Feed one KeyboardEvent.key at time `at` (ms). Returns a scan when Enter completes one. */
  key(key: string, at: number): Scan | null;
  clear(): void;
  readonly text: string;
}

export function classifyScan(raw: string): Scan | null {
  const text = raw.trim();
  if (CARD_RE.test(text)) return { kind: 'card', cardNumber: text };
  if (text.length >= 8 && text.length <= 128) return { kind: 'qr', token: text };
  return null;
}

export function createCardBuffer(maxGapMs = 1000, maxLength = 128): CardBuffer {
  let text = '';
  let last = -Infinity;
  return {
    key(key, at) {
      if (at - last > maxGapMs) text = '';
      last = at;
      if (key === 'Enter' || key === 'Tab') {
        const scan = classifyScan(text);
        text = '';
        return scan;
      }
      if (key.length === 1 && key >= ' ' && key <= '~') {
        if (text.length < maxLength) text += key;
      } else if (key === 'Backspace') {
        text = text.slice(0, -1);
      }
      return null;
    },
    clear() {
      text = '';
    },
    get text() {
      return text;
    },
  };
}
