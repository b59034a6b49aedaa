/**
 * InfraForge as the DomainRegistrar (RP-004 domains, RP-005 mailboxes) over providers/forge/http.ts.
 *
 *   const registrar = createInfraForgeRegistrar({ apiKey, workspaceId, contact, baseUrl? });
 *   const owned = await registrar.findDomains(['acme-mail.com']);        // reconcile first
 *   const offers = await registrar.checkAvailability(['acme-mail.com']);
 *   const bought = await registrar.buyDomains(['acme-mail.com']);        // never retried here
 *   await registrar.createMailboxes('acme-mail.com', [{ email: 'jane@acme-mail.com', firstName: 'Jane', lastName: 'Doe' }]);
 *   const creds = await registrar.mailboxCredentials(mailbox.ref);
 *   await registrar.disableAutoRenew([domain.ref]);                     // RP-009 retirement
 *
 * Requests (base `https://api.infraforge.ai/public`, header `Authorization: <raw key>`, Bearer on
 * a 401: see http.ts):
 *   findDomains        GET  /domains?search=<name>           one call per name (sequential); only
 *                                                            exact name matches are kept
 *   checkAvailability  POST /check-domain-availability-bulk {domains}      <= 100 names per call
 *   buyDomains         POST /domains {workspaceId, domains, contactDetails} one call for all names
 *   listMailboxes      GET  /mailboxes?workspace_id=<wid>&search=<domain> keeps emails @domain
 *   createMailboxes    POST /mailboxes {domains:[{domain, mailboxes:[{email, firstName, lastName}]}]}
 *   mailboxCredentials GET  /mailboxes/{id}?with_credentials=true
 *   disableAutoRenew   POST /domains/bulk-disable-autorenew {domainIds}   one call for all refs
 *                                                            (trimmed, de-duplicated; none: no call);
 *                                                            a 404 -> resolved (see below)
 *
 * Purchases (buyDomains, createMailboxes) have no idempotency key: this adapter sends them once
 * and never again. A timeout or dropped connection surfaces as a RETRYABLE ProviderError
 * ('timeout' / 'network_error'): the effect may have happened, so the caller must list
 * (findDomains / listMailboxes) before buying what is still missing. A 2xx purchase answer whose
 * domains (or mailboxes) cannot be found in the answer nor by listing right after is a
 * NON-retryable 'unexpected_response' (or 'payment_required' when the answer carried a
 * checkoutUrl): retrying could buy twice, so a human looks.
 *
 * ASSUMPTIONS about InfraForge's wire format (PROVIDERS.md section 5 is third-party notes; the
 * Swagger at https://api.infraforge.ai/public/swagger/doc.json could not be read: TO VERIFY
 * before going live):
 *   - List answers are either a bare array or wrapped (`{data:[...]}`, also accepted: `items`,
 *     `results`, `domains`, `mailboxes`, and `data` wrapping one of those). Pagination of
 *     `GET /domains` and `GET /mailboxes` is ignored: a search by exact domain name returns few
 *     rows, so the first page is assumed to hold them all.
 *   - `GET /domains?search=` is a substring search over the whole account (no workspace filter
 *     is sent); a domain of the same name in another workspace of the account is still ours and
 *     is returned (buying it again would fail anyway).
 *   - A domain item is `{id, name | domain | domainName, status}`; a mailbox item is
 *     `{id, email | address | username, status}`. Ids may be numbers (kept as strings). A
 *     missing status is read as 'pending'.
 *   - The availability answer items are `{domain | name, available, price}` with `price` in USD
 *     (a number, a numeric string, or `{amount}`); a requested name missing from the answer is
 *     reported unavailable (never bought by mistake).
 *   - The purchase answer lists the bought domains (`[...]`, `{data}`, `{domains}`), possibly
 *     with `invoice` and `checkoutUrl`; when it does not, the domains are looked up with
 *     findDomains. A `checkoutUrl` with no domain found means payment is needed (credits).
 *   - The mailbox-creation answer lists the mailboxes (flat, or grouped as
 *     `{domains:[{domain, mailboxes:[...]}]}`); otherwise they are looked up with listMailboxes.
 *   - `GET /mailboxes/{id}?with_credentials=true` answers the mailbox (or `{data: mailbox}`)
 *     carrying, in one of these layouts (the first that gives a host and a password wins):
 *       credentials: { smtp: {host, port, username, password}, imap: {host, port, username, password} }
 *       smtp: {...}, imap: {...}                         (same objects at the top level)
 *       smtpHost, smtpPort, smtpUsername, smtpPassword, imapHost, ... (flat, camelCase or snake_case,
 *                                                         inside `credentials` or at the top level)
 *     `user`/`login`/`email` are accepted for the username, `pass` for the password, `server`/
 *     `hostname` for the host; a missing username is the mailbox's email; a missing port is 587
 *     (SMTP) / 993 (IMAP). `secure` follows the port (SMTP 465, IMAP 993: TLS from the first
 *     byte; otherwise STARTTLS), whatever ssl/tls flags the answer carries. Credentials missing
 *     on a mailbox that is not yet 'active' are a retryable 'credentials_not_ready'; on an
 *     active mailbox a permanent 'unexpected_response'.
 *   - Domain names are compared lower-cased, without a trailing dot.
 *   - `bulk-disable-autorenew` takes the ids as the domain answers give them: numbers (the purchase
 *     and list answers carry numeric ids, kept here as strings), so a ref that is a canonical
 *     non-negative safe integer ('1001', not '01001') is sent as a number, any other ref as the
 *     string (infraForgeDomainId). The answer body is not used (unknown ids are assumed ignored).
 *     A 404 means "already gone" and resolves; since a 404 might refuse the whole batch for one
 *     unknown id, a batch of several refs answered 404 is re-sent one ref per request (each 404
 *     resolving), so the known domains still get their renewal turned off. Disabling is
 *     idempotent, so these re-sends are safe; other errors are thrown as http.ts classifies them.
 */
