/**
 * The shared scaffolding of the HTTP provider fakes: a real HTTP server on 127.0.0.1 (free port)
 * that records every request, answers scripted failures first, then hands the request to the
 * fake's router.
 *
 *   const http = new HttpFake(async (req) => ({ status: 200, body: { ok: true } }));
 *   const { baseUrl } = await http.start();
 *   http.failNext({ path: /\/domains$/, status: 500 });   // or { drop: true } for a dead socket
 *   http.requests;                                          // method, path, query, headers, body
 *   http.injectFaults({ seed: 7, rate: 0.2 });              // seeded 5xx, 429, timeouts, resets (faults.ts); clearFaults()
 *   await http.stop();
 *
 * Per request: the body is read and parsed, `record` makes what `requests` keeps, `before` may
 * answer, then the first matching scripted failure, then an injected fault (if any), else the router. A fake with its own
 * recorded shape passes `record`; the router gets the FakeRequest and that record.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultInjector, type FaultPlan, type InjectedFault } from './faults.js';

export interface FakeRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text (binary bytes do not survive it: see rawBytes). */
  rawBody: string;
  /** The body's bytes as received (multipart uploads, binary payloads). */
  rawBytes: Buffer;
  /** Form fields for form-encoded bodies, else the parsed JSON, else the raw text; undefined when empty. */
  body: unknown;
  /** The status the fake answered with (0: dropped). */
  status?: number;
}

