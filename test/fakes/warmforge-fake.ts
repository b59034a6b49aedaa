/**
 * A Warmforge public API v1 server for tests, built on test/fakes/http-fake.ts (node:http on
 * 127.0.0.1, free port), speaking the JSON shapes providers/forge/warmforge.ts assumes
 * (PROVIDERS.md section 5; the Swagger shapes are unverified, see that file's header).
 *
 *   const warm = new WarmforgeFake({ apiKey: 'wf-key', workspaceId: 'ws-1' });
 *   const { baseUrl } = await warm.start();
 *   const warmup = createWarmforgeService({ baseUrl, apiKey: 'wf-key', workspaceId: 'ws-1' });
 *
 *   warm.setHeatScore('jane@acme-mail.com', 92);       // healthReport.heatScore on the next GET
 *   warm.heatScoreOf = (address) => heatFor(address, clock.now());   // consulted on every GET
 *   warm.setMailbox('jane@acme-mail.com', { status: 'access_lost', warmupDaysCompleted: 12 });
 *   warm.connectElsewhere('bob@acme-mail.com');       // in another workspace: connect -> 409
 *   warm.failNext({ method: 'PATCH', status: 503, headers: { 'retry-after': '4' } });
 *   warm.requests;          // every request (HttpFake's FakeRequest)
 *   warm.connected;         // Map lower-cased address -> mailbox (every workspace)
 *   warm.warmupSettings;    // Map lower-cased address -> the last PATCH body accepted
 *   warm.warmupToggles;     // each accepted PATCH carrying warmupEnabled: { address, warmupEnabled, was, at }
 *   await warm.stop();
 *
 * Auth: every route requires `Authorization: <apiKey>` (raw key; the default) or, with
 * `auth: 'bearer'`, exactly `Authorization: Bearer <apiKey>`; anything else is 401
 * `{message: 'Unauthorized', data: null}`. Scripted failures (`failNext`) come first, before auth.
 * Errors are `{message, data}`.
 *
 * Routes (`:wid` must be the fake's workspaceId, else 404):
 *   GET   /workspaces/:wid/mailboxes?page=&page_size=&search=&status=   page and page_size are
 *         required (400), page_size <= 100 (422); search is a case-insensitive substring of the
 *         address; status all (default) | warm (warmup on) | active | pending | access_lost |
 *         suspended. Answers {data: [mailbox], total, page, pageSize}; a mailbox is
 *         {id, address, firstName, lastName, status, warm, warmupEnabled, warmupDaysCompleted,
 *          warmupDaysLeft, externalReference, healthReport: null | {heatScore, warmupDays, lastCheckedAt}}
 *         healthReport is null while the heat score is null. The heat score is `heatScoreOf(address)`
 *         when that hook is set, else the one set with setHeatScore (default null).
 *   POST  /workspaces/:wid/mailboxes/connect-smtp {address, firstName, lastName, smtpHost, smtpPort,
 *         smtpUsername, smtpPassword, imapHost, imapPort, imapUsername, imapPassword, warmupEnabled?,
 *         externalReference?}   422 for a missing field; 409 `{message: 'Mailbox already exists'}`
 *         when the address is connected in ANY workspace (ours included). Creates it 'active',
 *         answers 201 with the mailbox (bare object).
 *   PATCH /workspaces/:wid/mailboxes/:address (URL-encoded)   404 unknown in this workspace; 422
 *         outside Warmforge's ranges (minEmailsPerDay 1..20, maxEmailsPerDay 1..20 and >= min,
 *         emailRampUp 0..20, replyRatePercent 0..50, integers; warmupStartDate YYYY-MM-DD;
 *         warmupEnabled a boolean). Every field is optional: `{warmupEnabled: false}` alone is
 *         accepted (RP-009 turns warmup off). Applies warmupEnabled (appending to `warmupToggles`),
 *         records the body in `warmupSettings`, answers the mailbox.
 *   Anything else: 404.
 */
import { randomBytes } from 'node:crypto';
import { RoutedFake, type FakeRequest, type FakeResponse, type ScriptedFailure } from './http-fake.js';

export interface WarmforgeFakeOptions {
  apiKey?: string;
  workspaceId?: string;
  /** Which Authorization form is accepted: the raw key (default) or `Bearer <key>` only. */
  auth?: 'raw' | 'bearer';
}

export interface WarmforgeFakeMailbox {
  id: string;
  address: string;
  firstName: string;
  lastName: string;
  workspaceId: string;
  status: string;
  warmupEnabled: boolean;
  heatScore: number | null;
  warmupDaysCompleted: number;
  externalReference?: string;
  smtp: { host: string; port: number; username: string; password: string };
  imap: { host: string; port: number; username: string; password: string };
  connectedAt: Date;
}

