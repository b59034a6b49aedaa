/**
 * Valid requests the fuzz test mutates (test/api/fuzz.test.ts): one valid body or query per
 * route that takes one, and one valid event per provider webhook, so that a single hostile
 * change (helpers/hostile.ts mutate) gets past the other checks to the code that stores it.
 */
import { randomBytes } from 'node:crypto';
import { checkoutCompleted, stripeId } from './stripe-events.js';

export interface FuzzIds {
  clientA: string;
  campaignA: string;
  leadA: string;
  accountSid: string;
}

export interface Seed {
  body?: unknown;
  query?: Record<string, string>;
}

const checkout = { tier: 'Ignition', successUrl: 'https://example.com/ok', cancelUrl: 'https://example.com/no', email: 'ops@example.com' };

/** Keyed `METHOD /path/:param` as Fastify names the route. */
export function apiSeeds(ids: FuzzIds): Record<string, Seed> {
  return {
    'POST /v1/admin/clients': { body: { name: 'Fuzz Co', slug: 'fuzz-co', defaultTimezone: 'Australia/Sydney', defaultCountry: 'AU' } },
    'POST /v1/admin/clients/:id/api-keys': { body: { name: 'ci' } },
    'POST /v1/campaigns': {
      body: {
        name: 'Q4 founders',
        icp: {
          description: 'SaaS founders',
          industries: ['Software'],
          titles: ['CEO'],
          countries: ['AU'],
          keywords: ['b2b'],
          employeeMin: 5,
        },
        leads: [
          {
            email: 'ann@example.com',
            first_name: 'Ann',
            last_name: 'Lee',
            title: 'CEO',
            company: 'Acme',
            city: 'Sydney',
            state: 'NSW',
            country: 'AU',
            phone: '0412345678',
          },
        ],
      },
    },
    'GET /v1/campaigns': { query: { limit: '10' } },
    'GET /v1/campaigns/:id/leads': { query: { limit: '10', afterRow: '0' } },
    'POST /v1/leads/:id/pause': { body: { reason: 'on holiday' } },
    'POST /v1/leads/:id/resume': { body: { reason: 'back' } },
    'GET /v1/admin/alerts': { query: { state: 'open', severity: 'warning', kind: 'pool_low', clientId: ids.clientA, limit: '10' } },
    'POST /v1/admin/alerts/:id/acknowledge': { body: { by: 'ops' } },
    'POST /v1/admin/pool/domains': {
      body: {
        name: 'fuzz-example.com',
        status: 'warming',
        heatScore: 10,
        purchasedAt: '2026-01-01T00:00:00Z',
        mailboxes: [
          {
            email: 'anna@fuzz-example.com',
            senderName: 'Anna',
            smtp: { host: 'smtp.test', port: 587, secure: false, user: 'u', pass: 'p' },
          },
        ],
      },
    },
    'GET /v1/admin/pool/domains': { query: { status: 'ready', health: 'good' } },
    'POST /v1/admin/pool/phone-numbers': { body: { e164: '+61412345678', country: 'AU', voiceRef: 'pn-1' } },
    'POST /v1/admin/pool/linkedin-seats': { body: { accountRef: 'acc-fuzz', displayName: 'Seat', timezone: 'Australia/Sydney' } },
    'GET /v1/admin/pool/snapshots': { query: { resourceType: 'domain', since: '2026-01-01T00:00:00Z', limit: '10' } },
    'GET /v1/admin/pool/health': { query: { resourceType: 'domain', days: '7' } },
    'GET /v1/reports/overview': { query: { from: '2026-11-01', to: '2026-11-30', campaignId: ids.campaignA } },
    'GET /v1/leads': {
      query: {
        campaignId: ids.campaignA,
        tier: 'Hot',
        status: 'in_sequence',
        timezone: 'Australia/Sydney',
        channel: 'email',
        q: 'ada',
        limit: '10',
      },
    },
    'GET /v1/exports/leads.csv': { query: { campaignId: ids.campaignA } },
    'GET /v1/exports/touches.csv': { query: { campaignId: ids.campaignA, from: '2026-11-01', to: '2026-11-30' } },
    'POST /v1/campaigns/:id/pause': { body: { reason: 'holidays' } },
    'POST /v1/campaigns/:id/resume': { body: { reason: 'back' } },
    'POST /v1/campaigns/:id/stop': { body: { reason: 'done' } },
    'GET /v1/admin/campaigns': { query: { clientId: ids.clientA, status: 'running', limit: '10' } },
    'GET /v1/admin/leads': {
      query: { clientId: ids.clientA, campaignId: ids.campaignA, status: 'in_sequence', tier: 'Warm', q: 'ada', limit: '10' },
    },
    'POST /v1/billing/checkout': { body: checkout },
    'POST /v1/admin/clients/:id/checkout': { body: checkout },
  };
}

