/**
 * A fake Vapi API on test/fakes/http-fake.ts (a real HTTP server, port 0) speaking Vapi's JSON
 * wire format, for the real `@vapi-ai/server-sdk` client (point it at `baseUrl` through
 * providers/vapi) in unit, workflow and end-to-end tests.
 *
 * Routes (Authorization: Bearer <apiKey>):
 *   POST /call       CreateCallDto -> 201 Call { id, orgId, type:'outboundPhoneCall', status:'queued', ... }
 *                    400 like Vapi for a bad E.164 number, a missing assistant or phone number,
 *                    for properties CreateCallDto or AssistantOverrides do not have ("property x
 *                    should not exist"), a firstMessage that is not a string, and a model override
 *                    without its provider and model (the SDK's AssistantOverridesModel requires both)
 *   GET  /assistant/:id  -> 200 Assistant { id, orgId, name, model, firstMessage, ... } | 404
 *                    (the org's assistants: seeded with addAssistant)
 *   GET  /call/:id   -> 200 Call (status, endedReason, artifact, analysis once ended) | 404
 *   GET  /call       -> 200 Call[]
 *   DELETE /call/:id -> 200 the deleted Call | 404 (VO-003: the call and its recording are gone)
 *   GET  /phone-number   -> 200 PhoneNumber[], newest first; query `limit` (default 100, 1..1000)
 *                    and createdAt/updatedAt{Gt,Lt,Ge,Le} (ListPhoneNumbersRequest of the SDK)
 *   POST /phone-number   CreatePhoneNumbersRequest.Twilio { provider:'twilio', number, twilioAccountSid,
 *                    twilioAuthToken (or twilioApiKey + twilioApiSecret), name? } -> 201 PhoneNumber
 *                    { id, orgId, provider, number, name, twilioAccountSid, status:'active', createdAt,
 *                    updatedAt } (the auth token is not echoed); 400 like Vapi for another provider,
 *                    a number that is not E.164, missing Twilio credentials, a name over 40
 *                    characters (assumed limit, not in the SDK types), properties the DTO does not have, and a number already imported
 *                    in the org (the fake's choice: real Vapi's answer to a duplicate is unverified)
 *   /file, /file/:id, /tool, /tool/:id   VO-001 knowledge-base files (multipart upload) and query
 *                    tools: see vapi-kb-fake.ts
 *
 * Test controls:
 *   const fake = new VapiFake();  const { baseUrl } = await fake.start();
 *   fake.requests                          every request (method, path, headers, JSON body)
 *   fake.calls / fake.lastCall()           the calls created
 *   fake.failNext(500, body?, headers?)    script the next answer (a queue; see script())
 *   fake.script({ ..., afterEffect: true }) the request takes effect, then the scripted answer (or
 *                                          drop) replaces the real one; fake.loseNextAnswer(match?)
 *   fake.phoneNumbers / fake.addPhoneNumber({ number, name? })   the org's phone numbers (seedable)
 *   fake.assistants / fake.addAssistant({ id?, model? })          the org's assistants (seedable)
 *   fake.files (with `content`: the bytes) / fake.tools / fake.deletedFileIds   the knowledge base (VO-001)
 *   fake.setStatus(id, 'ringing' | 'in-progress')
 *   fake.endCall(id, { endedReason: 'customer-busy', transcript, summary, recordingUrl, durationSeconds })
 *   fake.endOfCallReport(id) / fake.statusUpdate(id)   server messages as Vapi sends them
 *   fake.sendWebhook(url, payload, { mode: 'hmac' | 'bearer' | 'x-vapi-secret', secret })
 *   fake.reset(); await fake.stop();
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { RoutedFake, type FakeRequest, type FakeResponse } from './http-fake.js';
import { VapiKnowledgeBaseRoutes, type FakeVapiFile, type FakeVapiTool } from './vapi-kb-fake.js';

export interface VapiRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (or the raw text when it is not JSON). */
  body: unknown;
  rawBody: string;
  status?: number;
}