const err = (status: number, message: string, data: unknown = null): FakeResponse => ({ status, body: { message, data } });
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const REQUIRED = [
  'address',
  'smtpHost',
  'smtpPort',
  'smtpUsername',
  'smtpPassword',
  'imapHost',
  'imapPort',
  'imapUsername',
  'imapPassword',
];
const RANGES: Record<string, [number, number]> = {
  minEmailsPerDay: [1, 20],
  maxEmailsPerDay: [1, 20],
  emailRampUp: [0, 20],
  replyRatePercent: [0, 50],
};
/** Warmforge's usual warmup length, for warmupDaysLeft. */
const WARMUP_DAYS = 21;

export class WarmforgeFake extends RoutedFake {
  readonly apiKey: string;
  readonly workspaceId: string;
  auth: 'raw' | 'bearer';
  /** Mailboxes by lower-cased address (every workspace). */
  readonly connected = new Map<string, WarmforgeFakeMailbox>();
  /** The last accepted PATCH body per lower-cased address. */
  readonly warmupSettings = new Map<string, Record<string, unknown>>();
  /** Every accepted PATCH that carried warmupEnabled, in order (`was`: the value before). */
  readonly warmupToggles: Array<{ address: string; warmupEnabled: boolean; was: boolean; at: Date }> = [];
  /** When set, the heat score of every GET answer (null: no check yet); wins over setHeatScore. */
  heatScoreOf?: (address: string) => number | null;

  constructor(opts: WarmforgeFakeOptions = {}) {
    super();
    this.apiKey = opts.apiKey ?? 'warmforge-test-key';
    this.workspaceId = opts.workspaceId ?? 'ws-test';
    this.auth = opts.auth ?? 'raw';
  }

  /** The heat score GET answers for this mailbox (when no heatScoreOf hook is set). */
  setHeatScore(address: string, heatScore: number | null): void {
    this.mailbox(address).heatScore = heatScore;
  }

  /** Changes a connected mailbox's fields (status, warmupDaysCompleted, heatScore, ...). */
  setMailbox(address: string, patch: Partial<Omit<WarmforgeFakeMailbox, 'address' | 'id'>>): void {
    Object.assign(this.mailbox(address), patch);
  }

  /** Seeds a mailbox connected in another workspace (connecting it here answers 409). */
  connectElsewhere(address: string, workspaceId = 'ws-someone-else'): WarmforgeFakeMailbox {
    return this.add({ address, firstName: 'Other', lastName: 'Workspace' }, workspaceId);
  }

  /** A scripted failure for the next matching request (HttpFake's failNext). */
  failNext(failure: ScriptedFailure): void {
    this.http.failNext(failure);
  }

  /** Forgets mailboxes, settings, the hook and requests (the server keeps running). */
  reset(): void {
    this.connected.clear();
    this.warmupSettings.clear();
    this.warmupToggles.length = 0;
    this.heatScoreOf = undefined;
    this.http.requests.length = 0;
  }

  private mailbox(address: string): WarmforgeFakeMailbox {
    const m = this.connected.get(address.toLowerCase());
    if (!m) throw new Error(`WarmforgeFake: no mailbox ${address}`);
    return m;
  }

  private add(body: Record<string, unknown>, workspaceId: string): WarmforgeFakeMailbox {
    const address = String(body.address);
    const m: WarmforgeFakeMailbox = {
      id: `wf_${randomBytes(6).toString('hex')}`,
      address,
      firstName: typeof body.firstName === 'string' ? body.firstName : '',
      lastName: typeof body.lastName === 'string' ? body.lastName : '',
      workspaceId,
      status: 'active',
      warmupEnabled: body.warmupEnabled === true,
      heatScore: null,
      warmupDaysCompleted: 0,
      ...(typeof body.externalReference === 'string' ? { externalReference: body.externalReference } : {}),
      smtp: {
        host: String(body.smtpHost ?? ''),
        port: Number(body.smtpPort ?? 0),
        username: String(body.smtpUsername ?? ''),
        password: String(body.smtpPassword ?? ''),
      },
      imap: {
        host: String(body.imapHost ?? ''),
        port: Number(body.imapPort ?? 0),
        username: String(body.imapUsername ?? ''),
        password: String(body.imapPassword ?? ''),
      },
      connectedAt: new Date(),
    };
    this.connected.set(address.toLowerCase(), m);
    return m;
  }

