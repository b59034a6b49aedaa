/**
 * An InfraForge public API server for tests, built on test/fakes/http-fake.ts (node:http on
 * 127.0.0.1, free port), speaking the JSON shapes providers/forge/infraforge.ts assumes
 * (PROVIDERS.md section 5; the Swagger shapes are unverified, see that file's header).
 *
 *   const infra = new InfraForgeFake({ apiKey: 'if-key', workspaceId: 'ws-1' });
 *   const { baseUrl } = await infra.start();
 *   const registrar = createInfraForgeRegistrar({ baseUrl, apiKey: 'if-key', workspaceId: 'ws-1', contact });
 *
 *   infra.markTaken('taken.com');              // availability false, purchase refused (422)
 *   infra.addDomain('owned.com');              // as if bought earlier (no purchase recorded)
 *   infra.setDomainStatus('owned.com', 'pending');
 *   infra.setMailboxStatus('jane@owned.com', 'processing');  // credentials withheld until 'active'
 *   infra.failNext({ method: 'POST', path: '/domains', afterEffect: true });  // bought, answer lost
 *   infra.failNext({ path: '/domains', status: 429, headers: { 'retry-after': '9' } });
 *   infra.requests;      // every request (HttpFake's FakeRequest: method, path, query, headers, body)
 *   infra.purchases;     // each POST /domains that bought: { names, at, workspaceId, contactDetails }
 *   infra.autoRenewChanges;   // each accepted bulk-enable/disable-autorenew: { autoRenew, domainIds, updated, at }
 *   infra.setAutoRenew('owned.com', false);     // seed the flag (domains start with autoRenew true)
 *   infra.domains;       // Map name -> domain;  infra.mailboxes: Map id -> mailbox (with credentials)
 *   await infra.stop();
 *
 * Auth: every route requires `Authorization: <apiKey>` (raw key; the default) or, with
 * `auth: 'bearer'`, exactly `Authorization: Bearer <apiKey>`; anything else is 401
 * `{message: 'Unauthorized', data: null}`. Scripted failures (`failNext`) come first, before auth.
 *
 * Routes (list answers are `{data: [...], meta: {total}}`, or bare arrays with `listShape: 'array'`;
 * errors are `{message, data}`):
 *   GET  /domains?search=            the account's domains (every workspace) whose name contains `search`:
 *                                    {id (a number), name, status, autoRenew, workspaceId, createdAt}
 *   POST /check-domain-availability-bulk {domains}   422 over 100 names; items {domain, available, price}
 *                                    (available unless owned, marked taken or malformed; price 11.5 USD)
 *   POST /domains {workspaceId, domains, contactDetails}   404 unknown workspace; 422 missing
 *                                    contact field, malformed/unavailable name. Buys all, status
 *                                    `domainStatus` (default 'active'), answers 201
 *                                    {data: [domains], invoice: {id, amountCents}}
 *   POST /domains/bulk-enable-autorenew | /domains/bulk-disable-autorenew {domainIds}   RP-009.
 *                                    422 unless domainIds is a non-empty array of numbers or strings;
 *                                    sets autoRenew true | false on the account's domains with those
 *                                    ids (a string id matches the number it spells); unknown ids are
 *                                    ignored; answers 200 {updated: n} (n: ids that matched a domain,
 *                                    whether or not the flag changed), and appends to autoRenewChanges
 *   GET  /mailboxes?workspace_id=&search=   the workspace's mailboxes whose email contains `search`
 *                                    {id, email, firstName, lastName, domain, status}
 *   POST /mailboxes {domains: [{domain, mailboxes: [{email, firstName, lastName}]}]}   404 for a
 *                                    domain not owned, 422 for an email not @domain, 409 for an
 *                                    existing email (nothing created then). Creates status
 *                                    `mailboxStatus` (default 'active'), answers 201 {data: [mailboxes]}
 *   GET  /mailboxes/:id?with_credentials=true   {data: mailbox + credentials: {smtp: {host:
 *                                    'smtp.infraforge.test', port: 587, username, password}, imap:
 *                                    {host: 'imap.infraforge.test', port: 993, username, password}}};
 *                                    credentials only for an 'active' mailbox
 *   DELETE /mailboxes/:id            removes it
 *   Anything else: 404.
 */
import { randomBytes } from 'node:crypto';
import { RoutedFake, type FakeRequest, type FakeResponse, type ScriptedFailure } from './http-fake.js';