import { ProviderError, type DomainRegistrar, type MailboxCredentials, type RegistrarDomain, type RegistrarMailbox } from '../ports.js';
import { createForgeHttpClient, firstStr, isObject, listItems, num, singleItem, type ForgeHttpClient, type Json } from './http.js';

export const INFRAFORGE = 'infraforge';
export const INFRAFORGE_DEFAULT_BASE_URL = 'https://api.infraforge.ai/public';
/** Most names per availability call (PROVIDERS.md 5). */
export const INFRAFORGE_AVAILABILITY_BATCH = 100;

/** The registrant contact sent with every purchase (`contactDetails`). */
export interface InfraForgeContact {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  organization: string;
  address1: string;
  city: string;
  province: string;
  postalCode: string;
  /** ISO 3166 alpha-2, e.g. 'AU'. */
  country: string;
  /** Where DMARC reports go (optional). */
  dmarcEmail?: string;
  /** A domain the bought domains forward to (optional). */
  forwardToDomain?: string;
}

export interface InfraForgeRegistrarOptions {
  /** Default https://api.infraforge.ai/public (a fake in tests). A trailing '/' is ignored. */
  baseUrl?: string;
  apiKey: string;
  workspaceId: string;
  contact: InfraForgeContact;
  /** Per-request timeout (default 30 s); a timeout is a retryable error. */
  timeoutMs?: number;
  /** For tests: the fetch to send with (default: global fetch). */
  fetchImpl?: typeof fetch;
}

/** The registrar plus the HTTP client's auth scheme (for tests and diagnostics). */
export interface InfraForgeRegistrar extends DomainRegistrar {
  readonly http: ForgeHttpClient;
}

const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** 'Acme-Mail.COM.' -> 'acme-mail.com'. */
export function normaliseDomainName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

function uniqueNames(names: string[]): string[] {
  return [...new Set(names.map(normaliseDomainName).filter((n) => n !== ''))];
}

/**
 * A domain ref as InfraForge's bulk domain calls take it: the number when the ref is a canonical
 * non-negative safe integer ('1001' -> 1001), otherwise the ref itself (e.g. a UUID).
 */
