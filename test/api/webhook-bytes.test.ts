/**
 * SYS-008: a signed webhook records whatever bytes it carries. A NUL (escaped \u0000, a raw 0x00
 * byte, a percent-encoded %00) or an unpaired UTF-16 surrogate anywhere in a signed body used to
 * make Postgres refuse the record (22P05) and the webhook answer 500 until the provider dropped
 * the event. Now, for every provider: answered 2xx, recorded once with the exact bytes (raw_body)
 * and a storable payload (NUL removed, lone surrogates replaced by U+FFFD), acted on once with
 * those sanitised values, and a repeat delivery is a no-op.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_SID,
  randomMobile,
  sign,
  twilioForm,
  twilioSid,
  webhookHarness,
  type WebhookHarness,
} from '../helpers/webhook-fixtures.js';
import { checkoutCompleted, stripeId } from '../helpers/stripe-events.js';
import { workflowIds } from '../../workflows/contracts.js';

let h: WebhookHarness;
beforeAll(async () => {
  h = await webhookHarness();
});
afterAll(async () => {
  await h.close();
});

const NO_LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every string and key in a JSON value. */
function texts(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => [k, ...texts(x)]);
}

/** The one row recorded for `eventId`: exact bytes kept, payload free of what Postgres refuses. */
async function recordedOnce(provider: string, eventId: string, rawBody: Buffer) {
  const rows = await h.recorded(provider, eventId, rawBody);
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  expect(row.eventId).toBe(eventId);
  expect(Buffer.from(row.rawBody!).equals(rawBody)).toBe(true);
  expect(texts(row.payload).filter((s) => s.includes('\u0000') || NO_LONE_SURROGATE.test(s))).toEqual([]);
  expect(row.processedAt).toBeInstanceOf(Date);
  return row;
}

describe('Twilio', () => {
  it('SYS-008 SM-003: an inbound SMS with %00, a raw NUL and a surrogate encoded in its text is a reply with the sanitised text, once', async () => {
    const t = await h.tenant();
    const phone = randomMobile();
    const lead = await h.lead(t, { phone });
    const sid = twilioSid();
    // %ED%A0%80 is U+D800 encoded as if it were a character: not UTF-8, so it decodes to U+FFFD.
    const raw = twilioForm({
      MessageSid: sid,
      AccountSid: ACCOUNT_SID,
      From: encodeURIComponent(phone),
      To: '%2B61400000001',
      Body: 'Sounds%20good%00%2C\u0000%20call%20me%ED%A0%80',
    });
    const delivery = sign.twilio('/webhooks/twilio/sms', raw);
    const res = await h.deliver(delivery);
    expect(res.statusCode, res.body).toBe(200);
    const again = await h.deliver(delivery);
    expect(again.json()).toEqual({ received: true, duplicate: true });

    const row = await recordedOnce('twilio', sid, delivery.rawBody);
    const text = `Sounds good, call me${new TextDecoder().decode(Uint8Array.from([0xed, 0xa0, 0x80]))}`;
    expect((row.payload as Record<string, string>).Body).toBe(text);
    const replies = await h.conversationMessages(lead.id);
    expect(replies.map((s) => s.payload)).toEqual([expect.objectContaining({ eventId: sid, channel: 'sms', text })]);
  });

  it('SYS-008 SM-003: "STOP" followed by a NUL is an opt-out (the NUL is not text), once', async () => {
    const t = await h.tenant();
    const phone = randomMobile();
    const lead = await h.lead(t, { phone });
    const sid = twilioSid();
    const delivery = sign.twilio(
      '/webhooks/twilio/sms',
      twilioForm({ MessageSid: sid, AccountSid: ACCOUNT_SID, From: encodeURIComponent(phone), To: '%2B61400000001', Body: 'STOP%00' }),
    );
    expect((await h.deliver(delivery)).statusCode).toBe(200);
    expect((await h.deliver(delivery)).statusCode).toBe(200);
    await recordedOnce('twilio', sid, delivery.rawBody);
    expect(await h.leadSignals(lead.id, 'optedOut')).toHaveLength(1);
    expect(await h.db.system.suppression.count({ where: { kind: 'phone', value: phone } })).toBe(1);
  });

  it('SYS-008: a status callback whose ErrorCode and ErrorMessage carry NULs marks the touch failed with the clean code, once', async () => {
    const t = await h.tenant();
    const lead = await h.lead(t, { phone: randomMobile(), workflow: false });
    const sid = twilioSid();
    const touch = await h.db.system.touch.create({
      data: {
        clientId: t.clientId,
        campaignId: t.campaignId,
        leadId: lead.id,
        step: 5,
        channel: 'sms',
        status: 'sent',
        idempotencyKey: `test:${sid}`,
        provider: 'twilio',
        providerRef: sid,
        outcome: { phase: 'done' },
      },
    });
    const delivery = sign.twilio(
      '/webhooks/twilio/status',
      twilioForm({
        MessageSid: sid,
        MessageStatus: 'undelivered',
        AccountSid: ACCOUNT_SID,
        To: encodeURIComponent(lead.phoneE164!),
        ErrorCode: '30003%00',
        ErrorMessage: 'Unreachable%00handset%ED%B0%80',
      }),
    );
    expect((await h.deliver(delivery)).statusCode).toBe(200);
    expect((await h.deliver(delivery)).json()).toEqual({ received: true, duplicate: true });
    await recordedOnce('twilio', `${sid}:undelivered`, delivery.rawBody);
    const row = await h.db.system.touch.findUniqueOrThrow({ where: { id: touch.id } });
    expect(row.status).toBe('failed');
    expect(row.outcome).toMatchObject({ delivery: { state: 'failed', status: 'undelivered', errorCode: '30003' } });
  });
});