export interface FakeResponse {
  status: number;
  /** Sent as JSON, except a string or Buffer, sent as it is (give its content-type in `headers`); none when absent. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A router's answer: a response, 'drop' (destroy the socket: a network failure) or 'hang' (never answer; stop() closes it). */
export type FakeAnswer = FakeResponse | 'drop' | 'hang';

export interface ScriptedFailure {
  method?: string;
  /** The exact path, or a RegExp. */
  path?: string | RegExp;
  /** Only requests for which this holds too (say authorised ones, or a path prefix). */
  when?: (req: FakeRequest) => boolean;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the socket without answering (a timeout/network failure for the client). */
  drop?: boolean;
  /**
   * Let the router run first (the effect happens), then drop its answer: a purchase that timed
   * out. With `drop: false` the scripted status/body replace its answer instead.
   */
  afterEffect?: boolean;
  /** Wait this long before answering (after the router, with afterEffect). */
  delayMs?: number;
  /** How many matching requests it answers (default 1). */
  times?: number;
}

export type FakeRouter<R = FakeRequest> = (req: FakeRequest, record: R) => FakeAnswer | Promise<FakeAnswer>;

export interface HttpFakeOptions<R> {
  /** What `requests` keeps for each request, for a fake with its own recorded shape (default: the FakeRequest). */
  record?: (req: FakeRequest) => R;
  /** Runs before scripted failures and the router; an answer here skips both (a fake that is down, an unparseable body). */
  before?: (req: FakeRequest, record: R) => FakeAnswer | undefined | Promise<FakeAnswer | undefined>;
  /** Headers of every answer, scripted ones too, unless it sets them (default content-type: application/json). */
  headers?: () => Record<string, string>;
}

/** Form fields as recorded: each name with its value, or its values when repeated. */
export function formFields(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of params) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) return formFields(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function matches(f: ScriptedFailure, req: FakeRequest): boolean {
  if (f.method && f.method.toUpperCase() !== req.method) return false;
  if (f.when && !f.when(req)) return false;
  if (f.path === undefined) return true;
  return typeof f.path === 'string' ? req.path === f.path : f.path.test(req.path);
}

export class HttpFake<R = FakeRequest> {
  readonly requests: R[] = [];
  private failures: Array<{ failure: ScriptedFailure; left: number }> = [];
  private faults?: FaultInjector;
  private server?: Server;
  baseUrl = '';

  constructor(
    private readonly router: FakeRouter<R>,
    private readonly options: HttpFakeOptions<R> = {},
  ) {}

  failNext(failure: ScriptedFailure): void {
    this.failures.push({ failure, left: failure.times ?? 1 });
  }

  /** Seeded faults on a share of the requests from now on (faults.ts); returns the injector (what it injected). */
  injectFaults(plan: FaultPlan): FaultInjector {
    this.faults = new FaultInjector(plan);
    return this.faults;
  }

  /** No more injected faults. */
  clearFaults(): void {
    this.faults = undefined;
  }

  /** Forgets the recorded requests and the pending scripted failures. */
  reset(): void {
    this.requests.length = 0;
    this.failures.length = 0;
  }

  /** Starts listening (once: a started fake answers its address again). */
  async start(): Promise<{ baseUrl: string }> {
    if (this.server) return { baseUrl: this.baseUrl };
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req, Buffer.concat(chunks), res));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return { baseUrl: this.baseUrl };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.baseUrl = '';
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, rawBytes: Buffer, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const rawBody = rawBytes.toString('utf8');
    const fr: FakeRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      rawBody,
      rawBytes,
      body: parseBody(rawBody, req.headers['content-type']),
    };
    const record = this.options.record ? this.options.record(fr) : (fr as R);
    this.requests.push(record);
    let answer: FakeAnswer;
    try {
      answer =
        (await this.options.before?.(fr, record)) ??
        (await this.scripted(fr, record)) ??
        (await this.injected(fr, record)) ??
        (await this.router(fr, record));
    } catch (err) {
      answer = { status: 500, body: { message: (err as Error).message } };
    }
    if (answer === 'hang') return;
    if (answer === 'drop') {
      fr.status = 0;
      res.destroy();
      return;
    }
    fr.status = answer.status;
    const { body } = answer;
    const data = Buffer.isBuffer(body)
      ? body
      : Buffer.from(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
    const headers = { 'content-type': 'application/json', ...this.options.headers?.(), ...answer.headers };
    res.writeHead(answer.status, { ...headers, 'content-length': String(data.length) });
    res.end(data);
  }

  /** The answer of an injected fault, if this request gets one (faults.ts). */
  private async injected(req: FakeRequest, record: R): Promise<FakeAnswer | undefined> {
    const fault: InjectedFault | undefined = this.faults?.decide(req);
    if (!fault) return undefined;
    switch (fault.kind) {
      case 'server_error':
        return { status: fault.status!, body: { message: 'injected fault: provider unavailable', status: fault.status } };
      case 'rate_limited':
        return {
          status: 429,
          body: { message: 'injected fault: too many requests', status: 429 },
          headers: { 'retry-after': String(fault.retryAfter) },
        };
      case 'reset':
        return 'drop';
      case 'timeout':
        await this.router(req, record);
        await sleep(this.faults?.plan.timeoutMs ?? 50);
        return 'drop';
    }
  }

  /** The answer of the first matching scripted failure, if any. */
  private async scripted(req: FakeRequest, record: R): Promise<FakeAnswer | undefined> {
    const i = this.failures.findIndex((f) => matches(f.failure, req));
    if (i < 0) return undefined;
    const entry = this.failures[i]!;
    if (--entry.left <= 0) this.failures.splice(i, 1);
    const failure = entry.failure;
    if (failure.afterEffect) await this.router(req, record);
    if (failure.delayMs) await sleep(failure.delayMs);
    if (failure.drop ?? failure.afterEffect) return 'drop';
    return { status: failure.status ?? 500, body: failure.body ?? { message: 'scripted failure' }, headers: failure.headers };
  }
}

/**
 * A fake whose routes are its own `route` method, over one HttpFake: the address, the recorded
 * requests and start/stop come from here (InfraForge, Warmforge, Stripe, Twilio, Vapi fakes).
 */
export abstract class RoutedFake<R extends { method: string; path: string } = FakeRequest> {
  protected readonly http: HttpFake<R>;

  constructor(options: HttpFakeOptions<R> = {}) {
    this.http = new HttpFake<R>((req, record) => this.route(req, record), options);
  }

  protected abstract route(req: FakeRequest, record: R): FakeAnswer | Promise<FakeAnswer>;

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  /** Every request received, in order (scripted failures and refused ones included). */
  get requests(): R[] {
    return this.http.requests;
  }

  /** Seeded faults on a share of the requests (faults.ts). */
  injectFaults(plan: FaultPlan): FaultInjector {
    return this.http.injectFaults(plan);
  }

  clearFaults(): void {
    this.http.clearFaults();
  }

  /** The requests with this method and path (exact, or a RegExp). */
  requestsTo(method: string, path: string | RegExp): R[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  start(): Promise<{ baseUrl: string }> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }
}
