/**
 * The webhook benchmark's baseline (its own process): a bare Fastify route that does only what a
 * webhook cannot skip, verifying Twilio's signature over the same URL and form, then signalling the
 * lead's workflow; the lead of each number is known from a map in memory. No database, no logging.
 * Prints "listening <url>".
 *   env: PORT, PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN, TEMPORAL_ADDRESS, BENCH_LEADS_FILE (JSON [[e164, leadId], ...])
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { Client, Connection } from '@temporalio/client';
import { parseTwilioForm, verifyTwilioWebhookRequest } from '../../providers/twilio/webhooks.js';
import { SIGNAL_NAMES, workflowIds } from '../../domain/processes.js';
import { TWILIO_SMS_PATH } from '../../api/webhooks/providers/twilio.js';

const env = process.env as Record<string, string>;
const leads = new Map<string, string>(JSON.parse(readFileSync(env.BENCH_LEADS_FILE!, 'utf8')));
const client = new Client({ connection: await Connection.connect({ address: env.TEMPORAL_ADDRESS! }) });
const app = Fastify();
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.post(TWILIO_SMS_PATH, async (req, reply) => {
  const rawBody = req.body as Buffer;
  const url = `${env.PUBLIC_BASE_URL}${req.url}`;
  if (!verifyTwilioWebhookRequest({ authToken: env.TWILIO_AUTH_TOKEN!, url, rawBody, headers: req.headers })) {
    return reply.status(401).send({ error: 'invalid_signature' });
  }
  const sms = parseTwilioForm(rawBody);
  const leadId = leads.get(String(sms.From));
  if (leadId) {
    const reply = { eventId: String(sms.MessageSid), at: new Date().toISOString(), channel: 'sms', text: String(sms.Body ?? '') };
    await client.workflow.getHandle(workflowIds.lead(leadId)).signal(SIGNAL_NAMES.replyReceived, reply);
  }
  return reply.status(200).send({ received: true });
});
console.log(`listening ${await app.listen({ host: '127.0.0.1', port: Number(env.PORT) })}`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
