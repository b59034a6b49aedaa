/**
 * The configuration sections about leads and when they are contacted: scoring weights, tier
 * thresholds, channel gating, the default sequence, the send windows and the client's default
 * zone/country (SYS-002, AD-001, AD-004, ED-002, ED-003, VO-005). Assembled by config.ts.
 *
 * Pure: no I/O, no clock.
 */
import { z } from 'zod';
import { channelList, HOLIDAY_TYPES, int, points, STEP_KINDS, windowSchema, zoneName } from './config-blocks.js';

const weekdaysMonFri = [1, 2, 3, 4, 5];

export const scoringSchema = z
  .strictObject({
    /** Data quality, max 20 (SYS-002). */
    dataQuality: z
      .strictObject({
        max: points.default(20),
        verifiedEmail: points.default(8),
        phone: points.default(6),
        linkedinUrl: points.default(4),
        personalEmail: points.default(2),
      })
      .prefault({}),
    /** Authority by title, max 25 (SYS-002). The highest matching level counts. */
    authority: z
      .strictObject({
        max: points.default(25),
        ownerFounderCeo: points.default(25),
        cSuitePresident: points.default(22),
        vp: points.default(18),
        directorHead: points.default(15),
        seniorManager: points.default(10),
        managerLead: points.default(7),
      })
      .prefault({}),
    /** Company fit against the client's ICP, max 25; weights per client (SYS-002). */
    companyFit: z
      .strictObject({
        max: points.default(25),
        industryMatch: points.default(10),
        employeeCountInRange: points.default(8),
        icpCountry: points.default(7),
      })
      .prefault({}),
    /** Timing signals, max 15 (SYS-002). */
    timing: z
      .strictObject({
        max: points.default(15),
        newInRole: points.default(6),
        /** "New in role": strictly fewer months in the role than this. */
        newInRoleUnderMonths: z.number().positive().default(6),
        companyHiring: points.default(5),
        recentlyFunded: points.default(4),
        /** "Funded within": at most this many months since the funding round. */
        fundedWithinMonths: z.number().positive().default(12),
      })
      .prefault({}),
    /** Risk deductions, given as positive numbers and subtracted (SYS-002). */
    risk: z
      .strictObject({
        bounced: points.default(10),
        unsubscribed: points.default(15),
        competitor: points.default(15),
        badTitle: points.default(5),
      })
      .prefault({}),
    /** Whole words that make a title a "bad title" (the risk deduction; the authority is what the title states). */
    badTitleKeywords: z
      .array(z.string().min(1))
      .default(['intern', 'internship', 'student', 'trainee', 'assistant', 'receptionist', 'retired', 'volunteer', 'unemployed']),
  })
  .prefault({});

export const tiersSchema = z
  .strictObject({
    /** Minimum ALS of each tier; below `Cold` is Dead (SYS-002). */
    Hot: points.default(85),
    Warm: points.default(60),
    Cool: points.default(35),
    Cold: points.default(20),
  })
  .superRefine((t, ctx) => {
    if (!(t.Hot > t.Warm && t.Warm > t.Cool && t.Cool > t.Cold)) {
      ctx.addIssue({ code: 'custom', message: 'tier thresholds must be strictly decreasing Hot > Warm > Cool > Cold' });
    }
  })
  .prefault({});

export const channelGatingSchema = z
  .strictObject({
    /** Channels each tier may use (AD-004, LI-005). */
    Hot: channelList.default(['email', 'sms', 'linkedin', 'voice']),
    Warm: channelList.default(['email', 'sms', 'linkedin', 'voice']),
    Cool: channelList.default(['email', 'linkedin']),
    Cold: channelList.default(['email']),
    Dead: channelList.default([]),
  })
  .superRefine((g, ctx) => {
    if (g.Cold.includes('linkedin')) ctx.addIssue({ code: 'custom', message: 'LI-005: LinkedIn only for Cool/Warm/Hot', path: ['Cold'] });
    if (g.Dead.length > 0) ctx.addIssue({ code: 'custom', message: 'SYS-002: a Dead lead is never contacted', path: ['Dead'] });
  })
  .prefault({});

const sequenceStepSchema = z.strictObject({ day: int(0), kind: z.enum(STEP_KINDS) });
export const sequenceSchema = z
  .strictObject({
    /** The default five-step sequence (AD-001). Not overridable per client (AD-002). */
    steps: z
      .array(sequenceStepSchema)
      .min(1)
      .default([
        { day: 0, kind: 'email' },
        { day: 3, kind: 'voice' },
        { day: 5, kind: 'linkedin_connect' },
        { day: 8, kind: 'email_followup' },
        { day: 12, kind: 'sms' },
      ])
      .superRefine((steps, ctx) => {
        for (let i = 1; i < steps.length; i++) {
          if (steps[i]!.day < steps[i - 1]!.day)
            ctx.addIssue({ code: 'custom', message: 'sequence days must not decrease', path: [i, 'day'] });
        }
      }),
  })
  .prefault({});

export const windowsSchema = z
  .strictObject({
    /** ED-003: 09:00-11:00 recipient-local, Monday-Friday, seeded random minute. */
    email: windowSchema({ start: '09:00', end: '11:00', breaks: [], weekdays: weekdaysMonFri, randomMinute: true, maxPerHour: null }),
    /** VO-005: 09:00-17:00 Monday-Friday without 12:00-13:00. */
    voice: windowSchema({
      start: '09:00',
      end: '17:00',
      breaks: [{ start: '12:00', end: '13:00' }],
      weekdays: weekdaysMonFri,
      randomMinute: false,
      maxPerHour: null,
    }),
    /** SMS: 09:00-17:00 Monday-Friday. */
    sms: windowSchema({ start: '09:00', end: '17:00', breaks: [], weekdays: weekdaysMonFri, randomMinute: false, maxPerHour: null }),
    /** LinkedIn: 08:00-18:00 of the seat's zone, Monday-Saturday (none on Sunday), 8 actions an hour. */
    linkedin: windowSchema({ start: '08:00', end: '18:00', breaks: [], weekdays: [1, 2, 3, 4, 5, 6], randomMinute: false, maxPerHour: 8 }),
    /** Business hours for answers to replies (SYS-003): 09:00-17:00 Monday-Friday. */
    reply: windowSchema({ start: '09:00', end: '17:00', breaks: [], weekdays: weekdaysMonFri, randomMinute: false, maxPerHour: null }),
    /** date-holidays types that close a window ("public holiday"). */
    holidayTypes: z.array(z.enum(HOLIDAY_TYPES)).min(1).default(['public']),
    /** How far ahead nextSendTime searches before giving up (a safety bound, not a business rule). */
    searchHorizonDays: int(7).default(370),
  })
  .prefault({});

export const clientSchema = z
  .strictObject({
    /** The client's default recipient zone when neither HQ nor phone tells (ED-002). */
    defaultZone: zoneName.default('Australia/Sydney'),
    /** The client's default country (used to read national phone numbers). */
    defaultCountry: z.string().length(2).default('AU'),
  })
  .prefault({});
