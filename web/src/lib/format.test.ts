import { describe, expect, it } from 'vitest';
import { fmtDateTime, fmtTime, minutesSince, nowIn, setDisplayZone, yuan } from './format';
import { clockOffset } from './serverClock';

describe('format helpers', () => {
  it('money is shown from integer fen', () => {
    expect(yuan(1250)).toBe('¥12.50');
    expect(yuan(0)).toBe('¥0.00');
    expect(yuan(-300)).toBe('-¥3.00');
    // A month's claim: thousands separated, so ¥123,456.78 is read at a glance.
    expect(yuan(12345678)).toBe('¥123,456.78');
    expect(yuan(-1234500)).toBe('-¥12,345.00');
  });

  it('pages show an amount taken off with the one minus form (yuan(-x) → -¥12.00), never a minus of their own or toFixed', () => {
    // Before, some pages wrote −¥12.00 (U+2212) or -¥12.00 by hand in front of yuan(x), others ¥-12.00.
    const sources = import.meta.glob<string>(['../**/*.{ts,tsx}', '!../**/*.test.{ts,tsx}'], { query: '?raw', import: 'default', eager: true });
    expect(Object.keys(sources).length).toBeGreaterThan(50);
    const offenders = Object.entries(sources).flatMap(([file, text]) =>
      text
        .split('\n')
        .map((line, i) => ({ file, line: i + 1, text: line }))
        .filter(({ text: l }) => /[−-]\s*\$?\{\s*(yuan|formatYuan)\(/.test(l) || /(Fen|fen)\b[^;]*\/\s*100\)?\.toFixed/.test(l)),
    );
    expect(offenders).toEqual([]);
  });

  it("instants are shown in the canteen's zone, whatever this computer's is", () => {
    setDisplayZone('Asia/Shanghai');
    expect(fmtTime('2026-11-23T04:05:00.000Z')).toBe('12:05');
    expect(fmtDateTime('2026-11-23T16:30:00.000Z')).toBe('2026/11/24 00:30');
    setDisplayZone('Not/AZone');
    expect(fmtTime('2026-11-23T04:05:00.000Z')).toBe('12:05');
    expect(fmtTime(null)).toBe('—');
    expect(fmtTime('garbage')).toBe('—');
  });

  it('minutes waited never go negative', () => {
    const now = Date.parse('2026-11-23T04:10:30.000Z');
    expect(minutesSince('2026-11-23T04:00:00.000Z', now)).toBe(10);
    expect(minutesSince('2026-11-23T04:20:00.000Z', now)).toBe(0);
    expect(minutesSince(null, now)).toBe(0);
  });

  it("today's date comes from the zone (and a bad zone falls back to Guangzhou's)", () => {
    const a = nowIn('Asia/Shanghai');
    const b = nowIn('Not/AZone');
    expect(a.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(b).toEqual(a);
  });

  it("the server's clock offset ignores jitter under two seconds", () => {
    const sent = Date.parse('2026-01-01T00:00:00.000Z');
    expect(clockOffset('2026-01-01T00:00:01.000Z', sent, sent + 200)).toBe(0);
    expect(clockOffset('2025-11-23T04:00:00.100Z', sent, sent + 200)).toBeLessThan(-1000 * 3600 * 24 * 30);
    expect(clockOffset('not a time', sent, sent)).toBe(0);
  });
});