describe('Vapi', () => {
  it('SYS-008 VO-002: an end-of-call report with \\u0000 and a lone surrogate in its transcript and summary signals callEnded once, sanitised', async () => {
    const t = await h.tenant();
    const lead = await h.lead(t, { phone: randomMobile() });
    const callId = `call-${lead.id.slice(0, 8)}`;
    const body = JSON.stringify({
      message: {
        type: 'end-of-call-report',
        endedReason: 'customer-busy',
        call: { id: callId, assistantOverrides: { metadata: { leadId: lead.id, clientId: t.clientId } } },
        durationSeconds: 9,
        artifact: { transcript: 'AI: Hello\u0000\nUser: busy\ud800', messages: [] },
        analysis: { summary: '\udc00short\u0000 call' },
      },
    });
    expect(body).toContain('\\u0000'); // JSON.stringify escapes both, as a provider would
    expect(body).toContain('\\ud800');
    const res = await h.deliver(sign.vapi(body));
    expect(res.statusCode, res.body).toBe(200);
    const again = await h.deliver(sign.vapi(body, { mode: 'bearer' }));
    expect(again.json()).toEqual({ received: true, duplicate: true });

    await recordedOnce('vapi', `end-of-call-report:${callId}`, Buffer.from(body));
    const ended = await h.leadSignals(lead.id, 'callEnded');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.payload).toMatchObject({
      callId,
      outcome: 'busy',
      transcript: 'AI: Hello\nUser: busy\uFFFD',
      summary: '\uFFFDshort call',
    });
  });
});

describe('Unipile', () => {
  it('SYS-008 LI-002: a LinkedIn message with \\u0000 and a lone surrogate is a reply with the sanitised text, once', async () => {
    const t = await h.tenant();
    const providerId = `ACoAA${lead8()}`;
    const lead = await h.lead(t, { linkedinProviderId: providerId });
    const seat = await h.db.system.linkedInSeat.create({ data: { accountRef: `acc-${lead8()}`, status: 'ready' } });
    await h.db.system.linkedInInvitation.create({
      data: { clientId: t.clientId, seatId: seat.id, leadId: lead.id, providerId, invitationRef: 'inv' },
    });
    const body = JSON.stringify({
      event: 'message_received',
      account_id: seat.accountRef,
      account_type: 'LINKEDIN',
      account_info: { type: 'LINKEDIN', user_id: 'ACoAAowner' },
      chat_id: 'chat-1',
      message_id: 'msg-nul',
      timestamp: '2026-11-20T10:00:00.000Z',
      message: 'Happy\u0000 to chat \udc00',
      sender: { attendee_id: 'att', attendee_name: 'Lead\u0000', attendee_provider_id: providerId },
    });
    expect((await h.deliver(sign.unipile(body))).statusCode).toBe(200);
    expect((await h.deliver(sign.unipile(body))).json()).toEqual({ received: true, duplicate: true });
    await recordedOnce('unipile', `message:${seat.accountRef}:msg-nul`, Buffer.from(body));
    const replies = await h.conversationMessages(lead.id);
    expect(replies.map((s) => s.payload)).toEqual([expect.objectContaining({ channel: 'linkedin', text: 'Happy to chat \uFFFD' })]);
  });
});

