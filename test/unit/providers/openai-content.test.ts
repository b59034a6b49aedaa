/**
 * The LLM content engine (SYS-003, ED-005, SM-004) with the real `openai` SDK against
 * test/fakes/openai-fake.ts (OpenAI's Chat Completions wire format): the request it sends, the
 * draft it reads, and its errors by the providers' convention (transient: plain Error; permanent:
 * ProviderError retryable=false). Through services/content.ts, an answer that breaks a check
 * falls back to the template engine with a note.
 */
import { describe, expect, it } from 'vitest';
import type { ContentRequest } from '../../../domain/content-checks.js';
import { createOpenAiContentEngine } from '../../../providers/content/openai-engine.js';
import { createTemplateContentEngine } from '../../../providers/content/template-engine.js';
import { ProviderError } from '../../../providers/ports.js';
import { createContent } from '../../../services/content.js';
import { OpenAiFake, type ChatRequestBody } from '../../fakes/openai-fake.js';
import { rejection, useFake } from '../../helpers/assertions.js';

const fake = new OpenAiFake({ apiKey: 'sk-test-content' });
const at = useFake(fake);
const engine = (over: { apiKey?: string; timeoutMs?: number } = {}) =>
  createOpenAiContentEngine({
    apiKey: over.apiKey ?? 'sk-test-content',
    baseURL: `${at.baseUrl}/v1`,
    model: 'gpt-4o-mini',
    timeoutMs: over.timeoutMs,
  });

const BOOKING = 'https://cal.com/acme/intro?metadata[leadId]=lead-1';
const request: ContentRequest = {
  purpose: 'answer',
  channel: 'email',
  intent: 'interested',
  facts: {
    lead: { firstName: 'Ava', lastName: 'Ng', company: 'Syd Co', title: 'Head of Sales' },
    client: {
      name: 'Acme Growth',
      senderName: 'Sam',
      pitch: 'We help sales teams book more meetings.',
      bookingLink: BOOKING,
      knowledgeBase: null,
    },
  },
  conversation: [
    {
      direction: 'outbound',
      channel: 'email',
      text: 'Hi Ava, worth a chat?',
      at: '2026-11-30T00:00:00Z',
      subject: 'Quick question for Syd Co',
    },
    { direction: 'inbound', channel: 'email', text: 'Yes, keen to chat next week.', at: '2026-12-01T00:00:00Z' },
  ],
};
const goodText = `Hi Ava,\n\nGreat to hear. Pick a time that suits you: ${BOOKING}\n\nSam\nAcme Growth`;
const reply = (o: unknown) => () => JSON.stringify(o);

describe('OpenAI content engine: the request (SYS-003, ED-005)', () => {
  it('SYS-003: POST /v1/chat/completions with the bearer key, the model, JSON mode, the rules and the facts as JSON', async () => {
    fake.respondWith(reply({ text: goodText }));
    await engine().compose(request);

    expect(fake.completions).toHaveLength(1);
    const req = fake.completions[0]!;
    expect(req.headers.authorization).toBe('Bearer sk-test-content');
    const body = req.body as ChatRequestBody;
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.response_format).toEqual({ type: 'json_object' });
    expect(body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    const system = body.messages![0]!.content as string;
    expect(system).toMatch(/JSON/);
    expect(system).toMatch(/Use only the facts/);
    expect(system).toMatch(/Plain text only/);
    const user = JSON.parse(body.messages![1]!.content as string);
    expect(user).toMatchObject({ purpose: 'answer', channel: 'email', intent: 'interested', facts: request.facts });
    expect(user.conversation).toEqual(request.conversation);
  });

  it('SM-004: an SMS request states the one-segment and no-link rules', async () => {
    fake.respondWith(reply({ text: 'Hi Ava, what day suits you for a short call?' }));
    await engine().compose({ ...request, channel: 'sms' });
    const system = (fake.completions[0]!.body as ChatRequestBody).messages![0]!.content as string;
    expect(system).toMatch(/160 characters/);
    expect(system).toMatch(/No links/);
  });
});

