import { describe, expect, it } from 'vitest';
import { classifyScan, createCardBuffer } from './cardReader';

function typeAll(buf: ReturnType<typeof createCardBuffer>, s: string, start = 0, gap = 10) {
  let t = start;
  let out = null;
  for (const ch of s) {
    out = buf.key(ch, t);
    t += gap;
  }
  return { out: buf.key('Enter', t), last: out };
}

describe('card reader buffer', () => {
  it('yields a card number on Enter', () => {
    const b = createCardBuffer();
    expect(typeAll(b, '4401000123').out).toEqual({ kind: 'card', cardNumber: '4401000123' });
    expect(b.text).toBe('');
  });
  it('ignores shift/modifier keys and too-short input', () => {
    const b = createCardBuffer();
    b.key('Shift', 0);
    expect(typeAll(b, '123', 1).out).toBeNull();
  });
  it('starts over after a long pause', () => {
    const b = createCardBuffer(500);
    b.key('9', 0);
    b.key('9', 10);
    const r = typeAll(b, '12345678', 2000);
    expect(r.out).toEqual({ kind: 'card', cardNumber: '12345678' });
  });
  it('classifies non-card text as a QR token', () => {
    expect(classifyScan('YS1.abcdef-ghij')).toEqual({ kind: 'qr', token: 'YS1.abcdef-ghij' });
    expect(classifyScan('   ')).toBeNull();
  });
});