export interface VapiScriptedResponse {
  status: number;
  /** JSON body; defaults to a Vapi-style error body for status >= 400. */
  body?: unknown;
  headers?: Record<string, string>;
  match?: { method?: string; path?: string | RegExp };
  /** Destroy the socket without answering (a network failure for the client). */
  drop?: boolean;
  delayMs?: number;
  /**
   * Handle the request normally first (a call or phone number is created), then answer with
   * this script instead (`drop`, or `status`/`body`): an answer lost after the effect.
   */
  afterEffect?: boolean;
}

/** A phone number of the org as GET/POST /phone-number answer it (TwilioPhoneNumber). */
export interface FakeVapiPhoneNumber {
  id: string;
  orgId: string;
  provider: 'twilio' | 'vapi' | 'vonage' | 'telnyx' | 'byo-phone-number';
  number: string;
  name?: string;
  twilioAccountSid?: string;
  status: 'active' | 'activating' | 'blocked';
  createdAt: string;
  updatedAt: string;
  [k: string]: unknown;
}

export interface FakeVapiCall {
  id: string;
  orgId: string;
  type: 'outboundPhoneCall';
  status: string;
  assistantId?: string;
  phoneNumberId?: string;
  customer?: { number: string; name?: string; [k: string]: unknown };
  assistantOverrides?: Record<string, unknown>;
  name?: string;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  endedAt?: string;
  endedReason?: string;
  phoneCallProvider: 'twilio';
  phoneCallProviderId: string;
  phoneCallTransport: 'pstn';
  cost?: number;
  artifact?: Record<string, unknown>;
  analysis?: Record<string, unknown>;
  /** Only when endCall(..., { legacyTopLevel: true }): the older top-level fields. */
  transcript?: string;
  summary?: string;
  recordingUrl?: string;
  [k: string]: unknown;
}

export interface EndCallInput {
  endedReason: string;
  transcript?: string;
  summary?: string;
  recordingUrl?: string;
  durationSeconds?: number;
  /** Put transcript/summary/recordingUrl at the call's top level instead of artifact/analysis. */
  legacyTopLevel?: boolean;
  endedAt?: Date;
}

export interface VapiFakeOptions {
  apiKey?: string;
  orgId?: string;
}

/** The properties of CreateCallDto (@vapi-ai/server-sdk 2.0.1); Vapi rejects others. */
const CREATE_CALL_PROPERTIES = new Set([
  'assistantVersion',
  'transport',
  'customers',
  'name',
  'schedulePlan',
  'assistantId',
  'assistant',
  'assistantOverrides',
  'squadId',
  'squad',
  'squadOverrides',
  'workflowId',
  'workflow',
  'workflowOverrides',
  'phoneNumberId',
  'phoneNumber',
  'customerId',
  'customer',
]);

/** The properties of AssistantOverrides (@vapi-ai/server-sdk 2.0.1); Vapi rejects others. */
const ASSISTANT_OVERRIDES_PROPERTIES = new Set([
  'transcriber',
  'model',
  'voice',
  'firstMessage',
  'firstMessageInterruptionsEnabled',
  'firstMessageMode',
  'voicemailDetection',
  'clientMessages',
  'serverMessages',
  'maxDurationSeconds',
  'backgroundSound',
  'modelOutputInMessagesEnabled',
  'transportConfigurations',
  'observabilityPlan',
  'credentials',
  'hooks',
  'tools:append',
  'variableValues',
  'name',
  'voicemailMessage',
  'endCallMessage',
  'endCallPhrases',
  'compliancePlan',
  'metadata',
  'backgroundSpeechDenoisingPlan',
  'analysisPlan',
  'artifactPlan',
  'startSpeakingPlan',
  'stopSpeakingPlan',
  'monitorPlan',
  'credentialIds',
  'server',
  'keypadInputPlan',
]);
const FIRST_MESSAGE_MODES = ['assistant-speaks-first', 'assistant-speaks-first-with-model-generated-message', 'assistant-waits-for-user'];

/** An assistant of the org as GET /assistant/{id} answers it. */
export interface FakeVapiAssistant {
  id: string;
  orgId: string;
  name?: string;
  model?: { provider: string; model: string; toolIds?: string[]; messages?: unknown[]; [k: string]: unknown };
  firstMessage?: string;
  createdAt: string;
  updatedAt: string;
  [k: string]: unknown;
}

