/**
 * A Unipile API v1 server for tests (node:http on 127.0.0.1, free port), speaking the JSON and
 * multipart shapes of PROVIDERS.md section 4. Reusable by provider, workflow and end-to-end tests.
 *
 *   const unipile = createUnipileFake({ apiKey: 'test-key' });
 *   const { baseUrl } = await unipile.start();            // http://127.0.0.1:PORT (the "DSN")
 *   const li = createUnipileLinkedInClient({ dsn: baseUrl, apiKey: 'test-key' });
 *
 *   unipile.setProfile({ providerId: 'ACoAAA1', publicIdentifier: 'jane-doe', firstName: 'Jane' });
 *   unipile.setInvitation('acc-1', 'ACoAAA1', 'PENDING');   // as if acc-1 had already invited her
 *   unipile.acceptInvitation('acc-1', 'ACoAAA1');           // she accepts: FIRST_DEGREE for acc-1;
 *                                                            // returns the new_relation webhook body
 *   unipile.setAccount('acc-1', { status: 'CREDENTIALS' }); // GET /accounts/acc-1 health (LI-006)
 *   unipile.failNext({ path: '/api/v1/users/invite', status: 429, retryAfter: '30' });
 *   unipile.requests;        // every request: method, path, query, headers, json or form body
 *   unipile.invitations;     // invitations sent through POST /users/invite
 *   unipile.chats;           // chats started through POST /chats (with their first message)
 *   await unipile.stop();
 *
 * Routes (all under /api/v1, all require `X-API-KEY` = apiKey, else 401 errors/missing_credentials):
 *   GET  /users/:identifier?account_id=   profile by public identifier or provider id; 404
 *        errors/resource_not_found when unknown. `network_distance` is FIRST_DEGREE for accounts
 *        connected to the member, else the profile's default; `invitation` appears when that
 *        account has one ({type:'SENT', status}).
 *   POST /users/invite (JSON)              {account_id, provider_id, message?}. 422 errors/invalid_recipient
 *        for an unknown member, errors/already_connected, errors/already_invited_recently for a
 *        pending one, 400 errors/too_many_characters over 300 characters. Else records a PENDING
 *        invitation and answers {object:'UserInvitationSent', invitation_id, usage}.
 *   POST /chats (multipart/form-data)      account_id, attendees_ids (repeated), text. 422
 *        errors/invalid_recipient for an unknown member and, unless `allowMessagesToNonConnections`,
 *        errors/no_connection_with_recipient when not FIRST_DEGREE. Answers
 *        {object:'ChatStarted', chat_id, message_id}.
 *   GET  /accounts/:id                     {object:'Account', id, type:'LINKEDIN', name, sources:[{id, status}]};
 *        404 errors/resource_not_found for an unknown account unless `autoAccounts` (default true:
 *        unknown accounts are healthy, status OK).
 *   Anything else: 404.
 * Scripted failures (`failNext`) are checked first, in order, and answer Unipile problem bodies
 * `{object:'Error', status, type, title, detail}` with an optional Retry-After; a failed request is
 * recorded but changes nothing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';

export type FakeDistance = 'FIRST_DEGREE' | 'SECOND_DEGREE' | 'THIRD_DEGREE' | 'OUT_OF_NETWORK';
export type FakeInvitationStatus = 'PENDING' | 'IGNORED' | 'WITHDRAWN';
export type FakeSourceStatus = 'OK' | 'CREDENTIALS' | 'ERROR' | 'STOPPED' | 'CONNECTING' | 'PERMISSIONS';

export interface FakeProfile {
  providerId: string;
  publicIdentifier: string;
  firstName?: string;
  lastName?: string;
  headline?: string;
  /** Distance for accounts not connected to this member (default SECOND_DEGREE). */
  networkDistance?: FakeDistance;
  /** Extra raw fields merged into the JSON profile. */
  extra?: Record<string, unknown>;
}

export interface FakeRequest {
  method: string;
  /** Path without query, e.g. `/api/v1/users/invite`. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body (application/json). */
  json?: unknown;
  /** Multipart fields: each name with all its values, in order. */
  form?: Record<string, string[]>;
  /** Raw body as received. */
  raw: string;
  /** What the fake answered. */
  status: number;
  at: Date;
}

