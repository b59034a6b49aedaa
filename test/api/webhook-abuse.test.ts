/**
 * Webhook abuse, per provider (SYS-008, SYS-005): unsigned, wrongly signed, altered after
 * signing, stale and future-dated (where the scheme has a timestamp: Stripe, Vapi's HMAC),
 * NUL-bearing without a valid signature: 401, nothing recorded, nothing acted on. Valid ones,
 * replayed and reordered: recorded exactly once each, acted on once each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_SID,
  SECRETS,
  randomMobile,
  sign,
  twilioForm,
  twilioSid,
  webhookHarness,
  type Delivery,
  type WebhookHarness,
} from '../helpers/webhook-fixtures.js';
import { checkoutCompleted, invoiceObject, stripeEvent, stripeId, subscriptionObject } from '../helpers/stripe-events.js';
import { workflowIds } from '../../workflows/contracts.js';

let h: WebhookHarness;
beforeAll(async () => {
  h = await webhookHarness();
});
afterAll(async () => {
  await h.close();
});

const nowS = () => Math.floor(Date.now() / 1000);
const rnd = () => Math.random().toString(36).slice(2, 10);

/** Each delivery is refused 401 and leaves no row (under the event id or as invalid bytes). */
async function refused(provider: string, eventId: string, deliveries: Delivery[]) {
  for (const d of deliveries) {
    const res = await h.deliver(d);
    expect(res.statusCode, `${d.url} ${JSON.stringify(d.headers)}`).toBe(401);
    expect(await h.recorded(provider, eventId, d.rawBody)).toEqual([]);
  }
}