/** The properties of CreateTwilioPhoneNumberDto plus the `provider` discriminator. */
const CREATE_TWILIO_NUMBER_PROPERTIES = new Set([
  'provider',
  'fallbackDestination',
  'hooks',
  'smsEnabled',
  'number',
  'twilioAccountSid',
  'twilioAuthToken',
  'twilioApiKey',
  'twilioApiSecret',
  'name',
  'assistantId',
  'workflowId',
  'squadId',
  'server',
]);
const PHONE_NUMBER_PROVIDERS = ['byo-phone-number', 'twilio', 'vonage', 'vapi', 'telnyx'];
const TIME_FILTERS = [
  'createdAtGt',
  'createdAtLt',
  'createdAtGe',
  'createdAtLe',
  'updatedAtGt',
  'updatedAtLt',
  'updatedAtGe',
  'updatedAtLe',
] as const;

export function vapiErrorBody(status: number, message: string | string[]) {
  const error =
    { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' }[status] ??
    (status >= 500 ? 'Internal Server Error' : 'Error');
  return { message, error, statusCode: status };
}

const reply = (status: number, body: unknown): FakeResponse => ({ status, body });

/** What `requests` keeps: the parsed JSON body, or the raw text when it is not JSON. */
function record(req: FakeRequest): VapiRecordedRequest {
  return {
    method: req.method,
    path: req.path,
    query: Object.fromEntries(req.query),
    headers: req.headers,
    body: req.body ?? req.rawBody,
    rawBody: req.rawBody,
    get status() {
      return req.status;
    },
  };
}

/** What Vapi would say about an assistantOverrides object (unknown properties, first message, model). */
function overrideProblems(overrides: unknown): string[] {
  if (overrides === undefined) return [];
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides)) return ['assistantOverrides must be an object'];
  const o = overrides as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(o))
    if (!ASSISTANT_OVERRIDES_PROPERTIES.has(key)) problems.push(`assistantOverrides.property ${key} should not exist`);
  if (o.firstMessage !== undefined && typeof o.firstMessage !== 'string') problems.push('assistantOverrides.firstMessage must be a string');
  if (o.firstMessageMode !== undefined && !FIRST_MESSAGE_MODES.includes(o.firstMessageMode as string))
    problems.push(`assistantOverrides.firstMessageMode must be one of the following values: ${FIRST_MESSAGE_MODES.join(', ')}`);
  if (o.model !== undefined) {
    const model = o.model as Record<string, unknown> | null;
    if (!model || typeof model.provider !== 'string') problems.push('assistantOverrides.model.provider must be a string');
    if (!model || typeof model.model !== 'string') problems.push('assistantOverrides.model.model must be a string');
    if (model?.toolIds !== undefined && !(Array.isArray(model.toolIds) && model.toolIds.every((t) => typeof t === 'string')))
      problems.push('assistantOverrides.model.each value in toolIds must be a string');
  }
  return problems;
}

export class VapiFake extends RoutedFake<VapiRecordedRequest> {
  readonly apiKey: string;
  readonly orgId: string;
  readonly calls: FakeVapiCall[] = [];
  /** Calls deleted through DELETE /call/{id} (VO-003), in order. */
  readonly deletedCallIds: string[] = [];
  /** The org's phone numbers (imported through POST /phone-number or seeded with addPhoneNumber). */
  readonly phoneNumbers: FakeVapiPhoneNumber[] = [];
  /** The org's assistants (seeded with addAssistant). */
  readonly assistants: FakeVapiAssistant[] = [];
  /** VO-001: knowledge-base files and query tools (vapi-kb-fake.ts). */
  private readonly knowledgeBase: VapiKnowledgeBaseRoutes;
  private lastCreatedMs = 0;

  constructor(opts: VapiFakeOptions = {}) {
    super({ record, headers: () => ({ 'content-type': 'application/json; charset=utf-8' }) });
    this.apiKey = opts.apiKey ?? 'fake-vapi-private-key';
    this.orgId = opts.orgId ?? randomUUID();
    this.knowledgeBase = new VapiKnowledgeBaseRoutes(this.orgId, vapiErrorBody);
  }

