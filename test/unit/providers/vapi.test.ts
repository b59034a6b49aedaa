/**
 * Vapi adapters against test/fakes/vapi-fake.ts (a real HTTP server), with the real
 * `@vapi-ai/server-sdk` client: call initiation (VO-001), voicemail handling (VO-004), outcome
 * mapping (VO-002) and server-URL webhook authentication and parsing (SYS-008).
 */
import { describe, expect, it } from 'vitest';
import type { OutboundCall } from '../../../providers/ports.js';
import { buildCreateCallRequest, classifyVapiError, createVapiVoiceCaller, outcomeFromEndedReason } from '../../../providers/vapi/calls.js';
import {
  callReportFromEndOfCall,
  isEndOfCallReport,
  isStatusUpdate,
  signVapiHmac,
  vapiCallMetadata,
  VapiServerMessageSchema,
  verifyVapiRequest,
} from '../../../providers/vapi/webhooks.js';
import { VapiFake } from '../../fakes/vapi-fake.js';
import { rejection, useFake } from '../../helpers/assertions.js';

const fake = new VapiFake();
const fakeAt = useFake(fake);

const caller = () => createVapiVoiceCaller({ apiKey: fake.apiKey, baseUrl: fakeAt.baseUrl });

const outbound: OutboundCall = {
  assistantId: 'asst_7f3c',
  firstMessage: 'This call is recorded. Hi Sam, this is an AI assistant calling on behalf of Acme. Do you have a minute?',
  phoneNumberId: 'pn_91ab',
  customer: { number: '+61412345678', name: 'Sam Lee' },
  voicemail: { action: 'leave_message', message: 'Hi Sam, it is Alex from Acme. I will send you a text.' },
  metadata: { leadId: 'lead_1', workflowId: 'lead:lead_1', step: '3' },
  maxDurationSeconds: 300,
};

