import { describe, expect, it } from 'vitest';
import { fmtDateTime, fmtTime, minutesSince, nowIn, setDisplayZone, yuan } from './format';
import { clockOffset } from './serverClock';

describe('format helpers', () => {
  it('money is shown from integer fen', () => {
    expect(yuan(1250)).toBe('¥12.50');
    expect(yuan(0)).toBe('¥0.00');
    expect(yuan(-300)).toContain('3.00');
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
