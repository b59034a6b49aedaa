/**
 * What the webhook tests share (SYS-008): an app with every provider webhook, configured with
 * known secrets and a fixed public URL (Twilio signs it); tenants and leads; and the workflow
 * stand-in: a `lead:{leadId}` execution on a task queue no worker polls, so every signal sent to
 * it lands in its history, where it is counted and decoded. Each provider's way of signing a
 * delivery is here too, computed as the provider does (SDK helpers where there is one).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { buildTestApp } from './app.js';
import { createTestTenant, temporalClient, testConfig, testDb } from './context.js';
import { signStripe, STRIPE_TEST_WEBHOOK_SECRET } from './stripe-events.js';
import { parseTwilioForm, signTwilioRequest } from '../../providers/twilio/webhooks.js';
import { signVapiHmac } from '../../providers/vapi/webhooks.js';
import { workflowIds } from '../../workflows/contracts.js';
import type { Db } from '../../db/client.js';

export const PUBLIC_URL = 'https://hooks.agency-os.test';
/** Secrets as strong as the configuration demands of live ones (32+ characters). */
export const SECRETS = {
  twilio: 'twilio-abuse-token-0123456789abcdefgh',
  vapi: 'vapi-abuse-secret-0123456789abcdefghij',
  unipile: 'unipile-abuse-secret-0123456789abcdefg',
  email: 'email-abuse-secret-0123456789abcdefghi',
  stripe: STRIPE_TEST_WEBHOOK_SECRET,
};
export const ACCOUNT_SID = `AC${'7'.repeat(32)}`;

export type Delivery = InjectOptions & { rawBody: Buffer };

/** How each provider signs `rawBody` (and what it sends with it). */
export const sign = {
  twilio(path: string, rawBody: string | Buffer, token = SECRETS.twilio): Delivery {
    const raw = Buffer.from(rawBody);
    const signature = signTwilioRequest(token, `${PUBLIC_URL}${path}`, parseTwilioForm(raw));
    return {
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      payload: raw,
      rawBody: raw,
    };
  },
  vapi(rawBody: string | Buffer, opts: { secret?: string; timestampMs?: number; mode?: 'hmac' | 'bearer' } = {}): Delivery {
    const raw = Buffer.from(rawBody);
    const secret = opts.secret ?? SECRETS.vapi;
    const ts = String(opts.timestampMs ?? Date.now());
    const headers: Record<string, string> =
      opts.mode === 'bearer' ? { authorization: `Bearer ${secret}` } : { 'x-signature': signVapiHmac(secret, raw, ts), 'x-timestamp': ts };
    return {
      method: 'POST',
      url: '/webhooks/vapi',
      headers: { 'content-type': 'application/json', ...headers },
      payload: raw,
      rawBody: raw,
    };
  },
  unipile(rawBody: string | Buffer, secret = SECRETS.unipile): Delivery {
    const raw = Buffer.from(rawBody);
    return {
      method: 'POST',
      url: '/webhooks/unipile',
      headers: { 'content-type': 'application/json', 'unipile-auth': secret },
      payload: raw,
      rawBody: raw,
    };
  },
  email(rawBody: string | Buffer, secret = SECRETS.email): Delivery {
    const raw = Buffer.from(rawBody);
    return {
      method: 'POST',
      url: `/webhooks/email?secret=${encodeURIComponent(secret)}`,
      headers: { 'content-type': 'application/json' },
      payload: raw,
      rawBody: raw,
    };
  },
  stripe(rawBody: string | Buffer, opts: { secret?: string; timestampSeconds?: number } = {}): Delivery {
    const raw = Buffer.from(rawBody);
    const header = signStripe(raw.toString('utf8'), opts.secret ?? SECRETS.stripe, opts.timestampSeconds);
    return {
      method: 'POST',
      url: '/webhooks/stripe',
      headers: { 'content-type': 'application/json', 'stripe-signature': header },
      payload: raw,
      rawBody: raw,
    };
  },
};

/** A form body as Twilio posts it, the values given already percent-encoded where they must be. */
export const twilioForm = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');

