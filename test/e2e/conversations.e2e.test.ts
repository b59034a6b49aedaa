/**
 * Conversations end to end (SYS-003, ED-005, SM-003, SYS-004, SYS-008) on simulated time: a lead in
 * sequence replies by SMS through the signed Twilio webhook (real HTTP into server.ts), the reply
 * holds its sequence, lands in the client's inbox with its intent and is answered by SMS from the
 * number it reached, inside business hours; then the lead books through Cal.com (signed webhook):
 * the sequence stops, a deal is made and pushed to the client's HubSpot (a wire-format fake through
 * @hubspot/api-client) with the CRM ids kept; a cancellation moves the deal. Another client sees
 * none of it.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkipping, untilSimulated } from '../helpers/time-skipping.js';
import { startServer } from '../../server.js';
import { createHubSpotCrm } from '../../providers/crm/hubspot.js';
import { leadProgressQuery, workflowIds, type LeadProgress } from '../../workflows/contracts.js';
import { createTestTenant, testConfig, testDb, waitFor } from '../helpers/context.js';
import { createTestWorker } from '../helpers/app.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { startProviderFakes, type ProviderFakes } from '../helpers/provider-fakes.js';
import { ACCOUNT_SID, PUBLIC_URL, SECRETS, sign } from '../helpers/webhook-fixtures.js';
import { HubSpotFake } from '../fakes/hubspot-fake.js';
import { calcomDelivery } from '../fakes/booking-payloads.js';
import { httpApi } from '../helpers/http-api.js';
import { SEARCH_ATTRIBUTE_KEYS as K } from '../../domain/search-attributes.js';

const CALCOM_SECRET = 'calcom-e2e-secret-0123456789abcdefghij';
const MINUTE = 60_000;
let env: TestWorkflowEnvironment;
let fakes: ProviderFakes;
let hubspot: HubSpotFake;
let hubspotUrl: string;
let server: Awaited<ReturnType<typeof startServer>>;
let config: ReturnType<typeof testConfig>;
let db: ReturnType<typeof testDb>;

beforeAll(async () => {
  env = await createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
  });
  fakes = await startProviderFakes();
  hubspot = new HubSpotFake({ accessToken: 'pat-na1-e2e-0123456789abcdef' });
  hubspotUrl = (await hubspot.start()).baseUrl;
  config = testConfig({
    TEMPORAL_ADDRESS: env.address,
    PUBLIC_BASE_URL: PUBLIC_URL,
    TWILIO_AUTH_TOKEN: SECRETS.twilio,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    CALCOM_WEBHOOK_SECRET: CALCOM_SECRET,
    // The server only verifies Twilio's signatures here; the worker sends through the fakes.
    AU_CALLS_AND_SMS: 'off',
    EMAIL_DELIVERY: 'sandbox',
  });
  db = testDb(config);
  server = await startServer(config, { db });
});
afterAll(async () => {
  await server?.close();
  await env?.teardown();
  await fakes?.stop();
  await hubspot?.stop();
  await db?.close();
});

const api = httpApi(() => server.url);

async function post(path: string, d: { rawBody: string | Buffer; headers?: unknown }) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: d.headers as Record<string, string>, body: d.rawBody });
  return res.status;
}

/** Simulated time moves on until `pred` holds (each probe after `stepMs` more). */
const until = <T>(what: string, probe: () => Promise<T>, pred: (v: T) => boolean, stepMs = 5 * MINUTE) =>
  untilSimulated(env, what, probe, pred, stepMs);

