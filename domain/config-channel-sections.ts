/**
 * The configuration sections about channels and resources: email warmup and caps, domain
 * health, SMS, the DNCR, voice, LinkedIn, the resource pool per billing tier, the churn hold and
 * reply answers (ED-001, ED-004, RP-001..RP-010, SM-001..SM-004, VO-001..VO-006, LI-002..LI-006,
 * SYS-003, SYS-005). Assembled by config.ts.
 *
 * Pure: no I/O, no clock.
 */
import { z } from 'zod';
import { CHURN_HOLD_DAYS } from './churn.js';
import { optOutFields } from './config-opt-out.js';
import { BILLING_TIERS, fraction, int, percent, points, rampSchema, VOICEMAIL_BEHAVIOURS } from './config-blocks.js';

export const emailSchema = z
  .strictObject({
    /** ED-001 warmup ramp per mailbox per day by domain age (day 1 = purchase day). */
    warmupRamp: rampSchema.default([
      { fromDay: 1, limit: 5 },
      { fromDay: 4, limit: 10 },
      { fromDay: 8, limit: 20 },
      { fromDay: 15, limit: 35 },
      { fromDay: 22, limit: 50 },
    ]),
    /** Warmforge heat score at which a domain is ready for cold sending. */
    readyHeatScore: points.default(85),
    /** Per mailbox per day once warmed. */
    warmedMailboxDailyLimit: int(0).default(50),
    /** Per client per day. */
    clientDailyCap: int(0).default(200),
    /** Share of a day's capacity kept for replies, in percent. */
    replyReservePercent: percent.default(10),
    /** RP-005: mailboxes created per domain. */
    mailboxesPerDomain: int(1).default(2),
    /**
     * RP-006: what the warmup service (Warmforge) is asked for when a mailbox's warmup starts. Its
     * daily warmup volume follows warmupRamp for the domain's age (domain/warmup-volume.ts), up to
     * the most it sends a day; these are the settings the ramp does not give.
     */
    warmup: z
      .strictObject({
        /** The most warmup emails a day the service sends (Warmforge: maxEmailsPerDay <= 20, PROVIDERS.md 5). */
        maxEmailsPerDay: int(1).max(20).default(20),
        /** Share of warmup emails answered, in percent (Warmforge: replyRatePercent 0-50). */
        replyRatePercent: int(0).max(50).default(30),
      })
      .prefault({}),
  })
  .prefault({});

export const domainHealthSchema = z
  .strictObject({
    /** Rolling window of the rates (RP-009, ED-004). */
    windowDays: int(1).default(30),
    /** Warning from this bounce rate (inclusive), as a fraction. */
    warningBounceRate: fraction.default(0.02),
    /** Critical above this bounce rate (exclusive). */
    criticalBounceRate: fraction.default(0.05),
    /** Warning from this complaint rate (inclusive). */
    warningComplaintRate: fraction.default(0.0005),
    /** Critical above this complaint rate (exclusive). */
    criticalComplaintRate: fraction.default(0.001),
    /** Daily limit per mailbox of a domain in Warning. */
    warningDailyLimit: int(0).default(35),
    /** A domain Critical this many days is a retirement candidate. */
    retirementAfterCriticalDays: int(1).default(7),
  })
  .superRefine((h, ctx) => {
    if (h.warningBounceRate > h.criticalBounceRate)
      ctx.addIssue({ code: 'custom', message: 'warningBounceRate must not exceed criticalBounceRate' });
    if (h.warningComplaintRate > h.criticalComplaintRate)
      ctx.addIssue({ code: 'custom', message: 'warningComplaintRate must not exceed criticalComplaintRate' });
  })
  .prefault({});

export const smsSchema = z
  .strictObject({
    /** SM-004: units in one GSM-7 segment. */
    gsm7SingleSegment: int(1).default(160),
    /** Units in one UCS-2 segment. */
    ucs2SingleSegment: int(1).default(70),
    /** Units per segment of a concatenated (multipart) GSM-7 message. */
    gsm7MultipartSegment: int(1).default(153),
    /** Units per segment of a concatenated (multipart) UCS-2 message. */
    ucs2MultipartSegment: int(1).default(67),
    /** Maximum segments a message may have (one). */
    maxSegments: int(1).default(1),
    /** No links in SMS. */
    allowLinks: z.boolean().default(false),
    /** SM-003: the opt-out words and wordings of a reply (config-opt-out.ts). */
    ...optOutFields,
    /** Per sending number per day. */
    dailyPerNumber: int(0).default(100),
  })
  .prefault({});

export const dncrSchema = z
  .strictObject({
    /** SM-001/SM-002: a wash is valid this many days. */
    washValidDays: z.number().positive().default(30),
    /** Countries whose numbers the register covers (the Australian DNCR). */
    countries: z.array(z.string().length(2)).default(['AU']),
    /** Apply the register to SMS as well as voice (owner's choice). */
    applyToSms: z.boolean().default(true),
    /** A wash timestamp this far in the future is still accepted (clock skew between systems). */
    clockSkewToleranceMinutes: z.number().min(0).default(5),
  })
  .prefault({});

