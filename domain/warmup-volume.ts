/**
 * The warmup volume the warmup service (Warmforge) is asked for when a mailbox's warmup starts
 * (RP-006, ED-001): taken from the configured ramp (email.warmupRamp) for the domain's age, not
 * written by hand. Warmforge takes a start volume, a top volume, a daily increase and a reply
 * rate (PROVIDERS.md 5: minEmailsPerDay 1-20, maxEmailsPerDay <= 20, emailRampUp 0-20,
 * replyRatePercent 0-50), so the ramp's steps become:
 *   - minEmailsPerDay: the ramp's limit on the domain's age today (at least 1), up to the service's
 *     most per day (email.warmup.maxEmailsPerDay, 20);
 *   - maxEmailsPerDay: the highest limit the ramp reaches from today on, up to that most;
 *   - emailRampUp: the smallest daily increase that takes the start to the top no later than the
 *     ramp itself gets there (0 when it is already there);
 *   - replyRatePercent: email.warmup.replyRatePercent.
 * With DOMAIN.md's ramp (5/10/20/35/50 from days 1/4/8/15/22) a domain on day 1 starts at 5 and
 * climbs 3 a day to 20, which the ramp reaches on day 8 (15 / 7 days, rounded up).
 */
import { defaultDomainConfig, type DomainConfig } from './config.js';
import { rampLimit } from './warmup.js';

export interface WarmupVolume {
  minEmailsPerDay: number;
  maxEmailsPerDay: number;
  emailRampUp: number;
  replyRatePercent: number;
}

/** The warmup volume for a domain `domainAgeDay` days old (day 1 = the purchase day; below 1 counts as 1) (RP-006, ED-001). */
export function warmupVolume(domainAgeDay: number, config: DomainConfig = defaultDomainConfig): WarmupVolume {
  const ramp = config.email.warmupRamp;
  const { maxEmailsPerDay: most, replyRatePercent } = config.email.warmup;
  const day = Number.isFinite(domainAgeDay) ? Math.max(1, Math.floor(domainAgeDay)) : 1;
  const capped = (d: number) => Math.max(1, Math.min(most, rampLimit(ramp, d)));
  const start = capped(day);
  // The days on which the ramp's limit changes from tomorrow on, with the (capped) limit from then.
  const ahead = ramp.filter((s) => s.fromDay > day).map((s) => ({ day: s.fromDay, limit: capped(s.fromDay) }));
  const top = Math.max(start, ...ahead.map((s) => s.limit));
  const reached = ahead.find((s) => s.limit >= top);
  const emailRampUp = top > start && reached ? Math.ceil((top - start) / (reached.day - day)) : 0;
  return { minEmailsPerDay: start, maxEmailsPerDay: top, emailRampUp, replyRatePercent };
}