describe('Vapi call initiation (VO-001, VO-004)', () => {
  it('VO-001: POST /call with assistantId, phoneNumberId, customer, voicemail plan, max duration and metadata', async () => {
    const placed = await caller().startCall(outbound);

    expect(placed).toEqual({ callId: fake.lastCall()!.id, status: 'queued' });
    expect(fake.requests).toHaveLength(1);
    const req = fake.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/call');
    expect(req.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(req.headers['content-type']).toContain('application/json');
    expect(req.body).toEqual({
      assistantId: 'asst_7f3c',
      phoneNumberId: 'pn_91ab',
      customer: { number: '+61412345678', name: 'Sam Lee' },
      assistantOverrides: {
        firstMessage: 'This call is recorded. Hi Sam, this is an AI assistant calling on behalf of Acme. Do you have a minute?',
        firstMessageMode: 'assistant-speaks-first',
        voicemailDetection: { provider: 'vapi', type: 'audio' },
        voicemailMessage: 'Hi Sam, it is Alex from Acme. I will send you a text.',
        maxDurationSeconds: 300,
        metadata: { leadId: 'lead_1', workflowId: 'lead:lead_1', step: '3' },
      },
    });
  });

  it("VO-001: the first message is the assistant's first words (assistant-speaks-first), recorded by the fake on the call", async () => {
    await caller().startCall(outbound);
    expect(fake.lastCall()!.assistantOverrides).toMatchObject({
      firstMessage: outbound.firstMessage,
      firstMessageMode: 'assistant-speaks-first',
    });
  });

  it("VO-001: the knowledge base is added to the saved model's tools (same provider and model, so Vapi merges the override)", async () => {
    const assistant = fake.addAssistant({ model: { provider: 'anthropic', model: 'claude-3-5-sonnet', toolIds: ['tool_transfer'] } });
    const model = await caller().assistantModel(assistant.id);
    expect(model).toEqual({ provider: 'anthropic', model: 'claude-3-5-sonnet', toolIds: ['tool_transfer'] });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /assistant/${assistant.id}`]);
    await caller().startCall({ ...outbound, assistantId: assistant.id, knowledgeBase: { toolId: 'tool_kb_acme', model } });
    expect(fake.lastCall()!.assistantOverrides!.model).toEqual({
      provider: 'anthropic',
      model: 'claude-3-5-sonnet',
      toolIds: ['tool_transfer', 'tool_kb_acme'],
    });
    // A tool the assistant already has is not listed twice.
    const dto = buildCreateCallRequest({ ...outbound, knowledgeBase: { toolId: 'tool_transfer', model } });
    expect(dto.assistantOverrides!.model).toMatchObject({ toolIds: ['tool_transfer'] });
  });

  it('VO-001: an unknown assistant is a permanent not_found; an assistant without a model cannot take a knowledge base', async () => {
    expect(await rejection(caller().assistantModel('asst_missing'))).toMatchObject({
      provider: 'vapi',
      code: 'not_found',
      retryable: false,
    });
    const bare = fake.addAssistant({ model: undefined });
    expect(await rejection(caller().assistantModel(bare.id))).toMatchObject({ code: 'invalid_config', retryable: false });
    fake.failNext(503);
    const other = fake.addAssistant();
    expect(await rejection(caller().assistantModel(other.id))).toMatchObject({ code: 'provider_unavailable', retryable: true });
  });

  it('VO-001: the fake refuses overrides Vapi does not have, and a model override without provider and model', async () => {
    const bad = { ...buildCreateCallRequest(outbound), assistantOverrides: { opening: 'x', model: { toolIds: ['t'] } } };
    const res = await fetch(`${fakeAt.baseUrl}/call`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(bad),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/property opening should not exist.*model\.provider.*model\.model/);
  });

  it('VO-004: hang_up keeps voicemail detection on and sends no voicemail message (Vapi hangs up)', async () => {
    await caller().startCall({ ...outbound, voicemail: { action: 'hang_up' }, customer: { number: '+61412345678' } });
    const body = fake.requests[0]!.body as { assistantOverrides: Record<string, unknown>; customer: unknown };
    expect(body.assistantOverrides.voicemailDetection).toEqual({ provider: 'vapi', type: 'audio' });
    expect(body.assistantOverrides).not.toHaveProperty('voicemailMessage');
    expect(body.customer).toEqual({ number: '+61412345678' });
  });

  it('VO-001: the request body carries only CreateCallDto properties (the fake rejects others like Vapi)', () => {
    const dto = buildCreateCallRequest(outbound);
    expect(Object.keys(dto).sort()).toEqual(['assistantId', 'assistantOverrides', 'customer', 'phoneNumberId']);
  });

  it('VO-001: HTTP 500 is exactly one request (no SDK retry) and a transient error', async () => {
    fake.failNext(500);
    const err = await rejection(caller().startCall(outbound));
    expect(fake.requests).toHaveLength(1);
    expect(err).toMatchObject({ provider: 'vapi', retryable: true, status: 500, code: 'provider_unavailable' });
    expect(fake.calls).toHaveLength(0);
  });

  it('VO-001: HTTP 429 is one request and transient, with Retry-After kept', async () => {
    fake.failNext(429, undefined, { 'Retry-After': '12' });
    const err = await rejection(caller().startCall(outbound));
    expect(fake.requests).toHaveLength(1);
    expect(err).toMatchObject({ retryable: true, code: 'rate_limited', status: 429, retryAfterSeconds: 12 });
  });

  it('VO-001: an invalid customer number is a permanent invalid_number', async () => {
    const err = await rejection(caller().startCall({ ...outbound, customer: { number: '0412 345 678' } }));
    expect(err).toMatchObject({ code: 'invalid_number', retryable: false, status: 400 });
    expect(err.message).toContain('E.164');
  });

  it('VO-001: other 400s are a permanent invalid_request', async () => {
    const err = await rejection(caller().startCall({ ...outbound, phoneNumberId: '' }));
    expect(err).toMatchObject({ code: 'invalid_request', retryable: false, status: 400 });
  });

  it('VO-001: a wrong API key is a permanent auth_failed', async () => {
    const err = await rejection(createVapiVoiceCaller({ apiKey: 'wrong', baseUrl: fakeAt.baseUrl }).startCall(outbound));
    expect(err).toMatchObject({ code: 'auth_failed', retryable: false, status: 401 });
  });

  it('VO-001: a dropped connection is a transient network error, sent once', async () => {
    fake.script({ status: 0, drop: true });
    const err = await rejection(caller().startCall(outbound));
    expect(err).toMatchObject({ code: 'network_error', retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('VO-001: a timeout is transient', async () => {
    fake.script({ status: 201, body: {}, delayMs: 1500 });
    const err = await rejection(
      createVapiVoiceCaller({ apiKey: fake.apiKey, baseUrl: fakeAt.baseUrl, timeoutSeconds: 0.2 }).startCall(outbound),
    );
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('classifies non-Vapi errors as transient network errors', () => {
    expect(classifyVapiError(new TypeError('fetch failed'))).toMatchObject({ code: 'network_error', retryable: true });
  });
});

describe('Vapi call outcome (VO-002, VO-004)', () => {
  it.each([
    ['customer-busy', 'busy'],
    ['customer-did-not-answer', 'no_answer'],
    ['call.in-progress.error-providerfault-outbound-sip-480-temporarily-unavailable', 'no_answer'],
    ['voicemail', 'voicemail'],
    ['customer-ended-call', 'answered'],
    ['assistant-ended-call', 'answered'],
    ['assistant-said-end-call-phrase', 'answered'],
    ['assistant-forwarded-call', 'answered'],
    ['silence-timed-out', 'answered'],
    ['exceeded-max-duration', 'answered'],
    ['twilio-failed-to-connect-call', 'failed'],
    ['call.in-progress.error-sip-outbound-call-failed-to-connect', 'failed'],
    ['call.start.error-subscription-concurrency-limit-reached', 'failed'],
    ['pipeline-error-openai-llm-failed', 'failed'],
    ['manually-canceled', 'failed'],
    ['twilio-reported-customer-misdialed', 'failed'],
    ['some-reason-vapi-adds-next-year', 'failed'],
    ['', 'failed'],
  ] as const)('VO-002/VO-004: endedReason %j -> %s', (reason, outcome) => {
    expect(outcomeFromEndedReason(reason)).toBe(outcome);
  });

  it('VO-002: getCall is in_progress until the call ends, then a full CallReport', async () => {
    const { callId } = await caller().startCall(outbound);
    expect(await caller().getCall(callId)).toEqual({ callId, outcome: 'in_progress' });
    fake.setStatus(callId, 'in-progress');
    expect(await caller().getCall(callId)).toEqual({ callId, outcome: 'in_progress' });

    const ended = fake.endCall(callId, {
      endedReason: 'customer-ended-call',
      transcript: 'AI: Hi Sam...\nUser: Sounds good, book me in.',
      summary: 'Interested; wants a meeting next week.',
      recordingUrl: 'https://storage.vapi.ai/rec-1.wav',
      durationSeconds: 95,
    });
    const report = await caller().getCall(callId);
    expect(report).toEqual({
      callId,
      outcome: 'answered',
      endedReason: 'customer-ended-call',
      durationSeconds: 95,
      transcript: 'AI: Hi Sam...\nUser: Sounds good, book me in.',
      summary: 'Interested; wants a meeting next week.',
      recordingUrl: 'https://storage.vapi.ai/rec-1.wav',
      providerCallSid: ended.phoneCallProviderId,
    });
    const get = fake.requestsTo('GET', `/call/${callId}`);
    expect(get).toHaveLength(3);
    expect(get[0]!.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
  });

  it.each([
    ['customer-busy', 'busy'],
    ['customer-did-not-answer', 'no_answer'],
    ['voicemail', 'voicemail'],
    ['twilio-failed-to-connect-call', 'failed'],
  ] as const)('VO-002/VO-004: a call ended with %s reports %s', async (endedReason, outcome) => {
    const { callId } = await caller().startCall(outbound);
    fake.endCall(callId, { endedReason });
    expect(await caller().getCall(callId)).toMatchObject({ callId, outcome, endedReason });
  });

  it('VO-002: reads the older top-level transcript, summary and recordingUrl', async () => {
    const { callId } = await caller().startCall(outbound);
    fake.endCall(callId, {
      endedReason: 'assistant-ended-call',
      transcript: 'old transcript',
      summary: 'old summary',
      recordingUrl: 'https://old/rec.wav',
      legacyTopLevel: true,
    });
    expect(await caller().getCall(callId)).toMatchObject({
      transcript: 'old transcript',
      summary: 'old summary',
      recordingUrl: 'https://old/rec.wav',
    });
  });

  it('VO-002: an unknown call id is a permanent not_found; a 503 is transient and not retried', async () => {
    expect(await rejection(caller().getCall('3b5f2d4e-0000-4000-8000-000000000000'))).toMatchObject({
      code: 'not_found',
      retryable: false,
      status: 404,
    });
    fake.failNext(503);
    expect(await rejection(caller().getCall('any'))).toMatchObject({ code: 'provider_unavailable', retryable: true });
    expect(fake.requests).toHaveLength(2);
  });
});

describe('Vapi webhooks (SYS-008)', () => {
  const secret = 'whsec_vapi_test_secret';
  const now = Date.UTC(2026, 10, 3, 1, 0, 0);

  async function endedCallReport() {
    const { callId } = await caller().startCall(outbound);
    fake.endCall(callId, {
      endedReason: 'voicemail',
      transcript: 'AI: Hi Sam, it is Alex...',
      recordingUrl: 'https://storage.vapi.ai/vm.wav',
      durationSeconds: 31,
    });
    return { callId, payload: fake.endOfCallReport(callId) };
  }

  it('SYS-008: X-Vapi-Secret and Authorization: Bearer are accepted; a wrong or missing secret is not', () => {
    const rawBody = '{"message":{}}';
    const v = (headers: Record<string, string>, extra: { headerName?: string } = {}) =>
      verifyVapiRequest({ rawBody, headers, secret, mode: 'bearer', now, ...extra });
    expect(v({ 'x-vapi-secret': secret })).toEqual({ ok: true });
    expect(v({ 'X-Vapi-Secret': secret })).toEqual({ ok: true });
    expect(v({ authorization: `Bearer ${secret}` })).toEqual({ ok: true });
    expect(v({ 'x-vapi-secret': `${secret}x` })).toEqual({ ok: false, reason: 'mismatch' });
    expect(v({ authorization: 'Bearer nope' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(v({})).toEqual({ ok: false, reason: 'missing_credentials' });
    expect(v({ authorization: `Bearer ${secret}` }, { headerName: 'x-vapi-secret' })).toEqual({ ok: false, reason: 'missing_credentials' });
    expect(verifyVapiRequest({ rawBody, headers: { 'x-vapi-secret': '' }, secret: '', mode: 'bearer', now })).toEqual({
      ok: false,
      reason: 'no_secret_configured',
    });
  });

  it('SYS-008: HMAC: accepts the exact signature, rejects a tampered body, a wrong secret and a stale timestamp', () => {
    const rawBody = JSON.stringify({ message: { type: 'status-update', status: 'ringing', call: { id: 'c1' } } });
    const ts = String(now);
    const headers = { 'x-timestamp': ts, 'x-signature': signVapiHmac(secret, rawBody, ts) };
    const v = (over: Partial<Parameters<typeof verifyVapiRequest>[0]>) =>
      verifyVapiRequest({ rawBody, headers, secret, mode: 'hmac', now, ...over });

    expect(v({})).toEqual({ ok: true });
    expect(v({ rawBody: Buffer.from(rawBody) })).toEqual({ ok: true });
    expect(v({ rawBody: rawBody.replace('ringing', 'ended') })).toEqual({ ok: false, reason: 'mismatch' });
    expect(v({ secret: 'other' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(v({ now: now + 5 * 60_000 })).toEqual({ ok: true });
    expect(v({ now: now + 5 * 60_000 + 1 })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(v({ now: now - 6 * 60_000 })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(v({ headers: { 'x-timestamp': ts } })).toEqual({ ok: false, reason: 'missing_credentials' });
    expect(v({ headers: { ...headers, 'x-timestamp': 'soon' } })).toEqual({ ok: false, reason: 'bad_timestamp' });
    // Changing the timestamp without re-signing fails even inside the window.
    expect(v({ headers: { ...headers, 'x-timestamp': String(now + 1000) } })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('SYS-008: HMAC with a timestamp in seconds', () => {
    const rawBody = '{"message":{"type":"hang","call":{"id":"c1"}}}';
    const ts = String(Math.floor(now / 1000));
    const headers = { 'x-timestamp': ts, 'x-signature': signVapiHmac(secret, rawBody, ts) };
    expect(verifyVapiRequest({ rawBody, headers, secret, mode: 'hmac', now: new Date(now) })).toEqual({ ok: true });
    expect(verifyVapiRequest({ rawBody, headers, secret, mode: 'hmac', now: new Date(now + 3_600_000) })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
  });

  it('SYS-008: a signed end-of-call report from the fake verifies, parses and gives the CallReport (VO-002)', async () => {
    const { callId, payload } = await endedCallReport();
    let seen: { rawBody: string; headers: Record<string, string | string[] | undefined> } | undefined;
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen = { rawBody: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/vapi`;
      const sentAt = Date.now();
      expect((await fake.sendWebhook(url, payload, { mode: 'hmac', secret, timestamp: sentAt })).status).toBe(200);
      expect(verifyVapiRequest({ ...seen!, secret, mode: 'hmac', now: sentAt + 2000 })).toEqual({ ok: true });

      const parsed = VapiServerMessageSchema.parse(JSON.parse(seen!.rawBody));
      expect(isEndOfCallReport(parsed.message)).toBe(true);
      if (!isEndOfCallReport(parsed.message)) return;
      expect(vapiCallMetadata(parsed.message)).toEqual(outbound.metadata);
      expect(callReportFromEndOfCall(parsed.message)).toEqual({
        callId,
        outcome: 'voicemail',
        endedReason: 'voicemail',
        durationSeconds: 31,
        transcript: 'AI: Hi Sam, it is Alex...',
        recordingUrl: 'https://storage.vapi.ai/vm.wav',
        providerCallSid: fake.getCall(callId).phoneCallProviderId,
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('SYS-008: end-of-call report with the older top-level fields', () => {
    const parsed = VapiServerMessageSchema.parse({
      message: {
        type: 'end-of-call-report',
        endedReason: 'customer-did-not-answer',
        call: { id: 'call-9', phoneCallProviderId: 'CA9' },
        transcript: 'old',
        summary: 'no answer',
        recordingUrl: 'https://old/rec.wav',
        startedAt: '2026-11-03T01:00:00.000Z',
        endedAt: '2026-11-03T01:00:25.400Z',
      },
    });
    if (!isEndOfCallReport(parsed.message)) throw new Error('expected an end-of-call report');
    expect(callReportFromEndOfCall(parsed.message)).toEqual({
      callId: 'call-9',
      outcome: 'no_answer',
      endedReason: 'customer-did-not-answer',
      durationSeconds: 25,
      transcript: 'old',
      summary: 'no answer',
      recordingUrl: 'https://old/rec.wav',
      providerCallSid: 'CA9',
    });
  });

  it('SYS-008: status-update is typed; other message types pass through; malformed typed messages fail', async () => {
    const { callId } = await caller().startCall(outbound);
    fake.setStatus(callId, 'ringing');
    const status = VapiServerMessageSchema.parse(fake.statusUpdate(callId));
    expect(isStatusUpdate(status.message) && status.message.status).toBe('ringing');

    const other = VapiServerMessageSchema.parse({
      message: { type: 'transcript', role: 'user', transcript: 'hello', call: { id: callId } },
    });
    expect(other.message).toMatchObject({ type: 'transcript', role: 'user', transcript: 'hello' });

    expect(VapiServerMessageSchema.safeParse({ message: { type: 'end-of-call-report', call: { id: 'x' } } }).success).toBe(false); // no endedReason
    expect(VapiServerMessageSchema.safeParse({ message: { type: 'status-update', status: 'ended' } }).success).toBe(false); // no call
    expect(VapiServerMessageSchema.safeParse({ message: { type: '' } }).success).toBe(false);
    expect(VapiServerMessageSchema.safeParse({}).success).toBe(false);
  });
});
