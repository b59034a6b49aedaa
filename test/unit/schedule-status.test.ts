/**
 * A Temporal Schedule's spec in words for the admin console (RP-002, SYS-006): intervals in their
 * largest whole unit, calendars in cron form (whole ranges as `*`), the zone, several specs joined.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduleDescription } from '@temporalio/client';
import { durationText, specText } from '../../services/schedule-status.js';

type Spec = ScheduleDescription['spec'];
const r = <T>(start: T, end = start, step = 1) => ({ start, end, step });
const everyDay = {
  second: [r(0)],
  dayOfMonth: [r(1, 31)],
  month: [r('JANUARY' as const, 'DECEMBER' as const)],
  year: [],
  dayOfWeek: [r('SUNDAY' as const, 'SATURDAY' as const)],
};

describe('schedule specs in words (RP-002, SYS-006)', () => {
  it('RP-002: durations in their largest whole unit', () => {
    expect(durationText(3_600_000)).toBe('1 hour');
    expect(durationText(60_000)).toBe('1 minute');
    expect(durationText(5_400_000)).toBe('90 minutes');
    expect(durationText(2 * 86_400_000)).toBe('2 days');
    expect(durationText(1_500)).toBe('1500 ms');
  });

  it('RP-002 SYS-006: intervals, calendars in cron form with their zone and comment, several joined', () => {
    const spec = {
      intervals: [{ every: 3_600_000, offset: 900_000 }],
      calendars: [
        { ...everyDay, minute: [r(0)], hour: [r(19)], comment: 'daily' },
        { ...everyDay, minute: [r(0, 59, 15)], hour: [r(9, 17)], dayOfWeek: [r('MONDAY' as const, 'FRIDAY' as const)] },
      ],
      timezone: 'Australia/Sydney',
    } as unknown as Spec;
    expect(specText(spec)).toBe(
      'every 1 hour (offset 15 minutes); cron "0 19 * * *" Australia/Sydney (daily); cron "*/15 9-17 * * 1-5" Australia/Sydney',
    );
    expect(specText({ calendars: [{ ...everyDay, second: [r(30)], minute: [r(5)], hour: [r(1), r(13)] }] } as unknown as Spec)).toBe(
      'cron "5 1,13 * * *" second 30 UTC',
    );
    expect(specText({} as Spec)).toBe('no times (runs only when triggered)');
  });
});
