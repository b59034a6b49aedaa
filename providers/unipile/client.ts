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
import { ProviderError, type LinkedInClient, type LinkedInProfile } from '../ports.js';
import { classifyUnipileError, UNIPILE } from './errors.js';

export { classifyUnipileError, parseRetryAfter } from './errors.js';

/** LinkedIn's limit on a connection-request note (PROVIDERS.md section 4). */
export const INVITATION_NOTE_MAX_CHARS = 300;

export type UnipileAccountSourceStatus = 'OK' | 'CREDENTIALS' | 'ERROR' | 'STOPPED' | 'CONNECTING' | 'PERMISSIONS';

export interface UnipileAccountHealth {
  accountId: string;
  /**
   * The worst status over the account's sources (CREDENTIALS > PERMISSIONS > ERROR > STOPPED >
   * CONNECTING > OK); any status Unipile adds later is passed through as is. 'UNKNOWN' when the
   * account lists no source.
   */
  status: UnipileAccountSourceStatus | 'UNKNOWN' | (string & {});
  /** True when the seat cannot act and must pause (LI-006): anything but OK and CONNECTING. */
  restricted: boolean;
  /** CREDENTIALS: LinkedIn session lost or checkpoint, a human must reconnect the account. */
  needsReconnect: boolean;
  type?: string;
  name?: string;
  sources: Array<{ id: string; status: string }>;
}

/** The profile with the raw Unipile fields a caller may want beyond the port's. */
export interface UnipileLinkedInProfile extends LinkedInProfile {
  headline?: string;
  /** Unipile's `invitation` as returned: SENT by this account or RECEIVED from the lead. */
  invitation?: { type: string; status: string };
  isRelationship?: boolean;
}

export interface UnipileLinkedInClient extends LinkedInClient {
  getProfile(accountId: string, identifier: string): Promise<UnipileLinkedInProfile>;
  /** GET /api/v1/accounts/{id}: the seat's connection health (LI-006). */
  getAccountHealth(accountId: string): Promise<UnipileAccountHealth>;
}

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