/** A valid event for each webhook path (form fields for Twilio, JSON for the others). */
export function webhookSeeds(ids: FuzzIds): Record<string, unknown> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  return {
    '/webhooks/twilio/sms': { MessageSid: sid, AccountSid: ids.accountSid, From: '+61412345678', To: '+61400000001', Body: 'Sounds good' },
    '/webhooks/twilio/status': {
      MessageSid: sid,
      MessageStatus: 'delivered',
      AccountSid: ids.accountSid,
      To: '+61412345678',
      From: '+61400000001',
    },
    '/webhooks/vapi': {
      message: {
        type: 'end-of-call-report',
        timestamp: 1_795_000_000_000,
        endedReason: 'customer-busy',
        call: { id: 'call-fuzz', assistantOverrides: { metadata: { leadId: ids.leadA, clientId: ids.clientA } } },
        durationSeconds: 12,
        artifact: { transcript: 'AI: Hello\nUser: busy', messages: [] },
        analysis: { summary: 'busy' },
      },
    },
    '/webhooks/unipile': {
      event: 'message_received',
      account_id: 'acc-fuzz',
      account_type: 'LINKEDIN',
      account_info: { type: 'LINKEDIN', user_id: 'ACoAAowner' },
      chat_id: 'chat-1',
      message_id: 'msg-1',
      timestamp: '2026-11-20T10:00:00.000Z',
      message: 'Happy to chat',
      sender: { attendee_id: 'att', attendee_name: 'X', attendee_provider_id: 'ACoAAlead' },
    },
    '/webhooks/email': {
      type: 'email_replied',
      id: 'evt_fuzz_reply',
      timestamp: '2026-11-20T10:00:00Z',
      from: 'Ann <ann@example.com>',
      in_reply_to: '<abc.agencyos@outreach-demo.test>',
      message_id: '<reply-1@example.org>',
      reply_text: 'Interested, send details',
    },
    '/webhooks/calcom': {
      triggerEvent: 'BOOKING_CREATED',
      createdAt: '2026-11-20T10:00:00.000Z',
      payload: {
        type: 'intro',
        title: 'Intro call',
        startTime: '2026-11-25T01:00:00.000Z',
        endTime: '2026-11-25T01:30:00.000Z',
        organizer: { id: 1, name: 'Ada', email: 'ada@agency.test', timeZone: 'Australia/Sydney' },
        attendees: [{ name: 'Ann', email: 'ann@example.com', timeZone: 'Australia/Sydney' }],
        uid: 'bk-fuzz-1',
        bookingId: 1,
        status: 'ACCEPTED',
        metadata: { leadId: ids.leadA },
      },
    },
    '/webhooks/calendly': {
      event: 'invitee.created',
      created_at: '2026-11-20T10:00:00.000000Z',
      created_by: 'https://api.calendly.com/users/host',
      payload: {
        uri: 'https://api.calendly.com/scheduled_events/ev-fuzz/invitees/inv-fuzz',
        email: 'ann@example.com',
        name: 'Ann',
        status: 'active',
        timezone: 'Australia/Sydney',
        event: 'https://api.calendly.com/scheduled_events/ev-fuzz',
        scheduled_event: {
          uri: 'https://api.calendly.com/scheduled_events/ev-fuzz',
          name: 'Intro',
          start_time: '2026-11-25T01:00:00.000000Z',
          end_time: '2026-11-25T01:30:00.000000Z',
        },
        tracking: { utm_content: ids.leadA },
        rescheduled: false,
        created_at: '2026-11-20T10:00:00.000000Z',
        updated_at: '2026-11-20T10:00:00.000000Z',
      },
    },
    '/webhooks/stripe': checkoutCompleted({
      clientId: ids.clientA,
      tier: 'Ignition',
      priceId: 'price_ignition',
      customerId: stripeId('cus'),
      subscriptionId: stripeId('sub'),
    }),
  };
}
