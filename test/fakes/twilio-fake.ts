/**
 * A fake Twilio REST API on test/fakes/http-fake.ts (a real HTTP server, port 0) speaking Twilio's
 * wire format, for the real `twilio` SDK (point it at `baseUrl` through providers/twilio) in unit,
 * workflow and end-to-end tests.
 *
 * Routes (all under /2010-04-01/Accounts/{AccountSid}, HTTP Basic `AccountSid:AuthToken`):
 *   POST /Messages.json                  form-encoded To, From, Body, StatusCallback... -> 201 message
 *   GET  /Messages/{MessageSid}.json     -> 200 message
 *   GET  /Recordings.json?CallSid=&PageSize=&Page=  -> 200 page envelope { recordings, next_page_uri, ... }
 *   GET  /Recordings/{RecordingSid}.json -> 200 recording
 *   GET  /Recordings/{RecordingSid}(.mp3|.wav) -> audio bytes
 *   DELETE /Recordings/{RecordingSid}.json -> 204 | 404 (VO-003)
 *   GET  /AvailablePhoneNumbers/{Country}/Mobile.json | Local.json ?SmsEnabled=&VoiceEnabled=&MmsEnabled=&Contains=&PageSize=
 *        -> 200 page envelope { available_phone_numbers: [{ phone_number, friendly_name, iso_country,
 *        capabilities: { voice, sms, mms }, ... }] } from the pool (numbers already bought excluded);
 *        404 (20404) for a country/type the fake has no pool for.
 *   GET  /IncomingPhoneNumbers.json?FriendlyName=&PhoneNumber=&PageSize=&Page=
 *        -> 200 page envelope { incoming_phone_numbers, next_page_uri, ... } (FriendlyName exact;
 *        PhoneNumber a substring, '*' matching any digit)
 *   POST /IncomingPhoneNumbers.json      form PhoneNumber (or AreaCode), FriendlyName, SmsUrl, StatusCallback,
 *        AddressSid, BundleSid... -> 201 IncomingPhoneNumber (sid PN..., snake_case fields as Twilio
 *        returns them); 400 code 21422 when the number is not available (not in a pool, or bought)
 *   GET  /IncomingPhoneNumbers/{PN}.json -> 200 IncomingPhoneNumber
 * Errors use Twilio's JSON error body { code, message, more_info, status }.
 *
 * Test controls:
 *   const fake = new TwilioFake();  const { baseUrl } = await fake.start();
 *   fake.requests                   every request (method, path, query, headers, form body, auth)
 *   fake.messages                   the messages created
 *   fake.failNext(429, body?, headers?)   script the next answer (a queue; see script())
 *   fake.script({ status, body, match: { method: 'POST', path: /Messages/ }, drop: true })
 *   fake.script({ status: 0, afterEffect: true, match: { method: 'POST', path: /IncomingPhoneNumbers/ } })
 *                                   the request takes effect (e.g. the number IS bought), then the
 *                                   answer is lost (socket destroyed): a purchase that timed out
 *   fake.setAvailableNumbers('AU', ['+61400000001', ...], 'mobile')   the search pool of a country
 *                                   and type (default: a few AU mobile and AU local numbers)
 *   fake.purchasedNumbers           the numbers bought through POST /IncomingPhoneNumbers.json, in order
 *   fake.rejectRecipient('+61400000000', 21610)  every message to it fails with that Twilio error
 *   fake.addRecording(callSid, { durationSeconds: 42 })
 *   fake.setMessageStatus(sid, 'delivered') / fake.sendStatusCallback(sid, 'delivered')
 *   fake.sendInboundSms({ url, from, to, body })  signed POST to our webhook
 *   fake.reset(); await fake.stop();      (reset also restores the default number pools)
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { RoutedFake, formFields, type FakeRequest, type FakeResponse } from './http-fake.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  /** Form fields for form-encoded bodies, parsed JSON for JSON bodies, else the raw text. */
  body: unknown;
  rawBody: string;
  /** Decoded HTTP Basic credentials, when sent. */
  auth?: { username: string; password: string };
  /** The status the fake answered with. */
  status?: number;
}

