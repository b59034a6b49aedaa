/**
 * Provider webhooks end to end over real HTTP (SYS-008, SM-003, VO-002, LI-002): the app listens
 * on a free port and the provider fakes POST to it, signed exactly as each provider signs (Twilio
 * X-Twilio-Signature over the URL it called, Vapi HMAC or bearer, Unipile-Auth, the email
 * platform's URL secret).
 *
 * Database effects are read back from Postgres. The workflow side uses a stand-in: a
 * `leadSequenceWorkflow` execution with id lead:{leadId} started on a task queue that no worker
 * polls, so it never runs, but every signal sent to it lands in its history
 * (WorkflowExecutionSignaled), where we count and decode them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { buildTestApp } from '../helpers/app.js';
import { workflowIds } from '../../workflows/contracts.js';
import { createVapiVoiceCaller } from '../../providers/vapi/calls.js';
import { TwilioFake, computeTwilioSignature, twilioSid } from '../fakes/twilio-fake.js';
import { VapiFake } from '../fakes/vapi-fake.js';
import { createUnipileFake } from '../fakes/unipile-fake.js';
import { createTestTenant, temporalClient, testConfig, testDb } from '../helpers/context.js';
import { randomMobile } from '../helpers/webhook-fixtures.js';

const TWILIO_TOKEN = 'twilio-webhook-test-token';
const ACCOUNT_SID = `AC${'1'.repeat(32)}`;
const VAPI_SECRET = 'vapi-webhook-test-secret-0123456789ab';
const VAPI_KEY = 'vapi-test-key';
const UNIPILE_SECRET = 'unipile-webhook-test-secret-0123456789';
const EMAIL_SECRET = 'inbound-email-test-secret';

const config = testConfig({
  TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  VAPI_WEBHOOK_SECRET: VAPI_SECRET,
  UNIPILE_WEBHOOK_SECRET: UNIPILE_SECRET,
  // Live Twilio credentials (webhook signatures) but nothing sent here: no register, email recorded.
  AU_CALLS_AND_SMS: 'off',
  EMAIL_DELIVERY: 'sandbox',
});
const db = testDb(config);
const noWorkerQueue = `no-worker-${randomUUID()}`;
let temporal: Client;
let app: FastifyInstance;
let base: string;
const twilio = new TwilioFake({ accountSid: ACCOUNT_SID, authToken: TWILIO_TOKEN });
const vapi = new VapiFake({ apiKey: VAPI_KEY });
const started: WorkflowHandle[] = [];

beforeAll(async () => {
  temporal = await temporalClient();
  app = await buildTestApp(config, { db, temporal, webhooks: 'providers', webhookOptions: { inboundEmailSecret: EMAIL_SECRET } });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  await vapi.start();
});
afterAll(async () => {
  await Promise.all(started.map((h) => h.terminate('test done').catch(() => undefined)));
  await app.close();
  await vapi.stop();
  await temporal.connection.close();
  await db.close();
});

// ---- fixtures --------------------------------------------------------------------------------

let row = 0;

async function tenantWithCampaign() {
  const { client } = await createTestTenant(db, 'Webhook client');
  const campaign = await db.system.campaign.create({ data: { clientId: client.id, name: 'webhooks', icp: {} } });
  return { clientId: client.id, campaignId: campaign.id };
}

async function makeLead(
  t: { clientId: string; campaignId: string },
  opts: { phone?: string; email?: string; linkedinProviderId?: string; workflow?: boolean } = {},
) {
  const id = randomUUID();
  const withWorkflow = opts.workflow ?? true;
  const lead = await db.system.lead.create({
    data: {
      id,
      clientId: t.clientId,
      campaignId: t.campaignId,
      sourceRow: ++row,
      email: opts.email ?? `lead-${id.slice(0, 8)}@example.com`,
      phoneE164: opts.phone ?? null,
      linkedinProviderId: opts.linkedinProviderId ?? null,
      status: 'in_sequence',
      sequenceWorkflowId: workflowIds.lead(id),
      sequenceStartedAt: new Date(),
    },
  });
  if (withWorkflow) {
    // The stand-in: a real lead:{id} execution that no worker runs; signals land in its history.
    started.push(
      await temporal.workflow.start('leadSequenceWorkflow', {
        workflowId: workflowIds.lead(id),
        taskQueue: noWorkerQueue,
        args: [{ version: 1, clientId: t.clientId, campaignId: t.campaignId, leadId: id }],
      }),
    );
  }
  return lead;
}

/** Signals of `name` delivered to lead:{leadId}, decoded. */
async function signals(leadId: string, name: string): Promise<Record<string, unknown>[]> {
  const history = await temporal.workflow.getHandle(workflowIds.lead(leadId)).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionSignaledEventAttributes)
    .filter((a): a is NonNullable<typeof a> => Boolean(a) && a!.signalName === name)
    .map((a) => defaultPayloadConverter.fromPayload(a.input!.payloads![0]!) as Record<string, unknown>);
}

