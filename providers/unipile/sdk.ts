/**
 * LinkedIn through Unipile API v1 (PROVIDERS.md section 4), with the official `unipile-node-sdk`.
 *
 * What the SDK does (verified in node_modules/unipile-node-sdk@1.9.3, dist/esm):
 * - `new UnipileClient(baseUrl, token)` splits `baseUrl` at `://` into protocol (http|https) and
 *   "domain" (host:port, anything after `://`), and builds every URL as
 *   `${protocol}://${domain}/api/${apiVersion}/${path.join('/')}?${URLSearchParams}` with
 *   apiVersion 'v1' by default (request-sender.ts buildUrl). So the base URL must be the bare DSN
 *   (`https://api8.unipile.com:13851`): we strip a trailing `/` or `/api/v1`. Path segments are
 *   NOT encoded by the SDK, so we encode the profile identifier ourselves.
 * - Headers: `X-API-KEY: <token>`, `accept: application/json`, plus `Content-Type:
 *   application/json` for JSON bodies (the body is then JSON.stringify'd); multipart bodies
 *   (POST /chats) are a `FormData` with no explicit Content-Type, so fetch sets the boundary.
 * - Retries: none. The SDK calls the global `fetch` once per method call, with no retry loop and
 *   no timeout, so there is nothing to disable: one `sendInvitation` is at most one invitation.
 * - Errors: on a non-2xx it throws `UnsuccessfulRequestError` carrying only the parsed body (a
 *   Blob if not JSON): the HTTP status and the headers (Retry-After) are lost, and a hung
 *   connection is never cut.
 *
 * Because of the last point we keep the SDK's resources (they build the paths, query, JSON body
 * and the multipart FormData of every call) but give the client our own transport: the public
 * `client.request` object, whose only method the resources call is `send(RequestInput)`, is
 * replaced by `UnipileTransport`, which rebuilds the URL exactly like the SDK (see above), sends
 * with the same headers through `fetch`, applies a timeout, and classifies failures with the HTTP
 * status, the Unipile problem body and Retry-After (errors.ts). No endpoint is called with a
 * hand-written fetch outside the SDK's resources.
 */
import { UnipileClient, type RequestInput } from 'unipile-node-sdk';
import { ProviderError } from '../ports.js';
import { classifyUnipileError, UNIPILE } from './errors.js';

export interface UnipileClientOptions {
  /** The account's DSN as a base URL, e.g. `https://api8.unipile.com:13851` (a fake in tests). */
  dsn: string;
  apiKey: string;
  /** Per-request timeout; a timeout is transient (thrown, Temporal retries). Default 30 s. */
  timeoutMs?: number;
  /** For tests: the fetch to send with (default: global fetch). */
  fetchImpl?: typeof fetch;
}

/** `https://host:port`, from a DSN given with or without scheme, trailing slash or /api/v1. */
export function normalizeUnipileBaseUrl(dsn: string): string {
  let base = dsn.trim();
  if (!/^https?:\/\//i.test(base)) base = `https://${base}`;
  base = base
    .replace(/\/+$/, '')
    .replace(/\/api\/v\d+$/i, '')
    .replace(/\/+$/, '');
  return base;
}

/**
 * The transport the SDK resources send through (replaces `UnipileClient.request`). Same URL and
 * headers as the SDK's RequestSender; adds the timeout and status-aware error classification.
 */
export class UnipileTransport {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly timeoutMs: number,
    private readonly fetchImpl: typeof fetch,
    private readonly apiVersion = 'v1',
  ) {}

  /** Mirrors request-sender.ts buildUrl: `${base}/api/${version}/${path}?${query}`. */
  buildUrl(path: string[], parameters: Record<string, string> = {}): string {
    const query = Object.keys(parameters).length === 0 ? '' : `?${new URLSearchParams(parameters).toString()}`;
    return `${this.baseUrl}/api/${this.apiVersion}${path.map((p) => `/${p}`).join('')}${query}`;
  }

  async send<T>(input: RequestInput): Promise<T> {
    const url = this.buildUrl(input.path, input.parameters ?? {});
    const operation = `${input.method} /${input.path.join('/')}`;
    const headers: Record<string, string> = {
      'X-API-KEY': this.apiKey,
      accept: 'application/json',
      ...(input.headers ?? {}),
    };
    let body: string | FormData | undefined;
    if (input.body !== undefined && headers['Content-Type'] === 'application/json') body = JSON.stringify(input.body);
    else if (input.body instanceof FormData) body = input.body;
    else if (input.body !== undefined) body = JSON.stringify(input.body);

    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: input.method,
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const name = (err as { name?: string } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw new ProviderError(
        UNIPILE,
        timedOut ? 'timeout' : 'network_error',
        `Unipile ${operation} ${timedOut ? `timed out after ${this.timeoutMs} ms` : `failed: ${(err as Error)?.message ?? String(err)}`}`,
        true,
      );
    }

    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw new ProviderError(
        UNIPILE,
        'network_error',
        `Unipile ${operation}: reading the response failed: ${(err as Error).message}`,
        true,
        response.status,
      );
    }
    let parsed: unknown = text;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (response.status >= 200 && response.status < 300) {
      if (parsed === null || typeof parsed !== 'object') {
        // 2xx without a JSON object: the action may have happened, so never make it a retry.
        throw new ProviderError(
          UNIPILE,
          'unexpected_response',
          `Unipile ${operation} answered ${response.status} without a JSON body`,
          false,
          response.status,
        );
      }
      return parsed as T;
    }
    throw classifyUnipileError({ status: response.status, body: parsed, retryAfter: response.headers.get('retry-after'), operation });
  }
}

/**
 * The SDK client every Unipile adapter uses (LinkedIn, seats): `new UnipileClient(dsn, apiKey)`
 * with its `request` replaced by our UnipileTransport (timeout, status-aware errors; see the
 * header comment). The SDK resources (`sdk.users`, `sdk.account`, `sdk.messaging`, ...) then
 * build the requests and our transport sends them, once each.
 */
export function createUnipileSdk(options: UnipileClientOptions): UnipileClient {
  if (!options.apiKey) throw new Error('createUnipileSdk: apiKey is required');
  const baseUrl = normalizeUnipileBaseUrl(options.dsn);
  const sdk = new UnipileClient(baseUrl, options.apiKey);
  const transport = new UnipileTransport(
    baseUrl,
    options.apiKey,
    options.timeoutMs ?? 30_000,
    options.fetchImpl ?? ((...a) => fetch(...a)),
  );
  // The resources call only `this.client.request.send(input)`; see the header comment.
  (sdk as unknown as { request: Pick<UnipileTransport, 'send'> }).request = transport;
  return sdk;
}