export const twilioSid = (prefix: 'SM' | 'MM' = 'SM') => `${prefix}${randomBytes(16).toString('hex')}`;
/** A random valid Australian mobile in E.164 (about one in ten +614 numbers is in an unallocated range). */
export function randomMobile(): string {
  for (;;) {
    const n = `+614${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    if (parsePhoneNumberFromString(n)?.isValid()) return n;
  }
}

export async function webhookHarness(): Promise<WebhookHarness> {
  const config = testConfig({
    PUBLIC_BASE_URL: PUBLIC_URL,
    TWILIO_AUTH_TOKEN: SECRETS.twilio,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    VAPI_WEBHOOK_SECRET: SECRETS.vapi,
    UNIPILE_WEBHOOK_SECRET: SECRETS.unipile,
    STRIPE_WEBHOOK_SECRET: SECRETS.stripe,
    // Live Twilio credentials (webhook signatures) but nothing is sent here.
    AU_CALLS_AND_SMS: 'off',
    EMAIL_DELIVERY: 'sandbox',
  });
  const db = testDb(config);
  const temporal = await temporalClient();
  const app = await buildTestApp(config, { db, temporal, webhooks: 'providers', webhookOptions: { inboundEmailSecret: SECRETS.email } });
  return new WebhookHarness(db, temporal, app);
}

export class WebhookHarness {
  private readonly queue = `no-worker-${randomUUID()}`;
  private readonly started: WorkflowHandle[] = [];
  private row = 0;
  constructor(
    readonly db: Db,
    readonly temporal: Client,
    readonly app: FastifyInstance,
  ) {}

  async close(): Promise<void> {
    await Promise.all(this.started.map((h) => h.terminate('test done').catch(() => undefined)));
    await this.app.close();
    await this.temporal.connection.close();
    await this.db.close();
  }

  deliver(d: Delivery) {
    const { rawBody: _raw, ...opts } = d;
    return this.app.inject(opts);
  }

  async tenant() {
    const { client, apiKey } = await createTestTenant(this.db, 'Webhook abuse client');
    const campaign = await this.db.system.campaign.create({ data: { clientId: client.id, name: 'hooks', icp: {} } });
    return { clientId: client.id, campaignId: campaign.id, apiKey };
  }

  /** A lead in sequence; with `workflow` (default) its stand-in lead:{id} execution collects signals. */
  async lead(
    t: { clientId: string; campaignId: string },
    o: { phone?: string; email?: string; linkedinProviderId?: string; workflow?: boolean } = {},
  ) {
    const id = randomUUID();
    const lead = await this.db.system.lead.create({
      data: {
        id,
        clientId: t.clientId,
        campaignId: t.campaignId,
        sourceRow: ++this.row,
        email: o.email ?? `lead-${id.slice(0, 8)}@example.com`,
        phoneE164: o.phone ?? null,
        linkedinProviderId: o.linkedinProviderId ?? null,
        status: 'in_sequence',
        sequenceWorkflowId: workflowIds.lead(id),
        sequenceStartedAt: new Date(),
      },
    });
    if (o.workflow ?? true) {
      this.started.push(
        await this.temporal.workflow.start('leadSequenceWorkflow', {
          workflowId: workflowIds.lead(id),
          taskQueue: this.queue,
          args: [{ version: 1, clientId: t.clientId, campaignId: t.campaignId, leadId: id }],
        }),
      );
    }
    return lead;
  }

  /** Signals of `name` delivered to the workflow `workflowId`, decoded. */
  async signals(workflowId: string, name?: string): Promise<{ name: string; payload: Record<string, unknown> }[]> {
    const history = await this.temporal.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap((e) => {
      const a = e.workflowExecutionSignaledEventAttributes;
      if (!a || (name && a.signalName !== name)) return [];
      return [{ name: a.signalName!, payload: defaultPayloadConverter.fromPayload(a.input!.payloads![0]!) as Record<string, unknown> }];
    });
  }

  leadSignals(leadId: string, name?: string) {
    return this.signals(workflowIds.lead(leadId), name);
  }

  /** The messages a webhook handed to conversation:{leadId} (which holds the sequence); none when it never started. */
  async conversationMessages(leadId: string) {
    try {
      return await this.signals(workflowIds.conversation(leadId), 'inboundMessage');
    } catch (err) {
      if ((err as Error).name === 'WorkflowNotFoundError' || (err as { code?: number }).code === 5) return [];
      throw err;
    }
  }

  /** A workflow this test started through a signalWithStart (provisioning), terminated at the end. */
  track(workflowId: string): void {
    this.started.push(this.temporal.workflow.getHandle(workflowId));
  }

  /** The rows recorded for this delivery: under its event id, or as an invalid delivery of these bytes. */
  recorded(provider: string, eventId: string, rawBody?: Buffer) {
    const ids = [eventId, ...(rawBody ? [`invalid:${createHash('sha256').update(rawBody).digest('hex')}`] : [])];
    return this.db.system.webhookEvent.findMany({ where: { provider, eventId: { in: ids } } });
  }
}