describe('OpenAI content engine: the answer (SYS-003, ED-005)', () => {
  it("ED-005: the model's JSON becomes the draft; an email answer keeps the thread's subject", async () => {
    fake.respondWith(reply({ subject: 'Something else', text: `  ${goodText}\n` }));
    await expect(engine().compose(request)).resolves.toEqual({ subject: 'Re: Quick question for Syd Co', text: goodText });
  });

  it('ED-005: a first-touch email takes the subject the model wrote; an SMS never has one', async () => {
    fake.respondWith(reply({ subject: 'Meetings for Syd Co', text: 'Hi Ava' }));
    await expect(engine().compose({ ...request, purpose: 'first_touch', conversation: [] })).resolves.toEqual({
      subject: 'Meetings for Syd Co',
      text: 'Hi Ava',
    });
    await expect(engine().compose({ ...request, channel: 'sms' })).resolves.toEqual({ text: 'Hi Ava' });
  });

  it('ED-005: an answer that invents a link falls back to the template engine, and the notes say why', async () => {
    fake.respondWith(reply({ text: 'Hi Ava, book here: https://calendly.com/not-ours/30min' }));
    const content = createContent({ engine: engine(), fallback: createTemplateContentEngine() });
    const result = await content.compose(request);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.engine).toBe('template');
    expect(result.draft.text).toContain(BOOKING);
    expect(result.draft.text).not.toContain('calendly.com/not-ours');
    expect(result.notes.join('\n')).toMatch(/llm draft failed invented_url: link https:\/\/calendly\.com\/not-ours\/30min/);
  });

  it('ED-005: a good answer goes out as the LLM wrote it, with no notes', async () => {
    fake.respondWith(reply({ text: goodText }));
    const result = await createContent({ engine: engine(), fallback: createTemplateContentEngine() }).compose(request);
    expect(result).toEqual({ status: 'ok', engine: 'llm', notes: [], draft: { subject: 'Re: Quick question for Syd Co', text: goodText } });
  });
});

describe('OpenAI content engine: errors (SYS-003)', () => {
  it.each([500, 503, 429])(
    'SYS-003: %i is transient: a plain Error (Temporal retries), one request only (no SDK retries)',
    async (status) => {
      fake.failNext({ status });
      const err = await engine()
        .compose(request)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(ProviderError);
      expect((err as Error).message).toContain(String(status));
      expect(fake.completions).toHaveLength(1);
    },
  );

  it('SYS-003: a dropped connection and a timeout are transient', async () => {
    fake.failNext({ drop: true });
    const dropped = await engine()
      .compose(request)
      .catch((e: unknown) => e);
    expect(dropped).toBeInstanceOf(Error);
    expect(dropped).not.toBeInstanceOf(ProviderError);
    fake.hangNext();
    const timedOut = await engine({ timeoutMs: 200 })
      .compose(request)
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(Error);
    expect(timedOut).not.toBeInstanceOf(ProviderError);
  });

  it('SYS-003: a wrong key is 401 from OpenAI: ProviderError auth_failed, not retryable', async () => {
    const err = await rejection(engine({ apiKey: 'sk-wrong' }).compose(request));
    expect(err).toMatchObject({ provider: 'openai', code: 'auth_failed', retryable: false, status: 401 });
    expect(fake.requests[0]!.status).toBe(401);
  });

  it('SYS-003: 400 and 403 are permanent', async () => {
    fake.failNext({ status: 400 });
    expect(await rejection(engine().compose(request))).toMatchObject({ code: 'invalid_request', retryable: false, status: 400 });
    fake.failNext({
      status: 403,
      body: {
        error: { message: 'Country not supported', type: 'request_forbidden', param: null, code: 'unsupported_country_region_territory' },
      },
    });
    expect(await rejection(engine().compose(request))).toMatchObject({ code: 'auth_failed', retryable: false, status: 403 });
  });

  it.each([
    ['content that is not JSON', 'Sure! Here is your message: Hi Ava'],
    ['JSON without a text', JSON.stringify({ message: 'Hi Ava' })],
    ['a JSON array', JSON.stringify(['Hi Ava'])],
    ['empty content', ''],
  ])('SYS-003: %s is a ProviderError unparseable_output, not retryable', async (_name, content) => {
    fake.respondWith(() => content);
    expect(await rejection(engine().compose(request))).toMatchObject({ provider: 'openai', code: 'unparseable_output', retryable: false });
  });

  it('SYS-003: with the template fallback, an engine error becomes a note, never a thrown error', async () => {
    fake.failNext({ status: 500 });
    const result = await createContent({ engine: engine(), fallback: createTemplateContentEngine() }).compose(request);
    expect(result.status).toBe('ok');
    if (result.status === 'ok') {
      expect(result.engine).toBe('template');
      expect(result.notes[0]).toMatch(/llm engine failed: .*500/);
    }
  });
});
