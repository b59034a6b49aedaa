/**
 * Sandbox resource pool (RP-004..008): domains and mailboxes (InfraForge), warmup (Warmforge),
 * phone numbers (Twilio) and LinkedIn seats (Unipile), used when those providers have no keys.
 * Nothing leaves the process: state lives in memory (Maps), so a find after a buy works within
 * one process (a restart forgets it: callers keep what they bought in their own database), and
 * every purchase or change is recorded through the SandboxRecorder:
 *
 *   provider      kind               to               payload
 *   infraforge    domain_purchase    the domain       { ref, name, status, priceUsd }
 *   infraforge    mailbox_creation   the email        { ref, email, domain, firstName, lastName, status }
 *   infraforge    autorenew_disabled refs.join(',')   { domainRefs, changed, unknown }
 *   warmforge     mailbox_connect    the address      { address, firstName, lastName, externalReference, smtpHost, imapHost }
 *   warmforge     warmup_enable      the address      { settings (clamped like Warmforge), firstEnabled }
 *   warmforge     warmup_disabled    the address      { known, wasEnabled }
 *   twilio        number_purchase    the number       { ref, e164, tag, country, smsUrl?, statusCallback? }
 *   unipile       seat_link          the seat name    { linkId, url, name, expiresAt, notifyUrl? }
 *   unipile       invitation_cancel  invitationRef    { accountRef, invitationRef }
 *
 * Behaviour:
 *   - Domains: every well-formed name not yet bought here is available (priceUsd 12); a purchase
 *     is instant, status 'active'. Buying a name already bought returns it unchanged (not
 *     recorded again). A malformed name is a permanent ProviderError 'invalid_request'.
 *   - Mailboxes: created 'active' on a domain bought here (else 'not_found'); their SMTP host is
 *     'sandbox' (port 587) and IMAP host 'sandbox' (993): the email sender treats
 *     smtp.host === 'sandbox' as "record, don't send". Creating an existing address returns it.
 *   - Warmup: connectMailbox returns the mailbox 'active', warmup off, heat score null; after
 *     enableWarmup the heat score is `min(100, 4 * whole days since the first enableWarmup)`
 *     (so 85 is first reached on day 22: 84 on day 21, 88 on day 22), and warmupDaysCompleted
 *     the whole days. Later enableWarmup calls update the settings, not the clock.
 *   - Retirement (RP-009): disableAutoRenew(refs) turns renewal off for the domains bought here
 *     with those refs (every domain starts with renewal on; see sandboxAutoRenew); unknown refs
 *     are ignored (bought by another process, or gone). Every call with at least one ref is
 *     recorded (`changed`: refs whose renewal was on, `unknown`: refs not known here); an empty
 *     list does nothing. disableWarmup(address) turns warmup off: the heat score and
 *     warmupDaysCompleted freeze at their value at that moment; an unknown address resolves
 *     (recorded with known: false). An enableWarmup after a disable restarts the clock.
 *   - Numbers: Australian mobiles '+61400' + 6 digits (valid AU mobile format, 0400 xxx xxx),
 *     derived from a hash of the tag and a counter, unique within the process. Only country 'AU'
 *     is sold (else permanent 'unsupported_country'). findNumbers(tag) lists the numbers bought
 *     with that tag.
 *   - Seats: no LinkedIn account is ever connected (listLinkedInAccounts is []), a seat link is
 *     `https://sandbox.invalid/unipile/hosted-auth/<id>`, cancelInvitation only records.
 */
import { createHash, randomBytes } from 'node:crypto';
import { clampWarmupSettings } from '../forge/warmforge.js';
import {
  ProviderError,
  type DomainRegistrar,
  type MailboxCredentials,
  type NumberProvider,
  type OwnedNumber,
  type RegistrarDomain,
  type RegistrarMailbox,
  type SandboxRecorder,
  type SeatProvider,
  type WarmupMailbox,
  type WarmupService,
  type WarmupSettings,
} from '../ports.js';
import { sandboxId } from './recorder.js';

/** Provider names used in recorded entries (and sandbox_outbox rows). */
export const SANDBOX_POOL_PROVIDERS = { domains: 'infraforge', warmup: 'warmforge', numbers: 'twilio', seats: 'unipile' } as const;

/** The SMTP/IMAP host of sandbox mailboxes: the email sender records instead of sending. */
export const SANDBOX_MAILBOX_HOST = 'sandbox';
export const SANDBOX_DOMAIN_PRICE_USD = 12;
export const SANDBOX_SEAT_LINK_BASE = 'https://sandbox.invalid/unipile/hosted-auth/';
const DAY_MS = 86_400_000;

const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const normaliseName = (name: string) => name.trim().toLowerCase().replace(/\.+$/, '');

/** The sandbox heat score after `days` whole days of warmup: min(100, 4 * days). */
export function sandboxHeatScore(days: number): number {
  return Math.min(100, 4 * Math.max(0, Math.floor(days)));
}

// ---- Domains and mailboxes (InfraForge) ------------------------------------------------------

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

// ---- Warmup (Warmforge) -----------------------------------------------------------------------

export interface SandboxWarmupOptions {
  /** The clock (ms since the epoch) the heat score grows with (default Date.now). */
  now?: () => number;
}

