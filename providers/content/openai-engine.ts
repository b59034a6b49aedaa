/**
 * The LLM-backed content engine (SYS-003, ED-005, SM-004) over the official `openai` SDK: one
 * Chat Completions call per text, in JSON mode, with a system prompt that states the rules and
 * the facts and conversation as JSON; the answer `{subject?, text}` is read with zod. What it
 * writes is checked like any other text (services/content.ts) before it is sent.
 *
 * Verified in node_modules/openai (7.60.0): `new OpenAI({ apiKey, baseURL, maxRetries, timeout })`
 * posts to `${baseURL}/chat/completions` (default https://api.openai.com/v1) with
 * `Authorization: Bearer <apiKey>`; the SDK retries 408/409/429/5xx and connection failures by
 * default, so maxRetries is 0 here (Temporal retries the activity instead). A non-2xx answer
 * rejects with APIError (`status`), a connection failure or timeout with APIConnectionError
 * (`status` undefined). JSON mode (`response_format: {type:'json_object'}`) requires the word
 * "JSON" in the messages.
 *
 * Errors (providers/ports.ts convention): network, timeout, 408, 409, 429 and 5xx throw a plain
 * Error (transient); 400, 401, 403, 404 and other 4xx, a refusal and output that is not the JSON
 * asked for throw ProviderError retryable=false.
 */
import OpenAI, { APIError } from 'openai';
import { z } from 'zod';
import {
  LINKEDIN_MESSAGE_MAX_CHARS,
  LINKEDIN_NOTE_MAX_CHARS,
  linkedinKindOf,
  threadSubject,
  type ContentDraft,
  type ContentRequest,
} from '../../domain/content-checks.js';
import { httpStatusError } from '../http-errors.js';
import type { ContentEngine } from '../ports/content.js';
import { ProviderError } from '../ports/provider-error.js';

const PROVIDER = 'openai';

