/**
 * The daily outreach preparation's rules (SDK-002): which numbers to wash again before the
 * morning's sends (SM-001, SM-002), which lead steps fall on a day (the day's expected sends per
 * channel) and the day's capacity per channel (ED-001 caps, SMS and call caps per number), and
 * whether the plan exceeds it. Pure: no I/O, no clock (every instant is given).
 */
import type { Channel, DomainConfig, LeadTier } from './config.js';
import { isChannelAllowed } from './channels.js';
import { dncrApplies, washExpiresAt } from './dncr.js';
import { DAY_MS } from './instant.js';
import { localDate } from './zone-days.js';
import { nextSendTimeMs } from './windows.js';
import { CHANNEL_OF_KIND } from './config.js';

export interface PrepLead {
  tier: string | null;
  email: string | null;
  phoneE164: string | null;
  linkedinUrl: string | null;
  /** When its sequence started (null: not started yet). */
  sequenceStartedAt: Date | null;
  dncrWashedAt: Date | null;
  /** The lead's own zone and region (its steps' windows and public holidays); unknown: the client's zone. */
  timezone?: string | null;
  country?: string | null;
  state?: string | null;
}

/** A step of the default sequence a lead can take (its tier allows it, it has the address or number). */
function stepsFor(lead: PrepLead, config: DomainConfig): { step: number; day: number; channel: Channel }[] {
  const tier = (lead.tier ?? null) as LeadTier | null;
  return config.sequence.steps.flatMap((s, i) => {
    const channel = CHANNEL_OF_KIND[s.kind];
    if (!tier || !isChannelAllowed(tier, channel, config)) return [];
    if (channel === 'email' && !lead.email) return [];
    if ((channel === 'sms' || channel === 'voice') && !lead.phoneE164) return [];
    if (channel === 'linkedin' && !lead.linkedinUrl) return [];
    return [{ step: i + 1, day: s.day, channel }];
  });
}

/**
 * The earliest time of the lead's next SMS or call not yet made: its sequence's start plus the
 * step's day (not before `now`); a sequence not started yet starts now at the earliest. Undefined
 * when no SMS or call is left, or the register does not cover the number.
 */
export function nextPhoneContactAt(
  lead: PrepLead,
  touchedSteps: ReadonlySet<number>,
  now: number,
  config: DomainConfig,
): number | undefined {
  const start = lead.sequenceStartedAt?.getTime() ?? now;
  const times = stepsFor(lead, config)
    .filter((s) => (s.channel === 'sms' || s.channel === 'voice') && !touchedSteps.has(s.step))
    .filter((s) => dncrApplies(lead.phoneE164, s.channel, config))
    .map((s) => Math.max(now, start + s.day * DAY_MS));
  return times.length ? Math.min(...times) : undefined;
}

/**
 * SDK-002 / SM-002: wash again today when the wash is missing or expires before the end of the
 * next SMS or call's day (a wash is valid 30 days), and a wash made now would still cover that
 * contact (a contact further away is washed by a later morning's run). A wash that outlives the
 * next contact is left alone.
 */
export function needsRewash(lead: PrepLead, touchedSteps: ReadonlySet<number>, now: number, config: DomainConfig): boolean {
  const next = nextPhoneContactAt(lead, touchedSteps, now, config);
  if (next === undefined) return false;
  const contactDayEnd = next + DAY_MS;
  if (contactDayEnd > now + config.dncr.washValidDays * DAY_MS) return false;
  if (!lead.dncrWashedAt) return true;
  return washExpiresAt(lead.dncrWashedAt, config).getTime() < contactDayEnd;
}

export type ChannelCounts = Record<Channel, number>;
export const zeroCounts = (): ChannelCounts => ({ email: 0, sms: 0, voice: 0, linkedin: 0 });

/**
 * The step of a lead in sequence that will be sent on `day` (YYYY-MM-DD in `zone`, the client's
 * day, the day its caps count): not made yet, its channel allowed and possible for the lead, and
 * `day` the day of its channel's first open window at or after the step's own day, in the lead's
 * zone (domain/windows.ts: weekends closed, never on a public holiday of the lead's region). So a
 * Monday carries the steps of the weekend before it and the day after a holiday the holiday's,
 * while a step whose own day was open went out then. A person is touched at most once a day: at
 * most one step per lead counts.
 */
export function stepsDueOn(
  lead: PrepLead,
  touchedSteps: ReadonlySet<number>,
  day: string,
  zone: string,
  config: DomainConfig,
): ChannelCounts {
  const counts = zeroCounts();
  if (!lead.sequenceStartedAt) return counts;
  const start = lead.sequenceStartedAt.getTime();
  const location = { country: lead.country ?? null, state: lead.state ?? null };
  for (const s of stepsFor(lead, config)) {
    if (touchedSteps.has(s.step)) continue;
    const stepAt = start + s.day * DAY_MS;
    if (localDate(zone, stepAt) > day) continue; // its day is after `day`
    const sendAt = nextSendTimeMs({ channel: s.channel, zone: lead.timezone ?? zone, location, now: stepAt, config });
    if (localDate(zone, sendAt) === day) {
      counts[s.channel] += 1;
      break;
    }
  }
  return counts;
}

/** What a client holds to send with today: each mailbox's cold limit, its numbers, its seats' daily limits. */
export interface DayResources {
  mailboxColdLimits: number[];
  phoneNumbers: number;
  /** Each seat's connection requests allowed today (LI-004 ramp and daily cap). */
  seatDailyLimits: number[];
}

/** The day's capacity per channel (DOMAIN.md caps): email min(mailboxes' cold limits, client cap), SMS and calls per number. */
export function dayCapacity(r: DayResources, clientColdCap: number, config: DomainConfig): ChannelCounts {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    email: Math.min(sum(r.mailboxColdLimits), clientColdCap),
    sms: r.phoneNumbers * config.sms.dailyPerNumber,
    voice: r.phoneNumbers * config.voice.dailyCallsPerNumber,
    linkedin: sum(r.seatDailyLimits),
  };
}

/** The channels whose planned touches exceed the day's capacity, with both numbers. */
export function overCapacity(planned: ChannelCounts, capacity: ChannelCounts): { channel: Channel; planned: number; capacity: number }[] {
  return (Object.keys(planned) as Channel[])
    .filter((c) => planned[c] > capacity[c])
    .map((c) => ({ channel: c, planned: planned[c], capacity: capacity[c] }));
}
