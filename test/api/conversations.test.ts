/**
 * The inbox, the CRM connection and the booking webhooks over the API (SYS-003, SYS-004, SYS-008,
 * SYS-010): filters, marking handled, an answer by hand (an SMS that does not fit is refused 422),
 * a corrected intent; a CRM token never shown back; Cal.com and Calendly deliveries verified as
 * their providers sign them, a booking kept with its deal. Another client reaches none of it.
 * The workflows these requests signal are not run here (test/workflows/conversation.test.ts and
 * test/e2e/conversations.e2e.test.ts run them).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import { auth, createTestTenant, temporalClient, testConfig, testDb } from '../helpers/context.js';
import { buildTestApp } from '../helpers/app.js';
import { randomMobile } from '../helpers/webhook-fixtures.js';
import { calcomDelivery, calendlyDelivery, calendlyInviteeUri } from '../fakes/booking-payloads.js';
import type { Services } from '../../services/index.js';

const CALCOM_SECRET = 'calcom-api-test-secret-0123456789abcdef';
const CALENDLY_KEY = 'calendly-api-test-key-0123456789abcdefgh';
const config = testConfig({ CALCOM_WEBHOOK_SECRET: CALCOM_SECRET, CALENDLY_WEBHOOK_SIGNING_KEY: CALENDLY_KEY });
const db = testDb(config);
let app: FastifyInstance & { services: Services };
let temporal: Client;

beforeAll(async () => {
  temporal = await temporalClient();
  app = await buildTestApp(config, { db, temporal, webhooks: 'providers' });
});
afterAll(async () => {
  await app?.close();
  await temporal?.connection.close();
  await db.close();
});

async function leadOf(clientId: string, email = `lead-${randomUUID().slice(0, 8)}@lead.example`) {
  const campaign = await db.system.campaign.create({ data: { clientId, name: 'c', icp: {}, status: 'running' } });
  return db.system.lead.create({
    data: {
      clientId,
      campaignId: campaign.id,
      sourceRow: 1,
      email,
      firstName: 'Lee',
      company: 'Lead Co',
      phoneE164: randomMobile(),
      sequenceWorkflowId: `lead:${randomUUID()}`,
      sequenceStartedAt: new Date(),
      status: 'in_sequence',
    },
  });
}

/** A reply kept as the conversation workflow keeps it. */
async function replied(
  lead: { id: string; clientId: string; campaignId: string },
  text: string,
  intent: string,
  channel: 'sms' | 'email' = 'sms',
) {
  const { message } = await app.services.conversations.system.recordInbound(
    lead,
    {
      eventId: randomUUID(),
      channel,
      provider: channel === 'sms' ? 'twilio' : 'email',
      providerMessageId: randomUUID(),
      text,
      at: new Date().toISOString(),
    },
    { kind: 'reply', intent, confidence: 0.7 },
  );
  return message;
}

const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, key: string, payload?: object) =>
  app.inject({ method, url, headers: auth(key), ...(payload ? { payload } : {}) });