  private view(m: WarmforgeFakeMailbox): Record<string, unknown> {
    const heat = this.heatScoreOf ? this.heatScoreOf(m.address) : m.heatScore;
    return {
      id: m.id,
      address: m.address,
      firstName: m.firstName,
      lastName: m.lastName,
      status: m.status,
      warm: m.warmupEnabled,
      warmupEnabled: m.warmupEnabled,
      warmupDaysCompleted: m.warmupDaysCompleted,
      warmupDaysLeft: Math.max(0, WARMUP_DAYS - m.warmupDaysCompleted),
      externalReference: m.externalReference ?? null,
      healthReport: heat === null ? null : { heatScore: heat, warmupDays: m.warmupDaysCompleted, lastCheckedAt: new Date().toISOString() },
    };
  }

  protected route(req: FakeRequest): FakeResponse {
    const expected = this.auth === 'bearer' ? `Bearer ${this.apiKey}` : this.apiKey;
    if (req.headers.authorization !== expected) return err(401, 'Unauthorized');

    const m = /^\/workspaces\/([^/]+)\/mailboxes(?:\/([^/]+))?$/.exec(req.path);
    if (!m) return err(404, `Route ${req.method} ${req.path} not found`);
    if (decodeURIComponent(m[1]!) !== this.workspaceId) return err(404, 'Workspace not found');
    const sub = m[2] === undefined ? undefined : decodeURIComponent(m[2]);

    if (req.method === 'GET' && sub === undefined) return this.list(req.query);
    if (req.method === 'POST' && sub === 'connect-smtp') return this.connect(req.body);
    if (req.method === 'PATCH' && sub !== undefined) return this.patch(sub, req.body);
    return err(404, `Route ${req.method} ${req.path} not found`);
  }

  private list(query: URLSearchParams): FakeResponse {
    const page = Number(query.get('page'));
    const pageSize = Number(query.get('page_size'));
    if (
      !query.get('page') ||
      !query.get('page_size') ||
      !Number.isInteger(page) ||
      !Number.isInteger(pageSize) ||
      page < 1 ||
      pageSize < 1
    ) {
      return err(400, 'page and page_size are required positive integers');
    }
    if (pageSize > 100) return err(422, 'page_size must be at most 100');
    const search = (query.get('search') ?? '').toLowerCase();
    const status = query.get('status') ?? 'all';
    const hits = [...this.connected.values()].filter(
      (mb) =>
        mb.workspaceId === this.workspaceId &&
        mb.address.toLowerCase().includes(search) &&
        (status === 'all' || (status === 'warm' ? mb.warmupEnabled : mb.status === status)),
    );
    const slice = hits.slice((page - 1) * pageSize, page * pageSize);
    return { status: 200, body: { data: slice.map((mb) => this.view(mb)), total: hits.length, page, pageSize } };
  }

  private connect(body: unknown): FakeResponse {
    if (!isObj(body)) return err(400, 'Body must be a JSON object');
    for (const field of REQUIRED) {
      if (body[field] === undefined || body[field] === null || body[field] === '') return err(422, `${field} is required`, { field });
    }
    if (typeof body.address !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(body.address))
      return err(422, 'address must be an email address');
    if (this.connected.has(body.address.toLowerCase())) return err(409, 'Mailbox already exists', { address: body.address });
    return { status: 201, body: this.view(this.add(body, this.workspaceId)) };
  }

  private patch(address: string, body: unknown): FakeResponse {
    const mb = this.connected.get(address.toLowerCase());
    if (!mb || mb.workspaceId !== this.workspaceId) return err(404, `Mailbox ${address} not found`);
    if (!isObj(body)) return err(400, 'Body must be a JSON object');
    for (const [field, [lo, hi]] of Object.entries(RANGES)) {
      const v = body[field];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi)
        return err(422, `${field} must be an integer between ${lo} and ${hi}`, { field, value: v });
    }
    const min = body.minEmailsPerDay;
    const max = body.maxEmailsPerDay;
    if (typeof min === 'number' && typeof max === 'number' && min > max) return err(422, 'minEmailsPerDay must not exceed maxEmailsPerDay');
    if (
      body.warmupStartDate !== undefined &&
      (typeof body.warmupStartDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body.warmupStartDate))
    ) {
      return err(422, 'warmupStartDate must be YYYY-MM-DD');
    }
    if (body.warmupEnabled !== undefined && typeof body.warmupEnabled !== 'boolean') return err(422, 'warmupEnabled must be a boolean');
    if (typeof body.warmupEnabled === 'boolean') {
      this.warmupToggles.push({ address: mb.address, warmupEnabled: body.warmupEnabled, was: mb.warmupEnabled, at: new Date() });
      mb.warmupEnabled = body.warmupEnabled;
    }
    this.warmupSettings.set(address.toLowerCase(), structuredClone(body));
    return { status: 200, body: this.view(mb) };
  }
}
