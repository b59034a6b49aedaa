/**
 * Booking webhooks (SYS-004, SYS-008; PROVIDERS.md 7), verified as each provider signs them
 * (providers/booking/): Cal.com at POST /webhooks/calcom (X-Cal-Signature-256 with
 * CALCOM_WEBHOOK_SECRET) and Calendly at POST /webhooks/calendly (Calendly-Webhook-Signature with
 * CALENDLY_WEBHOOK_SIGNING_KEY, at most 3 minutes old). Without its secret each refuses everything.
 *
 * A booking, a reschedule or a cancellation finds its lead: the booking it changes when we keep it;
 * else the lead the booking link named (bookingLinkForLead) when the attendee is that lead; else the
 * attendee's address among leads in sequence (one client's only); else the lead the link named (a
 * colleague booked through the lead's link: the id is an unguessable UUID). Then leadEvents.booking
 * keeps the meeting, settles the deal, stops the sequence and pushes the CRM. Other triggers
 * (meeting ended, no-show, the cancel half of a Calendly reschedule) are recorded only.
 */
import type { AppConfig } from '../../../config/index.js';
import { calcomBookingEvent, CalcomWebhookSchema, verifyCalcomSignature, type CalcomWebhook } from '../../../providers/booking/calcom.js';
import {
  calendlyBookingEvent,
  CalendlyWebhookSchema,
  verifyCalendlySignature,
  type CalendlyWebhook,
} from '../../../providers/booking/calendly.js';
import type { BookingEvent } from '../../../providers/booking/types.js';
import type { LeadEvents } from '../../../services/lead-events.js';
import type { LeadRef } from '../../../services/leads/lookup.js';
import type { WebhookProvider } from '../registry.js';

export const CALCOM_PATH = '/webhooks/calcom';
export const CALENDLY_PATH = '/webhooks/calendly';

interface BookingWebhookOptions {
  config: Readonly<AppConfig>;
  events: LeadEvents;
}

const same = (a?: string | null, b?: string | null) => Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase());

async function leadOf(events: LeadEvents, b: BookingEvent): Promise<LeadRef | null> {
  if (b.kind === 'other') return null;
  const known = await events.leadOfBooking(b.provider, [b.bookingUid, b.previousBookingUid]);
  if (known) return events.leadById(known);
  const named = b.leadToken ? await events.leadById(b.leadToken) : null;
  if (named && (!b.attendee.email || same(named.email, b.attendee.email))) return named;
  const byEmail = b.attendee.email ? await events.leadByEmail(b.attendee.email) : null;
  return byEmail ?? named;
}

function bookingWebhook<P>(
  o: BookingWebhookOptions,
  spec: {
    provider: 'calcom' | 'calendly';
    path: string;
    schema: WebhookProvider<P>['schema'];
    verify: WebhookProvider<P>['verify'];
    event: (p: P) => BookingEvent;
  },
): WebhookProvider<P, { booking: BookingEvent; lead: LeadRef | null }> {
  return {
    provider: spec.provider,
    path: spec.path,
    verify: spec.verify,
    schema: spec.schema,
    describe: (payload) => {
      const b = spec.event(payload);
      return { eventId: b.eventId, type: b.type, payload };
    },
    async prepare(event) {
      const booking = spec.event(event.payload);
      return { booking, lead: await leadOf(o.events, booking) };
    },
    async dispatch(_event, { booking, lead }) {
      if (booking.kind === 'other' || !lead) return; // recorded only: not a booking change, or nobody we wrote to
      await o.events.booking(lead, booking);
    },
  };
}

export function calcomWebhook(o: BookingWebhookOptions): WebhookProvider<CalcomWebhook, { booking: BookingEvent; lead: LeadRef | null }> {
  return bookingWebhook<CalcomWebhook>(o, {
    provider: 'calcom',
    path: CALCOM_PATH,
    schema: CalcomWebhookSchema,
    verify: (req) => verifyCalcomSignature({ rawBody: req.rawBody, headers: req.headers, secret: o.config.providers.booking.calcomSecret }),
    event: calcomBookingEvent,
  });
}

export function calendlyWebhook(
  o: BookingWebhookOptions,
): WebhookProvider<CalendlyWebhook, { booking: BookingEvent; lead: LeadRef | null }> {
  return bookingWebhook<CalendlyWebhook>(o, {
    provider: 'calendly',
    path: CALENDLY_PATH,
    schema: CalendlyWebhookSchema,
    verify: (req) => {
      const signingKey = o.config.providers.booking.calendlySigningKey;
      if (!signingKey) return false; // never accept unsigned input
      return verifyCalendlySignature({ rawBody: req.rawBody, headers: req.headers, signingKey, nowMs: Date.now() });
    },
    event: calendlyBookingEvent,
  });
}