/** The messages a webhook handed to conversation:{leadId} (which holds the sequence), decoded; none when it never started. */
async function replies(leadId: string): Promise<Record<string, unknown>[]> {
  try {
    const history = await temporal.workflow.getHandle(workflowIds.conversation(leadId)).fetchHistory();
    return (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes)
      .filter((a): a is NonNullable<typeof a> => Boolean(a) && a!.signalName === 'inboundMessage')
      .map((a) => defaultPayloadConverter.fromPayload(a.input!.payloads![0]!) as Record<string, unknown>);
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError' || (err as { code?: number }).code === 5) return [];
    throw err;
  }
}

async function allSignals(leadId: string): Promise<string[]> {
  const history = await temporal.workflow.getHandle(workflowIds.lead(leadId)).fetchHistory();
  return (history.events ?? []).flatMap((e) =>
    e.workflowExecutionSignaledEventAttributes ? [e.workflowExecutionSignaledEventAttributes.signalName!] : [],
  );
}

const recorded = (provider: string, eventId: string) => db.system.webhookEvent.findMany({ where: { provider, eventId } });

/** POSTs form fields to our Twilio webhook, signed as Twilio signs (with `token`). */
async function postTwilio(path: string, params: Record<string, string>, token = TWILIO_TOKEN, signature?: string) {
  const url = `${base}${path}`;
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? computeTwilioSignature(token, url, params),
    },
    body: new URLSearchParams(params).toString(),
  });
}

async function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

// ---- Twilio SMS ------------------------------------------------------------------------------