describe('Twilio (no timestamp in the scheme)', () => {
  it('SYS-008: unsigned, wrong token, another URL, altered, NUL-bearing unsigned: 401, nothing recorded or signalled', async () => {
    const phone = randomMobile();
    const lead = await h.lead(await h.tenant(), { phone });
    const sid = twilioSid();
    const fields = { MessageSid: sid, AccountSid: ACCOUNT_SID, From: encodeURIComponent(phone), To: '%2B61400000001', Body: 'STOP' };
    const good = sign.twilio('/webhooks/twilio/sms', twilioForm(fields));
    const altered = {
      ...good,
      payload: twilioForm({ ...fields, Body: 'STOP%00' }),
      rawBody: Buffer.from(twilioForm({ ...fields, Body: 'STOP%00' })),
    };
    const otherUrl = sign.twilio('/webhooks/twilio/status', twilioForm(fields));
    await refused('twilio', sid, [
      { ...good, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      sign.twilio('/webhooks/twilio/sms', twilioForm(fields), 'not-our-token'),
      { ...otherUrl, url: '/webhooks/twilio/sms' },
      altered,
      { ...sign.twilio('/webhooks/twilio/sms', twilioForm({ ...fields, Body: 'a%00b' }), 'wrong'), url: '/webhooks/twilio/sms' },
    ]);
    expect(await h.leadSignals(lead.id)).toEqual([]);
    expect(await h.db.system.suppression.count({ where: { kind: 'phone', value: phone } })).toBe(0);
  });

  it('SYS-008: a replayed message is recorded once and acted on once; status callbacks out of order end on the final state, each once', async () => {
    const t = await h.tenant();
    const phone = randomMobile();
    const lead = await h.lead(t, { phone });
    const sid = twilioSid();
    const reply = sign.twilio(
      '/webhooks/twilio/sms',
      twilioForm({ MessageSid: sid, AccountSid: ACCOUNT_SID, From: encodeURIComponent(phone), To: '%2B61400000001', Body: 'Call%20me' }),
    );
    for (let i = 0; i < 3; i++) expect((await h.deliver(reply)).statusCode).toBe(200);
    expect(await h.recorded('twilio', sid)).toHaveLength(1);
    expect(await h.conversationMessages(lead.id)).toHaveLength(1);

    const out = twilioSid();
    const touch = await h.db.system.touch.create({
      data: {
        clientId: t.clientId,
        campaignId: t.campaignId,
        leadId: lead.id,
        step: 5,
        channel: 'sms',
        status: 'sent',
        idempotencyKey: `test:${out}`,
        provider: 'twilio',
        providerRef: out,
        outcome: { phase: 'done' },
      },
    });
    const status = (s: string) =>
      sign.twilio(
        '/webhooks/twilio/status',
        twilioForm({ MessageSid: out, MessageStatus: s, AccountSid: ACCOUNT_SID, To: encodeURIComponent(phone) }),
      );
    for (const s of ['delivered', 'sent', 'queued', 'delivered', 'sent']) expect((await h.deliver(status(s))).statusCode).toBe(200);
    for (const s of ['delivered', 'sent', 'queued']) expect(await h.recorded('twilio', `${out}:${s}`)).toHaveLength(1);
    expect((await h.db.system.touch.findUniqueOrThrow({ where: { id: touch.id } })).status).toBe('delivered');
  });
});

describe('Vapi (HMAC with a timestamp, or a bearer secret)', () => {
  const report = (leadId: string, clientId: string, callId: string) =>
    JSON.stringify({
      message: {
        type: 'end-of-call-report',
        endedReason: 'customer-ended-call',
        call: { id: callId, assistantOverrides: { metadata: { leadId, clientId } } },
        artifact: { transcript: 'hi' },
      },
    });

  it('SYS-008: unsigned, wrong secret, wrong bearer, altered, stale and future-dated (6 minutes either way): 401, nothing recorded', async () => {
    const t = await h.tenant();
    const lead = await h.lead(t, { phone: randomMobile() });
    const callId = `call-${rnd()}`;
    const body = report(lead.id, t.clientId, callId);
    const good = sign.vapi(body);
    await refused('vapi', `end-of-call-report:${callId}`, [
      { ...good, headers: { 'content-type': 'application/json' } },
      sign.vapi(body, { secret: 'wrong' }),
      sign.vapi(body, { secret: 'wrong', mode: 'bearer' }),
      { ...good, payload: body.replace('hi', 'hi\\u0000'), rawBody: Buffer.from(body.replace('hi', 'hi\\u0000')) },
      sign.vapi(body, { timestampMs: Date.now() - 6 * 60_000 }),
      sign.vapi(body, { timestampMs: Date.now() + 6 * 60_000 }),
    ]);
    expect(await h.leadSignals(lead.id)).toEqual([]);
    // Within the tolerance (clocks differ a little) it is accepted.
    expect((await h.deliver(sign.vapi(body, { timestampMs: Date.now() + 4 * 60_000 }))).statusCode).toBe(200);
    expect(await h.leadSignals(lead.id, 'callEnded')).toHaveLength(1);
  });

  it('SYS-008: replayed and reordered server messages are recorded once each; the call ends once', async () => {
    const t = await h.tenant();
    const lead = await h.lead(t, { phone: randomMobile() });
    const callId = `call-${rnd()}`;
    const inProgress = JSON.stringify({ message: { type: 'status-update', status: 'in-progress', call: { id: callId } } });
    for (const body of [report(lead.id, t.clientId, callId), inProgress, report(lead.id, t.clientId, callId), inProgress]) {
      expect((await h.deliver(sign.vapi(body))).statusCode).toBe(200);
    }
    expect(await h.recorded('vapi', `end-of-call-report:${callId}`)).toHaveLength(1);
    expect(await h.recorded('vapi', `status-update:${callId}:in-progress`)).toHaveLength(1);
    expect(await h.leadSignals(lead.id, 'callEnded')).toHaveLength(1);
  });
});

describe('Unipile (a secret header)', () => {
  it('SYS-008: missing, wrong, repeated or NUL-suffixed secret header: 401, nothing recorded', async () => {
    const accountRef = `acc-${rnd()}`;
    const body = JSON.stringify({ AccountStatus: { account_id: accountRef, account_type: 'LINKEDIN', message: 'OK\u0000' } });
    const good = sign.unipile(body);
    await refused('unipile', `account_status:${accountRef}:OK`, [
      { ...good, headers: { 'content-type': 'application/json' } },
      sign.unipile(body, 'wrong'),
      { ...good, headers: { 'content-type': 'application/json', 'unipile-auth': [SECRETS.unipile, SECRETS.unipile] } },
      sign.unipile(body, `${SECRETS.unipile}\u0000`),
    ]);
  });

  it('LI-002 SYS-008: a reply before the acceptance and both replayed: each recorded once, each acted on once', async () => {
    const t = await h.tenant();
    const providerId = `ACoAA${rnd()}`;
    const lead = await h.lead(t, { linkedinProviderId: providerId });
    const seat = await h.db.system.linkedInSeat.create({ data: { accountRef: `acc-${rnd()}`, status: 'ready' } });
    await h.db.system.linkedInInvitation.create({
      data: { clientId: t.clientId, seatId: seat.id, leadId: lead.id, providerId, invitationRef: 'inv' },
    });
    const message = JSON.stringify({
      event: 'message_received',
      account_id: seat.accountRef,
      account_type: 'LINKEDIN',
      account_info: { type: 'LINKEDIN', user_id: 'ACoAAowner' },
      chat_id: 'chat',
      message_id: 'm1',
      timestamp: '2026-11-20T10:00:00.000Z',
      message: 'Hi',
      sender: { attendee_id: 'a', attendee_name: 'L', attendee_provider_id: providerId },
    });
    const accepted = JSON.stringify({
      event: 'new_relation',
      account_id: seat.accountRef,
      account_type: 'LINKEDIN',
      user_provider_id: providerId,
    });
    for (const body of [message, accepted, message, accepted]) expect((await h.deliver(sign.unipile(body))).statusCode).toBe(200);
    expect(await h.recorded('unipile', `message:${seat.accountRef}:m1`)).toHaveLength(1);
    expect(await h.recorded('unipile', `new_relation:${seat.accountRef}:${providerId}`)).toHaveLength(1);
    expect(await h.conversationMessages(lead.id)).toHaveLength(1);
    expect(await h.leadSignals(lead.id, 'linkedinAccepted')).toHaveLength(1);
  });
});

describe('inbound email (a URL secret)', () => {
  it('SYS-008: missing, wrong, or NUL-suffixed secret: 401, nothing recorded; a bounce before the reply, both replayed: once each', async () => {
    const email = `abuse-${rnd()}@example.com`;
    const lead = await h.lead(await h.tenant(), { email });
    const reply = JSON.stringify({
      type: 'email_replied',
      id: `evt_r_${rnd()}`,
      timestamp: '2026-11-20T10:00:00Z',
      from: email,
      reply_text: 'yes',
    });
    const good = sign.email(reply);
    await refused('email', JSON.parse(reply).id, [
      { ...good, url: '/webhooks/email' },
      sign.email(reply, 'wrong'),
      { ...good, url: `/webhooks/email?secret=${SECRETS.email}%00` },
      { ...good, url: `/webhooks/email?token=${SECRETS.email}` },
    ]);
    expect(await h.leadSignals(lead.id)).toEqual([]);

    const bounce = JSON.stringify({
      type: 'email_bounced',
      id: `evt_b_${rnd()}`,
      timestamp: '2026-11-20T09:00:00Z',
      email,
      bounceType: 'soft',
    });
    for (const body of [bounce, reply, bounce, reply]) expect((await h.deliver(sign.email(body))).statusCode).toBe(200);
    expect(await h.recorded('email', JSON.parse(reply).id)).toHaveLength(1);
    expect(await h.recorded('email', JSON.parse(bounce).id)).toHaveLength(1);
    expect(await h.conversationMessages(lead.id)).toHaveLength(1);
    expect(await h.leadSignals(lead.id, 'bounced')).toHaveLength(1);
  });
});

describe('Stripe (t=timestamp, 5-minute tolerance)', () => {
  const checkout = (clientId: string) =>
    checkoutCompleted({
      clientId,
      tier: 'Ignition',
      priceId: 'price_ignition',
      customerId: stripeId('cus'),
      subscriptionId: stripeId('sub'),
    });

  it('SYS-005 SYS-008: unsigned, wrong secret, altered, stale, and future-dated beyond 5 minutes: 401, nothing recorded or signalled', async () => {
    const t = await h.tenant();
    const event = checkout(t.clientId);
    const body = JSON.stringify(event);
    h.track(workflowIds.provisioning(t.clientId));
    const good = sign.stripe(body);
    await refused('stripe', event.id, [
      { ...good, headers: { 'content-type': 'application/json' } },
      sign.stripe(body, { secret: 'whsec_wrong' }),
      { ...good, payload: body.replace('Ignition', 'Dominance'), rawBody: Buffer.from(body.replace('Ignition', 'Dominance')) },
      // Well beyond the 5-minute tolerance either way, so a slow machine between signing and
      // delivering cannot bring them back inside it.
      sign.stripe(body, { timestampSeconds: nowS() - 900 }),
      sign.stripe(body, { timestampSeconds: nowS() + 900 }),
      sign.stripe(body, { timestampSeconds: nowS() + 86_400 * 365 }),
      // The SDK reads the last t=: a future one cannot hide behind a current one.
      {
        ...good,
        headers: {
          ...good.headers,
          'stripe-signature': `t=${nowS()},${sign.stripe(body, { timestampSeconds: nowS() + 3600 }).headers!['stripe-signature']}`,
        },
      },
    ]);
    await expect(h.signals(workflowIds.provisioning(t.clientId))).rejects.toThrow(); // never started
    // A little ahead (clock skew within the tolerance) is accepted, once.
    expect((await h.deliver(sign.stripe(body, { timestampSeconds: nowS() + 240 }))).statusCode).toBe(200);
    expect((await h.deliver(sign.stripe(body))).json()).toEqual({ received: true, duplicate: true });
    expect(await h.recorded('stripe', event.id)).toHaveLength(1);
    expect(await h.signals(workflowIds.provisioning(t.clientId), 'billingEvent')).toHaveLength(1);
  });

  it('SYS-005 SYS-008: out of order (invoice, then checkout) and replayed with fresh signatures: each recorded once and signalled once', async () => {
    const t = await h.tenant();
    const completed = checkout(t.clientId);
    const session = completed.data.object as unknown as { customer: string; subscription: string };
    const paid = stripeEvent(
      'invoice.paid',
      invoiceObject({
        id: stripeId('in'),
        customerId: session.customer,
        subscriptionId: session.subscription,
        clientId: t.clientId,
        paid: true,
        periodEnd: '2027-01-01T00:00:00Z',
        priceId: 'price_ignition',
      }),
    );
    h.track(workflowIds.provisioning(t.clientId));
    for (const e of [paid, completed, paid, completed]) expect((await h.deliver(sign.stripe(JSON.stringify(e)))).statusCode).toBe(200);
    expect(await h.recorded('stripe', paid.id)).toHaveLength(1);
    expect(await h.recorded('stripe', completed.id)).toHaveLength(1);
    const signalled = await h.signals(workflowIds.provisioning(t.clientId), 'billingEvent');
    expect(signalled.map((s) => s.payload.eventId)).toEqual([paid.id, completed.id]);
  });

  it('SYS-005 SYS-008: an event whose client is not known yet is recorded and answered 409 (not 500) until it is; then acted on once', async () => {
    const t = await h.tenant();
    const subId = stripeId('sub');
    const cus = stripeId('cus');
    const updated = stripeEvent(
      'customer.subscription.updated',
      subscriptionObject({
        id: subId,
        customerId: cus,
        priceId: 'price_ignition',
        status: 'active',
        periodEnd: '2027-01-01T00:00:00Z',
        metadata: {},
      }),
    );
    const body = JSON.stringify(updated);
    const early = await h.deliver(sign.stripe(body));
    expect(early.statusCode, early.body).toBe(409);
    expect((await h.deliver(sign.stripe(body))).statusCode).toBe(409);
    const rows = await h.recorded('stripe', updated.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ processedAt: null, error: expect.stringMatching(/no known client/) });

    // Provisioning records the subscription (its checkout arrived): the redelivery is acted on.
    await h.db.system.subscription.create({
      data: { clientId: t.clientId, stripeSubscriptionId: subId, stripeCustomerId: cus, status: 'incomplete' },
    });
    h.track(workflowIds.provisioning(t.clientId));
    expect((await h.deliver(sign.stripe(body))).statusCode).toBe(200);
    expect((await h.deliver(sign.stripe(body))).json()).toEqual({ received: true, duplicate: true });
    expect(await h.recorded('stripe', updated.id)).toHaveLength(1);
    expect(await h.signals(workflowIds.provisioning(t.clientId), 'billingEvent')).toHaveLength(1);
  });
});
