/**
 * A request's 5xx reaches Sentry (SYS-009, issue 14) through the API's one error handler
 * (api/plugins/error-handler.ts): tagged with its route pattern, method, request id and status,
 * never its URL (query strings carry tokens) and never a person's data; a 4xx is the caller's and
 * is not reported. Checked at a local fake of Sentry's ingest endpoint.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling } from '../../api/plugins/error-handler.js';
import { HttpError } from '../../api/errors.js';
import { closeSentry, flushSentry, initSentry } from '../../lib/sentry.js';
import { startSentryFake, type SentryFake } from '../fakes/sentry-fake.js';

let sentry: SentryFake;
let app: FastifyInstance;

beforeAll(async () => {
  sentry = await startSentryFake();
  initSentry({ dsn: sentry.dsn, environment: 'test' }, { processHandlers: false });
  app = Fastify({ logger: false });
  app.decorateRequest('clientId', undefined);
  registerErrorHandling(app);
  app.get('/v1/leads/:id/notes', async () => {
    throw new Error('database went away while reading notes for jo.smith@acme.com.au (+61412345678)');
  });
  app.get('/v1/things/:id', async () => {
    throw new HttpError(404, 'not_found', 'no such thing');
  });
  app.get('/v1/unavailable', async () => {
    throw new HttpError(503, 'unavailable', 'Temporal is away');
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await closeSentry();
  await sentry?.stop();
});
beforeEach(() => {
  sentry.events.length = 0;
  sentry.raw.length = 0;
});

describe('API errors and Sentry (SYS-009)', () => {
  it('SYS-009: a 500 is one Sentry event with the route pattern and request id, without the URL, its token or personal data', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/leads/abc-123/notes?token=sekrit-token-value&email=jo.smith%40acme.com.au' });
    expect(res.statusCode).toBe(500);
    const { requestId } = res.json() as { requestId: string };
    await flushSentry();
    const events = await sentry.waitForEvents(1);
    expect(events).toHaveLength(1);
    expect(events[0]!.tags).toMatchObject({ route: '/v1/leads/:id/notes', method: 'GET', requestId, status: '500' });
    const body = sentry.raw.join('\n');
    for (const secret of ['sekrit-token-value', 'token=', 'abc-123', 'jo.smith', '61412345678']) expect(body).not.toContain(secret);
  });

  it("SYS-009: a 4xx is the caller's, not reported; a deliberate 503 is", async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/things/1' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/nowhere' })).statusCode).toBe(404);
    await flushSentry();
    await new Promise((r) => setTimeout(r, 300));
    expect(sentry.events).toHaveLength(0);
    expect((await app.inject({ method: 'GET', url: '/v1/unavailable' })).statusCode).toBe(503);
    await flushSentry();
    const events = await sentry.waitForEvents(1);
    expect(events.map((e) => e.tags?.route)).toEqual(['/v1/unavailable']);
  });
});