describe('Twilio inbound SMS', () => {
  it('SM-003, SYS-008: a signed STOP opts every lead with that number out of every channel, suppresses it, and signals once; a redelivery is a no-op', async () => {
    const phone = randomMobile();
    const a = await tenantWithCampaign();
    const b = await tenantWithCampaign();
    const leadA = await makeLead(a, { phone });
    const leadB = await makeLead(b, { phone }); // the same person in another client's campaign
    const sid = twilioSid('SM');

    const first = await twilio.sendInboundSms({
      url: `${base}/webhooks/twilio/sms`,
      from: phone,
      to: '+61400000001',
      body: 'Stop',
      messageSid: sid,
    });
    expect(first.status, await first.text()).toBe(200);

    for (const lead of [leadA, leadB]) {
      const after = await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } });
      expect(after.optedOutAt).toBeInstanceOf(Date);
      const sigs = await signals(lead.id, 'optedOut');
      expect(sigs).toHaveLength(1);
      expect(sigs[0]).toMatchObject({ eventId: sid, channel: 'sms', reason: 'sms_keyword:STOP' });
      expect(await db.system.suppression.count({ where: { kind: 'email', value: lead.email!.toLowerCase() } })).toBe(1);
    }
    const sup = await db.system.suppression.findUniqueOrThrow({ where: { kind_value: { kind: 'phone', value: phone } } });
    expect(sup.reason).toBe('opted_out:sms');
    const events = await recorded('twilio', sid);
    expect(events).toHaveLength(1);
    expect(events[0]!.processedAt).toBeInstanceOf(Date);

    // Twilio redelivers the same message: 200, nothing happens twice.
    const again = await twilio.sendInboundSms({
      url: `${base}/webhooks/twilio/sms`,
      from: phone,
      to: '+61400000001',
      body: 'Stop',
      messageSid: sid,
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true, duplicate: true });
    expect(await signals(leadA.id, 'optedOut')).toHaveLength(1);
    expect(await signals(leadB.id, 'optedOut')).toHaveLength(1);
    expect(await recorded('twilio', sid)).toHaveLength(1);
  });

  it('SM-003: a lower-case "please cancel these texts" opts the number out of every channel, for every client', async () => {
    const phone = randomMobile();
    const leadA = await makeLead(await tenantWithCampaign(), { phone });
    const leadB = await makeLead(await tenantWithCampaign(), { phone });
    const sid = twilioSid('SM');
    const res = await twilio.sendInboundSms({
      url: `${base}/webhooks/twilio/sms`,
      from: phone,
      to: '+61400000001',
      body: 'please cancel these texts',
      messageSid: sid,
    });
    expect(res.status, await res.text()).toBe(200);
    for (const lead of [leadA, leadB]) {
      expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).optedOutAt).toBeInstanceOf(Date);
      expect(await signals(lead.id, 'optedOut')).toMatchObject([{ eventId: sid, channel: 'sms', reason: 'sms_keyword:CANCEL' }]);
      expect(await replies(lead.id)).toEqual([]);
      expect(await db.system.suppression.count({ where: { kind: 'email', value: lead.email!.toLowerCase() } })).toBe(1);
    }
    expect(await db.system.suppression.count({ where: { kind: 'phone', value: phone } })).toBe(1);
  });

  it.each([
    ['end please', 'sms_keyword:END'],
    ['pls quit texting me', 'sms_keyword:QUIT'],
    ['Quit messaging me.', 'sms_keyword:QUIT'],
    ['take me off your list', 'sms_keyword:take me'],
  ])('SM-003: the SMS %j opts the number out (%s)', async (body, reason) => {
    const phone = randomMobile();
    const lead = await makeLead(await tenantWithCampaign(), { phone });
    const res = await twilio.sendInboundSms({ url: `${base}/webhooks/twilio/sms`, from: phone, to: '+61400000001', body });
    expect(res.status).toBe(200);
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).optedOutAt).toBeInstanceOf(Date);
    expect(await signals(lead.id, 'optedOut')).toMatchObject([{ channel: 'sms', reason }]);
    expect(await db.system.suppression.count({ where: { kind: 'phone', value: phone } })).toBe(1);
  });

  it('SM-003: "I had to cancel the meeting, can we move it?" is a reply, not an opt-out', async () => {
    const phone = randomMobile();
    const lead = await makeLead(await tenantWithCampaign(), { phone });
    const body = 'I had to cancel the meeting, can we move it?';
    const res = await twilio.sendInboundSms({ url: `${base}/webhooks/twilio/sms`, from: phone, to: '+61400000001', body });
    expect(res.status).toBe(200);
    expect(await replies(lead.id)).toMatchObject([{ channel: 'sms', text: body }]);
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).optedOutAt).toBeNull();
    expect(await signals(lead.id, 'optedOut')).toEqual([]);
    expect(await db.system.suppression.count({ where: { kind: 'phone', value: phone } })).toBe(0);
  });

  it('SYS-008: a wrong or missing Twilio signature is 401 and changes nothing', async () => {
    const phone = randomMobile();
    const lead = await makeLead(await tenantWithCampaign(), { phone });
    const sid = twilioSid('SM');
    const params = { MessageSid: sid, AccountSid: ACCOUNT_SID, From: phone, To: '+61400000001', Body: 'STOP' };

    const forger = new TwilioFake({ accountSid: ACCOUNT_SID, authToken: 'not-our-token' });
    expect(
      (await forger.sendInboundSms({ url: `${base}/webhooks/twilio/sms`, from: phone, to: '+61400000001', body: 'STOP', messageSid: sid }))
        .status,
    ).toBe(401);
    expect((await postTwilio('/webhooks/twilio/sms', params, TWILIO_TOKEN, '')).status).toBe(401);
    // Signed for another URL (the signature covers the URL Twilio called).
    const otherUrl = computeTwilioSignature(TWILIO_TOKEN, `${base}/webhooks/twilio/status`, params);
    expect((await postTwilio('/webhooks/twilio/sms', params, TWILIO_TOKEN, otherUrl)).status).toBe(401);
    // Signed, then a parameter changed in transit.
    const signed = computeTwilioSignature(TWILIO_TOKEN, `${base}/webhooks/twilio/sms`, { ...params, Body: 'hello' });
    expect((await postTwilio('/webhooks/twilio/sms', params, TWILIO_TOKEN, signed)).status).toBe(401);

    expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).optedOutAt).toBeNull();
    expect(await db.system.suppression.count({ where: { kind: 'phone', value: phone } })).toBe(0);
    expect(await recorded('twilio', sid)).toHaveLength(0);
    expect(await allSignals(lead.id)).toEqual([]);
  });

  it('SM-003: any other text is a reply to the lead whose sequence used that number, on channel sms', async () => {
    const phone = randomMobile();
    const lead = await makeLead(await tenantWithCampaign(), { phone });
    const sid = twilioSid('SM');
    const res = await twilio.sendInboundSms({
      url: `${base}/webhooks/twilio/sms`,
      from: phone,
      to: '+61400000001',
      body: 'Sounds good, call me tomorrow',
      messageSid: sid,
    });
    expect(res.status).toBe(200);
    const sigs = await replies(lead.id);
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ eventId: sid, channel: 'sms', text: 'Sounds good, call me tomorrow' });
    const after = await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(after.repliedAt).toBeInstanceOf(Date);
    expect(after.optedOutAt).toBeNull();
    expect(await signals(lead.id, 'optedOut')).toEqual([]);
    expect(await db.system.suppression.count({ where: { kind: 'phone', value: phone } })).toBe(0);
  });

  it('SM-003: a reply goes to the lead of the client that holds the number it was sent to', async () => {
    const phone = randomMobile();
    const ours = `+6140${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
    const a = await tenantWithCampaign();
    const b = await tenantWithCampaign();
    const leadA = await makeLead(a, { phone });
    await new Promise((r) => setTimeout(r, 5));
    const leadB = await makeLead(b, { phone }); // more recent, but not the client holding `ours`
    const number = await db.system.phoneNumber.create({ data: { e164: ours, country: 'AU' } });
    await db.system.resourceAllocation.create({ data: { clientId: a.clientId, resourceType: 'phone_number', resourceId: number.id } });

    const res = await twilio.sendInboundSms({ url: `${base}/webhooks/twilio/sms`, from: phone, to: ours, body: 'who is this?' });
    expect(res.status).toBe(200);
    expect(await replies(leadA.id)).toHaveLength(1);
    expect(await replies(leadB.id)).toHaveLength(0);
  });

  it('SM-003: a STOP for a lead whose workflow is no longer running still opts it out (status opted_out)', async () => {
    const phone = randomMobile();
    const lead = await makeLead(await tenantWithCampaign(), { phone, workflow: false });
    const res = await twilio.sendInboundSms({ url: `${base}/webhooks/twilio/sms`, from: phone, to: '+61400000001', body: 'unsubscribe' });
    expect(res.status).toBe(200);
    const after = await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(after.optedOutAt).toBeInstanceOf(Date);
    expect(after.status).toBe('opted_out');
  });

  it('SM-003: a STOP from a number we have no lead for still suppresses the number', async () => {
    const phone = randomMobile();
    const res = await twilio.sendInboundSms({ url: `${base}/webhooks/twilio/sms`, from: phone, to: '+61400000001', body: 'STOP' });
    expect(res.status).toBe(200);
    expect(await db.system.suppression.count({ where: { kind: 'phone', value: phone } })).toBe(1);
  });
});

describe('Twilio status callback', () => {
  it('SYS-008: the delivery state goes on the touch with that SID, a late non-final status does not undo it, each status is recorded once', async () => {
    const t = await tenantWithCampaign();
    const lead = await makeLead(t, { phone: randomMobile(), workflow: false });
    const sid = twilioSid('SM');
    const touch = await db.system.touch.create({
      data: {
        clientId: t.clientId,
        campaignId: t.campaignId,
        leadId: lead.id,
        step: 5,
        channel: 'sms',
        status: 'sent',
        idempotencyKey: `test:${randomUUID()}`,
        provider: 'twilio',
        providerRef: sid,
        outcome: { phase: 'done' },
      },
    });
    const status = (MessageStatus: string, extra: Record<string, string> = {}) =>
      postTwilio('/webhooks/twilio/status', {
        MessageSid: sid,
        SmsSid: sid,
        MessageStatus,
        SmsStatus: MessageStatus,
        AccountSid: ACCOUNT_SID,
        To: lead.phoneE164!,
        From: '+61400000001',
        ApiVersion: '2010-04-01',
        ...extra,
      });

    expect((await status('sent')).status).toBe(200);
    let row = await db.system.touch.findUniqueOrThrow({ where: { id: touch.id } });
    expect(row.status).toBe('sent');
    expect(row.outcome).toMatchObject({ phase: 'done', delivery: { state: 'pending', status: 'sent' } });

    expect((await status('delivered', { RawDlrDoneDate: '2611201000' })).status).toBe(200);
    row = await db.system.touch.findUniqueOrThrow({ where: { id: touch.id } });
    expect(row.status).toBe('delivered');
    expect(row.outcome).toMatchObject({ delivery: { state: 'delivered', status: 'delivered', eventId: `${sid}:delivered` } });

    await expect((await status('sent')).json()).resolves.toEqual({ received: true, duplicate: true });
    expect((await status('delivered')).status).toBe(200);
    expect(await recorded('twilio', `${sid}:delivered`)).toHaveLength(1);
    row = await db.system.touch.findUniqueOrThrow({ where: { id: touch.id } });
    expect(row.status).toBe('delivered');
  });

  it('SYS-008: an undelivered message marks its touch failed with the error code', async () => {
    const t = await tenantWithCampaign();
    const lead = await makeLead(t, { phone: randomMobile(), workflow: false });
    // A real send through the Twilio SDK to the fake, which then calls our StatusCallback.
    const { baseUrl } = await twilio.start();
    try {
      const { createTwilioSmsSender } = await import('../../providers/twilio/sms.js');
      const sender = createTwilioSmsSender({ accountSid: ACCOUNT_SID, authToken: TWILIO_TOKEN, baseUrl });
      const sent = await sender.send({
        from: '+61400000001',
        to: lead.phoneE164!,
        body: 'Hi',
        statusCallback: `${base}/webhooks/twilio/status`,
      });
      await db.system.touch.create({
        data: {
          clientId: t.clientId,
          campaignId: t.campaignId,
          leadId: lead.id,
          step: 5,
          channel: 'sms',
          status: 'sent',
          idempotencyKey: `test:${randomUUID()}`,
          provider: 'twilio',
          providerRef: sent.sid,
          outcome: { phase: 'done' },
        },
      });
      expect(await twilio.sendStatusCallback(sent.sid, 'undelivered', { errorCode: 30003 })).toBe(200);
      const row = await db.system.touch.findFirstOrThrow({ where: { providerRef: sent.sid } });
      expect(row.status).toBe('failed');
      expect(row.outcome).toMatchObject({ delivery: { state: 'failed', status: 'undelivered', errorCode: '30003' } });
    } finally {
      await twilio.stop();
    }
  });
});

// ---- Vapi ------------------------------------------------------------------------------------

describe('Vapi end-of-call report', () => {
  const caller = () => createVapiVoiceCaller({ apiKey: VAPI_KEY, baseUrl: vapi.baseUrl });

  async function endedCall(lead: { id: string; clientId: string; phoneE164: string | null }, endedReason: string) {
    const placed = await caller().startCall({
      assistantId: 'asst-test',
      firstMessage: 'This call is recorded. Hi there, this is an AI assistant calling on behalf of Test. Do you have a minute?',
      phoneNumberId: 'pn-test',
      customer: { number: lead.phoneE164! },
      voicemail: { action: 'hang_up' },
      metadata: { leadId: lead.id, clientId: lead.clientId, idempotencyKey: `lead:${lead.id}:step-2:attempt-1` },
      maxDurationSeconds: 120,
    });
    vapi.endCall(placed.callId, {
      endedReason,
      durationSeconds: 42,
      transcript: 'AI: Hello\nUser: busy',
      summary: 'short call',
      recordingUrl: 'https://storage.vapi.test/rec.wav',
    });
    return placed.callId;
  }

  it('VO-002, SYS-008: an HMAC-signed end-of-call report signals callEnded once, with the outcome from endedReason', async () => {
    const lead = await makeLead(await tenantWithCampaign(), { phone: randomMobile() });
    const callId = await endedCall(lead, 'customer-busy');
    const payload = vapi.endOfCallReport(callId);

    const res = await vapi.sendWebhook(`${base}/webhooks/vapi`, payload, { mode: 'hmac', secret: VAPI_SECRET });
    expect(res.status, await res.text()).toBe(200);
    const again = await vapi.sendWebhook(`${base}/webhooks/vapi`, payload, { mode: 'hmac', secret: VAPI_SECRET });
    expect(await again.json()).toEqual({ received: true, duplicate: true });

    const sigs = await signals(lead.id, 'callEnded');
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({
      eventId: `end-of-call-report:${callId}`,
      callId,
      outcome: 'busy',
      endedReason: 'customer-busy',
      durationSeconds: 42,
      summary: 'short call',
      transcript: 'AI: Hello\nUser: busy',
      recordingUrl: 'https://storage.vapi.test/rec.wav',
    });
  });

  it('VO-002: a bearer-authenticated end-of-call report is accepted too (voicemail)', async () => {
    const lead = await makeLead(await tenantWithCampaign(), { phone: randomMobile() });
    const callId = await endedCall(lead, 'voicemail');
    const res = await vapi.sendWebhook(`${base}/webhooks/vapi`, vapi.endOfCallReport(callId), { mode: 'bearer', secret: VAPI_SECRET });
    expect(res.status).toBe(200);
    const sigs = await signals(lead.id, 'callEnded');
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ callId, outcome: 'voicemail', endedReason: 'voicemail' });
  });

  it('SYS-008: a wrong secret, a bad HMAC or a stale timestamp is 401 and signals nothing', async () => {
    const lead = await makeLead(await tenantWithCampaign(), { phone: randomMobile() });
    const callId = await endedCall(lead, 'customer-ended-call');
    const payload = vapi.endOfCallReport(callId);
    const url = `${base}/webhooks/vapi`;
    expect((await vapi.sendWebhook(url, payload, { mode: 'bearer', secret: 'wrong' })).status).toBe(401);
    expect((await vapi.sendWebhook(url, payload, { mode: 'hmac', secret: 'wrong' })).status).toBe(401);
    expect((await vapi.sendWebhook(url, payload, { mode: 'hmac', secret: VAPI_SECRET, timestamp: Date.now() - 3_600_000 })).status).toBe(
      401,
    );
    expect((await vapi.sendWebhook(url, payload, { mode: 'none' })).status).toBe(401);
    expect(await recorded('vapi', `end-of-call-report:${callId}`)).toHaveLength(0);
    expect(await allSignals(lead.id)).toEqual([]);
  });

  it('SYS-008: other server messages (status-update) are recorded and ignored', async () => {
    const lead = await makeLead(await tenantWithCampaign(), { phone: randomMobile() });
    const callId = await endedCall(lead, 'customer-ended-call');
    const res = await vapi.sendWebhook(`${base}/webhooks/vapi`, vapi.statusUpdate(callId), { mode: 'bearer', secret: VAPI_SECRET });
    expect(res.status).toBe(200);
    expect(await recorded('vapi', `status-update:${callId}:ended`)).toHaveLength(1);
    expect(await allSignals(lead.id)).toEqual([]);
  });
});

// ---- Unipile ---------------------------------------------------------------------------------

describe('Unipile', () => {
  async function invitedLead() {
    const t = await tenantWithCampaign();
    const providerId = `ACoAA${randomBytes(6).toString('hex')}`;
    const lead = await makeLead(t, { linkedinProviderId: providerId });
    const seat = await db.system.linkedInSeat.create({ data: { accountRef: `acc-${randomUUID().slice(0, 8)}`, status: 'ready' } });
    await db.system.linkedInInvitation.create({
      data: { clientId: t.clientId, seatId: seat.id, leadId: lead.id, providerId, invitationRef: 'inv-1' },
    });
    return { lead, seat, providerId };
  }

  it('LI-002, SYS-008: new_relation marks the invitation accepted and signals linkedinAccepted once', async () => {
    const { lead, seat, providerId } = await invitedLead();
    const unipile = createUnipileFake({ apiKey: 'k' });
    unipile.setProfile({ providerId, publicIdentifier: 'jane-doe', firstName: 'Jane', lastName: 'Doe' });
    const body = unipile.acceptInvitation(seat.accountRef, providerId);

    const res = await postJson('/webhooks/unipile', body, { 'Unipile-Auth': UNIPILE_SECRET });
    expect(res.status, await res.text()).toBe(200);
    expect((await postJson('/webhooks/unipile', body, { 'Unipile-Auth': UNIPILE_SECRET })).status).toBe(200);

    const inv = await db.system.linkedInInvitation.findFirstOrThrow({ where: { leadId: lead.id } });
    expect(inv.state).toBe('accepted');
    expect(inv.acceptedAt).toBeInstanceOf(Date);
    const sigs = await signals(lead.id, 'linkedinAccepted');
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ eventId: `new_relation:${seat.accountRef}:${providerId}` });
  });

  it('SYS-008: a missing or wrong Unipile-Auth header is 401 and changes nothing', async () => {
    const { lead, seat, providerId } = await invitedLead();
    const body = { event: 'new_relation', account_id: seat.accountRef, account_type: 'LINKEDIN', user_provider_id: providerId };
    expect((await postJson('/webhooks/unipile', body)).status).toBe(401);
    expect((await postJson('/webhooks/unipile', body, { 'Unipile-Auth': 'wrong' })).status).toBe(401);
    expect((await db.system.linkedInInvitation.findFirstOrThrow({ where: { leadId: lead.id } })).state).toBe('pending');
    expect(await allSignals(lead.id)).toEqual([]);
  });

  it('LI-002: a message from the lead is a reply on channel linkedin; one the seat owner sent is not', async () => {
    const { lead, seat, providerId } = await invitedLead();
    const message = (id: string, from: string, text: string, extra: Record<string, unknown> = {}) => ({
      event: 'message_received',
      account_id: seat.accountRef,
      account_type: 'LINKEDIN',
      account_info: { type: 'LINKEDIN', user_id: 'ACoAAowner' },
      chat_id: 'chat-1',
      message_id: id,
      timestamp: '2026-11-20T10:00:00.000Z',
      message: text,
      sender: { attendee_id: 'att', attendee_name: 'X', attendee_provider_id: from },
      ...extra,
    });
    const own = await postJson('/webhooks/unipile', message('msg-own', 'ACoAAowner', 'Thanks for connecting'), {
      'Unipile-Auth': UNIPILE_SECRET,
    });
    expect(own.status).toBe(200);
    expect(await allSignals(lead.id)).toEqual([]);

    const reply = await postJson('/webhooks/unipile', message('msg-lead', providerId, 'Happy to chat'), { 'Unipile-Auth': UNIPILE_SECRET });
    expect(reply.status).toBe(200);
    const sigs = await replies(lead.id);
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({
      eventId: `message:${seat.accountRef}:msg-lead`,
      channel: 'linkedin',
      text: 'Happy to chat',
      at: '2026-11-20T10:00:00.000Z',
    });
  });

  it('SYS-008: account_status of an account that is not a seat is recorded only', async () => {
    const accountRef = `acc-${randomUUID().slice(0, 8)}`;
    const res = await postJson(
      '/webhooks/unipile',
      { AccountStatus: { account_id: accountRef, account_type: 'LINKEDIN', message: 'CREDENTIALS' } },
      { 'Unipile-Auth': UNIPILE_SECRET },
    );
    expect(res.status).toBe(200);
    expect(await recorded('unipile', `account_status:${accountRef}:CREDENTIALS`)).toHaveLength(1);
  });

  it('LI-006: a checkpointed account pauses its seat with a critical alert at once; back to OK restores it and resolves the alert', async () => {
    const seat = await db.system.linkedInSeat.create({ data: { accountRef: `acc-${randomUUID().slice(0, 8)}`, status: 'ready' } });
    const status = (message: string) =>
      postJson(
        '/webhooks/unipile',
        { AccountStatus: { account_id: seat.accountRef, account_type: 'LINKEDIN', message } },
        { 'Unipile-Auth': UNIPILE_SECRET },
      );
    expect((await status('CREDENTIALS')).status).toBe(200);
    expect(await db.system.linkedInSeat.findUniqueOrThrow({ where: { id: seat.id } })).toMatchObject({
      status: 'paused',
      health: 'checkpoint',
    });
    const open = await db.system.alert.findMany({ where: { dedupeKey: `seat:${seat.id}:restricted` } });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ severity: 'critical', kind: 'seat_restricted', resolvedAt: null });
    expect((await status('RECONNECTED')).status).toBe(200);
    expect(await db.system.linkedInSeat.findUniqueOrThrow({ where: { id: seat.id } })).toMatchObject({ status: 'ready', health: 'ok' });
    expect((await db.system.alert.findFirstOrThrow({ where: { dedupeKey: `seat:${seat.id}:restricted` } })).resolvedAt).not.toBeNull();
    expect((await status('ERROR')).status).toBe(200);
    expect(await db.system.linkedInSeat.findUniqueOrThrow({ where: { id: seat.id } })).toMatchObject({
      status: 'paused',
      health: 'restricted',
    });
  });
});

// ---- Inbound email ---------------------------------------------------------------------------

describe('Inbound email events', () => {
  async function leadWithEmailTouch() {
    const t = await tenantWithCampaign();
    const email = `Lead-${randomUUID().slice(0, 8)}@Example.com`;
    const lead = await makeLead(t, { email });
    const messageId = `<${randomBytes(12).toString('hex')}.agencyos@outreach-demo.test>`;
    const touch = await db.system.touch.create({
      data: {
        clientId: t.clientId,
        campaignId: t.campaignId,
        leadId: lead.id,
        step: 1,
        channel: 'email',
        status: 'sent',
        idempotencyKey: `test:${randomUUID()}`,
        provider: 'smtp',
        providerRef: messageId,
        outcome: { phase: 'done' },
      },
    });
    return { lead, email, messageId, touch };
  }
  const emailUrl = (secret = EMAIL_SECRET) => `/webhooks/email?secret=${encodeURIComponent(secret)}`;

  it('SYS-008: a hard bounce sets hardBouncedAt, suppresses the address, fails the touch and signals bounced once', async () => {
    const { lead, email, messageId, touch } = await leadWithEmailTouch();
    const id = `evt_${randomUUID()}`;
    const body = {
      event: 'email_bounced',
      event_id: id,
      timestamp: '2026-11-20T10:00:00Z',
      email,
      message_id: messageId,
      bounce_type: 'hard',
      bounce_code: '5.1.1',
    };

    expect((await postJson(emailUrl(), body)).status).toBe(200);
    expect((await postJson('/webhooks/email', body, { 'x-webhook-secret': EMAIL_SECRET })).status).toBe(200); // redelivery

    const after = await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } });
    expect(after.hardBouncedAt?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(after.optedOutAt).toBeNull();
    const sup = await db.system.suppression.findUniqueOrThrow({ where: { kind_value: { kind: 'email', value: email.toLowerCase() } } });
    expect(sup.reason).toBe('hard_bounce');
    expect((await db.system.touch.findUniqueOrThrow({ where: { id: touch.id } })).status).toBe('failed');
    const sigs = await signals(lead.id, 'bounced');
    expect(sigs).toEqual([{ eventId: id, at: '2026-11-20T10:00:00.000Z', hard: true }]);
  });

  it('SYS-008: a soft bounce signals bounced(hard: false) and suppresses nothing', async () => {
    const { lead, email, messageId } = await leadWithEmailTouch();
    const id = `evt_${randomUUID()}`;
    const res = await postJson(emailUrl(), {
      type: 'email_bounced',
      id,
      timestamp: '2026-11-20T10:00:00Z',
      email,
      messageId,
      bounceCode: '4.2.2',
    });
    expect(res.status).toBe(200);
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).hardBouncedAt).toBeNull();
    expect(await db.system.suppression.count({ where: { kind: 'email', value: email.toLowerCase() } })).toBe(0);
    expect(await signals(lead.id, 'bounced')).toMatchObject([{ eventId: id, hard: false }]);
  });

  it('SYS-008: a reply is found through In-Reply-To and stops the sequence (replyReceived, channel email)', async () => {
    const { lead, messageId } = await leadWithEmailTouch();
    const id = `evt_${randomUUID()}`;
    const res = await postJson(emailUrl(), {
      type: 'email_replied',
      id,
      timestamp: 1_795_000_000,
      from: 'Someone Else <other@example.org>',
      in_reply_to: messageId,
      message_id: '<reply-1@example.org>',
      reply_text: 'Interested, send details',
    });
    expect(res.status, await res.text()).toBe(200);
    const sigs = await replies(lead.id);
    expect(sigs).toHaveLength(1);
    expect(sigs[0]).toMatchObject({ eventId: id, channel: 'email', text: 'Interested, send details' });
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).repliedAt).toBeInstanceOf(Date);
  });

  it('SYS-008: without a thread, the contact address finds the lead; contact_unsubscribed opts it out', async () => {
    const { lead, email } = await leadWithEmailTouch();
    const id = `evt_${randomUUID()}`;
    const res = await postJson(emailUrl(), {
      type: 'contact_unsubscribed',
      id,
      timestamp: '2026-11-20T10:00:00Z',
      contact: { email: email.toUpperCase() },
    });
    expect(res.status).toBe(200);
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).optedOutAt).toBeInstanceOf(Date);
    expect(await signals(lead.id, 'optedOut')).toMatchObject([{ eventId: id, channel: 'email' }]);
    expect(await db.system.suppression.count({ where: { kind: 'email', value: email.toLowerCase() } })).toBe(1);
  });

  it('ED-004 RP-009: a spam complaint marks the touch (its domain complaint rate), suppresses the address and opts the lead out', async () => {
    const { lead, email, messageId, touch } = await leadWithEmailTouch();
    const id = `evt_${randomUUID()}`;
    const res = await postJson(emailUrl(), { type: 'spam_complaint', id, timestamp: '2026-11-20T10:00:00Z', email, messageId });
    expect(res.status).toBe(200);
    expect((await db.system.touch.findUniqueOrThrow({ where: { id: touch.id } })).outcome).toMatchObject({ complaint: { eventId: id } });
    expect(
      (await db.system.suppression.findUniqueOrThrow({ where: { kind_value: { kind: 'email', value: email.toLowerCase() } } })).reason,
    ).toBe('complaint');
    expect(await signals(lead.id, 'optedOut')).toMatchObject([{ eventId: id, channel: 'email', reason: 'spam_complaint' }]);
  });

  it('SYS-008: a wrong or missing secret is 401 and records nothing', async () => {
    const { lead, email } = await leadWithEmailTouch();
    const id = `evt_${randomUUID()}`;
    const body = { type: 'email_bounced', id, timestamp: '2026-11-20T10:00:00Z', email, bounceType: 'hard' };
    expect((await postJson(emailUrl('wrong'), body)).status).toBe(401);
    expect((await postJson('/webhooks/email', body)).status).toBe(401);
    expect(await recorded('email', id)).toHaveLength(0);
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).hardBouncedAt).toBeNull();
    expect(await allSignals(lead.id)).toEqual([]);
  });
});

// ---- No secrets configured -------------------------------------------------------------------

describe('unconfigured webhooks', () => {
  it('SYS-008: with no auth token or secret configured, every provider webhook refuses (401), even "signed" input', async () => {
    const bare = testConfig({ PUBLIC_BASE_URL: 'https://api.agency-os.test' });
    const bareApp = await buildTestApp(bare, { db, temporal, webhooks: 'providers' });
    try {
      const params = { MessageSid: twilioSid('SM'), AccountSid: ACCOUNT_SID, From: '+61400000009', To: '+61400000001', Body: 'STOP' };
      for (const token of ['', 'anything']) {
        const sms = await bareApp.inject({
          method: 'POST',
          url: '/webhooks/twilio/sms',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': computeTwilioSignature(token, 'https://api.agency-os.test/webhooks/twilio/sms', params),
          },
          payload: new URLSearchParams(params).toString(),
        });
        expect(sms.statusCode).toBe(401);
      }
      const vapiBody = JSON.stringify({ message: { type: 'status-update', status: 'ended', call: { id: 'c1' } } });
      expect(
        (
          await bareApp.inject({
            method: 'POST',
            url: '/webhooks/vapi',
            headers: { 'content-type': 'application/json', authorization: 'Bearer ' },
            payload: vapiBody,
          })
        ).statusCode,
      ).toBe(401);
      expect(
        (
          await bareApp.inject({
            method: 'POST',
            url: '/webhooks/unipile',
            headers: { 'content-type': 'application/json', 'unipile-auth': '' },
            payload: '{"AccountStatus":{"account_id":"a","message":"OK"}}',
          })
        ).statusCode,
      ).toBe(401);
      expect(
        (
          await bareApp.inject({
            method: 'POST',
            url: '/webhooks/email?secret=',
            headers: { 'content-type': 'application/json' },
            payload: '{"type":"email_sent","id":"x","timestamp":1795000000,"to":"a@b.co"}',
          })
        ).statusCode,
      ).toBe(401);
      expect(await recorded('twilio', params.MessageSid)).toHaveLength(0);
    } finally {
      await bareApp.close();
    }
  });
});
