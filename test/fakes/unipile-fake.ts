/**
 * A Unipile API v1 server for tests (test/fakes/http-fake.ts: 127.0.0.1, free port), speaking the
 * JSON and multipart shapes of PROVIDERS.md section 4. Reusable by provider, workflow and end-to-end tests.
 *
 *   const unipile = createUnipileFake({ apiKey: 'test-key' });
 *   const { baseUrl } = await unipile.start();            // http://127.0.0.1:PORT (the "DSN")
 *   const li = createUnipileLinkedInClient({ dsn: baseUrl, apiKey: 'test-key' });
 *
 *   unipile.setProfile({ providerId: 'ACoAAA1', publicIdentifier: 'jane-doe', firstName: 'Jane' });
 *   unipile.setInvitation('acc-1', 'ACoAAA1', 'PENDING');   // as if acc-1 had already invited her (listed
 *                                                            // by GET /users/invite/sent, withdrawable)
 *   unipile.acceptInvitation('acc-1', 'ACoAAA1');           // she accepts: FIRST_DEGREE for acc-1;
 *                                                            // returns the new_relation webhook body
 *   unipile.setAccount('acc-1', { status: 'CREDENTIALS' }); // GET /accounts/acc-1 health (LI-006),
 *                                                            // and listed by GET /accounts
 *   unipile.hostedAuthLinks;  // POST /hosted/accounts/link requests, in order (with the url answered)
 *   unipile.completeHostedAuth(0 | 'link name', 'acc-9');   // the operator connects an account through
 *                                                            // that link: it is listed by GET /accounts;
 *                                                            // returns the notify_url callback body
 *   unipile.cancelledInvitations;  // invitations withdrawn through DELETE /users/invite/sent/:id
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
 *   GET  /accounts?limit=&cursor=          {object:'AccountList', items:[Account...], cursor} over the accounts
 *        set through setAccount and connected through completeHostedAuth (not the `autoAccounts`
 *        ones), in creation order; pages of `limit` (default 100, capped by `accountsPageSize`),
 *        `cursor` opaque, null on the last page.
 *   POST /hosted/accounts/link (JSON)      {type:'create'|'reconnect', providers, api_url, expiresOn, name?,
 *        notify_url?, reconnect_account?}; 400 errors/invalid_parameters without type, api_url or a
 *        valid expiresOn. Answers 201 {object:'HostedAuthURL', url}.
 *   GET  /users/invite/sent?account_id=&limit=&cursor=   {object:'InvitationList', items:[{object:'InvitationSent',
 *        id, date, parsed_datetime, invited_user, invited_user_id, invited_user_public_id,
 *        invited_user_description, invitation_text}], cursor}: the account's PENDING invitations
 *        (sent through POST /users/invite, or set PENDING with setInvitation), newest first; pages
 *        of `limit` (default 100, at most 100 like Unipile's), `cursor` opaque, null on the last page.
 *   DELETE /users/invite/sent/:id?account_id=   withdraws a PENDING invitation of that account
 *        (status WITHDRAWN) and answers {object:'InvitationCanceled'}; 404 errors/resource_not_found
 *        when the account has no such pending invitation (unknown, already withdrawn or accepted).
 *   Anything else: 404.
 * Scripted failures (`failNext`) are checked first, in order, and answer Unipile problem bodies
 * `{object:'Error', status, type, title, detail}` with an optional Retry-After; a failed request is
 * recorded but changes nothing.
 */
import type { FaultPlan } from './faults.js';
import { HttpFake, type FakeAnswer, type FakeRequest as HttpRequest, type FakeResponse } from './http-fake.js';

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
  /** What the fake answered (0 until then). */
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
  /** The most accounts GET /accounts returns per page, whatever `limit` asks (default 250). */
  accountsPageSize?: number;
}

export interface FakeAccount {
  name: string;
  status: FakeSourceStatus;
  /** Unipile account type (default 'LINKEDIN'). */
  type: string;
  createdAt: Date;
}

export interface FakeHostedAuthLink {
  type: string;
  name?: string;
  providers: unknown;
  apiUrl: string;
  expiresOn: string;
  notifyUrl?: string;
  reconnectAccount?: string;
  /** The url answered. */
  url: string;
  /** The account connected through it (completeHostedAuth). */
  accountId?: string;
  body: Record<string, unknown>;
  createdAt: Date;
}

