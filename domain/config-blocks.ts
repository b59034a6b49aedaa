/**
 * The vocabulary of the domain configuration (lead tiers, channels, billing tiers, step kinds,
 * window names, holiday types, voicemail behaviours; channels and step kinds from step-kinds.ts)
 * and the zod building blocks its sections are made of (numbers, times, zones, ramps, send
 * windows). Re-exported by config.ts.
 *
 * Pure: no I/O, no clock.
 */
import { z } from 'zod';
import { IANAZone } from 'luxon';

export const LEAD_TIERS = ['Hot', 'Warm', 'Cool', 'Cold', 'Dead'] as const;
/** Lead tier derived from the ALS (SYS-002). */
export type LeadTier = (typeof LEAD_TIERS)[number];

export const BILLING_TIERS = ['Ignition', 'Velocity', 'Dominance'] as const;
/** Billing tier of a client subscription (SYS-005). */
export type BillingTier = (typeof BILLING_TIERS)[number];

import { CHANNELS } from './step-kinds.js';
export { CHANNELS, CHANNEL_OF_KIND, STEP_KINDS, channelOf, type Channel, type StepKind } from './step-kinds.js';

export const WINDOW_NAMES = ['email', 'voice', 'sms', 'linkedin', 'reply'] as const;
/** A send window: the four touch channels plus `reply` (business hours for answers, SYS-003). */
export type WindowName = (typeof WINDOW_NAMES)[number];

export const HOLIDAY_TYPES = ['public', 'bank', 'optional', 'school', 'observance'] as const;
export type HolidayType = (typeof HOLIDAY_TYPES)[number];

export const VOICEMAIL_BEHAVIOURS = ['leave_message', 'hang_up'] as const;
export type VoicemailBehaviour = (typeof VOICEMAIL_BEHAVIOURS)[number];

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

export const int = (min = 0) => z.number().int().min(min);
export const points = z.number().min(0).max(100);
export const fraction = z.number().min(0).max(1);
export const percent = z.number().min(0).max(100);
const hhmm = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a 24-hour time HH:MM (00:00-24:00)');
const isoWeekday = z.number().int().min(1).max(7);
export const zoneName = z.string().refine((zone) => IANAZone.isValidZone(zone), 'unknown IANA time zone');
export const channelList = z.array(z.enum(CHANNELS));

/** Minutes after local midnight of an HH:MM string (window times of ED-003, VO-005). */
export function minutesOfDay(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

const rampStep = z.strictObject({ fromDay: int(1), limit: int(0) });
export const rampSchema = z
  .array(rampStep)
  .min(1)
  .superRefine((steps, ctx) => {
    if (steps[0] && steps[0].fromDay !== 1) ctx.addIssue({ code: 'custom', message: 'the first ramp step must start on day 1' });
    for (let i = 1; i < steps.length; i++) {
      if (steps[i]!.fromDay <= steps[i - 1]!.fromDay) {
        ctx.addIssue({ code: 'custom', message: 'ramp steps must have strictly increasing fromDay', path: [i, 'fromDay'] });
      }
    }
  });

interface WindowDefaults {
  start: string;
  end: string;
  breaks: { start: string; end: string }[];
  weekdays: number[];
  randomMinute: boolean;
  maxPerHour: number | null;
}

export const windowSchema = (d: WindowDefaults) =>
  z
    .strictObject({
      /** Local opening time (inclusive). */
      start: hhmm.default(d.start),
      /** Local closing time (exclusive). */
      end: hhmm.default(d.end),
      /** Closed intervals inside the window, e.g. lunch. */
      breaks: z.array(z.strictObject({ start: hhmm, end: hhmm })).default(d.breaks),
      /** ISO weekdays (1 = Monday .. 7 = Sunday) on which the window opens. */
      weekdays: z.array(isoWeekday).min(1).default(d.weekdays),
      /** Never open on a public holiday of the recipient's country and state. */
      skipHolidays: z.boolean().default(true),
      /** Pick a seeded random minute inside the window instead of the earliest instant. */
      randomMinute: z.boolean().default(d.randomMinute),
      /** Pacing: at most this many actions in any rolling hour (null: no pacing). */
      maxPerHour: int(1).nullable().default(d.maxPerHour),
    })
    .superRefine((w, ctx) => {
      const s = minutesOfDay(w.start);
      const e = minutesOfDay(w.end);
      if (s >= e) ctx.addIssue({ code: 'custom', message: 'window start must be before its end', path: ['end'] });
      let prevEnd = s;
      for (const [i, b] of w.breaks.entries()) {
        const bs = minutesOfDay(b.start);
        const be = minutesOfDay(b.end);
        if (bs >= be || bs < prevEnd || be > e) {
          ctx.addIssue({ code: 'custom', message: 'breaks must be ordered, non-overlapping and inside the window', path: ['breaks', i] });
        }
        prevEnd = be;
      }
    })
    .prefault({});