export function infraForgeDomainId(ref: string): number | string {
  const r = ref.trim();
  if (/^(0|[1-9]\d*)$/.test(r) && Number.isSafeInteger(Number(r))) return Number(r);
  return r;
}

/** A domain item of any list/purchase answer -> RegistrarDomain, or undefined when unusable. */
export function mapInfraForgeDomain(item: unknown): RegistrarDomain | undefined {
  if (!isObject(item)) return undefined;
  const name = firstStr(item, 'name', 'domain', 'domainName', 'domain_name');
  const ref = firstStr(item, 'id', 'uuid', 'domainId', 'domain_id');
  if (!name || !ref) return undefined;
  return { ref, name: normaliseDomainName(name), status: firstStr(item, 'status')?.toLowerCase() ?? 'pending' };
}

/** A mailbox item -> RegistrarMailbox, or undefined when unusable. */
export function mapInfraForgeMailbox(item: unknown): RegistrarMailbox | undefined {
  if (!isObject(item)) return undefined;
  const email = firstStr(item, 'email', 'address', 'emailAddress', 'username');
  const ref = firstStr(item, 'id', 'uuid', 'mailboxId', 'mailbox_id');
  if (!email || !ref || !email.includes('@')) return undefined;
  return { ref, email: email.toLowerCase(), status: firstStr(item, 'status')?.toLowerCase() ?? 'pending' };
}

/** Mailbox items of a creation/list answer: flat, or grouped by domain (`{domain, mailboxes}`). */
function mailboxItems(body: unknown): unknown[] {
  const items = listItems(body, ['mailboxes', 'domains']) ?? [];
  return items.flatMap((it) => (isObject(it) && Array.isArray(it.mailboxes) ? (it.mailboxes as unknown[]) : [it]));
}

type Endpoint = { host: string; port: number; user: string; pass: string };

function endpointFrom(source: Json, kind: 'smtp' | 'imap', fallbackUser: string | undefined): Partial<Endpoint> {
  const nested = source[kind];
  if (isObject(nested)) {
    return {
      host: firstStr(nested, 'host', 'server', 'hostname'),
      port: num(nested.port),
      user: firstStr(nested, 'username', 'user', 'login', 'email') ?? fallbackUser,
      pass: firstStr(nested, 'password', 'pass'),
    };
  }
  return {
    host: firstStr(source, `${kind}Host`, `${kind}_host`, `${kind}Server`, `${kind}_server`),
    port: num(source[`${kind}Port`] ?? source[`${kind}_port`]),
    user: firstStr(source, `${kind}Username`, `${kind}_username`, `${kind}User`, `${kind}_user`) ?? fallbackUser,
    pass: firstStr(source, `${kind}Password`, `${kind}_password`, 'password'),
  };
}

/**
 * The SMTP/IMAP credentials in a `with_credentials=true` mailbox answer (layouts in the header),
 * or undefined when no layout gives both a host and a password for SMTP and IMAP.
 */
export function extractInfraForgeCredentials(mailbox: Json): MailboxCredentials | undefined {
  const email = firstStr(mailbox, 'email', 'address', 'emailAddress');
  const sources = [mailbox.credentials, mailbox].filter(isObject);
  for (const source of sources) {
    const smtp = endpointFrom(source, 'smtp', email);
    const imap = endpointFrom(source, 'imap', email);
    if (!smtp.host || !smtp.pass || !smtp.user || !imap.host || !imap.pass || !imap.user) continue;
    const smtpPort = smtp.port ?? 587;
    const imapPort = imap.port ?? 993;
    return {
      smtp: { host: smtp.host, port: smtpPort, secure: smtpPort === 465, user: smtp.user, pass: smtp.pass },
      imap: { host: imap.host, port: imapPort, secure: imapPort === 993, user: imap.user, pass: imap.pass },
    };
  }
  return undefined;
}