export interface ScriptedResponse {
  status: number;
  /** JSON body (objects are serialised); defaults to a Twilio error body for status >= 400. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Only a request matching this consumes the entry (default: the next API request). */
  match?: { method?: string; path?: string | RegExp };
  /** Destroy the socket without answering (a network failure for the client). */
  drop?: boolean;
  /**
   * Let the request take effect as if unscripted (a message is created, a number is bought), then
   * destroy the socket instead of answering: a request whose answer was lost.
   */
  afterEffect?: boolean;
  /** Wait before answering. */
  delayMs?: number;
}

export type NumberType = 'mobile' | 'local';

/** A number in an AvailablePhoneNumbers pool (strings are SMS, voice and MMS capable). */
export interface AvailableNumber {
  phoneNumber: string;
  voice?: boolean;
  sms?: boolean;
  mms?: boolean;
  /** Twilio's address_requirements: none | any | local | foreign (default 'none'). */
  addressRequirements?: string;
}

/** An IncomingPhoneNumber of the account (bought through POST /IncomingPhoneNumbers.json). */
export interface FakeIncomingNumber {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  isoCountry: string;
  numberType: NumberType;
  capabilities: { voice: boolean; sms: boolean; mms: boolean; fax: boolean };
  smsUrl?: string;
  statusCallback?: string;
  voiceUrl?: string;
  addressSid?: string;
  bundleSid?: string;
  dateCreated: Date;
  /** Every form field as sent. */
  params: Record<string, string | string[]>;
}

/** The pools a new (or reset) fake offers: ACMA's numbers for fictitious use. */
export const DEFAULT_AVAILABLE_NUMBERS: Readonly<Record<string, Partial<Record<NumberType, readonly string[]>>>> = {
  AU: {
    mobile: ['+61491570006', '+61491570156', '+61491570157', '+61491570158', '+61491570159', '+61491570110'],
    local: ['+61255500001', '+61255500002', '+61255500003'],
  },
};

export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  status: string;
  numSegments: number;
  statusCallback?: string;
  messagingServiceSid?: string;
  dateCreated: Date;
  errorCode?: number;
  /** Every form field as sent. */
  params: Record<string, string | string[]>;
}

export interface FakeRecording {
  sid: string;
  callSid: string;
  durationSeconds: number;
  status: 'processing' | 'completed' | 'absent' | 'deleted' | 'failed';
  channels: number;
  source: string;
  dateCreated: Date;
}

export interface TwilioFakeOptions {
  accountSid?: string;
  authToken?: string;
  /** Default PageSize of list endpoints (Twilio's is 50). */
  defaultPageSize?: number;
}

const API_VERSION = '2010-04-01';