export interface FakeFailure {
  /** Only requests with this method (default any). */
  method?: string;
  /** Path prefix (e.g. '/api/v1/users/invite') or RegExp; default any. */
  path?: string | RegExp;
  status: number;
  /** Unipile error type, e.g. 'errors/disconnected_account' (default from the status). */
  type?: string;
  title?: string;
  detail?: string;
  /** Retry-After header value. */
  retryAfter?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Answer this raw text instead of a JSON problem (e.g. an HTML 502 from a proxy). */
  rawBody?: string;
  /** Wait this long before answering (to exercise client timeouts). */
  delayMs?: number;
}

export interface FakeInvitation {
  invitationId: string;
  accountId: string;
  providerId: string;
  message?: string;
  status: FakeInvitationStatus | 'ACCEPTED';
  sentAt: Date;
}

export interface FakeChat {
  chatId: string;
  messageId: string;
  accountId: string;
  attendeesIds: string[];
  text: string;
  startedAt: Date;
}

export interface UnipileFakeOptions {
  /** The X-API-KEY every request must carry (default 'unipile-test-key'). */
  apiKey?: string;
  /** Let POST /chats reach members who are not FIRST_DEGREE (default false, like LinkedIn). */
  allowMessagesToNonConnections?: boolean;
  /** Unknown accounts answer as healthy (status OK) on GET /accounts/:id (default true). */
  autoAccounts?: boolean;
}

const DEFAULT_TYPES: Record<number, string> = {
  400: 'errors/invalid_parameters',
  401: 'errors/disconnected_account',
  403: 'errors/insufficient_permissions',
  404: 'errors/resource_not_found',
  422: 'errors/invalid_recipient',
  429: 'errors/too_many_requests',
  500: 'errors/unexpected_error',
  503: 'errors/provider_unreachable',
};

