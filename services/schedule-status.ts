/**
 * A Temporal Schedule as the admin console shows it (RP-002, RP-003, RP-009, SYS-003): its spec
 * in words (intervals and calendars, cron-like), paused or not, its last run and the next ones.
 * Read from the schedule handle's describe() by the workflow gateway.
 */
import type { ScheduleDescription } from '@temporalio/client';

export interface ScheduleStatus {
  id: string;
  /** What it does (the memo the schedule sync writes, lib/schedules.ts). */
  description: string | null;
  workflowType: string | null;
  /** The spec in words: `every 1 hour`, `cron "0 19 * * *" UTC (daily before ...)`; several joined by `; `. */
  spec: string;
  paused: boolean;
  /** Why it is paused, when someone said. */
  note: string | null;
  /** The latest run (manual triggers included) and its workflow's status when Temporal answered. */
  lastRun: { at: Date; workflowId: string; status: string | null } | null;
  /** The next scheduled times, soonest first. */
  nextRunTimes: Date[];
  actionsTaken: number;
  /** Workflows of this schedule running now. */
  running: string[];
}

const UNITS: [ms: number, name: string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1_000, 'second'],
];

/** A duration in milliseconds in its largest whole unit: `1 hour`, `90 minutes`, `1500 ms`. */
export function durationText(ms: number): string {
  for (const [size, name] of UNITS) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms === size ? '' : 's'}`;
  }
  return `${ms} ms`;
}

type Range<T> = { start: T; end: T; step: number };

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'];
const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];

/** One calendar field in cron form: `*` for its whole range, else `a`, `a-b`, `a-b/step` joined by commas. */
function cronField<T extends string | number>(
  ranges: readonly Range<T>[] | undefined,
  full: [number, number],
  toNumber: (v: T) => number,
): string {
  if (!ranges?.length) return '*';
  const parts = ranges.map((r) => {
    const a = toNumber(r.start);
    const b = Math.max(a, toNumber(r.end));
    const step = r.step > 1 ? `/${r.step}` : '';
    if (a === full[0] && b === full[1]) return `*${step}`;
    return a === b ? String(a) : `${a}-${b}${step}`;
  });
  return parts.join(',');
}

type Calendar = NonNullable<ScheduleDescription['spec']['calendars']>[number];

/** A calendar spec as `cron "m h dom mon dow"` (seconds and years only when they say something). */
function calendarText(c: Calendar, zone: string): string {
  const id = (v: number) => v;
  const second = cronField(c.second, [0, 59], id);
  const fields = [
    cronField(c.minute, [0, 59], id),
    cronField(c.hour, [0, 23], id),
    cronField(c.dayOfMonth, [1, 31], id),
    cronField(c.month, [1, 12], (m) => MONTHS.indexOf(m) + 1),
    cronField(c.dayOfWeek, [0, 6], (d) => DAYS.indexOf(d)),
  ];
  const year = c.year?.length ? ` year ${cronField(c.year, [0, 0], id)}` : '';
  const sec = second === '0' ? '' : ` second ${second}`;
  return `cron "${fields.join(' ')}"${sec}${year} ${zone}${c.comment ? ` (${c.comment})` : ''}`;
}

/** The spec in words. */
export function specText(spec: ScheduleDescription['spec']): string {
  const zone = spec.timezone || 'UTC';
  const parts = [
    ...(spec.intervals ?? []).map((i) => `every ${durationText(i.every)}${i.offset ? ` (offset ${durationText(i.offset)})` : ''}`),
    ...(spec.calendars ?? []).map((c) => calendarText(c, zone)),
  ];
  return parts.length ? parts.join('; ') : 'no times (runs only when triggered)';
}

/** The admin view of a described schedule; `lastStatus` is the latest run's workflow status when known. */
export function scheduleStatus(d: ScheduleDescription, lastStatus: string | null): ScheduleStatus {
  const last = d.info.recentActions.at(-1);
  const memo = d.memo?.description;
  return {
    id: d.scheduleId,
    description: typeof memo === 'string' ? memo : null,
    workflowType: d.action.type === 'startWorkflow' ? d.action.workflowType : null,
    spec: specText(d.spec),
    paused: d.state.paused,
    note: d.state.note || null,
    lastRun: last ? { at: last.takenAt, workflowId: last.action.workflow.workflowId, status: lastStatus } : null,
    nextRunTimes: [...d.info.nextActionTimes].sort((a, b) => a.getTime() - b.getTime()),
    actionsTaken: d.info.numActionsTaken,
    running: d.info.runningActions.map((a) => a.workflow.workflowId),
  };
}