export interface InfraForgeFakeOptions {
  apiKey?: string;
  workspaceId?: string;
  /** Which Authorization form is accepted: the raw key (default) or `Bearer <key>` only. */
  auth?: 'raw' | 'bearer';
  /** List answers wrapped as `{data: [...]}` (default) or bare arrays. */
  listShape?: 'data' | 'array';
  /** Status of bought domains (default 'active'). */
  domainStatus?: string;
  /** Status of created mailboxes (default 'active'). */
  mailboxStatus?: string;
}

export interface InfraForgeFakeDomain {
  id: number;
  name: string;
  status: string;
  /** Whether the domain renews (default true); flipped by the bulk-*-autorenew routes. */
  autoRenew: boolean;
  workspaceId: string;
  createdAt: string;
}

export interface InfraForgeFakeAutoRenewChange {
  /** The value set: false for bulk-disable-autorenew, true for bulk-enable-autorenew. */
  autoRenew: boolean;
  /** domainIds as sent (numbers or strings). */
  domainIds: Array<number | string>;
  /** How many ids matched a domain. */
  updated: number;
  at: Date;
}

export interface InfraForgeFakeEndpoint {
  host: string;
  port: number;
  username: string;
  password: string;
}

export interface InfraForgeFakeMailbox {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  domain: string;
  status: string;
  workspaceId: string;
  credentials: { smtp: InfraForgeFakeEndpoint; imap: InfraForgeFakeEndpoint };
}

export interface InfraForgeFakePurchase {
  names: string[];
  at: Date;
  workspaceId: string;
  contactDetails: Record<string, unknown>;
}

export const INFRAFORGE_FAKE_SMTP_HOST = 'smtp.infraforge.test';
export const INFRAFORGE_FAKE_IMAP_HOST = 'imap.infraforge.test';
export const INFRAFORGE_FAKE_PRICE_USD = 11.5;
const CONTACT_FIELDS = ['firstName', 'lastName', 'email', 'phone', 'organization', 'address1', 'city', 'province', 'postalCode', 'country'];
const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

