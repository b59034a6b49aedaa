/**
 * Webhook plumbing (SYS-008), shared by every provider:
 *   raw body kept -> signature verified (401 and nothing recorded when it fails)
 *   -> decoded into what Postgres can store (NUL removed, lone surrogates replaced) and parsed
 *      with zod -> recorded once in webhook_events with the raw bytes, unique on (provider,
 *      event id) (services/webhook-events.ts) -> dispatched (a signal or signalWithStart), with
 *      the storable values -> marked processed.
 * A signed body that is not JSON/form data or does not match the provider's schema is recorded
 * (raw bytes, reason, an alert) and answered 400 naming what is wrong, never dispatched; its
 * redeliveries find the record and get the same 400, so nothing is retried by us and nothing
 * is lost. A repeat delivery of a processed event answers 200 and does nothing. A delivery whose
 * dispatch failed answers 500, so the provider retries, and the retry dispatches it: no event
 * is lost and none is acted on twice.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { SqlRead, WebhookEvents } from '../../services/webhook-events.js';
import { webhooksTotal } from '../../lib/metrics.js';
import { HttpError } from '../errors.js';

/**
 * Thrown by a dispatch when the event cannot be acted on yet (a Stripe event whose client is not
 * known until its checkout event arrives): answered 409 naming why, the record kept unprocessed
 * with the reason, so the provider's redelivery acts on it. Not a server error.
 */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
}

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

export interface WebhookProvider<P = unknown, X = undefined> {
  provider: string;
  path: string;
  /** True when the request carries a valid signature for this provider. */
  verify(req: WebhookRequest): boolean | Promise<boolean>;
  /** The zod schema of the body (after decoding JSON or form data). */
  schema: z.ZodType<P>;
  /** Event id, type and tenant from a valid payload. */
  describe(payload: P, req: WebhookRequest): ParsedWebhookEvent<P>;
  /**
   * Optional read-only lookup the dispatch needs (the lead a message is about), run while the
   * delivery is recorded. It must change nothing: it runs for duplicates too.
   */
  prepare?(event: ParsedWebhookEvent<P>): Promise<X> | SqlRead<X>;
  /** Signal or signalWithStart the workflow concerned. Must be safe to call again for the same event. */
  dispatch(event: ParsedWebhookEvent<P>, prepared: X): Promise<void>;
}

/** A provider's reading of the decoded body: zod schema, then its event id, type and tenant. */
function parserFor<P>(provider: WebhookProvider<P>, wreq: WebhookRequest) {
  return (body: unknown) => {
    const parsed = provider.schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
      return { ok: false as const, reason: `invalid ${provider.provider} event: ${issues.join('; ')}` };
    }
    return { ok: true as const, event: provider.describe(parsed.data, wreq) };
  };
}

export function registerWebhooks(
  app: FastifyInstance,
  opts: { events: WebhookEvents; providers: WebhookProvider<any, any>[]; publicBaseUrl?: string },
) {
  const ledger = opts.events.system;
  app.register(async (scope) => {
    // Keep the exact bytes: signatures are computed over the raw body.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 2 * 1024 * 1024 }, (_req, body, done) => done(null, body));

    for (const provider of opts.providers) {
      scope.post(
        provider.path,
        { config: { auth: 'none', rawInput: true }, schema: { tags: ['webhooks'], summary: `${provider.provider} webhook` } },
        async (req, reply) => {
          // webhooks_total{provider,result} (SYS-009): what this delivery came to; `error` when something threw.
          let result = 'error';
          try {
            return await receive(req, reply, (r) => (result = r));
          } finally {
            webhooksTotal.inc({ provider: provider.provider, result });
          }
        },
      );

      async function receive(req: FastifyRequest, reply: FastifyReply, outcome: (result: string) => void) {
        const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const base = opts.publicBaseUrl ?? `${req.protocol}://${req.host}`;
        const wreq: WebhookRequest = { rawBody, headers: req.headers, url: `${base}${req.url}` };
        if (!(await provider.verify(wreq))) {
          outcome('unsigned');
          throw new HttpError(401, 'invalid_signature', `missing or invalid ${provider.provider} signature; nothing was recorded`);
        }
        const contentType = typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : undefined;
        const receipt = await ledger.receive(
          provider.provider,
          { rawBody, ...(contentType ? { contentType } : {}) },
          parserFor(provider, wreq),
          provider.prepare?.bind(provider),
        );
        if (receipt.kind === 'invalid') {
          outcome('invalid');
          // Recorded (raw bytes and reason) and never dispatched; a redelivery gets the same answer.
          throw new HttpError(400, 'invalid_payload', `${receipt.reason}; the delivery was recorded and will not be acted on`);
        }
        if (receipt.processed) {
          outcome('duplicate');
          return reply.status(200).send({ received: true, duplicate: true });
        }
        const event = receipt.event;
        try {
          if (!receipt.prepared.ok) throw receipt.prepared.error;
          await provider.dispatch(event, receipt.prepared.value);
        } catch (err) {
          await ledger.markFailed(receipt.id, String((err as Error).message));
          outcome(err instanceof RetryLater ? 'retry_later' : 'failed');
          if (err instanceof RetryLater)
            throw new HttpError(409, 'retry_later', `${err.message}; recorded, it is acted on when redelivered`);
          throw err; // 500: the provider retries and the retry dispatches again
        }
        await ledger.markProcessed(receipt.id);
        outcome(receipt.duplicate ? 'redelivered' : 'processed');
        return reply.status(200).send({ received: true, duplicate: receipt.duplicate });
      }
    }
  });
}