  /** The org's files (POST /file), each with the exact bytes received as `content`. */
  get files(): FakeVapiFile[] {
    return this.knowledgeBase.files;
  }

  /** The org's query tools (POST /tool, PATCH /tool/{id}). */
  get tools(): FakeVapiTool[] {
    return this.knowledgeBase.tools;
  }

  /** Files deleted through DELETE /file/{id}, in order. */
  get deletedFileIds(): string[] {
    return this.knowledgeBase.deletedFileIds;
  }

  override get baseUrl(): string {
    if (!this.http.baseUrl) throw new Error('VapiFake is not started');
    return this.http.baseUrl;
  }

  reset(): void {
    this.http.reset();
    this.calls.length = 0;
    this.deletedCallIds.length = 0;
    this.phoneNumbers.length = 0;
    this.assistants.length = 0;
    this.knowledgeBase.reset();
  }

  script(response: VapiScriptedResponse): void {
    const { status, match, afterEffect, delayMs } = response;
    const json = response.body ?? (status >= 400 ? vapiErrorBody(status, `scripted ${status}`) : {});
    const body = typeof json === 'string' ? JSON.stringify(json) : json; // always JSON, a string too
    // After the effect the scripted answer replaces the real one, unless it drops.
    const drop = Boolean(response.drop);
    this.http.failNext({ method: match?.method, path: match?.path, status, body, headers: response.headers, drop, afterEffect, delayMs });
  }

  /** The next request answers `status` (default body: a Vapi error body). */
  failNext(status: number, body?: unknown, headers?: Record<string, string>): void {
    this.script({ status, body, headers });
  }

  /** The next matching request takes effect, then its answer is lost (the socket is destroyed). */
  loseNextAnswer(match?: VapiScriptedResponse['match']): void {
    this.script({ status: 0, drop: true, afterEffect: true, ...(match ? { match } : {}) });
  }

  /** Seeds a phone number as if it had been imported earlier (it shows in GET /phone-number). */
  addPhoneNumber(input: Partial<FakeVapiPhoneNumber> & { number: string }): FakeVapiPhoneNumber {
    const createdAt = input.createdAt ?? this.nextCreatedAt();
    const phoneNumber: FakeVapiPhoneNumber = {
      id: randomUUID(),
      orgId: this.orgId,
      provider: 'twilio',
      status: 'active',
      updatedAt: createdAt,
      ...input,
      createdAt,
    };
    this.phoneNumbers.push(phoneNumber);
    return phoneNumber;
  }

  /** Seeds an assistant of the org (default model: openai gpt-4o without tools). */
  addAssistant(input: Partial<FakeVapiAssistant> = {}): FakeVapiAssistant {
    const now = new Date().toISOString();
    const assistant: FakeVapiAssistant = {
      id: randomUUID(),
      orgId: this.orgId,
      name: 'Outbound assistant',
      model: { provider: 'openai', model: 'gpt-4o', messages: [{ role: 'system', content: 'You book meetings.' }] },
      createdAt: now,
      updatedAt: now,
      ...input,
    };
    this.assistants.push(assistant);
    return assistant;
  }

  lastCall(): FakeVapiCall | undefined {
    return this.calls[this.calls.length - 1];
  }

  getCall(id: string): FakeVapiCall {
    const call = this.calls.find((c) => c.id === id);
    if (!call) throw new Error(`no Vapi call ${id}`);
    return call;
  }

  /** Moves a call along (queued -> ringing -> in-progress); 'in-progress' sets startedAt. */
  setStatus(id: string, status: string): FakeVapiCall {
    const call = this.getCall(id);
    call.status = status;
    call.updatedAt = new Date().toISOString();
    if (status === 'in-progress' && !call.startedAt) call.startedAt = call.updatedAt;
    return call;
  }

