/**
 * The shared scaffolding of the provider fakes written from issue 5 on: a real HTTP server on
 * 127.0.0.1 (free port) that records every request, answers scripted failures first, then hands
 * the request to the fake's router.
 *
 *   const http = new HttpFake(async (req) => ({ status: 200, body: { ok: true } }));
 *   const { baseUrl } = await http.start();
 *   http.failNext({ path: /\/domains$/, status: 500 });   // or { drop: true } for a dead socket
 *   http.requests;                                          // method, path, query, headers, body
 *   await http.stop();
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';

export interface FakeRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, or form fields for form-encoded bodies; undefined when empty. */
  body: unknown;
  /** The status the fake answered with. */
  status?: number;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ScriptedFailure {
  method?: string;
  path?: string | RegExp;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the socket without answering (a timeout/network failure for the client). */
  drop?: boolean;
  /** Let the router run (the effect happens) and then drop the answer: a purchase that timed out. */
  afterEffect?: boolean;
}

export type FakeRouter = (req: FakeRequest) => FakeResponse | Promise<FakeResponse>;

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (!raw) return undefined;
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(raw)) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function matches(f: ScriptedFailure, req: FakeRequest): boolean {
  if (f.method && f.method.toUpperCase() !== req.method) return false;
  if (f.path === undefined) return true;
  return typeof f.path === 'string' ? req.path === f.path : f.path.test(req.path);
}

export class HttpFake {
  readonly requests: FakeRequest[] = [];
  private failures: ScriptedFailure[] = [];
  private server?: Server;
  baseUrl = '';

  constructor(private readonly router: FakeRouter) {}

  failNext(failure: ScriptedFailure): void {
    this.failures.push(failure);
  }

  async start(): Promise<{ baseUrl: string }> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const url = new URL(req.url ?? '/', 'http://fake');
          const rawBody = Buffer.concat(chunks).toString('utf8');
          const fr: FakeRequest = {
            method: (req.method ?? 'GET').toUpperCase(),
            path: url.pathname,
            query: url.searchParams,
            headers: req.headers,
            rawBody,
            body: parseBody(rawBody, req.headers['content-type']),
          };
          this.requests.push(fr);
          const i = this.failures.findIndex((f) => matches(f, fr));
          const failure = i >= 0 ? this.failures.splice(i, 1)[0] : undefined;
          let answer: FakeResponse;
          try {
            if (failure?.afterEffect) {
              await this.router(fr);
              fr.status = 0;
              res.destroy();
              return;
            }
            if (failure?.drop) {
              fr.status = 0;
              res.destroy();
              return;
            }
            answer = failure
              ? {
                  status: failure.status ?? 500,
                  body: failure.body ?? { message: 'scripted failure' },
                  ...(failure.headers ? { headers: failure.headers } : {}),
                }
              : await this.router(fr);
          } catch (err) {
            answer = { status: 500, body: { message: (err as Error).message } };
          }
          fr.status = answer.status;
          const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
          res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
          res.end(body);
        })();
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return { baseUrl: this.baseUrl };
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }
}

/**
 * A fake whose routes are its own `route` method, over one HttpFake: the address, the recorded
 * requests, start/stop and scripted failures come from here (InfraForge, Warmforge, Stripe fakes).
 */
export abstract class RoutedFake {
  protected readonly http = new HttpFake((req) => this.route(req));

  protected abstract route(req: FakeRequest): FakeResponse | Promise<FakeResponse>;

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  /** Every request received, in order (scripted failures and refused ones included). */
  get requests(): FakeRequest[] {
    return this.http.requests;
  }

  start(): Promise<{ baseUrl: string }> {
    return this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** A scripted failure for the next matching request (HttpFake's failNext). */
  failNext(failure: ScriptedFailure): void {
    this.http.failNext(failure);
  }
}
