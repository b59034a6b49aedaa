/**
 * The compliance guard: the one decision taken before any touch (DOMAIN.md: windows, holidays,
 * tiers, DNCR, consent, suppression, opt-out, the cross-client rule). Pure: the activity loads the
 * facts (and re-washes a stale number first), this decides send / skip / stop / reschedule, and a
 * touch that is sent stores the evidence returned here. Caps (a mailbox's, a number's, a seat's,
 * the person's one touch a day) are then taken atomically with the touch's reservation.
 */
import { isChannelAllowed } from './channels.js';
import { CHANNEL_OF_KIND, defaultDomainConfig, type Channel, type DomainConfig, type StepKind } from './config.js';
import type { Location } from './holidays.js';
import { toMillis } from './instant.js';
import { leadTier, recheckStep, type LeadFacts } from './sequence.js';
import { afterRecipientHolidaysMs, isInsideWindow, nextSendTimeMs } from './windows.js';

/** A step's kind, or the message after an accepted LinkedIn invitation. */
export type TouchKind = StepKind | 'linkedin_message';

export type GuardStopReason = 'opted_out' | 'replied' | 'meeting_booked' | 'person_in_another_sequence';

export interface TouchFacts extends LeadFacts {
  kind: TouchKind;
  replied?: boolean;
  meetingBooked?: boolean;
  /** The global suppression list has the person's address / number. */
  suppressed: { email: boolean; phone: boolean };
  /** Another lead's running sequence holds this person (by email or phone). */
  personInOtherSequence?: boolean;
  /** The recipient's zone and location (country and region: its holidays). */
  zone: string;
  location: Location;
  /**
   * Whether to check the recipient-local window now (the moment of sending); the plan's time was
   * chosen inside one, so the re-check before a step does not. LinkedIn's window is the seat's
   * (checked when its time is chosen); at sending, only the recipient's holidays are checked.
   */
  checkWindow: boolean;
  /** Seed of the window's random minute when a reschedule is needed. */
  seed?: string;
  /** The register's answer as stored (registered, not_registered, invalid), for the evidence. */
  dncrResult?: string | null;
}

/** What allowed a touch, kept on it: the window and where (zone, country, region), tier, DNCR wash, consent. */
export interface TouchEvidence {
  window: { channel: Channel; zone: string; country: string | null; region: string | null; checkedAt: string | null };
  tier: string;
  score: number | null;
  dncrResult: string | null;
  dncrWashedAt: string | null;
  consentBasis: string | null;
}

export type TouchDecision =
  | { action: 'send'; evidence: TouchEvidence }
  | { action: 'skip'; reason: string }
  | { action: 'stop'; reason: GuardStopReason }
  | { action: 'reschedule'; reason: 'outside_window'; notBeforeMs: number };

const channelOf = (kind: TouchKind): Channel => (kind === 'linkedin_message' ? 'linkedin' : CHANNEL_OF_KIND[kind]);
const iso = (v: unknown) => (v == null ? null : new Date(toMillis(v as never)).toISOString());

/** The decision for one touch (see the file header), in a fixed order: stop, skip, reschedule, send. */
export function decideTouch(f: TouchFacts, config: DomainConfig = defaultDomainConfig): TouchDecision {
  // The sequence stops for good.
  if (f.optedOut) return { action: 'stop', reason: 'opted_out' };
  if (f.replied) return { action: 'stop', reason: 'replied' };
  if (f.meetingBooked) return { action: 'stop', reason: 'meeting_booked' };
  if (f.personInOtherSequence) return { action: 'stop', reason: 'person_in_another_sequence' };

  // This touch cannot happen.
  const channel = channelOf(f.kind);
  if (channel === 'email' && f.suppressed.email) return { action: 'skip', reason: 'suppressed' };
  if ((channel === 'sms' || channel === 'voice') && f.suppressed.phone) return { action: 'skip', reason: 'suppressed' };
  const tier = leadTier(f, config);
  if (f.kind === 'linkedin_message') {
    if (!isChannelAllowed(tier, 'linkedin', config)) return { action: 'skip', reason: 'tier_not_allowed' };
  } else {
    const r = recheckStep({ kind: f.kind }, { ...f, tier }, config);
    if (!r.proceed) return { action: 'skip', reason: r.skipReason };
  }

  // Not now: outside the recipient's window, or on a holiday of their country or region. LinkedIn's
  // window is the seat's (judged when its time is chosen); the recipient's holidays still close it.
  const now = toMillis(f.now);
  if (f.checkWindow && channel === 'linkedin') {
    const notBeforeMs = afterRecipientHolidaysMs({ channel, zone: f.zone, location: f.location, at: now, config });
    if (notBeforeMs > now) return { action: 'reschedule', reason: 'outside_window', notBeforeMs };
  }
  if (f.checkWindow && channel !== 'linkedin') {
    const where = { channel, zone: f.zone, location: f.location, config };
    if (!isInsideWindow({ ...where, at: now })) {
      return {
        action: 'reschedule',
        reason: 'outside_window',
        notBeforeMs: nextSendTimeMs({ ...where, now, ...(f.seed ? { seed: f.seed } : {}) }),
      };
    }
  }

  return {
    action: 'send',
    evidence: {
      window: {
        channel,
        zone: f.zone,
        country: f.location.country ?? null,
        region: f.location.state ?? null,
        checkedAt: f.checkWindow ? iso(now) : null,
      },
      tier,
      score: f.score ?? null,
      dncrResult: f.dncrResult ?? null,
      dncrWashedAt: iso(f.dncr?.washedAt ?? null),
      consentBasis: f.smsConsentBasis ?? null,
    },
  };
}