/** The identifier Unipile takes from a slug, an `ACo…` provider id, or a profile URL. */
export function linkedInIdentifier(identifier: string): string {
  const trimmed = identifier.trim();
  const m = /linkedin\.com\/in\/([^/?#]+)/i.exec(trimmed);
  let slug = m ? m[1]! : trimmed.replace(/^\/+|\/+$/g, '');
  try {
    slug = decodeURIComponent(slug);
  } catch {
    // keep as given
  }
  if (slug === '') throw new ProviderError(UNIPILE, 'bad_request', `Not a LinkedIn identifier: "${identifier}"`, false);
  return slug;
}

const DISTANCES = new Set(['FIRST_DEGREE', 'SECOND_DEGREE', 'THIRD_DEGREE', 'OUT_OF_NETWORK']);
const DISTANCE_ALIASES: Record<string, LinkedInProfile['networkDistance']> = {
  DISTANCE_1: 'FIRST_DEGREE',
  DISTANCE_2: 'SECOND_DEGREE',
  DISTANCE_3: 'THIRD_DEGREE',
  OUT_OF_NETWORK: 'OUT_OF_NETWORK',
};

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Maps a Unipile `UserProfile` (LinkedIn) to the port's profile. */
export function toLinkedInProfile(raw: Record<string, unknown>, requested: string): UnipileLinkedInProfile {
  const providerId = str(raw.provider_id);
  if (!providerId) {
    throw new ProviderError(UNIPILE, 'unexpected_response', `Unipile profile for "${requested}" has no provider_id`, false);
  }
  const rawDistance = str(raw.network_distance);
  let networkDistance: LinkedInProfile['networkDistance'] =
    rawDistance && DISTANCES.has(rawDistance)
      ? (rawDistance as LinkedInProfile['networkDistance'])
      : rawDistance
        ? DISTANCE_ALIASES[rawDistance]
        : undefined;
  if (!networkDistance && raw.is_relationship === true) networkDistance = 'FIRST_DEGREE';
  const inv = raw.invitation;
  const invitation =
    inv && typeof inv === 'object' && typeof (inv as Record<string, unknown>).status === 'string'
      ? { type: String((inv as Record<string, unknown>).type ?? ''), status: String((inv as Record<string, unknown>).status) }
      : undefined;
  const name = [str(raw.first_name), str(raw.last_name)].filter(Boolean).join(' ');
  return {
    providerId,
    publicIdentifier: str(raw.public_identifier) ?? requested,
    name: name === '' ? undefined : name,
    networkDistance,
    // Pending from THIS account: Unipile reports the invitation seen by the account in account_id.
    invitationPending: invitation?.type === 'SENT' && invitation.status === 'PENDING',
    headline: str(raw.headline),
    invitation,
    isRelationship: typeof raw.is_relationship === 'boolean' ? raw.is_relationship : undefined,
  };
}

const STATUS_SEVERITY = ['CREDENTIALS', 'PERMISSIONS', 'ERROR', 'STOPPED', 'CONNECTING', 'OK'];

/** Aggregates an `Account` object's sources into the seat health (LI-006). */
export function toAccountHealth(raw: Record<string, unknown>, accountId: string): UnipileAccountHealth {
  const sources = Array.isArray(raw.sources)
    ? raw.sources
        .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object')
        .map((s) => ({ id: String(s.id ?? ''), status: String(s.status ?? 'UNKNOWN') }))
    : [];
  let status: string = 'UNKNOWN';
  if (sources.length > 0) {
    const rank = (s: string) => {
      const i = STATUS_SEVERITY.indexOf(s);
      return i === -1 ? 2.5 : i; // an unknown status ranks between ERROR and STOPPED: not healthy
    };
    status = sources.map((s) => s.status).sort((a, b) => rank(a) - rank(b))[0]!;
  }
  return {
    accountId: str(raw.id) ?? accountId,
    status,
    restricted: status !== 'OK' && status !== 'CONNECTING',
    needsReconnect: status === 'CREDENTIALS',
    type: str(raw.type),
    name: str(raw.name),
    sources,
  };
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

/**
 * The LinkedIn port over Unipile. Every method is one HTTP call (no retries); transient failures
 * throw ProviderError(retryable=true), permanent ones ProviderError(retryable=false) (errors.ts).
 */
export function createUnipileLinkedInClient(options: UnipileClientOptions): UnipileLinkedInClient {
  if (!options.apiKey) throw new Error('createUnipileLinkedInClient: apiKey is required');
  const sdk = createUnipileSdk(options);

  return {
    async getProfile(accountId, identifier) {
      const id = linkedInIdentifier(identifier);
      const raw = (await sdk.users.getProfile({ account_id: accountId, identifier: encodeURIComponent(id) })) as unknown as Record<
        string,
        unknown
      >;
      return toLinkedInProfile(raw, id);
    },

    async sendInvitation({ accountId, providerId, message }) {
      if (message !== undefined && message.length > INVITATION_NOTE_MAX_CHARS) {
        // Checked before sending: LinkedIn would refuse it (errors/too_many_characters) anyway.
        throw new ProviderError(
          UNIPILE,
          'too_many_characters',
          `Invitation note is ${message.length} characters; LinkedIn allows ${INVITATION_NOTE_MAX_CHARS}`,
          false,
        );
      }
      const raw = (await sdk.users.sendInvitation({
        account_id: accountId,
        provider_id: providerId,
        ...(message ? { message } : {}),
      })) as unknown as Record<string, unknown>;
      // After a 2xx the invitation exists: never throw (a retry would invite twice).
      return { invitationId: str(raw.invitation_id) ?? '' };
    },

    async sendMessage({ accountId, attendeeProviderId, text }) {
      if (text.trim() === '') throw new ProviderError(UNIPILE, 'bad_request', 'Refusing to send an empty LinkedIn message', false);
      const raw = (await sdk.messaging.startNewChat({
        account_id: accountId,
        attendees_ids: [attendeeProviderId],
        text,
      })) as unknown as Record<string, unknown>;
      // Unipile may answer chat_id/message_id null (types: string | null); the message was sent.
      return { chatId: str(raw.chat_id) ?? '', messageId: str(raw.message_id) ?? '' };
    },

    async getAccountHealth(accountId) {
      try {
        const raw = (await sdk.account.getOne(encodeURIComponent(accountId))) as unknown as Record<string, unknown>;
        return toAccountHealth(raw, accountId);
      } catch (err) {
        if (err instanceof ProviderError && err.code === 'not_found') {
          throw new ProviderError(UNIPILE, 'account_not_found', err.message, false, err.status);
        }
        throw err;
      }
    },
  };
}