describe('the inbox (SYS-003)', () => {
  it('SYS-003 SYS-010: conversations with their last message, filtered by intent, state and handled; another client sees none', async () => {
    const t = await createTestTenant(db);
    const other = await createTestTenant(db);
    const a = await leadOf(t.client.id);
    const b = await leadOf(t.client.id);
    await replied(a, 'Yes please, send me times', 'interested');
    const q = await replied(b, 'How much is it?', 'question', 'email');
    await app.services.conversations.system.setState(b.id, 'needs_human');

    const all = (await call('GET', '/v1/conversations', t.apiKey)).json();
    expect(all.conversations.map((c: any) => c.leadId).sort()).toEqual([a.id, b.id].sort());
    const questions = (await call('GET', '/v1/conversations?intent=question', t.apiKey)).json().conversations;
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatchObject({
      leadId: b.id,
      state: 'needs_human',
      lastIntent: 'question',
      lastMessage: { id: q.id, text: 'How much is it?' },
    });
    expect((await call('GET', '/v1/conversations?state=needs_human', t.apiKey)).json().conversations).toHaveLength(1);
    expect((await call('GET', '/v1/conversations?intent=shouting', t.apiKey)).statusCode).toBe(400);

    const conv = questions[0].id as string;
    const handled = await call('POST', `/v1/conversations/${conv}/handled`, t.apiKey, { handled: true });
    expect(handled.statusCode).toBe(200);
    expect(handled.json().handledAt).not.toBeNull();
    expect((await call('GET', '/v1/conversations?handled=false', t.apiKey)).json().conversations.map((c: any) => c.leadId)).toEqual([a.id]);
    const detail = (await call('GET', `/v1/conversations/${conv}`, t.apiKey)).json();
    expect(detail.messages.map((m: any) => [m.direction, m.text, m.intent])).toEqual([['inbound', 'How much is it?', 'question']]);

    expect((await call('GET', '/v1/conversations', other.apiKey)).json().conversations).toEqual([]);
    expect((await call('GET', `/v1/conversations/${conv}`, other.apiKey)).statusCode).toBe(404);
    expect((await call('POST', `/v1/conversations/${conv}/handled`, other.apiKey, {})).statusCode).toBe(404);
    expect((await db.system.conversation.findUniqueOrThrow({ where: { id: conv } })).handledAt).not.toBeNull();
  });

  it('SYS-003 SM-004: an answer by hand is accepted (202) for the conversation workflow; an SMS that is not one segment, or carries a link, is refused 422; another client 404', async () => {
    const t = await createTestTenant(db);
    const other = await createTestTenant(db);
    const lead = await leadOf(t.client.id);
    const m = await replied(lead, 'Call me?', 'question');
    const conv = (await db.system.conversation.findUniqueOrThrow({ where: { leadId: lead.id } })).id;
    const ok = await call('POST', `/v1/conversations/${conv}/reply`, t.apiKey, { text: 'Sure, what time suits you?', channel: 'sms' });
    expect(ok.statusCode).toBe(202);
    expect(ok.json()).toMatchObject({ conversationId: conv });
    const long = await call('POST', `/v1/conversations/${conv}/reply`, t.apiKey, { text: 'x'.repeat(200), channel: 'sms' });
    expect(long.statusCode).toBe(422);
    const link = await call('POST', `/v1/conversations/${conv}/reply`, t.apiKey, { text: 'Book here https://cal.com/x', channel: 'sms' });
    expect(link.statusCode).toBe(422);
    expect((await call('POST', `/v1/conversations/${conv}/reply`, t.apiKey, { text: '   ' })).statusCode).toBe(400);
    expect((await call('POST', `/v1/conversations/${conv}/reply`, other.apiKey, { text: 'hi' })).statusCode).toBe(404);

    const fix = await call('POST', `/v1/conversations/${conv}/messages/${m.id}/intent`, t.apiKey, { intent: 'interested' });
    expect(fix.statusCode).toBe(202);
    expect(
      (await call('POST', `/v1/conversations/${conv}/messages/${randomUUID()}/intent`, t.apiKey, { intent: 'interested' })).statusCode,
    ).toBe(404);
    expect((await call('POST', `/v1/conversations/${conv}/messages/${m.id}/intent`, t.apiKey, { intent: 'maybe' })).statusCode).toBe(400);
    // Both requests went to the lead's conversation workflow (started with them).
    const history = await temporal.workflow.getHandle(`conversation:${lead.id}`).fetchHistory();
    const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes || e.workflowExecutionStartedEventAttributes);
    expect(signals.length).toBeGreaterThanOrEqual(2);
    await temporal.workflow.getHandle(`conversation:${lead.id}`).terminate('test over');
  });
});

describe('the CRM connection (SYS-004)', () => {
  it('SYS-004 SYS-010: a HubSpot token is kept and never shown back (its last four characters only); another client has none', async () => {
    const t = await createTestTenant(db);
    const other = await createTestTenant(db);
    const token = `pat-na1-${randomUUID()}`;
    expect((await call('GET', '/v1/crm', t.apiKey)).statusCode).toBe(404);
    expect((await call('PUT', '/v1/crm', t.apiKey, { provider: 'hubspot', accessToken: 'short' })).statusCode).toBe(400);
    expect((await call('PUT', '/v1/crm', t.apiKey, { provider: 'salesforce', accessToken: token })).statusCode).toBe(400);
    const put = await call('PUT', '/v1/crm', t.apiKey, { provider: 'hubspot', accessToken: token, stages: { meeting_booked: '12345' } });
    expect(put.statusCode).toBe(200);
    expect(put.body).not.toContain(token);
    expect(put.json()).toMatchObject({ provider: 'hubspot', tokenEnding: token.slice(-4), stages: { meeting_booked: '12345' } });
    expect((await call('GET', '/v1/crm', t.apiKey)).body).not.toContain(token);
    expect((await call('GET', '/v1/crm', other.apiKey)).statusCode).toBe(404);
    expect((await call('DELETE', '/v1/crm', other.apiKey)).statusCode).toBe(404);
    expect((await call('DELETE', '/v1/crm', t.apiKey)).statusCode).toBe(204);
    expect((await call('GET', '/v1/crm', t.apiKey)).statusCode).toBe(404);
  });
});