export interface OpenAiContentOptions {
  apiKey: string;
  /** Defaults to https://api.openai.com/v1; tests pass the fake's `${baseUrl}/v1`. */
  baseURL?: string;
  model: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

const ModelOutput = z.object({ subject: z.string().nullish(), text: z.string() });

const CHANNEL_RULES = {
  sms: 'SMS: one segment, at most 160 characters of the GSM-7 alphabet (at most 70 if any other character is used). No links or web addresses of any kind. No subject.',
  note: `LinkedIn connection note: at most ${LINKEDIN_NOTE_MAX_CHARS} characters. No subject.`,
  message: `LinkedIn message: a few short sentences, at most ${LINKEDIN_MESSAGE_MAX_CHARS} characters. No subject.`,
  voice: 'Spoken by a voice assistant on a phone call: short sentences, no links, no lists. No subject.',
};

const INTENT_RULES: Record<string, string> = {
  interested:
    'The lead is interested: thank them and offer the booking link to pick a time (in an SMS or a call, with no link: ask which day and time suit them).',
  question:
    'The lead asked a question (the last inbound message): answer it in one or two sentences using only the pitch and the knowledge base; if they do not hold the answer, say you will get back to them with the details. Offer the booking link where the channel allows links.',
};

function channelRule(req: ContentRequest): string {
  if (req.channel === 'email') {
    const subject =
      req.purpose === 'first_touch' ? 'Give a short one-line "subject".' : 'Leave "subject" out: the message goes in the existing thread.';
    return `Email: plain text with a greeting and a sign-off with the sender's name and the client's name. ${subject} Do not add an unsubscribe line (it is added later).`;
  }
  if (req.channel === 'linkedin') return CHANNEL_RULES[linkedinKindOf(req)];
  return CHANNEL_RULES[req.channel];
}

function purposeRule(req: ContentRequest): string {
  if (req.purpose === 'first_touch')
    return "A first message: the client's offer from its pitch in one or two sentences, and a request for a short call.";
  if (req.purpose === 'follow_up') return 'A short follow-up to an earlier message that got no answer: ask again for a short call.';
  const intent = req.intent ?? 'other';
  return INTENT_RULES[intent] ?? `The reply's intent is "${intent}": answer with a short, polite acknowledgement and no pitch.`;
}

/** The rules the model writes by (mirrors domain/content-checks.ts, which has the last word). */
export function systemPrompt(req: ContentRequest): string {
  return [
    `You write one outbound sales message on behalf of ${req.facts.client.name}.`,
    'Answer with a JSON object only: {"subject": string, "text": string}.',
    'Rules:',
    '- Use only the facts and the conversation in the user message. Never invent anything: every name, number, price, percentage, date, time, result, link, email address and phone number you write must appear there. The booking link may be used as given.',
    '- Plain text only: no HTML, no Markdown, no placeholders such as {{first_name}} or [Company].',
    '- Never say you are an AI, a bot or a language model.',
    `- ${channelRule(req)}`,
    `- ${purposeRule(req)}`,
  ].join('\n');
}

/** The user message: the request's facts and conversation as JSON. */
export function userMessage(req: ContentRequest): string {
  const linkedinKind = req.channel === 'linkedin' ? linkedinKindOf(req) : undefined;
  return JSON.stringify({
    purpose: req.purpose,
    channel: req.channel,
    linkedinKind,
    intent: req.intent,
    facts: req.facts,
    conversation: req.conversation ?? [],
  });
}

/** Transient (plain Error) or permanent (ProviderError) per the error convention. */
function classify(err: unknown): Error {
  if (err instanceof APIError && typeof err.status === 'number') {
    const { status } = err;
    if (status === 408 || status === 409 || status === 429 || status >= 500) {
      return new Error(`OpenAI chat completion failed with ${status}: ${err.message}`, { cause: err });
    }
    return httpStatusError(PROVIDER, status, `OpenAI chat completion refused with ${status}: ${err.message}`);
  }
  // APIConnectionError (network, timeout) and anything else the SDK threw before an answer.
  return new Error(`OpenAI chat completion failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

const unusable = (message: string) => new ProviderError(PROVIDER, 'unparseable_output', message, false);

export function createOpenAiContentEngine(opts: OpenAiContentOptions): ContentEngine {
  const client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, maxRetries: 0, timeout: opts.timeoutMs ?? 30_000 });

  return {
    name: 'llm',
    async compose(req: ContentRequest): Promise<ContentDraft> {
      let completion: OpenAI.Chat.Completions.ChatCompletion;
      try {
        completion = await client.chat.completions.create({
          model: opts.model,
          messages: [
            { role: 'system', content: systemPrompt(req) },
            { role: 'user', content: userMessage(req) },
          ],
          response_format: { type: 'json_object' },
        });
      } catch (err) {
        throw classify(err);
      }
      const choice = completion.choices[0];
      if (choice?.message.refusal) throw new ProviderError(PROVIDER, 'refused', `the model refused: ${choice.message.refusal}`, false);
      if (choice?.finish_reason === 'content_filter')
        throw new ProviderError(PROVIDER, 'content_filtered', 'the output was filtered', false);
      const content = choice?.message.content;
      if (!content) throw unusable(`no content (finish_reason ${choice?.finish_reason ?? 'none'})`);
      let json: unknown;
      try {
        json = JSON.parse(content);
      } catch {
        throw unusable(`the output is not JSON (finish_reason ${choice.finish_reason}): ${content.slice(0, 200)}`);
      }
      const parsed = ModelOutput.safeParse(json);
      if (!parsed.success) throw unusable(`the output is not {subject?, text}: ${parsed.error.message}`);

      const text = parsed.data.text.trim();
      // The subject is ours where it is fixed: the thread's for an answer, none for a follow-up or another channel.
      const thread = req.purpose === 'answer' ? threadSubject(req.conversation) : undefined;
      const subject = req.channel !== 'email' || req.purpose === 'follow_up' ? undefined : (thread ?? parsed.data.subject?.trim());
      return subject ? { subject, text } : { text };
    },
  };
}