export const voiceSchema = z
  .strictObject({
    /** VO-006: busy -> retry after this many minutes. */
    busyRetryAfterMinutes: z.number().positive().default(120),
    /** Busy -> at most this many retries. */
    busyMaxRetries: int(0).default(2),
    /** No answer -> retry this many business days later (1: the next business day: a weekday that is not a holiday)... */
    noAnswerRetryAfterBusinessDays: int(1).default(1),
    /** ... at most this many times. Busy and no-answer retries are counted apart, each against its own maximum. */
    noAnswerMaxRetries: int(0).default(1),
    /** VO-004: on voicemail leave the configured message or hang up (per client). */
    voicemail: z.enum(VOICEMAIL_BEHAVIOURS).default('leave_message'),
    /** VO-001 limits. */
    dailyCallsPerNumber: int(0).default(50),
    concurrentPerClient: int(1).default(5),
    maxCallSeconds: int(1).default(120),
    /** VO-003: keep recordings this many days. */
    recordingRetentionDays: int(1).default(90),
  })
  .prefault({});

export const linkedinSchema = z
  .strictObject({
    /** LI-004: connection requests per seat in any rolling window of `weeklyWindowDays`. */
    weeklyCap: int(0).default(80),
    weeklyWindowDays: int(1).default(7),
    /** Connection requests per seat per (seat-local) day. */
    dailyCap: int(0).default(20),
    /** New-seat ramp over the first two weeks (day 1 = first day of the seat). */
    newSeatRamp: rampSchema.default([
      { fromDay: 1, limit: 5 },
      { fromDay: 4, limit: 10 },
      { fromDay: 8, limit: 15 },
      { fromDay: 11, limit: 20 },
    ]),
    /** After this many days the ramp no longer applies (the daily cap does). */
    rampDays: int(1).default(14),
    /** LI-006: accept rate is measured over this many days. */
    acceptRateWindowDays: int(1).default(7),
    /** Accept rate below `below` cuts the limits by `cut` (the largest applicable cut wins). */
    acceptRateThrottle: z.array(z.strictObject({ below: fraction, cut: fraction })).default([
      { below: 0.3, cut: 0.25 },
      { below: 0.2, cut: 0.5 },
    ]),
    /** Minimum requests in the window before the accept rate is trusted. */
    acceptRateMinSample: int(1).default(1),
    /** LI-002: a pending request is ignored after this many days without answer. */
    ignoredAfterDays: z.number().positive().default(14),
    /** ... and withdrawn after this many days. */
    withdrawAfterDays: z.number().positive().default(30),
    /** LI-003: message this many days after acceptance. */
    messageAfterAcceptDays: z.number().min(0).default(2),
  })
  .prefault({});

const tierResources = (domains: number, mailboxes: number, phoneNumbers: number, linkedinSeats: number) =>
  z
    .strictObject({
      domains: int(0).default(domains),
      mailboxes: int(0).default(mailboxes),
      phoneNumbers: int(0).default(phoneNumbers),
      linkedinSeats: int(0).default(linkedinSeats),
    })
    .prefault({});

export const poolSchema = z
  .strictObject({
    /** SYS-005 / RP-001: resources per billing tier. */
    tiers: z
      .strictObject({
        Ignition: tierResources(3, 6, 1, 4),
        Velocity: tierResources(5, 10, 2, 7),
        Dominance: tierResources(9, 18, 3, 14),
      })
      .prefault({}),
    /** RP-003: buffer below this percent -> warning and buy the shortfall. */
    bufferWarningPercent: percent.default(40),
    /** Buffer below this percent -> critical. */
    bufferCriticalPercent: percent.default(20),
    /** The shortfall brings the buffer back to this percent. */
    bufferTargetPercent: percent.default(40),
    /** Stripe price id -> billing tier (deployment data; empty by default). */
    stripePriceTiers: z.record(z.string(), z.enum(BILLING_TIERS)).default({}),
  })
  .superRefine((p, ctx) => {
    if (p.bufferCriticalPercent > p.bufferWarningPercent)
      ctx.addIssue({ code: 'custom', message: 'bufferCriticalPercent must not exceed bufferWarningPercent' });
  })
  .prefault({});

export const churnSchema = z
  .strictObject({
    /** RP-010: resources are held this many days after cancellation. */
    holdDays: z.number().positive().default(CHURN_HOLD_DAYS),
  })
  .prefault({});

export const replySchema = z
  .strictObject({
    /** SYS-003: answers go out after a delay of min..max minutes, inside business hours. */
    answerDelayMinMinutes: z.number().min(0).default(3),
    answerDelayMaxMinutes: z.number().min(0).default(5),
    /** Read numeric dates in replies day-first (AU/UK: 3/4 = 3 April). */
    dayFirstDates: z.boolean().default(true),
  })
  .superRefine((r, ctx) => {
    if (r.answerDelayMinMinutes > r.answerDelayMaxMinutes)
      ctx.addIssue({ code: 'custom', message: 'answerDelayMinMinutes must not exceed answerDelayMaxMinutes' });
  })
  .prefault({});
