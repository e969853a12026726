import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { localParts } from './time';

/** What localParts must say: a fresh formatter for every call (the way it was computed before it kept any). */
function reference(instant: Date, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  const date = `${p.year}-${p.month}-${p.day}`;
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return { date, time: `${p.hour}:${p.minute}`, isoWeekday: wd === 0 ? 7 : wd };
}

const ZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York', 'Europe/London', 'UTC'];

describe('localParts', () => {
  test.prop([fc.date({ min: new Date('1890-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true }), fc.constantFrom(...ZONES)])(
    'reads any instant in any zone as a fresh formatter does',
    (instant, zone) => {
      expect(localParts(instant, zone)).toEqual(reference(instant, zone));
    },
  );

  it('answers each instant of a minute, the minute after, and another zone in between, correctly', () => {
    const base = Date.parse('2026-11-23T03:59:00.000Z'); // 11:59 in Shanghai
    for (const ms of [0, 1, 30_000, 59_999, 60_000, 60_001]) {
      const at = new Date(base + ms);
      expect(localParts(at, 'Asia/Shanghai')).toEqual(reference(at, 'Asia/Shanghai'));
      expect(localParts(at, 'America/New_York')).toEqual(reference(at, 'America/New_York'));
    }
    expect(localParts(new Date(base + 60_000), 'Asia/Shanghai').time).toBe('12:00');
  });

  it('gives each caller its own answer (changing one does not change the next)', () => {
    const at = new Date('2026-11-23T04:00:00Z');
    const a = localParts(at, 'Asia/Shanghai');
    a.date = 'changed';
    expect(localParts(at, 'Asia/Shanghai').date).toBe('2026-11-23');
  });

  it('reads a zone whose offset was not whole minutes (Shanghai before 1901: +08:05:43) to the second', () => {
    // 1900-06-01T00:00:00Z..00:00:59Z is 08:05:43..08:06:42 local: the minute changes inside the UTC minute.
    for (const s of [0, 16, 17, 30, 59]) {
      const at = new Date(Date.UTC(1900, 5, 1, 0, 0, s));
      expect(localParts(at, 'Asia/Shanghai')).toEqual(reference(at, 'Asia/Shanghai'));
    }
  });

  it('refuses an invalid date as before', () => {
    expect(() => localParts(new Date(NaN), 'Asia/Shanghai')).toThrow(RangeError);
  });
});