export interface FakeCancelledInvitation {
  invitationId: string;
  accountId: string;
  cancelledAt: Date;
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

const json = (status: number, body: unknown, headers?: Record<string, string>): FakeResponse => ({ status, body, headers });

/** A Unipile problem body. */
function problem(status: number, type: string, title: string, detail?: string, headers?: Record<string, string>): FakeResponse {
  return json(status, { object: 'Error', status, type, title, detail: detail ?? title }, headers);
}

export function createUnipileFake(options: UnipileFakeOptions = {}) {
  const apiKey = options.apiKey ?? 'unipile-test-key';
  const profiles = new Map<string, FakeProfile>(); // by providerId
  const connections = new Set<string>(); // `${accountId}:${providerId}`
  const invitationState = new Map<string, FakeInvitationStatus>(); // `${accountId}:${providerId}`
  const accounts = new Map<string, FakeAccount>();
  const hostedAuthLinks: FakeHostedAuthLink[] = [];
  const cancelledInvitations: FakeCancelledInvitation[] = [];
  const invitations: FakeInvitation[] = [];
  /** Invitations made PENDING by setInvitation without a POST /users/invite (sent before the test). */
  const earlierInvitations: FakeInvitation[] = [];
  /** The order every invitation was made in (sent or set). */
  const madeOrder = new WeakMap<FakeInvitation, number>();
  const chats: FakeChat[] = [];
  let seq = 0;

  const key = (accountId: string, providerId: string) => `${accountId}:${providerId}`;
  const findProfile = (identifier: string) =>
    profiles.get(identifier) ?? [...profiles.values()].find((p) => p.publicIdentifier.toLowerCase() === identifier.toLowerCase());

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

  /** Parses a JSON or multipart body into the record; a body that does not parse answers 400. */
  async function parseBody(req: HttpRequest, record: FakeRequest): Promise<FakeAnswer | undefined> {
    const contentType = String(req.headers['content-type'] ?? '');
    if (contentType.includes('application/json') && req.rawBody !== '') {
      // HttpFake keeps the raw text as the body when it is not JSON.
      if (req.body === req.rawBody) return problem(400, 'errors/invalid_parameters', 'Invalid JSON body');
      record.json = req.body;
    } else if (contentType.includes('multipart/form-data')) {
      try {
        const fd = await new Response(req.rawBody, { headers: { 'content-type': contentType } }).formData();
        const form: Record<string, string[]> = {};
        for (const [name, value] of fd.entries()) (form[name] ??= []).push(typeof value === 'string' ? value : `[file ${value.name}]`);
        record.form = form;
      } catch {
        return problem(400, 'errors/invalid_parameters', 'Invalid multipart body');
      }
    }
    return undefined;
  }

  function route(req: HttpRequest, record: FakeRequest): FakeAnswer {
    const { method, path } = req;
    if (req.headers['x-api-key'] !== apiKey) {
      return problem(401, 'errors/missing_credentials', 'Missing credentials', 'Some credentials are necessary to perform the request.');
    }

    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/api/v1/users/invite') return invite(record);
    if (method === 'POST' && path === '/api/v1/chats') return startChat(record);
    if (method === 'GET' && (m = /^\/api\/v1\/users\/([^/]+)$/.exec(path))) {
      const accountId = req.query.get('account_id');
      if (!accountId) return problem(400, 'errors/invalid_parameters', 'account_id is required');
      const p = findProfile(decodeURIComponent(m[1]!));
      if (!p) return problem(404, 'errors/resource_not_found', 'Resource not found.', 'User not found');
      return json(200, profileJson(p, accountId));
    }
    if (method === 'GET' && (m = /^\/api\/v1\/accounts\/([^/]+)$/.exec(path))) {
      const id = decodeURIComponent(m[1]!);
      const acc =
        accounts.get(id) ??
        (options.autoAccounts === false
          ? undefined
          : { name: `Seat ${id}`, status: 'OK' as const, type: 'LINKEDIN', createdAt: new Date('2026-01-01T00:00:00.000Z') });
      if (!acc) return problem(404, 'errors/resource_not_found', 'Resource not found.', 'Account not found');
      return json(200, accountJson(id, acc));
    }
    if (method === 'GET' && path === '/api/v1/accounts') return listAccounts(req.query);
    if (method === 'POST' && path === '/api/v1/hosted/accounts/link') return createHostedLink(record);
    if (method === 'GET' && path === '/api/v1/users/invite/sent') return listSentInvitations(req.query);
    if (method === 'DELETE' && (m = /^\/api\/v1\/users\/invite\/sent\/([^/]+)$/.exec(path))) {
      return cancelInvitation(decodeURIComponent(m[1]!), req.query.get('account_id'));
    }
    return problem(404, 'errors/resource_not_found', 'Resource not found.', `No route ${method} ${path}`);
  }

  function accountJson(id: string, acc: FakeAccount) {
    return {
      object: 'Account',
      id,
      type: acc.type,
      name: acc.name,
      created_at: acc.createdAt.toISOString(),
      groups: [],
      connection_params: { im: { id: `ACoSEAT${id}`, username: acc.name, premiumContractId: null, premiumFeatures: [] } },
      sources: [{ id: `${id}_MESSAGING`, status: acc.status }],
    };
  }

  function listAccounts(query: URLSearchParams): FakeResponse {
    const limitParam = query.get('limit');
    const limit = limitParam === null ? 100 : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > 250)
      return problem(400, 'errors/invalid_parameters', 'limit must be an integer from 1 to 250');
    const pageSize = Math.min(limit, options.accountsPageSize ?? 250);
    let offset = 0;
    const cursor = query.get('cursor');
    if (cursor) {
      try {
        offset = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { offset: number }).offset;
      } catch {
        return problem(400, 'errors/invalid_parameters', 'Invalid cursor');
      }
      if (!Number.isInteger(offset) || offset < 0) return problem(400, 'errors/invalid_parameters', 'Invalid cursor');
    }
    const all = [...accounts.entries()];
    const items = all.slice(offset, offset + pageSize).map(([id, acc]) => accountJson(id, acc));
    const next = offset + pageSize < all.length ? Buffer.from(JSON.stringify({ offset: offset + pageSize })).toString('base64url') : null;
    return json(200, { object: 'AccountList', items, cursor: next });
  }

  function createHostedLink(record: FakeRequest): FakeResponse {
    const body = (record.json && typeof record.json === 'object' ? record.json : {}) as Record<string, unknown>;
    const type = body.type;
    const expiresOn = typeof body.expiresOn === 'string' ? body.expiresOn : '';
    if (type !== 'create' && type !== 'reconnect') return problem(400, 'errors/invalid_parameters', "type must be 'create' or 'reconnect'");
    if (typeof body.api_url !== 'string' || !/^https?:\/\//.test(body.api_url))
      return problem(400, 'errors/invalid_parameters', 'api_url must be your DSN URL');
    if (Number.isNaN(Date.parse(expiresOn))) return problem(400, 'errors/invalid_parameters', 'expiresOn must be an ISO 8601 date-time');
    if (type === 'create' && body.providers === undefined) return problem(400, 'errors/invalid_parameters', 'providers is required');
    if (type === 'reconnect' && typeof body.reconnect_account !== 'string')
      return problem(400, 'errors/invalid_parameters', 'reconnect_account is required');
    const link: FakeHostedAuthLink = {
      type,
      name: typeof body.name === 'string' ? body.name : undefined,
      providers: body.providers,
      apiUrl: body.api_url,
      expiresOn,
      notifyUrl: typeof body.notify_url === 'string' ? body.notify_url : undefined,
      reconnectAccount: typeof body.reconnect_account === 'string' ? body.reconnect_account : undefined,
      url: `https://account.unipile.test/hosted/${++seq}-${Math.random().toString(36).slice(2, 10)}`,
      body,
      createdAt: new Date(),
    };
    hostedAuthLinks.push(link);
    return json(201, { object: 'HostedAuthURL', url: link.url });
  }

  function listSentInvitations(query: URLSearchParams): FakeResponse {
    const accountId = query.get('account_id');
    if (!accountId) return problem(400, 'errors/invalid_parameters', 'account_id is required');
    const limitParam = query.get('limit');
    const limit = limitParam === null ? 100 : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return problem(400, 'errors/invalid_parameters', 'limit must be an integer from 1 to 100');
    let offset = 0;
    const cursor = query.get('cursor');
    if (cursor) {
      offset = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (!Number.isInteger(offset) || offset < 0) return problem(400, 'errors/invalid_parameters', 'Invalid cursor');
    }
    // Newest first; invitations made in the same millisecond in the order they were made.
    const pending = [...invitations, ...earlierInvitations]
      .filter((i) => i.accountId === accountId && i.status === 'PENDING')
      .sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime() || madeOrder.get(b)! - madeOrder.get(a)!);
    const items = pending.slice(offset, offset + limit).map((i) => {
      const p = profiles.get(i.providerId);
      return {
        object: 'InvitationSent',
        id: i.invitationId,
        date: i.sentAt.toISOString(),
        parsed_datetime: i.sentAt.toISOString(),
        invited_user: p ? [p.firstName, p.lastName].filter(Boolean).join(' ') : null,
        invited_user_id: i.providerId,
        invited_user_public_id: p?.publicIdentifier ?? null,
        invited_user_description: p?.headline ?? null,
        invitation_text: i.message ?? null,
      };
    });
    const next = offset + limit < pending.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
    return json(200, { object: 'InvitationList', items, cursor: next });
  }

  function cancelInvitation(invitationId: string, accountId: string | null): FakeResponse {
    if (!accountId) return problem(400, 'errors/invalid_parameters', 'account_id is required');
    const inv = [...invitations, ...earlierInvitations].find((i) => i.invitationId === invitationId && i.accountId === accountId);
    if (!inv || inv.status !== 'PENDING') return problem(404, 'errors/resource_not_found', 'Resource not found.', 'Invitation not found');
    inv.status = 'WITHDRAWN';
    invitationState.set(key(accountId, inv.providerId), 'WITHDRAWN');
    cancelledInvitations.push({ invitationId, accountId, cancelledAt: new Date() });
    return json(200, { object: 'InvitationCanceled' });
  }

  function invite(record: FakeRequest): FakeResponse {
    const body = (record.json ?? {}) as Record<string, unknown>;
    const accountId = typeof body.account_id === 'string' ? body.account_id : '';
    const providerId = typeof body.provider_id === 'string' ? body.provider_id : '';
    const message = typeof body.message === 'string' ? body.message : undefined;
    if (!accountId || !providerId) return problem(400, 'errors/invalid_parameters', 'account_id and provider_id are required');
    if (message !== undefined && message.length > 300) {
      return problem(400, 'errors/too_many_characters', 'Too many characters', 'The invitation message exceeds 300 characters.');
    }
    if (!profiles.has(providerId)) return problem(422, 'errors/invalid_recipient', 'Invalid recipient', 'Recipient cannot be reached.');
    const k = key(accountId, providerId);
    if (connections.has(k)) return problem(422, 'errors/already_connected', 'Already connected');
    if (invitationState.get(k) === 'PENDING') {
      return problem(422, 'errors/already_invited_recently', 'Already invited recently', 'An invitation is already pending.');
    }
    const invitationId = `inv_${++seq}`;
    invitationState.set(k, 'PENDING');
    const sent: FakeInvitation = { invitationId, accountId, providerId, message, status: 'PENDING', sentAt: new Date() };
    madeOrder.set(sent, seq);
    invitations.push(sent);
    return json(201, {
      object: 'UserInvitationSent',
      invitation_id: invitationId,
      usage: invitations.filter((i) => i.accountId === accountId).length,
    });
  }

  function startChat(record: FakeRequest): FakeResponse {
    const form = record.form;
    if (!form) return problem(400, 'errors/invalid_parameters', 'POST /chats expects multipart/form-data');
    const accountId = form.account_id?.[0] ?? '';
    const attendeesIds = form.attendees_ids ?? [];
    const text = form.text?.[0] ?? '';
    if (!accountId || attendeesIds.length === 0)
      return problem(400, 'errors/invalid_parameters', 'account_id and attendees_ids are required');
    for (const id of attendeesIds) {
      if (!profiles.has(id)) return problem(422, 'errors/invalid_recipient', 'Invalid recipient', `Unknown attendee ${id}`);
      if (!options.allowMessagesToNonConnections && !connections.has(key(accountId, id))) {
        return problem(
          422,
          'errors/no_connection_with_recipient',
          'No connection with recipient',
          'You can only message your connections.',
        );
      }
    }
    const chat: FakeChat = { chatId: `chat_${++seq}`, messageId: `msg_${++seq}`, accountId, attendeesIds, text, startedAt: new Date() };
    chats.push(chat);
    return json(201, { object: 'ChatStarted', chat_id: chat.chatId, message_id: chat.messageId });
  }

  const http = new HttpFake<FakeRequest>(route, {
    record: (req) => ({
      method: req.method,
      path: req.path,
      query: Object.fromEntries(req.query),
      headers: { ...req.headers },
      raw: req.rawBody,
      get status() {
        return req.status ?? 0;
      },
      at: new Date(),
    }),
    before: parseBody,
    headers: () => ({ 'content-type': 'application/json; charset=utf-8' }),
  });

  return {
    requests: http.requests,
    invitations,
    chats,
    hostedAuthLinks,
    cancelledInvitations,
    apiKey,

    start: () => http.start(),
    stop: () => http.stop(),
    /** Seeded faults on a share of the requests (faults.ts). */
    injectFaults: (plan: FaultPlan) => http.injectFaults(plan),
    clearFaults: () => http.clearFaults(),

    /** Adds or replaces a LinkedIn member. */
    setProfile(profile: FakeProfile): void {
      profiles.set(profile.providerId, profile);
    },

    /**
     * Sets (or clears with null) the invitation `accountId` has out to `providerId`. PENDING without
     * one sent through POST /users/invite records an earlier invitation (listed, withdrawable).
     */
    setInvitation(accountId: string, providerId: string, status: FakeInvitationStatus | null): void {
      if (status === null) invitationState.delete(key(accountId, providerId));
      else invitationState.set(key(accountId, providerId), status);
      const inv = [...invitations, ...earlierInvitations].reverse().find((i) => i.accountId === accountId && i.providerId === providerId);
      if (inv && status) inv.status = status;
      else if (!inv && status === 'PENDING') {
        const earlier: FakeInvitation = { invitationId: `inv_earlier_${++seq}`, accountId, providerId, status, sentAt: new Date() };
        madeOrder.set(earlier, seq);
        earlierInvitations.push(earlier);
      }
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
      const inv = [...invitations, ...earlierInvitations].reverse().find((i) => i.accountId === accountId && i.providerId === providerId);
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

    /** Sets the account's name, source status and type (GET /accounts/:id, listed by GET /accounts). */
    setAccount(id: string, account: { name?: string; status: FakeSourceStatus; type?: string }): void {
      const prev = accounts.get(id);
      accounts.set(id, {
        name: account.name ?? prev?.name ?? `Seat ${id}`,
        status: account.status,
        type: account.type ?? prev?.type ?? 'LINKEDIN',
        createdAt: prev?.createdAt ?? new Date(),
      });
    },

    /**
     * The operator completes a hosted-auth link (by its index in `hostedAuthLinks` or its `name`,
     * the latest with that name): account `accountId` is connected (status OK; for a 'create' link
     * it is added with the link's name, or `opts.name`) and listed by GET /accounts. Returns the
     * body Unipile POSTs to the link's notify_url.
     */
    completeHostedAuth(link: number | string, accountId: string, opts: { name?: string; status?: FakeSourceStatus } = {}) {
      const found = typeof link === 'number' ? hostedAuthLinks[link] : [...hostedAuthLinks].reverse().find((l) => l.name === link);
      if (!found) throw new Error(`unipile-fake: no hosted-auth link ${JSON.stringify(link)}`);
      const id = found.type === 'reconnect' && found.reconnectAccount ? found.reconnectAccount : accountId;
      const prev = accounts.get(id);
      const providers = Array.isArray(found.providers) ? (found.providers as unknown[]) : [];
      accounts.set(id, {
        name: opts.name ?? prev?.name ?? found.name ?? `Seat ${id}`,
        status: opts.status ?? 'OK',
        type: prev?.type ?? (typeof providers[0] === 'string' ? providers[0] : 'LINKEDIN'),
        createdAt: prev?.createdAt ?? new Date(),
      });
      found.accountId = id;
      return {
        status: found.type === 'reconnect' ? ('RECONNECTED' as const) : ('CREATION_SUCCESS' as const),
        account_id: id,
        name: found.name ?? '',
      };
    },

    /** Queues a scripted failure (checked before authentication and routing). */
    failNext(failure: FakeFailure): void {
      const { method, path, status, retryAfter, rawBody, times, delayMs } = failure;
      const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {};
      const answer =
        rawBody !== undefined
          ? { status, body: rawBody, headers: { 'content-type': 'text/html', ...headers } }
          : problem(
              status,
              failure.type ?? DEFAULT_TYPES[status] ?? 'errors/unexpected_error',
              failure.title ?? `Scripted ${status}`,
              failure.detail,
              headers,
            );
      // A string path is a prefix here.
      const where = typeof path === 'string' ? { when: (req: HttpRequest) => req.path.startsWith(path) } : { path };
      http.failNext({ method, ...where, times, delayMs, ...answer });
    },

    /**
     * Forgets recorded requests, invitations, chats, accounts, hosted-auth links, cancellations and
     * pending failures (keeps profiles).
     */
    reset(): void {
      http.reset();
      invitations.length = 0;
      earlierInvitations.length = 0;
      chats.length = 0;
      accounts.clear();
      hostedAuthLinks.length = 0;
      cancelledInvitations.length = 0;
      invitationState.clear();
      connections.clear();
    },
  };
}

export type UnipileFake = ReturnType<typeof createUnipileFake>;
