/**
 * Sandbox domains and mailboxes (InfraForge, RP-004, RP-005, RP-009): a DomainRegistrar in memory
 * that records purchases, mailbox creations and auto-renewal changes (behaviour: pool.ts).
 */
import { randomBytes } from 'node:crypto';
import {
  ProviderError,
  type DomainRegistrar,
  type MailboxCredentials,
  type RegistrarDomain,
  type RegistrarMailbox,
  type SandboxRecorder,
} from '../ports.js';
import { SANDBOX_POOL_PROVIDERS } from './pool-providers.js';
import { sandboxId } from './recorder.js';

/** The SMTP/IMAP host of sandbox mailboxes: the email sender records instead of sending. */
export const SANDBOX_MAILBOX_HOST = 'sandbox';
export const SANDBOX_DOMAIN_PRICE_USD = 12;

const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const normaliseName = (name: string) => name.trim().toLowerCase().replace(/\.+$/, '');

/** The sandbox registrar, plus a read of the auto-renew flag (tests and diagnostics). */
export interface SandboxDomainRegistrar extends DomainRegistrar {
  /** Whether a domain bought here renews (true until disableAutoRenew); undefined when unknown. */
  sandboxAutoRenew(nameOrRef: string): boolean | undefined;
}

export function createSandboxDomainRegistrar(recorder: SandboxRecorder): SandboxDomainRegistrar {
  const provider = SANDBOX_POOL_PROVIDERS.domains;
  const domains = new Map<string, RegistrarDomain>();
  /** Refs of the domains whose auto-renewal was turned off. */
  const renewalOff = new Set<string>();
  const domainByRef = (ref: string) => [...domains.values()].find((d) => d.ref === ref);
  const mailboxes = new Map<string, { mailbox: RegistrarMailbox; domain: string; credentials: MailboxCredentials }>();

  return {
    async findDomains(names) {
      const wanted = new Set(names.map(normaliseName));
      return [...domains.values()].filter((d) => wanted.has(d.name)).map((d) => ({ ...d }));
    },

    async checkAvailability(names) {
      return [...new Set(names.map(normaliseName))].map((domain) =>
        DOMAIN_RE.test(domain) && !domains.has(domain)
          ? { domain, available: true, priceUsd: SANDBOX_DOMAIN_PRICE_USD }
          : { domain, available: false },
      );
    },

    async buyDomains(names) {
      const wanted = [...new Set(names.map(normaliseName))];
      const bad = wanted.filter((n) => !DOMAIN_RE.test(n));
      if (bad.length > 0) throw new ProviderError(provider, 'invalid_request', `Not domain names: ${bad.join(', ')}`, false, 422);
      const out: RegistrarDomain[] = [];
      for (const name of wanted) {
        let domain = domains.get(name);
        if (!domain) {
          domain = { ref: sandboxId('domain'), name, status: 'active' };
          domains.set(name, domain);
          await recorder.record({
            provider,
            kind: 'domain_purchase',
            to: name,
            payload: { ...domain, priceUsd: SANDBOX_DOMAIN_PRICE_USD },
          });
        }
        out.push({ ...domain });
      }
      return out;
    },

    async listMailboxes(domain) {
      const d = normaliseName(domain);
      return [...mailboxes.values()].filter((m) => m.domain === d).map((m) => ({ ...m.mailbox }));
    },

    async createMailboxes(domain, requested) {
      const d = normaliseName(domain);
      if (!domains.has(d)) throw new ProviderError(provider, 'not_found', `domain ${d} is not in the sandbox workspace`, false, 404);
      const foreign = requested.filter((m) => !m.email.trim().toLowerCase().endsWith(`@${d}`) || m.email.trim().indexOf('@') < 1);
      if (foreign.length > 0) {
        throw new ProviderError(
          provider,
          'invalid_request',
          `Not mailboxes of ${d}: ${foreign.map((m) => m.email).join(', ')}`,
          false,
          422,
        );
      }
      const out: RegistrarMailbox[] = [];
      for (const m of requested) {
        const email = m.email.trim().toLowerCase();
        let entry = [...mailboxes.values()].find((x) => x.mailbox.email === email);
        if (!entry) {
          const mailbox: RegistrarMailbox = { ref: sandboxId('mailbox'), email, status: 'active' };
          const pass = `sandbox-${randomBytes(9).toString('hex')}`;
          entry = {
            mailbox,
            domain: d,
            credentials: {
              smtp: { host: SANDBOX_MAILBOX_HOST, port: 587, secure: false, user: email, pass },
              imap: { host: SANDBOX_MAILBOX_HOST, port: 993, secure: true, user: email, pass },
            },
          };
          mailboxes.set(mailbox.ref, entry);
          await recorder.record({
            provider,
            kind: 'mailbox_creation',
            to: email,
            payload: { ...mailbox, domain: d, firstName: m.firstName, lastName: m.lastName },
          });
        }
        out.push({ ...entry.mailbox });
      }
      return out;
    },

    async mailboxCredentials(ref) {
      const entry = mailboxes.get(ref);
      if (!entry) throw new ProviderError(provider, 'not_found', `mailbox ${ref} not found`, false, 404);
      return structuredClone(entry.credentials);
    },

    async disableAutoRenew(domainRefs) {
      const refs = [...new Set(domainRefs.map((r) => r.trim()).filter((r) => r !== ''))];
      if (refs.length === 0) return;
      const changed: string[] = [];
      const unknown: string[] = [];
      for (const ref of refs) {
        if (!domainByRef(ref)) unknown.push(ref);
        else if (!renewalOff.has(ref)) {
          renewalOff.add(ref);
          changed.push(ref);
        }
      }
      await recorder.record({ provider, kind: 'autorenew_disabled', to: refs.join(','), payload: { domainRefs: refs, changed, unknown } });
    },

    sandboxAutoRenew(nameOrRef) {
      const domain = domains.get(normaliseName(nameOrRef)) ?? domainByRef(nameOrRef.trim());
      return domain ? !renewalOff.has(domain.ref) : undefined;
    },
  };
}
