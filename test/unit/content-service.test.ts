/**
 * Checked content (SYS-003, ED-005, SM-004): an engine's text goes out only when it passes the
 * checks; otherwise the fallback writes it, with a note of why; when the fallback fails too the
 * message is skipped with the reason. The service never throws for content reasons.
 */
import { describe, expect, it } from 'vitest';
import type { ContentDraft, ContentRequest } from '../../domain/content-checks.js';
import { createTemplateContentEngine } from '../../providers/content/template-engine.js';
import type { ContentEngine } from '../../providers/ports/content.js';
import { CONTENT_CHECK_FAILED, CONTENT_ENGINE_FAILED, createContent } from '../../services/content.js';

const request: ContentRequest = {
  purpose: 'answer',
  channel: 'sms',
  intent: 'interested',
  facts: {
    lead: { firstName: 'Ava', company: 'Syd Co' },
    client: { name: 'Acme Growth', senderName: 'Sam', bookingLink: 'https://cal.com/acme/intro' },
  },
  conversation: [{ direction: 'inbound', channel: 'sms', text: 'Yes keen', at: '2026-12-01T00:00:00Z' }],
};

/** An engine that answers with the given drafts (or throws the given errors), one per call. */
function scripted(name: 'template' | 'llm', ...answers: (ContentDraft | Error | unknown)[]): ContentEngine & { calls: number } {
  const engine = {
    name,
    calls: 0,
    async compose() {
      const a = answers[engine.calls++];
      if (a instanceof Error) throw a;
      return a as ContentDraft;
    },
  };
  return engine;
}

const good: ContentDraft = { text: 'Hi Ava, great to hear. What day suits you for a short call? Reply STOP to opt out.' };

describe('content service (SYS-003, ED-005, SM-004)', () => {
  it('SYS-003: a text that passes goes out from the engine, without notes; the fallback is not asked', async () => {
    const fallback = scripted('template');
    const result = await createContent({ engine: scripted('llm', good), fallback }).compose(request);
    expect(result).toEqual({ status: 'ok', draft: good, engine: 'llm', notes: [] });
    expect(fallback.calls).toBe(0);
  });

  it('SM-004: an SMS with a link fails its check: the template writes it instead, and the notes say why', async () => {
    const result = await createContent({
      engine: scripted('llm', { text: 'Book here: https://cal.com/acme/intro' }),
      fallback: createTemplateContentEngine(),
    }).compose(request);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.engine).toBe('template');
    expect(result.draft.text).not.toMatch(/https?:|cal\.com/);
    expect(result.notes).toEqual([expect.stringMatching(/^llm draft failed sms_contains_link: /), 'fell back to the template engine']);
  });

  it('SYS-003: an engine that throws (a transient provider error too) is noted and the fallback writes', async () => {
    const result = await createContent({
      engine: scripted('llm', new Error('OpenAI chat completion failed with 503')),
      fallback: scripted('template', good),
    }).compose(request);
    expect(result).toEqual({
      status: 'ok',
      draft: good,
      engine: 'template',
      notes: ['llm engine failed: Error: OpenAI chat completion failed with 503', 'fell back to the template engine'],
    });
  });

  it('ED-005: a fallback whose text fails too: skipped with the reason and every failure, nothing thrown', async () => {
    const result = await createContent({
      engine: scripted('llm', { text: 'We grew 300% last year' }),
      fallback: scripted('template', { text: '' }),
    }).compose(request);
    expect(result).toEqual({
      status: 'skipped',
      reason: CONTENT_CHECK_FAILED,
      failures: [expect.stringMatching(/^llm draft failed invented_percentage: /), expect.stringMatching(/^template draft failed empty: /)],
    });
  });

  it('SYS-003: a fallback that throws: skipped with content_engine_failed', async () => {
    const result = await createContent({
      engine: scripted('llm', new Error('boom')),
      fallback: scripted('template', new TypeError('template bug')),
    }).compose(request);
    expect(result).toEqual({
      status: 'skipped',
      reason: CONTENT_ENGINE_FAILED,
      failures: ['llm engine failed: Error: boom', 'template engine failed: TypeError: template bug'],
    });
  });

  it('SYS-003: a malformed draft (no text) is a failed check, not an exception', async () => {
    const result = await createContent({ engine: scripted('llm', undefined), fallback: scripted('template', { subject: 'x' }) }).compose(
      request,
    );
    expect(result.status).toBe('skipped');
    if (result.status === 'skipped') expect(result.reason).toBe(CONTENT_CHECK_FAILED);
  });

  it('ED-005: the template engine as both engine and fallback answers every intent on every channel', async () => {
    const template = createTemplateContentEngine();
    const content = createContent({ engine: template, fallback: template });
    for (const channel of ['email', 'sms', 'linkedin', 'voice'] as const) {
      for (const intent of ['interested', 'question', 'angry', 'other'] as const) {
        const result = await content.compose({ ...request, channel, intent });
        expect(result, `${channel} ${intent}`).toMatchObject({ status: 'ok', engine: 'template', notes: [] });
      }
    }
  });
});