  /** Ends a call the way Vapi reports it: status 'ended', endedReason, artifact and analysis. */
  endCall(id: string, input: EndCallInput): FakeVapiCall {
    const call = this.getCall(id);
    const endedAt = input.endedAt ?? new Date();
    const duration = input.durationSeconds ?? 0;
    call.status = 'ended';
    call.endedReason = input.endedReason;
    // A given duration wins over the time since setStatus('in-progress').
    call.startedAt =
      input.durationSeconds !== undefined || !call.startedAt ? new Date(endedAt.getTime() - duration * 1000).toISOString() : call.startedAt;
    call.endedAt = endedAt.toISOString();
    call.updatedAt = call.endedAt;
    call.cost = Math.round(duration * 0.002 * 10_000) / 10_000;
    if (input.legacyTopLevel) {
      call.transcript = input.transcript;
      call.summary = input.summary;
      call.recordingUrl = input.recordingUrl;
      call.artifact = { messages: [] };
      call.analysis = {};
    } else {
      call.artifact = {
        messages: [],
        ...(input.transcript !== undefined ? { transcript: input.transcript } : {}),
        ...(input.recordingUrl !== undefined
          ? { recordingUrl: input.recordingUrl, recording: { mono: { combinedUrl: input.recordingUrl } } }
          : {}),
      };
      call.analysis = input.summary !== undefined ? { summary: input.summary } : {};
    }
    return call;
  }

  /** The `end-of-call-report` server message Vapi would POST for an ended call. */
  endOfCallReport(id: string): { message: Record<string, unknown> } {
    const call = this.getCall(id);
    if (call.status !== 'ended') throw new Error(`Vapi call ${id} has not ended`);
    const durationSeconds = call.startedAt && call.endedAt ? (Date.parse(call.endedAt) - Date.parse(call.startedAt)) / 1000 : 0;
    return {
      message: {
        timestamp: Date.now(),
        type: 'end-of-call-report',
        endedReason: call.endedReason,
        call: { ...call },
        customer: call.customer,
        phoneNumber: { id: call.phoneNumberId },
        startedAt: call.startedAt,
        endedAt: call.endedAt,
        durationSeconds,
        durationMs: durationSeconds * 1000,
        cost: call.cost,
        artifact: call.artifact ?? { messages: [] },
        analysis: call.analysis ?? {},
        ...(call.transcript !== undefined ? { transcript: call.transcript } : {}),
        ...(call.summary !== undefined ? { summary: call.summary } : {}),
        ...(call.recordingUrl !== undefined ? { recordingUrl: call.recordingUrl } : {}),
      },
    };
  }

  /** The `status-update` server message for the call's current status. */
  statusUpdate(id: string): { message: Record<string, unknown> } {
    const call = this.getCall(id);
    return {
      message: {
        timestamp: Date.now(),
        type: 'status-update',
        status: call.status,
        ...(call.endedReason ? { endedReason: call.endedReason } : {}),
        call: { ...call },
        customer: call.customer,
      },
    };
  }

  /**
   * POSTs a server message to `url` authenticated as Vapi does: 'hmac' (x-signature, x-timestamp
   * in milliseconds unless given), 'bearer' (Authorization: Bearer) or 'x-vapi-secret'.
   */
  async sendWebhook(
    url: string,
    payload: unknown,
    auth: { mode: 'hmac' | 'bearer' | 'x-vapi-secret'; secret: string; timestamp?: number | string } | { mode: 'none' },
  ): Promise<Response> {
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Vapi/1.0' };
    if (auth.mode === 'hmac') {
      const ts = String(auth.timestamp ?? Date.now());
      headers['x-timestamp'] = ts;
      headers['x-signature'] = createHmac('sha256', auth.secret).update(`${ts}.${body}`).digest('hex');
    } else if (auth.mode === 'bearer') headers.authorization = `Bearer ${auth.secret}`;
    else if (auth.mode === 'x-vapi-secret') headers['x-vapi-secret'] = auth.secret;
    return fetch(url, { method: 'POST', headers, body });
  }

  // ---- server ---------------------------------------------------------------------------------

