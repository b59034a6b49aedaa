/**
 * InfraForge mailbox calls of the registrar (RP-005): list, create (sent once, like a purchase)
 * and read SMTP/IMAP credentials. Requests and assumptions: infraforge.ts.
 */
import { ProviderError, type DomainRegistrar, type RegistrarMailbox } from '../ports.js';
import { firstStr, listItems, singleItem, type ForgeHttpClient } from './http.js';
import {
  extractInfraForgeCredentials,
  INFRAFORGE,
  infraForgeUnexpected as unexpected,
  mailboxItems,
  mapInfraForgeMailbox,
  normaliseDomainName,
} from './infraforge-wire.js';

/** The mailbox half of the DomainRegistrar. */
export type InfraForgeMailboxCalls = Pick<DomainRegistrar, 'listMailboxes' | 'createMailboxes' | 'mailboxCredentials'>;

export function createInfraForgeMailboxCalls(http: ForgeHttpClient, workspaceId: string): InfraForgeMailboxCalls {
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
  };
}