export function twilioSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Twilio's JSON error body. */
export function twilioErrorBody(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Common Twilio errors, for fake.failNext(...) / fake.rejectRecipient(...). */
export const TWILIO_ERRORS = {
  21211: (to = '') => twilioErrorBody(400, 21211, `The 'To' number ${to} is not a valid phone number.`),
  21614: (to = '') => twilioErrorBody(400, 21614, `'To' number ${to} is not a valid mobile number`),
  21610: (to = '') => twilioErrorBody(400, 21610, `Attempt to send to unsubscribed recipient ${to}`),
  20003: () => twilioErrorBody(401, 20003, 'Authenticate'),
  20429: () => twilioErrorBody(429, 20429, 'Too Many Requests'),
  20500: () => twilioErrorBody(500, 20500, 'An internal server error has occurred'),
} as const;

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENDED = '^{}\\[~]|€\f';

/** Segments as Twilio counts them, roughly: GSM-7 160/153 (extended chars count 2), UCS-2 70/67. */
export function countSegments(body: string): number {
  const chars = [...body];
  const gsm = chars.every((c) => GSM7_BASIC.includes(c) || GSM7_EXTENDED.includes(c));
  if (gsm) {
    const units = chars.reduce((n, c) => n + (GSM7_EXTENDED.includes(c) ? 2 : 1), 0);
    return units <= 160 ? 1 : Math.ceil(units / 153);
  }
  const units = body.length; // UTF-16 code units
  return units <= 70 ? 1 : Math.ceil(units / 67);
}

function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

const reply = (status: number, body: unknown, headers?: Record<string, string>): FakeResponse => ({ status, body, headers });

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** X-Twilio-Signature as Twilio computes it (independent of the SDK, on purpose). */
export function computeTwilioSignature(authToken: string, url: string, params: Record<string, string | string[]>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => {
      const v = params[key]!;
      const values = Array.isArray(v) ? [...new Set(v)].sort() : [v];
      return acc + values.map((x) => key + x).join('');
    }, url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

/** What `requests` keeps: form fields ({} when empty), parsed JSON or the raw text as `body`, the Basic credentials. */
function record(req: FakeRequest): RecordedRequest {
  const form = String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded');
  return {
    method: req.method,
    path: req.path,
    query: formFields(req.query),
    headers: req.headers,
    body: form ? (req.body ?? {}) : (req.body ?? req.rawBody),
    rawBody: req.rawBody,
    auth: basicAuth(req.headers.authorization),
    get status() {
      return req.status;
    },
  };
}

export class TwilioFake extends RoutedFake<RecordedRequest> {
  readonly accountSid: string;
  readonly authToken: string;
  /** Messages created through POST /Messages.json, in order. */
  readonly messages: FakeMessage[] = [];
  readonly recordings: FakeRecording[] = [];
  /** Recordings deleted through DELETE /Recordings/{RE}.json (VO-003), in order. */
  readonly deletedRecordingSids: string[] = [];
  /** Numbers bought through POST /IncomingPhoneNumbers.json, in order (the account's numbers). */
  readonly purchasedNumbers: FakeIncomingNumber[] = [];
  /** AvailablePhoneNumbers pools, by `${country}:${type}`. */
  private readonly pools = new Map<string, AvailableNumber[]>();
  private readonly rejected = new Map<string, number>();
  private readonly defaultPageSize: number;

  constructor(opts: TwilioFakeOptions = {}) {
    super({ record, headers: () => ({ 'twilio-request-id': twilioSid('RQ') }) });
    this.accountSid = opts.accountSid ?? `AC${'0'.repeat(31)}1`;
    this.authToken = opts.authToken ?? 'fake-twilio-auth-token';
    this.defaultPageSize = opts.defaultPageSize ?? 50;
    this.resetPools();
  }

  override get baseUrl(): string {
    if (!this.http.baseUrl) throw new Error('TwilioFake is not started');
    return this.http.baseUrl;
  }

  /**
   * Forgets requests, messages, recordings, bought numbers and scripted answers, and restores the
   * default number pools (the server keeps running).
   */
  reset(): void {
    this.http.reset();
    this.messages.length = 0;
    this.recordings.length = 0;
    this.deletedRecordingSids.length = 0;
    this.purchasedNumbers.length = 0;
    this.rejected.clear();
    this.resetPools();
  }

  /**
   * Sets the numbers GET /AvailablePhoneNumbers/{country}/{Mobile|Local}.json offers (replacing
   * that pool; [] makes the search come back empty). Numbers already bought are never offered.
   */
  setAvailableNumbers(country: string, numbers: Array<string | AvailableNumber>, type: NumberType = 'mobile'): void {
    this.pools.set(
      `${country.toUpperCase()}:${type}`,
      numbers.map((n) => (typeof n === 'string' ? { phoneNumber: n } : { ...n })),
    );
  }

  /** What the search of `country`/`type` would offer now (bought numbers excluded). */
  availableNumbers(country: string, type: NumberType = 'mobile'): AvailableNumber[] {
    const bought = new Set(this.purchasedNumbers.map((n) => n.phoneNumber));
    return (this.pools.get(`${country.toUpperCase()}:${type}`) ?? []).filter((n) => !bought.has(n.phoneNumber));
  }

  private resetPools(): void {
    this.pools.clear();
    for (const [country, byType] of Object.entries(DEFAULT_AVAILABLE_NUMBERS)) {
      for (const [type, numbers] of Object.entries(byType)) this.setAvailableNumbers(country, [...(numbers ?? [])], type as NumberType);
    }
  }

  /** Queues an answer for the next matching request. */
  script(response: ScriptedResponse): void {
    const { status, match, afterEffect, delayMs } = response;
    const code = status === 429 ? 20429 : status >= 500 ? 20500 : 21211;
    const body = response.body ?? (status >= 400 ? twilioErrorBody(status, code, `scripted ${status}`) : {});
    // An answer after the effect is always lost.
    const drop = response.drop || afterEffect;
    this.http.failNext({ method: match?.method, path: match?.path, status, body, headers: response.headers, drop, afterEffect, delayMs });
  }

  /** The next API request answers `status` (default body: a Twilio error body for that status). */
  failNext(status: number, body?: unknown, headers?: Record<string, string>): void {
    this.script({ status, body, headers });
  }

  /** Every message to `to` fails with this Twilio error code (21211 invalid, 21614 not mobile, 21610 unsubscribed). */
  rejectRecipient(to: string, code: 21211 | 21614 | 21610 | number = 21211): void {
    this.rejected.set(to, code);
  }

  messagesPath(): string {
    return `/${API_VERSION}/Accounts/${this.accountSid}/Messages.json`;
  }

  /** Adds a recording of `callSid` (listed by GET /Recordings.json?CallSid=). */
  addRecording(callSid: string, opts: Partial<Omit<FakeRecording, 'callSid'>> = {}): FakeRecording {
    const rec: FakeRecording = {
      sid: opts.sid ?? twilioSid('RE'),
      callSid,
      durationSeconds: opts.durationSeconds ?? 30,
      status: opts.status ?? 'completed',
      channels: opts.channels ?? 1,
      source: opts.source ?? 'OutboundAPI',
      dateCreated: opts.dateCreated ?? new Date(),
    };
    this.recordings.push(rec);
    return rec;
  }

  setMessageStatus(sid: string, status: string, errorCode?: number): FakeMessage {
    const m = this.messages.find((x) => x.sid === sid);
    if (!m) throw new Error(`no message ${sid}`);
    m.status = status;
    m.errorCode = errorCode;
    return m;
  }

  /**
   * Sets the message's status and POSTs Twilio's signed status callback to its StatusCallback
   * (or `url`). Resolves with the webhook's HTTP status.
   */
  async sendStatusCallback(sid: string, status: string, opts: { errorCode?: number; url?: string } = {}): Promise<number> {
    const m = this.setMessageStatus(sid, status, opts.errorCode);
    const url = opts.url ?? m.statusCallback;
    if (!url) throw new Error(`message ${sid} has no StatusCallback`);
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: API_VERSION,
      From: m.from,
      MessageSid: m.sid,
      MessageStatus: status,
      SmsSid: m.sid,
      SmsStatus: status,
      To: m.to,
      ...(opts.errorCode !== undefined ? { ErrorCode: String(opts.errorCode) } : {}),
      ...(status === 'delivered' || status === 'undelivered' ? { RawDlrDoneDate: rawDlrDate(new Date()) } : {}),
    };
    return (await this.postSigned(url, params)).status;
  }

  /** POSTs a signed inbound SMS (a reply) to `url`, as Twilio does for the number's SmsUrl. */
  async sendInboundSms(input: {
    url: string;
    from: string;
    to: string;
    body: string;
    messageSid?: string;
    extra?: Record<string, string>;
  }): Promise<Response> {
    const sid = input.messageSid ?? twilioSid('SM');
    const params: Record<string, string> = {
      ToCountry: 'AU',
      ToState: '',
      SmsMessageSid: sid,
      NumMedia: '0',
      ToCity: '',
      FromZip: '',
      SmsSid: sid,
      FromState: '',
      SmsStatus: 'received',
      FromCity: '',
      Body: input.body,
      FromCountry: 'AU',
      To: input.to,
      ToZip: '',
      NumSegments: String(countSegments(input.body)),
      MessageSid: sid,
      AccountSid: this.accountSid,
      From: input.from,
      ApiVersion: API_VERSION,
      ...input.extra,
    };
    return this.postSigned(input.url, params);
  }

  /** POSTs form `params` to `url` with Twilio's X-Twilio-Signature (signed with this fake's auth token). */
  async postSigned(url: string, params: Record<string, string>): Promise<Response> {
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': computeTwilioSignature(this.authToken, url, params),
        'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
        'user-agent': 'TwilioProxy/1.1',
      },
      body: new URLSearchParams(params).toString(),
    });
  }

  // ---- server ---------------------------------------------------------------------------------

  protected route(req: FakeRequest, recorded: RecordedRequest): FakeResponse {
    const notFound = () => reply(404, twilioErrorBody(404, 20404, `The requested resource ${req.path} was not found`));
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/(.+)$/.exec(req.path);
    if (!m) return notFound();
    const [, account, rest] = m as unknown as [string, string, string];
    if (!recorded.auth || recorded.auth.username !== this.accountSid || recorded.auth.password !== this.authToken) {
      return reply(401, TWILIO_ERRORS[20003](), { 'www-authenticate': 'Basic realm="Twilio API"' });
    }
    if (account !== this.accountSid) return notFound();

    if (req.method === 'POST' && rest === 'Messages.json') return this.createMessage(recorded);
    let mm: RegExpExecArray | null;
    if (req.method === 'GET' && (mm = /^Messages\/(SM[0-9a-f]{32})\.json$/.exec(rest))) {
      const msg = this.messages.find((x) => x.sid === mm![1]);
      return msg ? reply(200, this.messageResource(msg)) : reply(404, twilioErrorBody(404, 20404, `Message ${mm[1]} was not found`));
    }
    if (req.method === 'GET' && rest === 'Recordings.json') return this.listRecordings(req.query);
    if ((mm = /^AvailablePhoneNumbers\/([A-Za-z]{2})\/(Mobile|Local)\.json$/.exec(rest)) && req.method === 'GET') {
      return this.searchAvailable(req.query, mm[1]!.toUpperCase(), mm[2] === 'Local' ? 'local' : 'mobile');
    }
    if (req.method === 'GET' && rest === 'IncomingPhoneNumbers.json') return this.listIncomingNumbers(req.query);
    if (req.method === 'POST' && rest === 'IncomingPhoneNumbers.json') return this.buyNumber(recorded);
    if (req.method === 'GET' && (mm = /^IncomingPhoneNumbers\/(PN[0-9a-f]{32})\.json$/.exec(rest))) {
      const n = this.purchasedNumbers.find((x) => x.sid === mm![1]);
      return n
        ? reply(200, this.incomingNumberResource(n))
        : reply(404, twilioErrorBody(404, 20404, `IncomingPhoneNumber ${mm[1]} was not found`));
    }
    if (req.method === 'DELETE' && (mm = /^Recordings\/(RE[0-9a-f]{32})\.json$/.exec(rest))) {
      // VO-003: 204 and gone; 404 when there is no such recording.
      const i = this.recordings.findIndex((x) => x.sid === mm![1]);
      if (i < 0) return reply(404, twilioErrorBody(404, 20404, `Recording ${mm[1]} was not found`));
      this.recordings.splice(i, 1);
      this.deletedRecordingSids.push(mm[1]!);
      return reply(204, '');
    }
    if (req.method === 'GET' && (mm = /^Recordings\/(RE[0-9a-f]{32})(\.json|\.mp3|\.wav)?$/.exec(rest))) {
      const rec = this.recordings.find((x) => x.sid === mm![1]);
      if (!rec) return reply(404, twilioErrorBody(404, 20404, `Recording ${mm[1]} was not found`));
      if (mm[2] === '.json') return reply(200, this.recordingResource(rec));
      const wav = mm[2] === '.wav';
      return reply(200, Buffer.from(`fake ${wav ? 'wav' : 'mp3'} audio of ${rec.sid}`), {
        'content-type': wav ? 'audio/x-wav' : 'audio/mpeg',
      });
    }
    return notFound();
  }

  private createMessage(recorded: RecordedRequest): FakeResponse {
    const params = (recorded.body && typeof recorded.body === 'object' ? recorded.body : {}) as Record<string, string | string[]>;
    const to = first(params.To);
    const from = first(params.From);
    const messagingServiceSid = first(params.MessagingServiceSid);
    const text = first(params.Body) ?? '';
    if (!to) return reply(400, twilioErrorBody(400, 21604, "A 'To' phone number is required."));
    if (!from && !messagingServiceSid) return reply(400, twilioErrorBody(400, 21603, "A 'From' phone number is required."));
    if (!text && !params.MediaUrl && !params.ContentSid) return reply(400, twilioErrorBody(400, 21602, 'Message body is required.'));
    if (text.length > 1600)
      return reply(400, twilioErrorBody(400, 21617, 'The concatenated message body exceeds the 1600 character limit.'));
    if (!/^\+[1-9]\d{6,14}$/.test(to)) return reply(400, TWILIO_ERRORS[21211](to));
    const rejectedCode = this.rejected.get(to);
    if (rejectedCode !== undefined) {
      const builder = (TWILIO_ERRORS as Record<number, (to?: string) => ReturnType<typeof twilioErrorBody>>)[rejectedCode];
      return reply(400, builder ? builder(to) : twilioErrorBody(400, rejectedCode, `rejected recipient ${to}`));
    }
    const msg: FakeMessage = {
      sid: twilioSid('SM'),
      accountSid: this.accountSid,
      to,
      from: from ?? '',
      body: text,
      status: 'queued',
      numSegments: countSegments(text),
      statusCallback: first(params.StatusCallback),
      messagingServiceSid,
      dateCreated: new Date(),
      params,
    };
    this.messages.push(msg);
    return reply(201, this.messageResource(msg));
  }

  private messageResource(m: FakeMessage) {
    const uri = `/${API_VERSION}/Accounts/${m.accountSid}/Messages/${m.sid}.json`;
    return {
      account_sid: m.accountSid,
      api_version: API_VERSION,
      body: m.body,
      date_created: rfc2822(m.dateCreated),
      date_sent: null,
      date_updated: rfc2822(m.dateCreated),
      direction: 'outbound-api',
      error_code: m.errorCode ?? null,
      error_message: null,
      from: m.from,
      messaging_service_sid: m.messagingServiceSid ?? null,
      num_media: '0',
      num_segments: String(m.numSegments),
      price: null,
      price_unit: 'USD',
      sid: m.sid,
      status: m.status,
      subresource_uris: { media: uri.replace('.json', '/Media.json'), feedback: uri.replace('.json', '/Feedback.json') },
      to: m.to,
      uri,
    };
  }

  private recordingResource(r: FakeRecording) {
    const path = `/${API_VERSION}/Accounts/${this.accountSid}/Recordings/${r.sid}`;
    return {
      account_sid: this.accountSid,
      api_version: API_VERSION,
      call_sid: r.callSid,
      conference_sid: null,
      channels: r.channels,
      date_created: rfc2822(r.dateCreated),
      date_updated: rfc2822(r.dateCreated),
      start_time: rfc2822(r.dateCreated),
      duration: r.status === 'processing' ? '-1' : String(r.durationSeconds),
      error_code: null,
      encryption_details: null,
      price: r.status === 'completed' ? '-0.0025' : null,
      price_unit: 'USD',
      sid: r.sid,
      source: r.source,
      status: r.status,
      uri: `${path}.json`,
      media_url: `${this.http.baseUrl || 'https://api.twilio.com'}${path}`,
      subresource_uris: { add_on_results: `${path}/AddOnResults.json`, transcriptions: `${path}/Transcriptions.json` },
    };
  }

  private searchAvailable(query: URLSearchParams, country: string, type: NumberType): FakeResponse {
    const base = `/${API_VERSION}/Accounts/${this.accountSid}/AvailablePhoneNumbers/${country}/${type === 'local' ? 'Local' : 'Mobile'}.json`;
    if (!this.pools.has(`${country}:${type}`)) {
      return reply(404, twilioErrorBody(404, 20404, `The requested resource ${base} was not found`));
    }
    const want = (name: string) => {
      const v = query.get(name);
      return v === null ? undefined : v.toLowerCase() === 'true';
    };
    const [sms, voice, mms] = [want('SmsEnabled'), want('VoiceEnabled'), want('MmsEnabled')];
    const contains = query.get('Contains');
    const pageSize = Math.max(1, Math.min(1000, Number(query.get('PageSize')) || this.defaultPageSize));
    const found = this.availableNumbers(country, type)
      .filter(
        (n) =>
          (sms === undefined || (n.sms ?? true) === sms) &&
          (voice === undefined || (n.voice ?? true) === voice) &&
          (mms === undefined || (n.mms ?? true) === mms),
      )
      .filter((n) => !contains || digitPattern(contains).test(n.phoneNumber))
      .slice(0, pageSize);
    const uri = `${base}?${query.toString()}`;
    return reply(200, {
      available_phone_numbers: found.map((n) => ({
        friendly_name: friendlyNumber(n.phoneNumber),
        phone_number: n.phoneNumber,
        lata: null,
        locality: null,
        rate_center: null,
        latitude: null,
        longitude: null,
        region: null,
        postal_code: null,
        iso_country: country,
        address_requirements: n.addressRequirements ?? 'none',
        beta: false,
        capabilities: { voice: n.voice ?? true, sms: n.sms ?? true, mms: n.mms ?? true },
      })),
      end: Math.max(0, found.length - 1),
      first_page_uri: uri,
      next_page_uri: null,
      page: 0,
      page_size: pageSize,
      previous_page_uri: null,
      start: 0,
      uri,
    });
  }

  private buyNumber(recorded: RecordedRequest): FakeResponse {
    const params = (recorded.body && typeof recorded.body === 'object' ? recorded.body : {}) as Record<string, string | string[]>;
    const requested = first(params.PhoneNumber);
    const areaCode = first(params.AreaCode);
    if (!requested && !areaCode) return reply(400, twilioErrorBody(400, 21450, 'PhoneNumber or AreaCode is required.'));
    let match: { country: string; type: NumberType; number: AvailableNumber } | undefined;
    for (const key of this.pools.keys()) {
      const [country, type] = key.split(':') as [string, NumberType];
      const number = this.availableNumbers(country, type).find((n) =>
        requested ? n.phoneNumber === requested : n.phoneNumber.replace(/^\+(1|44|61)/, '').startsWith(areaCode!),
      );
      if (number) {
        match = { country, type, number };
        break;
      }
    }
    if (!match) {
      return reply(400, twilioErrorBody(400, 21422, `PhoneNumber ${requested ?? `with AreaCode ${areaCode}`} is not available.`));
    }
    const n = match.number;
    const bought: FakeIncomingNumber = {
      sid: twilioSid('PN'),
      accountSid: this.accountSid,
      phoneNumber: n.phoneNumber,
      friendlyName: first(params.FriendlyName) ?? friendlyNumber(n.phoneNumber),
      isoCountry: match.country,
      numberType: match.type,
      capabilities: { voice: n.voice ?? true, sms: n.sms ?? true, mms: n.mms ?? true, fax: false },
      smsUrl: first(params.SmsUrl),
      statusCallback: first(params.StatusCallback),
      voiceUrl: first(params.VoiceUrl),
      addressSid: first(params.AddressSid),
      bundleSid: first(params.BundleSid),
      dateCreated: new Date(),
      params,
    };
    this.purchasedNumbers.push(bought);
    return reply(201, this.incomingNumberResource(bought));
  }

  private incomingNumberResource(n: FakeIncomingNumber) {
    return {
      account_sid: n.accountSid,
      address_sid: n.addressSid ?? null,
      address_requirements: 'none',
      api_version: API_VERSION,
      beta: false,
      capabilities: n.capabilities,
      date_created: rfc2822(n.dateCreated),
      date_updated: rfc2822(n.dateCreated),
      friendly_name: n.friendlyName,
      identity_sid: null,
      phone_number: n.phoneNumber,
      origin: 'twilio',
      sid: n.sid,
      sms_application_sid: '',
      sms_fallback_method: 'POST',
      sms_fallback_url: '',
      sms_method: first(n.params.SmsMethod) ?? 'POST',
      sms_url: n.smsUrl ?? '',
      status_callback: n.statusCallback ?? '',
      status_callback_method: first(n.params.StatusCallbackMethod) ?? 'POST',
      trunk_sid: null,
      uri: `/${API_VERSION}/Accounts/${n.accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
      voice_receive_mode: 'voice',
      voice_application_sid: null,
      voice_caller_id_lookup: false,
      voice_fallback_method: 'POST',
      voice_fallback_url: null,
      voice_method: first(n.params.VoiceMethod) ?? 'POST',
      voice_url: n.voiceUrl ?? null,
      emergency_status: 'Inactive',
      emergency_address_sid: null,
      emergency_address_status: 'unregistered',
      bundle_sid: n.bundleSid ?? null,
      status: 'in-use',
      type: n.numberType,
      subresource_uris: { assigned_add_ons: `/${API_VERSION}/Accounts/${n.accountSid}/IncomingPhoneNumbers/${n.sid}/AssignedAddOns.json` },
    };
  }

  private listIncomingNumbers(query: URLSearchParams): FakeResponse {
    const friendlyName = query.get('FriendlyName');
    const phoneNumber = query.get('PhoneNumber');
    const pageSize = Math.max(1, Math.min(1000, Number(query.get('PageSize')) || this.defaultPageSize));
    const page = Math.max(0, Number(query.get('Page')) || 0);
    const all = this.purchasedNumbers.filter(
      (n) => (friendlyName === null || n.friendlyName === friendlyName) && (!phoneNumber || digitPattern(phoneNumber).test(n.phoneNumber)),
    );
    const filters: Record<string, string> = {};
    if (friendlyName !== null) filters.FriendlyName = friendlyName;
    if (phoneNumber) filters.PhoneNumber = phoneNumber;
    return reply(
      200,
      this.page(
        'IncomingPhoneNumbers.json',
        'incoming_phone_numbers',
        all.map((n) => this.incomingNumberResource(n)),
        page,
        pageSize,
        filters,
      ),
    );
  }

  /** Twilio's list envelope: one page of `items` under `key`, with the paging URIs. */
  private page(resource: string, key: string, items: unknown[], page: number, pageSize: number, filters: Record<string, string>) {
    const slice = items.slice(page * pageSize, (page + 1) * pageSize);
    const q = (p: number) =>
      `/${API_VERSION}/Accounts/${this.accountSid}/${resource}?${new URLSearchParams({ ...filters, PageSize: String(pageSize), Page: String(p) }).toString()}`;
    const hasNext = (page + 1) * pageSize < items.length;
    return {
      [key]: slice,
      end: page * pageSize + Math.max(0, slice.length - 1),
      first_page_uri: q(0),
      next_page_uri: hasNext ? q(page + 1) : null,
      page,
      page_size: pageSize,
      previous_page_uri: page > 0 ? q(page - 1) : null,
      start: page * pageSize,
      uri: q(page),
    };
  }

  private listRecordings(query: URLSearchParams): FakeResponse {
    const callSid = query.get('CallSid');
    const pageSize = Math.max(1, Math.min(1000, Number(query.get('PageSize')) || this.defaultPageSize));
    const page = Math.max(0, Number(query.get('Page')) || 0);
    const all = this.recordings
      .filter((r) => !callSid || r.callSid === callSid)
      .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
    return reply(
      200,
      this.page(
        'Recordings.json',
        'recordings',
        all.map((r) => this.recordingResource(r)),
        page,
        pageSize,
        callSid ? { CallSid: callSid } : {},
      ),
    );
  }
}

function basicAuth(header: string | undefined): { username: string; password: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

/** A number filter as Twilio takes it: a substring of the number, '*' standing for any digit. */
function digitPattern(filter: string): RegExp {
  const escaped = filter.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '\\d');
  return new RegExp(escaped);
}

/** Twilio's friendly_name of a number: the national format (roughly, for AU and NANP). */
function friendlyNumber(e164: string): string {
  const au = /^\+61(4\d{2})(\d{3})(\d{3})$/.exec(e164);
  if (au) return `0${au[1]} ${au[2]} ${au[3]}`;
  const auLand = /^\+61([2378])(\d{4})(\d{4})$/.exec(e164);
  if (auLand) return `(0${auLand[1]}) ${auLand[2]} ${auLand[3]}`;
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  if (nanp) return `(${nanp[1]}) ${nanp[2]}-${nanp[3]}`;
  return e164;
}

function rawDlrDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}