export function createSandboxWarmupService(recorder: SandboxRecorder, opts: SandboxWarmupOptions = {}): WarmupService {
  const provider = SANDBOX_POOL_PROVIDERS.warmup;
  const now = opts.now ?? Date.now;
  /** enabledAt: when the current warmup run started; disabledAt: when it was turned off (if it was). */
  type Box = { address: string; enabledAt?: number; disabledAt?: number; settings?: WarmupSettings };
  const boxes = new Map<string, Box>();

  function view(entry: Box): WarmupMailbox {
    if (entry.enabledAt === undefined) return { address: entry.address, status: 'active', warmupEnabled: false, heatScore: null };
    const until = entry.disabledAt ?? now();
    const days = Math.max(0, Math.floor((until - entry.enabledAt) / DAY_MS));
    return {
      address: entry.address,
      status: 'active',
      warmupEnabled: entry.disabledAt === undefined,
      heatScore: sandboxHeatScore(days),
      warmupDaysCompleted: days,
    };
  }

  return {
    async findMailbox(address) {
      const entry = boxes.get(address.trim().toLowerCase());
      return entry ? view(entry) : null;
    },

    async connectMailbox(input) {
      const key = input.address.trim().toLowerCase();
      let entry = boxes.get(key);
      if (!entry) {
        entry = { address: input.address.trim() };
        boxes.set(key, entry);
        await recorder.record({
          provider,
          kind: 'mailbox_connect',
          to: entry.address,
          payload: {
            address: entry.address,
            firstName: input.firstName,
            lastName: input.lastName,
            externalReference: input.externalReference,
            smtpHost: input.credentials.smtp.host,
            imapHost: input.credentials.imap.host,
          },
        });
      }
      return view(entry);
    },

    async enableWarmup(address, settings) {
      const entry = boxes.get(address.trim().toLowerCase());
      if (!entry) throw new ProviderError(provider, 'not_found', `mailbox ${address} is not connected`, false, 404);
      const clamped = clampWarmupSettings(settings, provider);
      const firstEnabled = entry.enabledAt === undefined;
      if (firstEnabled || entry.disabledAt !== undefined) {
        // First start, or a restart after disableWarmup: the clock starts again.
        entry.enabledAt = now();
        delete entry.disabledAt;
      }
      entry.settings = clamped;
      await recorder.record({ provider, kind: 'warmup_enable', to: entry.address, payload: { settings: clamped, firstEnabled } });
    },

    async disableWarmup(address) {
      const entry = boxes.get(address.trim().toLowerCase());
      const wasEnabled = entry !== undefined && entry.enabledAt !== undefined && entry.disabledAt === undefined;
      if (entry && wasEnabled) entry.disabledAt = now();
      await recorder.record({
        provider,
        kind: 'warmup_disabled',
        to: entry?.address ?? address.trim(),
        payload: { known: entry !== undefined, wasEnabled },
      });
    },
  };
}

// ---- Phone numbers (Twilio) -------------------------------------------------------------------

/** '+61400' + 6 digits from a hash of the tag and an attempt counter. */
function sandboxAuNumber(tag: string, attempt: number): string {
  const h = createHash('sha256').update(`${tag}\u0000${attempt}`).digest();
  return `+61400${String(h.readUInt32BE(0) % 1_000_000).padStart(6, '0')}`;
}

export function createSandboxNumberProvider(recorder: SandboxRecorder): NumberProvider {
  const provider = SANDBOX_POOL_PROVIDERS.numbers;
  const numbers: OwnedNumber[] = [];
  const used = new Set<string>();
  let counter = 0;

  return {
    async findNumbers(tag) {
      return numbers.filter((n) => n.tag === tag).map((n) => ({ ...n }));
    },

    async buyNumber(input) {
      if (input.country.trim().toUpperCase() !== 'AU') {
        throw new ProviderError(
          provider,
          'unsupported_country',
          `the sandbox sells Australian numbers only, not ${input.country}`,
          false,
          400,
        );
      }
      if (!input.tag) throw new ProviderError(provider, 'invalid_request', 'a purchase tag is required', false, 400);
      let e164 = sandboxAuNumber(input.tag, counter++);
      while (used.has(e164)) e164 = sandboxAuNumber(input.tag, counter++);
      used.add(e164);
      const owned: OwnedNumber = { ref: sandboxId('number'), e164, tag: input.tag };
      numbers.push(owned);
      await recorder.record({
        provider,
        kind: 'number_purchase',
        to: e164,
        payload: {
          ...owned,
          country: 'AU',
          ...(input.smsUrl !== undefined ? { smsUrl: input.smsUrl } : {}),
          ...(input.statusCallback !== undefined ? { statusCallback: input.statusCallback } : {}),
        },
      });
      return { ...owned };
    },
  };
}

// ---- LinkedIn seats (Unipile) -----------------------------------------------------------------

export function createSandboxSeatProvider(recorder: SandboxRecorder): SeatProvider {
  const provider = SANDBOX_POOL_PROVIDERS.seats;
  return {
    async listLinkedInAccounts() {
      return [];
    },

    async requestSeatLink(input) {
      const linkId = sandboxId('seat_link');
      const url = `${SANDBOX_SEAT_LINK_BASE}${linkId}`;
      await recorder.record({
        provider,
        kind: 'seat_link',
        to: input.name,
        payload: {
          linkId,
          url,
          name: input.name,
          expiresAt: input.expiresAt,
          ...(input.notifyUrl !== undefined ? { notifyUrl: input.notifyUrl } : {}),
        },
      });
      return { url };
    },

    async cancelInvitation(accountRef, invitationRef) {
      await recorder.record({ provider, kind: 'invitation_cancel', to: invitationRef, payload: { accountRef, invitationRef } });
    },
  };
}