export function createInfraForgeRegistrar(opts: InfraForgeRegistrarOptions): InfraForgeRegistrar {
  if (!opts.workspaceId) throw new ProviderError(INFRAFORGE, 'invalid_request', 'No InfraForge workspace id configured', false);
  const http = createForgeHttpClient({
    provider: INFRAFORGE,
    baseUrl: opts.baseUrl ?? INFRAFORGE_DEFAULT_BASE_URL,
    apiKey: opts.apiKey,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
  });
  const workspaceId = opts.workspaceId;

  const unexpected = (message: string, retryable: boolean, status?: number) =>
    new ProviderError(INFRAFORGE, 'unexpected_response', `InfraForge ${message}`, retryable, status);

  async function findDomains(names: string[]): Promise<RegistrarDomain[]> {
    const out = new Map<string, RegistrarDomain>();
    for (const name of uniqueNames(names)) {
      const res = await http.request({ method: 'GET', path: '/domains', query: { search: name } });
      const items = listItems(res.body, ['domains']);
      if (!items) throw unexpected(`GET /domains answered ${res.status} without a list`, true, res.status);
      for (const item of items) {
        const d = mapInfraForgeDomain(item);
        if (d && d.name === name && !out.has(d.ref)) out.set(d.ref, d);
      }
    }
    return [...out.values()];
  }

  async function listMailboxes(domain: string): Promise<RegistrarMailbox[]> {
    const d = normaliseDomainName(domain);
    const res = await http.request({ method: 'GET', path: '/mailboxes', query: { workspace_id: workspaceId, search: d } });
    if (!listItems(res.body, ['mailboxes', 'domains']))
      throw unexpected(`GET /mailboxes answered ${res.status} without a list`, true, res.status);
    const out = new Map<string, RegistrarMailbox>();
    for (const item of mailboxItems(res.body)) {
      const m = mapInfraForgeMailbox(item);
      if (m && m.email.endsWith(`@${d}`) && !out.has(m.ref)) out.set(m.ref, m);
    }
    return [...out.values()];
  }

  return {
    http,
    findDomains,

    async checkAvailability(names) {
      const wanted = uniqueNames(names);
      const found = new Map<string, { available: boolean; priceUsd?: number }>();
      for (let i = 0; i < wanted.length; i += INFRAFORGE_AVAILABILITY_BATCH) {
        const chunk = wanted.slice(i, i + INFRAFORGE_AVAILABILITY_BATCH);
        const res = await http.request({ method: 'POST', path: '/check-domain-availability-bulk', body: { domains: chunk } });
        const items = listItems(res.body, ['domains']);
        if (!items) throw unexpected(`availability check answered ${res.status} without a list`, true, res.status);
        for (const item of items) {
          if (!isObject(item)) continue;
          const name = firstStr(item, 'domain', 'name', 'domainName');
          if (!name) continue;
          const available = item.available === true || item.available === 'true' || item.isAvailable === true;
          const price = num(item.price) ?? num(item.priceUsd) ?? (isObject(item.price) ? num(item.price.amount) : undefined);
          found.set(normaliseDomainName(name), { available, ...(price !== undefined ? { priceUsd: price } : {}) });
        }
      }
      return wanted.map((domain) => ({ domain, ...(found.get(domain) ?? { available: false }) }));
    },

    async buyDomains(names) {
      const wanted = uniqueNames(names);
      const bad = wanted.filter((n) => !DOMAIN_RE.test(n));
      if (bad.length > 0) throw new ProviderError(INFRAFORGE, 'invalid_request', `Not domain names: ${bad.join(', ')}`, false);
      if (wanted.length === 0) return [];
      // Sent exactly once: a failure here (timeout included) is for the caller to reconcile.
      const res = await http.request({
        method: 'POST',
        path: '/domains',
        body: { workspaceId, domains: wanted, contactDetails: opts.contact },
      });
      const byName = new Map<string, RegistrarDomain>();
      for (const item of listItems(res.body, ['domains']) ?? []) {
        const d = mapInfraForgeDomain(item);
        if (d && wanted.includes(d.name)) byName.set(d.name, d);
      }
      let missing = wanted.filter((n) => !byName.has(n));
      if (missing.length > 0) {
        for (const d of await findDomains(missing)) if (!byName.has(d.name)) byName.set(d.name, d);
        missing = wanted.filter((n) => !byName.has(n));
      }
      if (missing.length > 0) {
        const checkoutUrl = firstStr(singleItem(res.body) ?? {}, 'checkoutUrl', 'checkout_url');
        if (checkoutUrl) {
          throw new ProviderError(
            INFRAFORGE,
            'payment_required',
            `InfraForge purchase of ${missing.join(', ')} awaits payment: ${checkoutUrl}`,
            false,
            res.status,
          );
        }
        throw unexpected(
          `purchase answered ${res.status} but ${missing.join(', ')} cannot be found (not retried: it could buy twice)`,
          false,
          res.status,
        );
      }
      return wanted.map((n) => byName.get(n)!);
    },

    listMailboxes,

    async createMailboxes(domain, mailboxes) {
      const d = normaliseDomainName(domain);
      const rows = mailboxes.map((m) => ({ email: m.email.trim().toLowerCase(), firstName: m.firstName, lastName: m.lastName }));
      const foreign = rows.filter((m) => !m.email.endsWith(`@${d}`) || m.email.indexOf('@') < 1);
      if (foreign.length > 0) {
        throw new ProviderError(INFRAFORGE, 'invalid_request', `Not mailboxes of ${d}: ${foreign.map((m) => m.email).join(', ')}`, false);
      }
      if (rows.length === 0) return [];
      // Sent exactly once, like a purchase.
      const res = await http.request({ method: 'POST', path: '/mailboxes', body: { domains: [{ domain: d, mailboxes: rows }] } });
      const wanted = rows.map((m) => m.email);
      const byEmail = new Map<string, RegistrarMailbox>();
      for (const item of mailboxItems(res.body)) {
        const m = mapInfraForgeMailbox(item);
        if (m && wanted.includes(m.email)) byEmail.set(m.email, m);
      }
      if (wanted.some((e) => !byEmail.has(e))) {
        for (const m of await listMailboxes(d)) if (!byEmail.has(m.email)) byEmail.set(m.email, m);
      }
      const missing = wanted.filter((e) => !byEmail.has(e));
      if (missing.length > 0) {
        throw unexpected(
          `mailbox creation answered ${res.status} but ${missing.join(', ')} cannot be found (not retried: it could create twice)`,
          false,
          res.status,
        );
      }
      return wanted.map((e) => byEmail.get(e)!);
    },

    async mailboxCredentials(ref) {
      const res = await http.request({ method: 'GET', path: `/mailboxes/${encodeURIComponent(ref)}`, query: { with_credentials: 'true' } });
      const mailbox = singleItem(res.body);
      if (!mailbox) throw unexpected(`GET /mailboxes/${ref} answered ${res.status} without a mailbox`, true, res.status);
      const creds = extractInfraForgeCredentials(mailbox);
      if (creds) return creds;
      const status = firstStr(mailbox, 'status')?.toLowerCase();
      if (status !== undefined && status !== 'active') {
        throw new ProviderError(
          INFRAFORGE,
          'credentials_not_ready',
          `InfraForge mailbox ${ref} is ${status}: no SMTP/IMAP credentials yet`,
          true,
          res.status,
        );
      }
      throw unexpected(`mailbox ${ref} answered without recognisable SMTP/IMAP credentials`, false, res.status);
    },

    async disableAutoRenew(domainRefs) {
      const refs = [...new Set(domainRefs.map((r) => r.trim()).filter((r) => r !== ''))];
      if (refs.length === 0) return;
      const send = async (batch: string[]): Promise<boolean> => {
        try {
          await http.request({
            method: 'POST',
            path: '/domains/bulk-disable-autorenew',
            body: { domainIds: batch.map(infraForgeDomainId) },
          });
          return true;
        } catch (err) {
          if (err instanceof ProviderError && err.code === 'not_found') return false; // already gone
          throw err;
        }
      };
      if (await send(refs)) return;
      // The batch may have been refused for one unknown id: the others one by one.
      if (refs.length > 1) for (const ref of refs) await send([ref]);
    },
  };
}