export function createUnipileFake(options: UnipileFakeOptions = {}) {
  const apiKey = options.apiKey ?? 'unipile-test-key';
  const profiles = new Map<string, FakeProfile>(); // by providerId
  const connections = new Set<string>(); // `${accountId}:${providerId}`
  const invitationState = new Map<string, FakeInvitationStatus>(); // `${accountId}:${providerId}`
  const accounts = new Map<string, { name: string; status: FakeSourceStatus }>();
  const failures: Array<FakeFailure & { remaining: number }> = [];
  const requests: FakeRequest[] = [];
  const invitations: FakeInvitation[] = [];
  const chats: FakeChat[] = [];
  let seq = 0;
  let server: Server | undefined;
  const sockets = new Set<import('node:net').Socket>();

  const key = (accountId: string, providerId: string) => `${accountId}:${providerId}`;
  const findProfile = (identifier: string) =>
    profiles.get(identifier) ?? [...profiles.values()].find((p) => p.publicIdentifier.toLowerCase() === identifier.toLowerCase());

  function problem(res: ServerResponse, status: number, type: string, title: string, detail?: string, headers: Record<string, string> = {}) {
    json(res, status, { object: 'Error', status, type, title, detail: detail ?? title }, headers);
  }

  function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }

  function profileJson(p: FakeProfile, accountId: string) {
    const connected = connections.has(key(accountId, p.providerId));
    const inv = invitationState.get(key(accountId, p.providerId));
    return {
      object: 'UserProfile',
      provider: 'LINKEDIN',
      provider_id: p.providerId,
      public_identifier: p.publicIdentifier,
      first_name: p.firstName ?? null,
      last_name: p.lastName ?? null,
      headline: p.headline ?? '',
      websites: [],
      network_distance: connected ? 'FIRST_DEGREE' : (p.networkDistance ?? 'SECOND_DEGREE'),
      is_relationship: connected,
      can_send_inmail: false,
      public_profile_url: `https://www.linkedin.com/in/${p.publicIdentifier}`,
      ...(inv ? { invitation: { type: 'SENT', status: inv } } : {}),
      ...(p.extra ?? {}),
    };
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const buf = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    const record: FakeRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      raw: buf.toString('utf8'),
      status: 0,
      at: new Date(),
    };
    requests.push(record);
    const origWriteHead = res.writeHead.bind(res);
    res.writeHead = ((status: number, ...rest: unknown[]) => {
      record.status = status;
      return (origWriteHead as (...a: unknown[]) => ServerResponse)(status, ...rest);
    }) as typeof res.writeHead;

    if (contentType.includes('application/json') && buf.length > 0) {
      try {
        record.json = JSON.parse(record.raw);
      } catch {
        return problem(res, 400, 'errors/invalid_parameters', 'Invalid JSON body');
      }
    } else if (contentType.includes('multipart/form-data')) {
      try {
        const fd = await new Response(new Uint8Array(buf), { headers: { 'content-type': contentType } }).formData();
        const form: Record<string, string[]> = {};
        for (const [name, value] of fd.entries()) (form[name] ??= []).push(typeof value === 'string' ? value : `[file ${value.name}]`);
        record.form = form;
      } catch {
        return problem(res, 400, 'errors/invalid_parameters', 'Invalid multipart body');
      }
    }

    const fail = failures.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === method) &&
        (!f.path || (typeof f.path === 'string' ? path.startsWith(f.path) : f.path.test(path))),
    );
    if (fail) {
      fail.remaining--;
      if (fail.remaining === 0) failures.splice(failures.indexOf(fail), 1);
      if (fail.delayMs) await new Promise((r) => setTimeout(r, fail.delayMs));
      const headers: Record<string, string> = fail.retryAfter ? { 'retry-after': fail.retryAfter } : {};
      if (fail.rawBody !== undefined) {
        res.writeHead(fail.status, { 'content-type': 'text/html', ...headers });
        res.end(fail.rawBody);
        return;
      }
      const type = fail.type ?? DEFAULT_TYPES[fail.status] ?? 'errors/unexpected_error';
      return problem(res, fail.status, type, fail.title ?? `Scripted ${fail.status}`, fail.detail, headers);
    }

    if (req.headers['x-api-key'] !== apiKey) {
      return problem(res, 401, 'errors/missing_credentials', 'Missing credentials', 'Some credentials are necessary to perform the request.');
    }

    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/api/v1/users/invite') return invite(res, record);
    if (method === 'POST' && path === '/api/v1/chats') return startChat(res, record);
    if (method === 'GET' && (m = /^\/api\/v1\/users\/([^/]+)$/.exec(path))) {
      const accountId = url.searchParams.get('account_id');
      if (!accountId) return problem(res, 400, 'errors/invalid_parameters', 'account_id is required');
      const p = findProfile(decodeURIComponent(m[1]!));
      if (!p) return problem(res, 404, 'errors/resource_not_found', 'Resource not found.', 'User not found');
      return json(res, 200, profileJson(p, accountId));
    }
    if (method === 'GET' && (m = /^\/api\/v1\/accounts\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(m[1]!);
      const acc = accounts.get(id) ?? (options.autoAccounts === false ? undefined : { name: `Seat ${id}`, status: 'OK' as const });
      if (!acc) return problem(res, 404, 'errors/resource_not_found', 'Resource not found.', 'Account not found');
      return json(res, 200, {
        object: 'Account',
        id,
        type: 'LINKEDIN',
        name: acc.name,
        created_at: '2026-01-01T00:00:00.000Z',
        groups: [],
        connection_params: { im: { id: `ACoSEAT${id}`, username: acc.name, premiumContractId: null, premiumFeatures: [] } },
        sources: [{ id: `${id}_MESSAGING`, status: acc.status }],
      });
    }
    return problem(res, 404, 'errors/resource_not_found', 'Resource not found.', `No route ${method} ${path}`);
  }

  function invite(res: ServerResponse, record: FakeRequest) {
    const body = (record.json ?? {}) as Record<string, unknown>;
    const accountId = typeof body.account_id === 'string' ? body.account_id : '';
    const providerId = typeof body.provider_id === 'string' ? body.provider_id : '';
    const message = typeof body.message === 'string' ? body.message : undefined;
    if (!accountId || !providerId) return problem(res, 400, 'errors/invalid_parameters', 'account_id and provider_id are required');
    if (message !== undefined && message.length > 300) {
      return problem(res, 400, 'errors/too_many_characters', 'Too many characters', 'The invitation message exceeds 300 characters.');
    }
    if (!profiles.has(providerId)) return problem(res, 422, 'errors/invalid_recipient', 'Invalid recipient', 'Recipient cannot be reached.');
    const k = key(accountId, providerId);
    if (connections.has(k)) return problem(res, 422, 'errors/already_connected', 'Already connected');
    if (invitationState.get(k) === 'PENDING') {
      return problem(res, 422, 'errors/already_invited_recently', 'Already invited recently', 'An invitation is already pending.');
    }
    const invitationId = `inv_${++seq}`;
    invitationState.set(k, 'PENDING');
    invitations.push({ invitationId, accountId, providerId, message, status: 'PENDING', sentAt: new Date() });
    return json(res, 201, { object: 'UserInvitationSent', invitation_id: invitationId, usage: invitations.filter((i) => i.accountId === accountId).length });
  }

  function startChat(res: ServerResponse, record: FakeRequest) {
    const form = record.form;
    if (!form) return problem(res, 400, 'errors/invalid_parameters', 'POST /chats expects multipart/form-data');
    const accountId = form.account_id?.[0] ?? '';
    const attendeesIds = form.attendees_ids ?? [];
    const text = form.text?.[0] ?? '';
    if (!accountId || attendeesIds.length === 0) return problem(res, 400, 'errors/invalid_parameters', 'account_id and attendees_ids are required');
    for (const id of attendeesIds) {
      if (!profiles.has(id)) return problem(res, 422, 'errors/invalid_recipient', 'Invalid recipient', `Unknown attendee ${id}`);
      if (!options.allowMessagesToNonConnections && !connections.has(key(accountId, id))) {
        return problem(res, 422, 'errors/no_connection_with_recipient', 'No connection with recipient', 'You can only message your connections.');
      }
    }
    const chat: FakeChat = { chatId: `chat_${++seq}`, messageId: `msg_${++seq}`, accountId, attendeesIds, text, startedAt: new Date() };
    chats.push(chat);
    return json(res, 201, { object: 'ChatStarted', chat_id: chat.chatId, message_id: chat.messageId });
  }

  return {
    requests,
    invitations,
    chats,
    apiKey,

    async start(): Promise<{ baseUrl: string }> {
      server = createServer((req, res) => {
        handle(req, res).catch((err) => {
          if (!res.headersSent) problem(res, 500, 'errors/unexpected_error', 'Fake crashed', String(err));
        });
      });
      server.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      return { baseUrl: `http://127.0.0.1:${port}` };
    },

    async stop(): Promise<void> {
      if (!server) return;
      const s = server;
      server = undefined;
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },

    /** Adds or replaces a LinkedIn member. */
    setProfile(profile: FakeProfile): void {
      profiles.set(profile.providerId, profile);
    },

    /** Sets (or clears with null) the invitation `accountId` has out to `providerId`. */
    setInvitation(accountId: string, providerId: string, status: FakeInvitationStatus | null): void {
      if (status === null) invitationState.delete(key(accountId, providerId));
      else invitationState.set(key(accountId, providerId), status);
      const inv = [...invitations].reverse().find((i) => i.accountId === accountId && i.providerId === providerId);
      if (inv && status) inv.status = status;
    },

    /** Makes `accountId` and `providerId` connected (FIRST_DEGREE) without an invitation. */
    connect(accountId: string, providerId: string): void {
      connections.add(key(accountId, providerId));
    },

    /**
     * The member accepts `accountId`'s invitation: they become FIRST_DEGREE and the invitation
     * disappears from the profile. Returns the `new_relation` webhook body Unipile would send.
     */
    acceptInvitation(accountId: string, providerId: string) {
      const p = profiles.get(providerId);
      if (!p) throw new Error(`unipile-fake: unknown member ${providerId}`);
      connections.add(key(accountId, providerId));
      invitationState.delete(key(accountId, providerId));
      const inv = [...invitations].reverse().find((i) => i.accountId === accountId && i.providerId === providerId);
      if (inv) inv.status = 'ACCEPTED';
      return {
        event: 'new_relation' as const,
        account_id: accountId,
        account_type: 'LINKEDIN',
        webhook_name: 'agency-os users',
        user_full_name: [p.firstName, p.lastName].filter(Boolean).join(' '),
        user_provider_id: p.providerId,
        user_public_identifier: p.publicIdentifier,
        user_profile_url: `https://www.linkedin.com/in/${p.publicIdentifier}`,
        user_picture_url: `https://media.licdn.test/${p.publicIdentifier}.jpg`,
      };
    },

    /** Sets the account's name and source status (GET /accounts/:id). */
    setAccount(id: string, account: { name?: string; status: FakeSourceStatus }): void {
      accounts.set(id, { name: account.name ?? `Seat ${id}`, status: account.status });
    },

    /** Queues a scripted failure (checked before authentication and routing). */
    failNext(failure: FakeFailure): void {
      failures.push({ ...failure, remaining: failure.times ?? 1 });
    },

    /** Forgets recorded requests, invitations, chats and pending failures (keeps profiles). */
    reset(): void {
      requests.length = 0;
      invitations.length = 0;
      chats.length = 0;
      failures.length = 0;
      invitationState.clear();
      connections.clear();
    },
  };
}

export type UnipileFake = ReturnType<typeof createUnipileFake>;
