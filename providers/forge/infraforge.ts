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
 *
 * Files: infraforge-wire.ts (names, items, credentials), infraforge-domains.ts (domain calls),
 * infraforge-mailboxes.ts (mailbox calls); this file builds the registrar and re-exports them.
 */
import { ProviderError, type DomainRegistrar } from '../ports.js';
import { createForgeHttpClient, type ForgeHttpClient } from './http.js';
import { createInfraForgeDomainCalls, type InfraForgeContact } from './infraforge-domains.js';
import { createInfraForgeMailboxCalls } from './infraforge-mailboxes.js';
import { INFRAFORGE, INFRAFORGE_DEFAULT_BASE_URL } from './infraforge-wire.js';

export {
  extractInfraForgeCredentials,
  INFRAFORGE,
  INFRAFORGE_AVAILABILITY_BATCH,
  INFRAFORGE_DEFAULT_BASE_URL,
  infraForgeDomainId,
  mapInfraForgeDomain,
  mapInfraForgeMailbox,
  normaliseDomainName,
} from './infraforge-wire.js';
export type { InfraForgeContact } from './infraforge-domains.js';

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

  const domains = createInfraForgeDomainCalls(http, workspaceId, opts.contact);
  const mailboxes = createInfraForgeMailboxCalls(http, workspaceId);

  return {
    http,
    findDomains: domains.findDomains,
    checkAvailability: domains.checkAvailability,
    buyDomains: domains.buyDomains,
    listMailboxes: mailboxes.listMailboxes,
    createMailboxes: mailboxes.createMailboxes,
    mailboxCredentials: mailboxes.mailboxCredentials,
    disableAutoRenew: domains.disableAutoRenew,
  };
}