const err = (status: number, message: string, data: unknown = null): FakeResponse => ({ status, body: { message, data } });
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export class InfraForgeFake extends RoutedFake {
  readonly apiKey: string;
  readonly workspaceId: string;
  auth: 'raw' | 'bearer';
  listShape: 'data' | 'array';
  domainStatus: string;
  mailboxStatus: string;
  /** Owned domains by name (all workspaces). */
  readonly domains = new Map<string, InfraForgeFakeDomain>();
  /** Mailboxes by id. */
  readonly mailboxes = new Map<string, InfraForgeFakeMailbox>();
  /** Every POST /domains that bought something, in order. */
  readonly purchases: InfraForgeFakePurchase[] = [];
  /** Every POST /mailboxes that created something: the domain and emails. */
  readonly mailboxCreations: Array<{ domain: string; emails: string[]; at: Date }> = [];
  /** Every accepted POST /domains/bulk-(enable|disable)-autorenew, in order. */
  readonly autoRenewChanges: InfraForgeFakeAutoRenewChange[] = [];
  private readonly taken = new Set<string>();
  private nextDomainId = 1001;
  private nextMailboxId = 1;

  constructor(opts: InfraForgeFakeOptions = {}) {
    super();
    this.apiKey = opts.apiKey ?? 'infraforge-test-key';
    this.workspaceId = opts.workspaceId ?? 'ws-test';
    this.auth = opts.auth ?? 'raw';
    this.listShape = opts.listShape ?? 'data';
    this.domainStatus = opts.domainStatus ?? 'active';
    this.mailboxStatus = opts.mailboxStatus ?? 'active';
  }

  /** The name is registered elsewhere: unavailable, and a purchase of it is refused. */
  markTaken(name: string): void {
    this.taken.add(name.toLowerCase());
  }

  /** Seeds a domain owned by the workspace (no purchase recorded). */
  addDomain(name: string, status = 'active', workspaceId = this.workspaceId): InfraForgeFakeDomain {
    const domain: InfraForgeFakeDomain = {
      id: this.nextDomainId++,
      name: name.toLowerCase(),
      status,
      autoRenew: true,
      workspaceId,
      createdAt: new Date().toISOString(),
    };
    this.domains.set(domain.name, domain);
    return domain;
  }

  setDomainStatus(name: string, status: string): void {
    const d = this.domains.get(name.toLowerCase());
    if (!d) throw new Error(`InfraForgeFake: no domain ${name}`);
    d.status = status;
  }

  /** Seeds a domain's autoRenew flag (no change recorded). */
  setAutoRenew(name: string, autoRenew: boolean): void {
    const d = this.domains.get(name.toLowerCase());
    if (!d) throw new Error(`InfraForgeFake: no domain ${name}`);
    d.autoRenew = autoRenew;
  }

  setMailboxStatus(email: string, status: string): void {
    const m = this.mailboxByEmail(email);
    if (!m) throw new Error(`InfraForgeFake: no mailbox ${email}`);
    m.status = status;
  }

  mailboxByEmail(email: string): InfraForgeFakeMailbox | undefined {
    return [...this.mailboxes.values()].find((m) => m.email === email.toLowerCase());
  }

  /** A scripted failure for the next matching request (HttpFake's failNext). */
  failNext(failure: ScriptedFailure): void {
    this.http.failNext(failure);
  }

  /** Forgets all state and requests (the server keeps running; options stay). */
  reset(): void {
    this.domains.clear();
    this.mailboxes.clear();
    this.purchases.length = 0;
    this.mailboxCreations.length = 0;
    this.autoRenewChanges.length = 0;
    this.taken.clear();
    this.http.requests.length = 0;
  }

  // ---- Router -------------------------------------------------------------------------------

  private list(items: unknown[]): FakeResponse {
    return { status: 200, body: this.listShape === 'array' ? items : { data: items, meta: { total: items.length } } };
  }

  private mailboxView(m: InfraForgeFakeMailbox, withCredentials: boolean): Record<string, unknown> {
    const { credentials, workspaceId: _ws, ...rest } = m;
    return withCredentials && m.status === 'active' ? { ...rest, credentials: structuredClone(credentials) } : rest;
  }

  protected route(req: FakeRequest): FakeResponse {
    const expected = this.auth === 'bearer' ? `Bearer ${this.apiKey}` : this.apiKey;
    if (req.headers.authorization !== expected) return err(401, 'Unauthorized');

    const { method, path } = req;
    if (method === 'GET' && path === '/domains') {
      const search = (req.query.get('search') ?? '').toLowerCase();
      return this.list([...this.domains.values()].filter((d) => d.name.includes(search)).map((d) => ({ ...d })));
    }
    if (method === 'POST' && path === '/check-domain-availability-bulk') return this.checkAvailability(req.body);
    if (method === 'POST' && path === '/domains') return this.buy(req.body);
    if (method === 'POST' && path === '/domains/bulk-enable-autorenew') return this.setAutoRenewBulk(req.body, true);
    if (method === 'POST' && path === '/domains/bulk-disable-autorenew') return this.setAutoRenewBulk(req.body, false);
    if (method === 'GET' && path === '/mailboxes') {
      const ws = req.query.get('workspace_id');
      if (ws !== null && ws !== this.workspaceId) return err(404, 'Workspace not found');
      const search = (req.query.get('search') ?? '').toLowerCase();
      const withCredentials = req.query.get('with_credentials') === 'true';
      return this.list(
        [...this.mailboxes.values()]
          .filter((m) => m.workspaceId === this.workspaceId && m.email.includes(search))
          .map((m) => this.mailboxView(m, withCredentials)),
      );
    }
    if (method === 'POST' && path === '/mailboxes') return this.createMailboxes(req.body);
    const one = /^\/mailboxes\/([^/]+)$/.exec(path);
    if (one) {
      const id = decodeURIComponent(one[1]!);
      const m = this.mailboxes.get(id);
      if (!m) return err(404, `Mailbox ${id} not found`);
      if (method === 'GET') return { status: 200, body: { data: this.mailboxView(m, req.query.get('with_credentials') === 'true') } };
      if (method === 'DELETE') {
        this.mailboxes.delete(id);
        return { status: 200, body: { message: 'Mailbox deleted' } };
      }
    }
    return err(404, `Route ${method} ${path} not found`);
  }

  private available(name: string): boolean {
    return DOMAIN_RE.test(name) && !this.taken.has(name) && !this.domains.has(name);
  }

  private checkAvailability(body: unknown): FakeResponse {
    if (!isObj(body) || !Array.isArray(body.domains) || !body.domains.every((d) => typeof d === 'string')) {
      return err(422, 'domains must be an array of strings');
    }
    if (body.domains.length > 100) return err(422, 'domains must contain at most 100 items', { max: 100 });
    const names = (body.domains as string[]).map((d) => d.toLowerCase());
    return this.list(names.map((domain) => ({ domain, available: this.available(domain), price: INFRAFORGE_FAKE_PRICE_USD })));
  }

  private buy(body: unknown): FakeResponse {
    if (!isObj(body)) return err(400, 'Body must be a JSON object');
    if (body.workspaceId !== this.workspaceId) return err(404, 'Workspace not found', { workspaceId: body.workspaceId ?? null });
    if (!Array.isArray(body.domains) || body.domains.length === 0 || !body.domains.every((d) => typeof d === 'string')) {
      return err(422, 'domains must be a non-empty array of strings');
    }
    const contact = body.contactDetails;
    if (!isObj(contact)) return err(422, 'contactDetails is required');
    for (const field of CONTACT_FIELDS) {
      if (typeof contact[field] !== 'string' || contact[field] === '') return err(422, `contactDetails.${field} is required`, { field });
    }
    const names = (body.domains as string[]).map((d) => d.toLowerCase());
    const refused = names.filter((n) => !this.available(n));
    if (refused.length > 0) return err(422, 'Some domains are not available', { domains: refused });
    const bought = names.map((name) => {
      const d = this.addDomain(name, this.domainStatus);
      return { ...d };
    });
    this.purchases.push({ names, at: new Date(), workspaceId: this.workspaceId, contactDetails: structuredClone(contact) });
    return {
      status: 201,
      body: {
        data: bought,
        invoice: { id: `inv_${randomBytes(4).toString('hex')}`, amountCents: Math.round(INFRAFORGE_FAKE_PRICE_USD * 100) * names.length },
      },
    };
  }

  private setAutoRenewBulk(body: unknown, autoRenew: boolean): FakeResponse {
    if (!isObj(body)) return err(400, 'Body must be a JSON object');
    const ids = body.domainIds;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'number' || typeof id === 'string')) {
      return err(422, 'domainIds must be a non-empty array of ids');
    }
    const wanted = new Set((ids as Array<number | string>).map((id) => String(id).trim()));
    let updated = 0;
    for (const d of this.domains.values()) {
      if (!wanted.has(String(d.id))) continue;
      d.autoRenew = autoRenew;
      updated++;
    }
    this.autoRenewChanges.push({ autoRenew, domainIds: structuredClone(ids as Array<number | string>), updated, at: new Date() });
    return { status: 200, body: { updated } };
  }

  private createMailboxes(body: unknown): FakeResponse {
    if (!isObj(body) || !Array.isArray(body.domains)) return err(422, 'domains must be an array');
    const plan: Array<{ domain: string; mailboxes: Array<{ email: string; firstName: string; lastName: string }> }> = [];
    for (const group of body.domains) {
      if (!isObj(group) || typeof group.domain !== 'string' || !Array.isArray(group.mailboxes))
        return err(422, 'each entry needs domain and mailboxes');
      const domain = group.domain.toLowerCase();
      const owned = this.domains.get(domain);
      if (!owned || owned.workspaceId !== this.workspaceId) return err(404, `Domain ${domain} not found`);
      const rows: Array<{ email: string; firstName: string; lastName: string }> = [];
      for (const m of group.mailboxes) {
        if (!isObj(m) || typeof m.email !== 'string' || typeof m.firstName !== 'string' || typeof m.lastName !== 'string') {
          return err(422, 'each mailbox needs email, firstName and lastName');
        }
        const email = m.email.toLowerCase();
        if (!email.endsWith(`@${domain}`)) return err(422, `${email} is not on ${domain}`, { email });
        if (this.mailboxByEmail(email) || rows.some((r) => r.email === email))
          return err(409, `Mailbox ${email} already exists`, { email });
        rows.push({ email, firstName: m.firstName, lastName: m.lastName });
      }
      plan.push({ domain, mailboxes: rows });
    }
    const created: Record<string, unknown>[] = [];
    for (const group of plan) {
      for (const row of group.mailboxes) {
        const password = `pw-${randomBytes(6).toString('hex')}`;
        const mailbox: InfraForgeFakeMailbox = {
          id: `mb_${this.nextMailboxId++}`,
          ...row,
          domain: group.domain,
          status: this.mailboxStatus,
          workspaceId: this.workspaceId,
          credentials: {
            smtp: { host: INFRAFORGE_FAKE_SMTP_HOST, port: 587, username: row.email, password },
            imap: { host: INFRAFORGE_FAKE_IMAP_HOST, port: 993, username: row.email, password },
          },
        };
        this.mailboxes.set(mailbox.id, mailbox);
        created.push(this.mailboxView(mailbox, false));
      }
      this.mailboxCreations.push({ domain: group.domain, emails: group.mailboxes.map((m) => m.email), at: new Date() });
    }
    return { status: 201, body: { data: created } };
  }
}