  protected route(req: FakeRequest, recorded: VapiRecordedRequest): FakeResponse | Promise<FakeResponse> {
    const { method, path } = req;
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return reply(
        401,
        vapiErrorBody(401, 'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.'),
      );
    }
    const kb = this.knowledgeBase.route(req);
    if (kb) return kb;
    if (method === 'POST' && path === '/call') return this.createCall(recorded.body);
    if (method === 'GET' && path === '/call') return reply(200, this.calls);
    if (method === 'POST' && path === '/phone-number') return this.createPhoneNumber(recorded.body);
    if (method === 'GET' && path === '/phone-number') return this.listPhoneNumbers(req.query);
    const a = /^\/assistant\/([^/]+)$/.exec(path);
    if (method === 'GET' && a) {
      const assistant = this.assistants.find((x) => x.id === decodeURIComponent(a[1]!));
      return assistant ? reply(200, assistant) : reply(404, vapiErrorBody(404, "Couldn't Get Assistant. Assistant Not Found."));
    }
    const m = /^\/call\/([^/]+)$/.exec(path);
    if (method === 'GET' && m) {
      const call = this.calls.find((c) => c.id === decodeURIComponent(m[1]!));
      return call ? reply(200, call) : reply(404, vapiErrorBody(404, 'Call not found'));
    }
    if (method === 'DELETE' && m) {
      // VO-003: the call and its artifacts (recording, transcript) are gone; Vapi answers the deleted Call.
      const i = this.calls.findIndex((c) => c.id === decodeURIComponent(m[1]!));
      if (i < 0) return reply(404, vapiErrorBody(404, 'Call not found'));
      const [call] = this.calls.splice(i, 1);
      this.deletedCallIds.push(call!.id);
      return reply(200, call);
    }
    return reply(404, vapiErrorBody(404, `Cannot ${method} ${path}`));
  }

  /** Strictly increasing creation times, so createdAt filters page deterministically. */
  private nextCreatedAt(): string {
    this.lastCreatedMs = Math.max(Date.now(), this.lastCreatedMs + 1);
    return new Date(this.lastCreatedMs).toISOString();
  }

  private listPhoneNumbers(query: URLSearchParams): FakeResponse {
    const problems: string[] = [];
    let limit = 100;
    const rawLimit = query.get('limit');
    if (rawLimit !== null) {
      limit = Number(rawLimit);
      if (!Number.isInteger(limit)) problems.push('limit must be a number conforming to the specified constraints');
      else if (limit < 0) problems.push('limit must not be less than 0');
      else if (limit > 1000) problems.push('limit must not be greater than 1000');
    }
    const bounds: Array<[(typeof TIME_FILTERS)[number], number]> = [];
    for (const key of TIME_FILTERS) {
      const raw = query.get(key);
      if (raw === null) continue;
      const at = Date.parse(raw);
      if (Number.isNaN(at)) problems.push(`${key} must be a valid ISO 8601 date string`);
      else bounds.push([key, at]);
    }
    if (problems.length > 0) return reply(400, vapiErrorBody(400, problems));
    const selected = this.phoneNumbers.filter((n) =>
      bounds.every(([key, at]) => {
        const value = Date.parse(key.startsWith('created') ? n.createdAt : n.updatedAt);
        if (key.endsWith('Gt')) return value > at;
        if (key.endsWith('Lt')) return value < at;
        if (key.endsWith('Ge')) return value >= at;
        return value <= at;
      }),
    );
    selected.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
    return reply(200, selected.slice(0, limit));
  }

  private createPhoneNumber(body: unknown): FakeResponse {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return reply(400, vapiErrorBody(400, ['body must be a JSON object']));
    const dto = body as Record<string, unknown>;
    if (typeof dto.provider !== 'string' || !PHONE_NUMBER_PROVIDERS.includes(dto.provider)) {
      return reply(400, vapiErrorBody(400, [`provider must be one of the following values: ${PHONE_NUMBER_PROVIDERS.join(', ')}`]));
    }
    if (dto.provider !== 'twilio')
      return reply(400, vapiErrorBody(400, [`the fake imports provider 'twilio' only, not '${dto.provider}'`]));
    const problems: string[] = [];
    for (const key of Object.keys(dto)) if (!CREATE_TWILIO_NUMBER_PROPERTIES.has(key)) problems.push(`property ${key} should not exist`);
    if (typeof dto.number !== 'string') problems.push('number must be a string');
    else if (!/^\+[1-9]\d{6,14}$/.test(dto.number)) problems.push('number must be a valid phone number in the E.164 format.');
    if (typeof dto.twilioAccountSid !== 'string' || !dto.twilioAccountSid) problems.push('twilioAccountSid must be a string');
    else if (!/^AC[0-9a-fA-F]{32}$/.test(dto.twilioAccountSid))
      problems.push('twilioAccountSid must be a Twilio Account SID (AC + 32 hex characters)');
    const hasToken = typeof dto.twilioAuthToken === 'string' && dto.twilioAuthToken.length > 0;
    const hasApiKey =
      typeof dto.twilioApiKey === 'string' &&
      dto.twilioApiKey.length > 0 &&
      typeof dto.twilioApiSecret === 'string' &&
      dto.twilioApiSecret.length > 0;
    if (!hasToken && !hasApiKey) problems.push('Either twilioAuthToken or twilioApiKey and twilioApiSecret must be provided.');
    if (dto.name !== undefined && typeof dto.name !== 'string') problems.push('name must be a string');
    else if (typeof dto.name === 'string' && dto.name.length > 40) problems.push('name must be shorter than or equal to 40 characters');
    if (problems.length > 0) return reply(400, vapiErrorBody(400, problems));
    const number = dto.number as string;
    if (this.phoneNumbers.some((n) => n.number === number))
      return reply(400, vapiErrorBody(400, `Number ${number} already exists in this org.`));

    const createdAt = this.nextCreatedAt();
    const phoneNumber: FakeVapiPhoneNumber = {
      id: randomUUID(),
      orgId: this.orgId,
      provider: 'twilio',
      number,
      ...(typeof dto.name === 'string' ? { name: dto.name } : {}),
      twilioAccountSid: dto.twilioAccountSid as string,
      status: 'active',
      createdAt,
      updatedAt: createdAt,
    };
    this.phoneNumbers.push(phoneNumber);
    return reply(201, phoneNumber);
  }

  private createCall(body: unknown): FakeResponse {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return reply(400, vapiErrorBody(400, ['body must be a JSON object']));
    const dto = body as Record<string, unknown>;
    const problems: string[] = [];
    for (const key of Object.keys(dto)) if (!CREATE_CALL_PROPERTIES.has(key)) problems.push(`property ${key} should not exist`);
    if (!dto.assistantId && !dto.assistant && !dto.squadId && !dto.squad && !dto.workflowId && !dto.workflow) {
      problems.push('Need either `assistant`, `assistantId`, `squad`, `squadId`, `workflow`, or `workflowId`.');
    }
    if (!dto.phoneNumberId && !dto.phoneNumber) problems.push('Need either `phoneNumberId` or `phoneNumber`.');
    const customer = dto.customer as { number?: unknown; name?: unknown } | undefined;
    if (!customer || typeof customer.number !== 'string') problems.push('customer.number must be a string');
    else if (!/^\+[1-9]\d{6,14}$/.test(customer.number)) problems.push('customer.number must be a valid phone number in the E.164 format.');
    if (customer && typeof customer.name === 'string' && customer.name.length > 40)
      problems.push('customer.name must be shorter than or equal to 40 characters');
    problems.push(...overrideProblems(dto.assistantOverrides));
    if (problems.length > 0) return reply(400, vapiErrorBody(400, problems));

    const now = new Date().toISOString();
    const id = randomUUID();
    const call: FakeVapiCall = {
      id,
      orgId: this.orgId,
      type: 'outboundPhoneCall',
      status: 'queued',
      ...(typeof dto.assistantId === 'string' ? { assistantId: dto.assistantId } : {}),
      ...(typeof dto.phoneNumberId === 'string' ? { phoneNumberId: dto.phoneNumberId } : {}),
      customer: customer as FakeVapiCall['customer'],
      ...(dto.assistantOverrides ? { assistantOverrides: dto.assistantOverrides as Record<string, unknown> } : {}),
      ...(typeof dto.name === 'string' ? { name: dto.name } : {}),
      createdAt: now,
      updatedAt: now,
      phoneCallProvider: 'twilio',
      phoneCallProviderId: `CA${randomBytes(16).toString('hex')}`,
      phoneCallTransport: 'pstn',
      monitor: { listenUrl: `wss://phone-call-websocket.fake/${id}/listen`, controlUrl: `https://phone-call-websocket.fake/${id}/control` },
    };
    this.calls.push(call);
    return reply(201, call);
  }
}