describe('inbound email', () => {
  it('SYS-008: a reply whose text has \\u0000, a raw NUL byte and a lone surrogate stops the sequence once with the sanitised text', async () => {
    const t = await h.tenant();
    const email = `nul-${lead8()}@example.com`;
    const lead = await h.lead(t, { email });
    const id = `evt_${lead8()}`;
    // A raw 0x00 byte inside a JSON string is not valid JSON: signed, it is read with the NUL removed.
    const body = Buffer.from(
      JSON.stringify({
        type: 'email_replied',
        id,
        timestamp: '2026-11-20T10:00:00Z',
        from: email,
        reply_text: 'Interested\u0000, send details\ud83d',
      }).replace('details', 'de\u0000tails'),
    );
    expect(body.includes(0)).toBe(true);
    const res = await h.deliver(sign.email(body));
    expect(res.statusCode, res.body).toBe(200);
    expect((await h.deliver(sign.email(body))).json()).toEqual({ received: true, duplicate: true });
    await recordedOnce('email', id, body);
    const replies = await h.conversationMessages(lead.id);
    expect(replies.map((s) => s.payload)).toEqual([
      expect.objectContaining({ eventId: id, channel: 'email', text: 'Interested, send details\uFFFD' }),
    ]);
  });
});

describe('Stripe', () => {
  it('SYS-008 SYS-005: a paid checkout with NULs and a lone surrogate in its fields is recorded once and signalled to provisioning once', async () => {
    const t = await h.tenant();
    const event = checkoutCompleted({
      clientId: t.clientId,
      tier: 'Velocity',
      priceId: 'price_velocity',
      customerId: stripeId('cus'),
      subscriptionId: stripeId('sub'),
      email: 'billing\u0000@client.example',
    });
    const session = event.data.object as Record<string, any>;
    session.customer_details.name = 'Acme\u0000 Pty \ud800Ltd';
    session.metadata.note = '\u0000\udfff';
    const body = JSON.stringify(event, null, 2);
    h.track(workflowIds.provisioning(t.clientId));

    const res = await h.deliver(sign.stripe(body));
    expect(res.statusCode, res.body).toBe(200);
    // Stripe's retry of the same event comes with a new signature: a no-op.
    const retry = await h.deliver(sign.stripe(body, { timestampSeconds: Math.floor(Date.now() / 1000) - 60 }));
    expect(retry.json()).toEqual({ received: true, duplicate: true });

    const row = await recordedOnce('stripe', event.id, Buffer.from(body));
    expect((row.payload as any).data.object.customer_details.name).toBe('Acme Pty \uFFFDLtd');
    const billing = await h.signals(workflowIds.provisioning(t.clientId), 'billingEvent');
    expect(billing.map((s) => s.payload)).toEqual([
      expect.objectContaining({ eventId: event.id, type: 'checkout_completed', tier: 'Velocity' }),
    ]);
  });
});

describe('what cannot be read', () => {
  it('SYS-008: a signed body nested too deep, not JSON, or failing the schema is 400, recorded once as invalid with its bytes, never acted on', async () => {
    const bodies = [
      `{"message":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
      'not json at all \u0000',
      JSON.stringify({ message: { type: 'end-of-call-report', call: { id: 'no-ended-reason\u0000' } } }),
    ];
    for (const body of bodies) {
      const delivery = sign.vapi(body);
      const first = await h.deliver(delivery);
      expect(first.statusCode, first.body).toBe(400);
      expect(first.json().message).toMatch(/recorded/);
      expect((await h.deliver(sign.vapi(body))).statusCode).toBe(400);
      const rows = await h.recorded('vapi', 'none', delivery.rawBody);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ type: 'invalid', processedAt: null });
      expect(Buffer.from(rows[0]!.rawBody!).equals(delivery.rawBody)).toBe(true);
      expect(rows[0]!.error).toBeTruthy();
    }
  });

  it('SYS-008: an event id far longer than any provider sends is recorded once under a shortened, hashed id (was 500: index row too large)', async () => {
    // Incompressible, so Postgres cannot fit it in the unique index (54000) if stored as is.
    const callId = `call-${randomBytes(3_000).toString('hex')}`;
    const body = JSON.stringify({ message: { type: 'status-update', status: 'ended', call: { id: callId } } });
    expect((await h.deliver(sign.vapi(body))).statusCode).toBe(200);
    expect((await h.deliver(sign.vapi(body))).json()).toEqual({ received: true, duplicate: true });
    const rows = await h.db.system.webhookEvent.findMany({
      where: { provider: 'vapi', eventId: { startsWith: `status-update:${callId.slice(0, 60)}` } },
    });
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]!.rawBody!).equals(Buffer.from(body))).toBe(true);
    expect(rows[0]!.eventId.length).toBeLessThanOrEqual(255);
  });
});

function lead8(): string {
  return Math.random().toString(36).slice(2, 10);
}
