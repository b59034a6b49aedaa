/**
 * Domain configuration: every number of DOMAIN.md as a validated default.
 *
 * `DomainConfigSchema.parse({})` yields the full default configuration. System-wide changes are
 * made by parsing a (partial) object through the schema; per-client changes go through
 * `resolveClientConfig`, which accepts only the settings DOMAIN.md makes per client (scoring
 * weights, the client's default zone/country, the client's daily email cap, the voicemail
 * behaviour and the client's concurrent-call limit). The default sequence is not overridable
 * (AD-002: no user-written sequences).
 *
 * Pure: no I/O, no clock.
 */
import { z } from 'zod';
import { IANAZone } from 'luxon';
import { CHURN_HOLD_DAYS } from './churn.js';

export const LEAD_TIERS = ['Hot', 'Warm', 'Cool', 'Cold', 'Dead'] as const;
/** Lead tier derived from the ALS (SYS-002). */
export type LeadTier = (typeof LEAD_TIERS)[number];

export const CHANNELS = ['email', 'sms', 'voice', 'linkedin'] as const;
export type Channel = (typeof CHANNELS)[number];

export const BILLING_TIERS = ['Ignition', 'Velocity', 'Dominance'] as const;
/** Billing tier of a client subscription (SYS-005). */
export type BillingTier = (typeof BILLING_TIERS)[number];

export const STEP_KINDS = ['email', 'email_followup', 'voice', 'linkedin_connect', 'sms'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** Channel used by each step kind. */
export const CHANNEL_OF_KIND: Readonly<Record<StepKind, Channel>> = Object.freeze({
  email: 'email',
  email_followup: 'email',
  voice: 'voice',
  linkedin_connect: 'linkedin',
  sms: 'sms',
});

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

const int = (min = 0) => z.number().int().min(min);
const points = z.number().min(0).max(100);
const fraction = z.number().min(0).max(1);
const percent = z.number().min(0).max(100);
const hhmm = z.string().regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a 24-hour time HH:MM (00:00-24:00)');
const isoWeekday = z.number().int().min(1).max(7);
const zoneName = z.string().refine((zone) => IANAZone.isValidZone(zone), 'unknown IANA time zone');
const channelList = z.array(z.enum(CHANNELS));

/** Minutes after local midnight of an HH:MM string (window times of ED-003, VO-005). */
export function minutesOfDay(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

const rampStep = z.strictObject({ fromDay: int(1), limit: int(0) });
const rampSchema = z
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

const windowSchema = (d: WindowDefaults) =>
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

const weekdaysMonFri = [1, 2, 3, 4, 5];

// ---------------------------------------------------------------------------------------------
// The schema
// ---------------------------------------------------------------------------------------------

const scoringSchema = z
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
    /** Whole words that make a title a "bad title" (no authority points and the deduction). */
    badTitleKeywords: z
      .array(z.string().min(1))
      .default(['intern', 'internship', 'student', 'trainee', 'assistant', 'receptionist', 'retired', 'volunteer', 'unemployed']),
  })
  .prefault({});

const tiersSchema = z
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

const channelGatingSchema = z
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
const sequenceSchema = z
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

const windowsSchema = z
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

const clientSchema = z
  .strictObject({
    /** The client's default recipient zone when neither HQ nor phone tells (ED-002). */
    defaultZone: zoneName.default('Australia/Sydney'),
    /** The client's default country (used to read national phone numbers). */
    defaultCountry: z.string().length(2).default('AU'),
  })
  .prefault({});

const emailSchema = z
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
  })
  .prefault({});

const domainHealthSchema = z
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

const smsSchema = z
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
    /** SM-003: opt-out words in a reply, any case. */
    optOutKeywords: z.array(z.string().min(1)).min(1).default(['STOP', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']),
    /** Replies of at most this many words opt out when they contain any keyword ("please stop", "cancel pls"). */
    optOutShortReplyMaxWords: int(1).default(3),
    /** Per sending number per day. */
    dailyPerNumber: int(0).default(100),
  })
  .prefault({});

const dncrSchema = z
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