describe('booking webhooks (SYS-004, SYS-008)', () => {
  const post = (url: string, d: { rawBody: string; headers: Record<string, string> }) =>
    app.inject({ method: 'POST', url, headers: d.headers, payload: d.rawBody });

  it('SYS-008: unsigned, wrongly signed and stale deliveries get 401 and change nothing', async () => {
    const t = await createTestTenant(db);
    const lead = await leadOf(t.client.id);
    const uid = `bk_${randomUUID()}`;
    const good = calcomDelivery({
      secret: CALCOM_SECRET,
      trigger: 'BOOKING_CREATED',
      uid,
      startTime: '2026-12-10T01:00:00Z',
      attendeeEmail: lead.email!,
    });
    const forged = calcomDelivery({
      secret: 'another-secret-0123456789abcdefghijkl',
      trigger: 'BOOKING_CREATED',
      uid,
      startTime: '2026-12-10T01:00:00Z',
      attendeeEmail: lead.email!,
    });
    expect((await post('/webhooks/calcom', forged)).statusCode).toBe(401);
    expect((await post('/webhooks/calcom', { rawBody: good.rawBody, headers: { 'content-type': 'application/json' } })).statusCode).toBe(
      401,
    );
    const stale = calendlyDelivery({
      signingKey: CALENDLY_KEY,
      event: 'invitee.created',
      inviteeUri: calendlyInviteeUri(),
      email: lead.email!,
      atMs: Date.now() - 10 * 60_000,
    });
    expect((await post('/webhooks/calendly', stale)).statusCode).toBe(401);
    expect(await db.system.meeting.count({ where: { leadId: lead.id } })).toBe(0);
    expect(await db.system.webhookEvent.count({ where: { provider: { in: ['calcom', 'calendly'] }, eventId: { contains: uid } } })).toBe(0);
  });

  it('SYS-004: a Calendly booking by a lead (found by its address) keeps the meeting, makes the deal and marks the lead booked; a redelivery changes nothing; a booking by a stranger is recorded only', async () => {
    const t = await createTestTenant(db);
    const lead = await leadOf(t.client.id);
    const invitee = calendlyInviteeUri();
    const d = calendlyDelivery({
      signingKey: CALENDLY_KEY,
      event: 'invitee.created',
      inviteeUri: invitee,
      email: lead.email!.toUpperCase(),
      atMs: Date.now(),
    });
    expect((await post('/webhooks/calendly', d)).statusCode).toBe(200);
    expect((await post('/webhooks/calendly', d)).statusCode).toBe(200);
    const meetings = await db.system.meeting.findMany({ where: { leadId: lead.id } });
    expect(meetings).toMatchObject([{ provider: 'calendly', bookingUid: invitee, status: 'booked' }]);
    const deal = await db.system.deal.findUniqueOrThrow({ where: { leadId: lead.id } });
    expect(deal).toMatchObject({ stage: 'meeting_booked', clientId: t.client.id });
    const after = await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(after.meetingBookedAt).toBeInstanceOf(Date);
    expect(after.status).toBe('meeting_booked'); // no sequence was running to record it
    const listed = (await call('GET', '/v1/deals', t.apiKey)).json().deals;
    expect(listed).toMatchObject([{ leadId: lead.id, stage: 'meeting_booked', crm: { dealId: null } }]);
    await temporal.workflow.getHandle(`crm-sync:${lead.id}`).terminate('test over');

    const stranger = calendlyDelivery({
      signingKey: CALENDLY_KEY,
      event: 'invitee.created',
      inviteeUri: calendlyInviteeUri(),
      email: 'nobody@else.example',
      atMs: Date.now(),
    });
    expect((await post('/webhooks/calendly', stranger)).statusCode).toBe(200);
    expect(await db.system.meeting.count({ where: { attendeeEmail: 'nobody@else.example' } })).toBe(0);
  });

  it('SYS-004: a Cal.com reschedule links the new booking to the one it replaces, and a cancellation of the new one moves the deal to cancelled', async () => {
    const t = await createTestTenant(db);
    const lead = await leadOf(t.client.id);
    const first = `bk_${randomUUID()}`;
    const second = `bk_${randomUUID()}`;
    const base = { secret: CALCOM_SECRET, attendeeEmail: lead.email!, startTime: '2026-12-10T01:00:00Z' };
    expect(
      (await post('/webhooks/calcom', calcomDelivery({ ...base, trigger: 'BOOKING_CREATED', uid: first, leadId: lead.id }))).statusCode,
    ).toBe(200);
    expect(
      (
        await post(
          '/webhooks/calcom',
          calcomDelivery({ ...base, trigger: 'BOOKING_RESCHEDULED', uid: second, rescheduleUid: first, startTime: '2026-12-11T01:00:00Z' }),
        )
      ).statusCode,
    ).toBe(200);
    const rows = await db.system.meeting.findMany({ where: { leadId: lead.id }, orderBy: { createdAt: 'asc' } });
    expect(rows.map((r) => [r.bookingUid, r.status, r.replacesUid])).toEqual([
      [first, 'rescheduled', null],
      [second, 'booked', first],
    ]);
    expect((await db.system.deal.findUniqueOrThrow({ where: { leadId: lead.id } })).stage).toBe('meeting_booked');
    expect(
      (
        await post(
          '/webhooks/calcom',
          calcomDelivery({ ...base, trigger: 'BOOKING_CANCELLED', uid: second, cancellationReason: 'No longer needed' }),
        )
      ).statusCode,
    ).toBe(200);
    expect((await db.system.deal.findUniqueOrThrow({ where: { leadId: lead.id } })).stage).toBe('meeting_cancelled');
    await temporal.workflow.getHandle(`crm-sync:${lead.id}`).terminate('test over');
  });
});
