/**
 * Webhook plumbing (SYS-008), shared by every provider:
 *   raw body kept -> signature verified (401 and nothing recorded when it fails)
 *   -> payload parsed with zod (400 with what is wrong)
 *   -> recorded once in webhook_events, unique on (provider, event id)
 *   -> dispatched (a signal or signalWithStart) -> marked processed.
 * A repeat delivery of a processed event answers 200 and does nothing. A delivery whose
 * dispatch failed answers 500, so the provider retries, and the retry dispatches it: no event
 * is lost and none is acted on twice.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { WebhookEvents } from '../../services/webhook-events.js';
import { HttpError } from '../errors.js';

export interface WebhookRequest {
  rawBody: Buffer;
  headers: FastifyRequest['headers'];
  /** The full URL the provider called (some signatures cover it, e.g. Twilio's). */
  url: string;
}

export interface ParsedWebhookEvent<P = unknown> {
  eventId: string;
  type: string;
  clientId?: string;
  payload: P;
}

export interface WebhookProvider<P = unknown> {
  provider: string;
  path: string;
  /** True when the request carries a valid signature for this provider. */
  verify(req: WebhookRequest): boolean | Promise<boolean>;
  /** The zod schema of the body (after decoding JSON or form data). */
  schema: z.ZodType<P>;
  /** Event id, type and tenant from a valid payload. */
  describe(payload: P, req: WebhookRequest): ParsedWebhookEvent<P>;
  /** Signal or signalWithStart the workflow concerned. Must be safe to call again for the same event. */
  dispatch(event: ParsedWebhookEvent<P>): Promise<void>;
}

function decodeBody(req: WebhookRequest): unknown {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  const text = req.rawBody.toString('utf8');
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'invalid_body', 'the body is not valid JSON');
  }
}

export function registerWebhooks(
  app: FastifyInstance,
  opts: { events: WebhookEvents; providers: WebhookProvider<any>[]; publicBaseUrl?: string },
) {
  const ledger = opts.events.system;
  app.register(async (scope) => {
    // Keep the exact bytes: signatures are computed over the raw body.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 2 * 1024 * 1024 }, (_req, body, done) => done(null, body));

    for (const provider of opts.providers) {
      scope.post(
        provider.path,
        { config: { auth: 'none' }, schema: { tags: ['webhooks'], summary: `${provider.provider} webhook` } },
        async (req, reply) => {
          const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
          const base = opts.publicBaseUrl ?? `${req.protocol}://${req.host}`;
          const wreq: WebhookRequest = { rawBody, headers: req.headers, url: `${base}${req.url}` };
          if (!(await provider.verify(wreq))) {
            throw new HttpError(401, 'invalid_signature', `missing or invalid ${provider.provider} signature; nothing was recorded`);
          }
          const parsed = provider.schema.safeParse(decodeBody(wreq));
          if (!parsed.success) {
            const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
            throw new HttpError(400, 'invalid_payload', `invalid ${provider.provider} event: ${issues.join('; ')}`);
          }
          const event = provider.describe(parsed.data, wreq);
          const recorded = await ledger.record(provider.provider, event);
          if (recorded.processed) return reply.status(200).send({ received: true, duplicate: true });
          try {
            await provider.dispatch(event);
          } catch (err) {
            await ledger.markFailed(recorded.id, String((err as Error).message));
            throw err; // 500: the provider retries and the retry dispatches again
          }
          await ledger.markProcessed(recorded.id);
          return reply.status(200).send({ received: true, duplicate: recorded.duplicate });
        },
      );
    }
  });
}