const voiceSchema = z
  .strictObject({
    /** VO-006: busy -> retry after this many minutes. */
    busyRetryAfterMinutes: z.number().positive().default(120),
    /** Busy -> at most this many retries. */
    busyMaxRetries: int(0).default(2),
    /** No answer -> retry the next business day, at most this many times. */
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

const linkedinSchema = z
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

const poolSchema = z
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

const churnSchema = z
  .strictObject({
    /** RP-010: resources are held this many days after cancellation. */
    holdDays: z.number().positive().default(CHURN_HOLD_DAYS),
  })
  .prefault({});

const replySchema = z
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

/** The whole domain configuration; `parse({})` gives the DOMAIN.md defaults. */
export const DomainConfigSchema = z.strictObject({
  scoring: scoringSchema,
  tiers: tiersSchema,
  channelGating: channelGatingSchema,
  sequence: sequenceSchema,
  windows: windowsSchema,
  client: clientSchema,
  email: emailSchema,
  domainHealth: domainHealthSchema,
  sms: smsSchema,
  dncr: dncrSchema,
  voice: voiceSchema,
  linkedin: linkedinSchema,
  pool: poolSchema,
  churn: churnSchema,
  reply: replySchema,
});

type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A parsed, frozen domain configuration. */
export type DomainConfig = DeepReadonly<z.output<typeof DomainConfigSchema>>;
/** What a caller may pass to `DomainConfigSchema.parse` / `parseDomainConfig`. */
export type DomainConfigInput = z.input<typeof DomainConfigSchema>;

type DeepPartial<T> = T extends readonly (infer U)[] ? readonly U[] : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** Per-client overrides: only the settings DOMAIN.md makes per client. */
export interface ClientConfigOverrides {
  scoring?: DeepPartial<DomainConfig['scoring']>;
  client?: DeepPartial<DomainConfig['client']>;
  email?: { clientDailyCap?: number };
  voice?: { voicemail?: VoicemailBehaviour; concurrentPerClient?: number };
}

/** Dotted paths (or prefixes) a client override may touch. */
export const CLIENT_OVERRIDABLE_PATHS: readonly string[] = Object.freeze([
  'scoring',
  'client',
  'email.clientDailyCap',
  'voice.voicemail',
  'voice.concurrentPerClient',
]);

/** Thrown when a configuration or a per-client override is invalid; `issues` lists field paths (SYS-002, AD-002). */
export class DomainConfigError extends Error {
  override readonly name = 'DomainConfigError';
  constructor(
    message: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(message);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
    return out;
  }
  return over; // scalars and arrays replace
}

function leafPaths(value: unknown, prefix: string, out: string[]): string[] {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leafPaths(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.push(prefix);
  }
  return out;
}

function parseOrThrow(input: unknown, what: string): DomainConfig {
  const result = DomainConfigSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new DomainConfigError(`${what}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`, issues);
  }
  return deepFreeze(result.data) as DomainConfig;
}

/** Parse and freeze a system-level configuration (any field may be set). SYS-002..SYS-005 defaults. */
export function parseDomainConfig(input: DomainConfigInput | Record<string, unknown> = {}): DomainConfig {
  return parseOrThrow(input, 'invalid domain configuration');
}

/** The DOMAIN.md defaults, frozen. */
export const defaultDomainConfig: DomainConfig = parseDomainConfig({});

/**
 * Merge a client's overrides into `base` (default: the DOMAIN.md defaults) and validate the
 * result. Only `CLIENT_OVERRIDABLE_PATHS` may be overridden; anything else (for example the
 * sequence, AD-002) is rejected with a DomainConfigError naming the path. SYS-002, ED-002, VO-004.
 */
export function resolveClientConfig(
  overrides: ClientConfigOverrides | null | undefined,
  base: DomainConfig = defaultDomainConfig,
): DomainConfig {
  if (overrides == null) return base;
  if (!isPlainObject(overrides))
    throw new DomainConfigError('client overrides must be an object', [{ path: '', message: 'not an object' }]);
  const rejected = leafPaths(overrides, '', []).filter(
    (p) => !CLIENT_OVERRIDABLE_PATHS.some((allowed) => p === allowed || p.startsWith(`${allowed}.`)),
  );
  if (rejected.length > 0) {
    throw new DomainConfigError(
      `not overridable per client: ${rejected.join(', ')} (per-client settings: ${CLIENT_OVERRIDABLE_PATHS.join(', ')})`,
      rejected.map((path) => ({ path, message: 'not overridable per client' })),
    );
  }
  return parseOrThrow(deepMerge(base, overrides), 'invalid client configuration');
}
