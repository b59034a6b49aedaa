/**
 * Booking webhooks (SYS-004, SYS-008; PROVIDERS.md 7): the one event both booking providers
 * (Cal.com, Calendly) are normalised into, and the few wire helpers both verifiers share.
 *
 * What a consumer may rely on:
 * - `eventId` is stable across redeliveries of the same change and differs between changes, so
 *   it is the dedup key of webhook_events.
 * - kind 'booked' / 'rescheduled' / 'cancelled' is set only for deliveries whose payload was
 *   validated in full; everything else (meeting ended, no-show, the cancel half of a Calendly
 *   reschedule, ...) is 'other' and is recorded, never acted on.
 * - `leadToken` is what the booking link carried (domain/message-templates.ts
 *   `bookingLinkForLead`). The booker can edit that link, so it names a lead to look up, not
 *   proof of who booked: match it within the client and against the attendee.
 */
import { timingSafeEqual } from 'node:crypto';

export interface BookingEvent {
  provider: 'calcom' | 'calendly';
  /** Unique per change (dedup key), the same on every delivery of it; derived from stable fields. */
  eventId: string;
  kind: 'booked' | 'rescheduled' | 'cancelled' | 'other';
  /** The provider's trigger / event name (BOOKING_CREATED, invitee.created, ...). */
  type: string;
  /**
   * Cal.com booking uid; Calendly invitee URI (it contains the scheduled event's URI). Empty only
   * for an 'other' event that is about no booking (e.g. Cal.com OOO_CREATED).
   */
  bookingUid: string;
  /** A reschedule: the booking it replaces. */
  previousBookingUid?: string;
  /** ISO 8601, UTC. */
  startsAt?: string;
  endsAt?: string;
  title?: string;
  attendee: { email?: string; name?: string; timeZone?: string };
  organizerEmail?: string;
  /** The lead id carried by the booking link, when present. */
  leadToken?: string;
  location?: string;
  cancellationReason?: string;
  /** When the provider says the change happened (its webhook timestamp), ISO 8601 UTC. */
  occurredAt: string;
}

/** Request headers as Node gives them (lower-case keys), or any record of them. */
export type BookingHeaders = Record<string, string | string[] | undefined>;

/**
 * The single value of header `name` (any case). A repeated header is refused (undefined): a
 * proxy that appends a second signature must not let either one through unnoticed.
 */
export function singleHeader(headers: BookingHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    values.push(...(Array.isArray(value) ? value : [value]));
  }
  return values.length === 1 ? values[0] : undefined;
}

/** Constant-time equality of two hex digests; false for anything that is not the expected hex. */
export function hexDigestEquals(presented: string, expectedHex: string): boolean {
  if (!/^[0-9a-f]+$/i.test(presented) || presented.length !== expectedHex.length) return false;
  return timingSafeEqual(Buffer.from(presented, 'hex'), Buffer.from(expectedHex, 'hex'));
}

/** A zod-validated ISO date-time (any offset, any precision) as ISO 8601 UTC. */
export function toUtcIso(value: string): string {
  return new Date(value).toISOString();
}

/** A non-empty trimmed string, else undefined (providers send '', null or numbers for "none"). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
}

/** `value` without its undefined properties, so a normalised event holds only what was sent. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
