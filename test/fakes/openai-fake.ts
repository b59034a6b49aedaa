/**
 * A fake OpenAI API on test/fakes/http-fake.ts (a real HTTP server, port 0) speaking the Chat
 * Completions wire format, for the real `openai` SDK (point it at `${baseUrl}/v1`).
 *
 *   const openai = new OpenAiFake();  const { baseUrl } = await openai.start();
 *   openai.respondWith((body) => JSON.stringify({ text: 'Hi' }));   // the assistant message's content
 *   openai.failNext({ status: 429 });          // OpenAI's error body for the status, unless `body` is given
 *   openai.failNext({ drop: true });           // a dead socket (the SDK's APIConnectionError)
 *   openai.hangNext();                         // never answers (the client's timeout fires)
 *   openai.completions                         // the POST /v1/chat/completions requests (headers, JSON body)
 *   openai.reset(); await openai.stop();
 *
 * Route: POST /v1/chat/completions with `Authorization: Bearer <apiKey>` (checked first: 401
 * `invalid_api_key` otherwise, like OpenAI). 400 `invalid_request_error` without a model, without
 * messages, and in JSON mode (`response_format: {type:'json_object'}`) when no message contains
 * the word "json" (OpenAI's rule). Else 200 with a `chat.completion`: {id, object, created, model,
 * choices:[{index, message:{role:'assistant', content, refusal:null}, finish_reason:'stop',
 * logprobs:null}], usage:{prompt_tokens, completion_tokens, total_tokens}} (token counts are
 * estimates: a quarter of the characters). Anything else: 404 in OpenAI's error shape.
 */
import { randomBytes } from 'node:crypto';
import { RoutedFake, type FakeAnswer, type FakeRequest, type ScriptedFailure } from './http-fake.js';

export interface ChatRequestBody {
  model?: string;
  messages?: { role: string; content: unknown }[];
  response_format?: { type: string };
  [k: string]: unknown;
}

/** The content of the assistant message for a request. */
export type ChatResponder = (body: ChatRequestBody) => string;

const DEFAULT_RESPONDER: ChatResponder = () => JSON.stringify({ text: 'Thanks for getting back to me.' });

/** OpenAI's error body: {error:{message, type, param, code}}. */
export function openAiError(message: string, type: string, code: string | null = null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

/** The body OpenAI answers with for a status, for scripted failures without their own. */
function errorBodyFor(status: number) {
  if (status === 429)
    return openAiError(
      'Rate limit reached for requests. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.',
      'requests',
      'rate_limit_exceeded',
    );
  if (status === 401) return openAiError('Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
  if (status === 400) return openAiError('Invalid request.', 'invalid_request_error');
  if (status === 503) return openAiError('The engine is currently overloaded, please try again later.', 'server_error');
  return openAiError('The server had an error while processing your request. Sorry about that!', 'server_error');
}

const tokens = (s: string) => Math.ceil(s.length / 4);

export class OpenAiFake extends RoutedFake {
  readonly apiKey: string;
  private responder: ChatResponder = DEFAULT_RESPONDER;
  private hangs = 0;

  constructor(opts: { apiKey?: string } = {}) {
    const apiKey = opts.apiKey ?? 'sk-test-openai-fake';
    super({
      before: (req) => this.authorise(req),
      headers: () => ({ 'x-request-id': `req_${randomBytes(12).toString('hex')}`, 'openai-version': '2020-10-01' }),
    });
    this.apiKey = apiKey;
  }

  /** The assistant message's content from now on (until reset). */
  respondWith(responder: ChatResponder): void {
    this.responder = responder;
  }

  /** Script the next matching request's answer (a status with OpenAI's error body, or a dropped socket). */
  failNext(failure: ScriptedFailure): void {
    const status = failure.status ?? 500;
    this.http.failNext({ ...failure, status, body: failure.body ?? errorBodyFor(status) });
  }

  /** The next request is never answered. */
  hangNext(): void {
    this.hangs++;
  }

  get completions(): FakeRequest[] {
    return this.requestsTo('POST', '/v1/chat/completions');
  }

  reset(): void {
    this.http.reset();
    this.responder = DEFAULT_RESPONDER;
    this.hangs = 0;
  }

  private authorise(req: FakeRequest): FakeAnswer | undefined {
    const auth = req.headers.authorization;
    if (!auth) {
      const message =
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";
      return { status: 401, body: openAiError(message, 'invalid_request_error') };
    }
    if (auth !== `Bearer ${this.apiKey}`) {
      const shown = auth.replace(/^Bearer\s+/i, '').slice(0, 8);
      const message = `Incorrect API key provided: ${shown}****. You can find your API key at https://platform.openai.com/account/api-keys.`;
      return { status: 401, body: openAiError(message, 'invalid_request_error', 'invalid_api_key') };
    }
    return undefined;
  }

  protected route(req: FakeRequest): FakeAnswer {
    if (req.method !== 'POST' || req.path !== '/v1/chat/completions') {
      return { status: 404, body: openAiError(`Invalid URL (${req.method} ${req.path})`, 'invalid_request_error') };
    }
    if (this.hangs > 0) {
      this.hangs--;
      return 'hang';
    }
    const body = (req.body ?? {}) as ChatRequestBody;
    const bad = (message: string, param: string | null) => ({
      status: 400,
      body: openAiError(message, 'invalid_request_error', null, param),
    });
    if (typeof body.model !== 'string' || !body.model) return bad('you must provide a model parameter', null);
    if (!Array.isArray(body.messages) || body.messages.length === 0) return bad("[] is too short - 'messages'", 'messages');
    const said = body.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n');
    if (body.response_format?.type === 'json_object' && !/json/i.test(said)) {
      return bad("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages');
    }
    const content = this.responder(body);
    const [prompt, completion] = [tokens(said), tokens(content)];
    return {
      status: 200,
      body: {
        id: `chatcmpl-${randomBytes(12).toString('hex')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
      },
    };
  }
}
