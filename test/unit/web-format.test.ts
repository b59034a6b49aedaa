/**
 * How the dashboards write values (SYS-007): an instant in the lead's own zone (daylight saving
 * included), a day, rates, and query strings that leave unset filters out.
 */
import { describe, expect, it } from 'vitest';
import { inDay, inZone, percent } from '../../web/src/shared/format.js';
import { query } from '../../web/src/shared/query.js';

describe('dashboard formatting', () => {
  it.each([
    // Sydney is UTC+11 in December (daylight saving) and UTC+10 in June.
    ['2026-12-07T00:24:00Z', 'Australia/Sydney', 'Mon, 07 Dec 2026, 11:24'],
    ['2026-06-08T00:24:00Z', 'Australia/Sydney', 'Mon, 08 Jun 2026, 10:24'],
    // New York is UTC-5 in December: the same instant is the evening before.
    ['2026-12-07T00:24:00Z', 'America/New_York', 'Sun, 06 Dec 2026, 19:24'],
    // Kathmandu is UTC+5:45.
    ['2026-12-07T00:24:00Z', 'Asia/Kathmandu', 'Mon, 07 Dec 2026, 06:09'],
  ])('SYS-007: %s in %s reads %s (the lead’s local time)', (iso, zone, expected) => {
    expect(inZone(iso, zone)).toContain(expected);
  });

  it('SYS-007: a day in a zone, missing values and rates', () => {
    expect(inDay('2026-12-06T14:00:00Z', 'Australia/Sydney')).toBe('Mon, 07 Dec 2026');
    expect(inZone(null, 'Australia/Sydney')).toBe('—');
    expect(percent(0.0325, 2)).toBe('3.25%');
    expect(percent(null)).toBe('—');
  });

  it('SYS-007: a query string carries only the filters that are set, encoded', () => {
    expect(query({ tier: 'Hot', status: '', q: 'a&b c', cursor: null, limit: 50, x: undefined })).toBe('?tier=Hot&q=a%26b+c&limit=50');
    expect(query({ a: '', b: undefined })).toBe('');
  });
});