describe('a reply answered, a meeting booked, a deal in the CRM (end to end)', () => {
  it('SYS-003 SM-003 SYS-004 SYS-008 SYS-009: an SMS reply is held (its conversation found by client and campaign), kept, answered in hours from the same number; a Cal.com booking stops the sequence and lands in HubSpot once; a cancellation moves the deal', async () => {
    const s = await seedSequenceLead(db, fakes, {
      tier: 'Hot',
      zone: 'Australia/Sydney',
      state: 'NSW',
      washedAt: new Date(await env.currentTimeMs()),
      settings: { voice: { assistantId: 'asst_e2e' }, bookingLink: 'https://cal.com/acme/intro', senderName: 'Ada' },
    });
    const { apiKey } = s;
    const stranger = await createTestTenant(db, 'Another client');

    const worker = await createTestWorker({
      env,
      taskQueue: config.temporal.taskQueue,
      db,
      providers: {
        ...fakes.providers,
        crm: (c) => createHubSpotCrm({ accessToken: c.accessToken, basePath: hubspotUrl, ...(c.pipeline ? { pipeline: c.pipeline } : {}) }),
      },
    });
    await worker.runUntil(async () => {
      const seq = await env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue: config.temporal.taskQueue,
        workflowId: workflowIds.lead(s.lead.id),
        args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, leadId: s.lead.id }],
      });
      await until(
        'the first email',
        () => db.system.touch.count({ where: { leadId: s.lead.id, status: 'sent' } }),
        (n) => n >= 1,
        60 * MINUTE,
      );

      // The lead texts back the client's number (signed as Twilio signs it).
      const sid = `SM${randomUUID().replace(/-/g, '')}`;
      const form = new URLSearchParams({
        MessageSid: sid,
        AccountSid: ACCOUNT_SID,
        From: s.lead.phoneE164!,
        To: s.res.number.e164,
        Body: "Yes, I'm interested. What's the next step?",
        NumSegments: '1',
      }).toString();
      const repliedAt = await env.currentTimeMs();
      expect(await post('/webhooks/twilio/sms', sign.twilio('/webhooks/twilio/sms', form))).toBe(200);
      // A redelivery changes nothing.
      expect(await post('/webhooks/twilio/sms', sign.twilio('/webhooks/twilio/sms', form))).toBe(200);

      // Twilio has the answer before the activity marks it sent and the conversation answered: wait
      // for that last write, then the rest.
      await until(
        'the SMS answer',
        () => db.system.conversation.findUnique({ where: { leadId: s.lead.id } }),
        (c) => c?.state === 'answered',
      );
      const answer = fakes.twilio.messages.filter((m) => m.to === s.lead.phoneE164);
      expect(answer).toHaveLength(1);
      expect(answer[0]!.from).toBe(s.res.number.e164);
      expect(answer[0]!.body).not.toMatch(/https?:\/\//); // SM-004: no links in SMS
      const sent = await db.system.message.findFirstOrThrow({ where: { leadId: s.lead.id, direction: 'outbound' } });
      expect(sent.at.getTime() - repliedAt).toBeGreaterThanOrEqual(3 * MINUTE);
      const local = DateTime.fromJSDate(sent.at, { zone: 'Australia/Sydney' });
      expect(local.weekday <= 5 && local.hour >= 9 && local.hour < 17).toBe(true);
      expect(((await seq.query(leadProgressQuery)) as LeadProgress).state).toBe('paused');
      // SYS-009: the conversation is found in the Temporal UI by its client and its campaign.
      const found = (await env.client.workflow.getHandle(workflowIds.conversation(s.lead.id)).describe()).typedSearchAttributes;
      expect([found.get(K.clientId), found.get(K.campaignId)]).toEqual([s.client.id, s.campaign.id]);

      // The inbox: the conversation with its intent, its messages in order.
      const inbox = await api('GET', '/v1/conversations?intent=interested', apiKey);
      expect(inbox.status).toBe(200);
      expect(inbox.body.conversations).toHaveLength(1);
      const conv = inbox.body.conversations[0];
      expect(conv).toMatchObject({ leadId: s.lead.id, lastIntent: 'interested', state: 'answered' });
      const detail = await api('GET', `/v1/conversations/${conv.id}`, apiKey);
      expect(detail.body.messages.map((m: any) => [m.direction, m.channel, m.kind])).toEqual([
        ['inbound', 'sms', 'reply'],
        ['outbound', 'sms', 'answer'],
      ]);
      expect((await api('GET', '/v1/conversations', stranger.apiKey)).body.conversations).toEqual([]);
      expect((await api('GET', `/v1/conversations/${conv.id}`, stranger.apiKey)).status).toBe(404);

      // The client connects HubSpot; the lead books through the link (which names the lead).
      const crm = await api('PUT', '/v1/crm', apiKey, { provider: 'hubspot', accessToken: hubspot.accessToken });
      expect(crm.status).toBe(200);
      expect(crm.body.tokenEnding).toBe(hubspot.accessToken.slice(-4));
      expect(JSON.stringify(crm.body)).not.toContain(hubspot.accessToken);
      const uid = `bk_${randomUUID()}`;
      const startTime = DateTime.fromMillis(await env.currentTimeMs())
        .plus({ days: 3 })
        .toUTC()
        .toISO()!;
      const booked = calcomDelivery({
        secret: CALCOM_SECRET,
        trigger: 'BOOKING_CREATED',
        uid,
        startTime,
        attendeeEmail: s.lead.email!,
        leadId: s.lead.id,
      });
      expect(await post('/webhooks/calcom', booked)).toBe(200);
      expect(await post('/webhooks/calcom', booked)).toBe(200); // redelivered: once
      const stopped = (await seq.result()) as LeadProgress;
      expect(stopped).toMatchObject({ state: 'stopped', stopReason: 'meeting_booked' });

      // The sync records the deal's CRM id before it pushes the meeting: wait for its last write.
      await until(
        'the meeting in HubSpot',
        () => db.system.meeting.findMany({ where: { leadId: s.lead.id } }),
        (ms) => ms.length === 1 && Boolean(ms[0]!.crmMeetingId),
        MINUTE,
      );
      const deal = await db.system.deal.findUnique({ where: { leadId: s.lead.id } });
      expect(deal?.crmDealId).toBeTruthy();
      expect(hubspot.objects('deals')).toHaveLength(1);
      expect(hubspot.objects('contacts').filter((c) => c.properties.email === s.lead.email)).toHaveLength(1);
      expect(hubspot.objects('meetings')).toHaveLength(1);
      expect(hubspot.object('deals', deal!.crmDealId!)!.properties.dealstage).toBe('appointmentscheduled');
      const deals = await api('GET', '/v1/deals', apiKey);
      expect(deals.body.deals).toMatchObject([
        { leadId: s.lead.id, stage: 'meeting_booked', crm: { provider: 'hubspot', dealId: deal!.crmDealId } },
      ]);
      expect((await api('GET', '/v1/deals', stranger.apiKey)).body.deals).toEqual([]);
      expect((await api('GET', '/v1/meetings', apiKey)).body.meetings).toMatchObject([{ bookingUid: uid, status: 'booked' }]);

      // Cancelled: the deal moves, in HubSpot too, still one of each.
      const cancelled = calcomDelivery({
        secret: CALCOM_SECRET,
        trigger: 'BOOKING_CANCELLED',
        uid,
        startTime,
        attendeeEmail: s.lead.email!,
        cancellationReason: 'Something came up',
      });
      expect(await post('/webhooks/calcom', cancelled)).toBe(200);
      // The meeting is pushed after the deal: its outcome is the sync's last write.
      await until(
        'the cancellation in HubSpot',
        async () => hubspot.objects('meetings').map((m) => m.properties.hs_meeting_outcome),
        (outcomes) => outcomes.includes('CANCELED'),
        MINUTE,
      );
      expect(hubspot.object('deals', deal!.crmDealId!)!.properties.dealstage).toBe('closedlost');
      expect(hubspot.objects('deals')).toHaveLength(1);
      expect(hubspot.objects('meetings').map((m) => m.properties.hs_meeting_outcome)).toEqual(['CANCELED']);
    });
    // Unsigned booking: refused, nothing kept.
    const forged = calcomDelivery({
      secret: 'not-the-secret-0123456789abcdefghijkl',
      trigger: 'BOOKING_CREATED',
      uid: 'x',
      startTime: new Date().toISOString(),
      attendeeEmail: s.lead.email!,
    });
    expect(await post('/webhooks/calcom', forged)).toBe(401);
    await waitFor(async () => (await db.system.meeting.count({ where: { bookingUid: 'x' } })) === 0, { what: 'nothing kept' });
  });
});
