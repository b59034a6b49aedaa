/**
 * Every provider as a local HTTP (or SMTP) fake speaking its wire format, and a ProviderSet of the
 * real adapters (real SDKs) pointed at them; plus a client provisioned with a mailbox, a number
 * and a LinkedIn seat that use them.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.js';
import type { ProviderSet } from '../../providers/ports.js';
import { sandboxProviders } from '../../app/providers.js';
import { createMemoryRecorder } from '../../providers/sandbox/index.js';
import { createSmtpEmailSender } from '../../providers/email/smtp.js';
import { createTwilioSmsSender } from '../../providers/twilio/sms.js';
import { createTwilioRecordingStore } from '../../providers/twilio/recordings.js';
import { createVapiVoiceCaller } from '../../providers/vapi/calls.js';
import { createVapiKnowledgeBase } from '../../providers/vapi/knowledge-base.js';
import { createUnipileLinkedInClient } from '../../providers/unipile/client.js';
import { createDncrRegister } from '../../providers/dncr/soap.js';
import { createSmtpFake } from '../fakes/smtp-fake.js';
import { TwilioFake } from '../fakes/twilio-fake.js';
import { VapiFake } from '../fakes/vapi-fake.js';
import { createUnipileFake } from '../fakes/unipile-fake.js';
import { createDncrFake } from '../fakes/dncr-fake.js';

export const SMTP_USER = 'sender@outreach-demo.test';
export const SMTP_PASS = 'smtp-secret';
export const TWILIO_SID = `AC${'0'.repeat(32)}`;
export const TWILIO_TOKEN = 'twilio-test-token';
export const VAPI_KEY = 'vapi-test-key';
export const UNIPILE_KEY = 'unipile-test-key';

export async function startProviderFakes() {
  const smtp = createSmtpFake({ users: { [SMTP_USER]: SMTP_PASS } });
  const twilio = new TwilioFake({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN });
  const vapi = new VapiFake({ apiKey: VAPI_KEY } as never);
  const unipile = createUnipileFake({ apiKey: UNIPILE_KEY });
  const dncr = createDncrFake();
  const [smtpAddr, twilioAddr, vapiAddr, unipileAddr, dncrAddr] = await Promise.all([
    smtp.start(),
    twilio.start(),
    vapi.start(),
    unipile.start(),
    dncr.start(),
  ]);
  // Every channel real against its fake; the pool (not used by the sequences) sandboxed.
  const providers: ProviderSet = sandboxProviders(createMemoryRecorder(), {
    email: createSmtpEmailSender(),
    sms: createTwilioSmsSender({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, baseUrl: twilioAddr.baseUrl }),
    recordings: createTwilioRecordingStore({ accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, baseUrl: twilioAddr.baseUrl }),
    voice: createVapiVoiceCaller({ apiKey: VAPI_KEY, baseUrl: vapiAddr.baseUrl }),
    voiceKnowledgeBase: createVapiKnowledgeBase({ apiKey: VAPI_KEY, baseUrl: vapiAddr.baseUrl }),
    linkedin: createUnipileLinkedInClient({ dsn: unipileAddr.baseUrl, apiKey: UNIPILE_KEY }),
    dncr: createDncrRegister({ endpoint: dncrAddr.baseUrl, telemarketerId: '1234', password: 'pw', pollIntervalMs: 10 }),
  });
  return {
    smtp,
    smtpAddr,
    twilio,
    vapi,
    unipile,
    dncr,
    providers,
    async stop() {
      await Promise.all([smtp.stop(), twilio.stop(), vapi.stop(), unipile.stop(), dncr.stop()]);
    },
  };
}
export type ProviderFakes = Awaited<ReturnType<typeof startProviderFakes>>;

const DAY = 86_400_000;

/** Gives a client a warmed domain with one SMTP mailbox, one phone number and one LinkedIn seat. */
export async function provisionClientResources(
  db: Db,
  clientId: string,
  fakes: ProviderFakes,
  opts: { seatZone?: string; mailboxes?: number } = {},
) {
  const tag = randomUUID().slice(0, 8);
  const domain = await db.system.domain.create({
    data: {
      name: `outreach-${tag}.test`,
      status: 'ready',
      heatScore: 92,
      purchasedAt: new Date(Date.now() - 40 * DAY),
      readyAt: new Date(Date.now() - 15 * DAY),
    },
  });
  const mailboxes = [];
  for (let i = 0; i < (opts.mailboxes ?? 1); i++) {
    const m = await db.system.mailbox.create({
      data: {
        domainId: domain.id,
        email: `sender${i}-${tag}@outreach-${tag}.test`,
        status: 'ready',
        // Day 41 of its domain: the warmup ramp's last step (ED-001), as warmup:{domainId} left it.
        dailyLimit: 50,
        senderName: 'Sam Sender',
        smtp: { host: fakes.smtpAddr.host, port: fakes.smtpAddr.port, secure: false, user: SMTP_USER, pass: SMTP_PASS },
      },
    });
    mailboxes.push(m);
    await db.system.resourceAllocation.create({ data: { clientId, resourceType: 'mailbox', resourceId: m.id } });
  }
  const number = await db.system.phoneNumber.create({
    data: {
      e164: `+6128${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      country: 'AU',
      status: 'ready',
      voiceRef: `vapi-phone-${tag}`,
    },
  });
  await db.system.resourceAllocation.create({ data: { clientId, resourceType: 'phone_number', resourceId: number.id } });
  const seat = await db.system.linkedInSeat.create({
    data: {
      accountRef: `acc-${tag}`,
      timezone: opts.seatZone ?? 'Australia/Sydney',
      status: 'ready',
      createdAt: new Date(Date.now() - 60 * DAY),
    },
  });
  await db.system.resourceAllocation.create({ data: { clientId, resourceType: 'linkedin_seat', resourceId: seat.id } });
  return { domain, mailboxes, mailbox: mailboxes[0]!, number, seat };
}
