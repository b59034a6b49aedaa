/**
 * InfraForge's answers as this adapter reads them (the accepted layouts are in the header of
 * infraforge.ts): the provider's names and limits, domain names and ids, domain and mailbox items,
 * and the SMTP/IMAP credentials of a mailbox.
 */
import { ProviderError, type MailboxCredentials, type RegistrarDomain, type RegistrarMailbox } from '../ports.js';
import { firstStr, isObject, listItems, num, type Json } from './http.js';

export const INFRAFORGE = 'infraforge';
export const INFRAFORGE_DEFAULT_BASE_URL = 'https://api.infraforge.ai/public';
/** Most names per availability call (PROVIDERS.md 5). */
export const INFRAFORGE_AVAILABILITY_BATCH = 100;

/** A 2xx answer InfraForge should not have given: `InfraForge <message>`, 'unexpected_response'. */
export const infraForgeUnexpected = (message: string, retryable: boolean, status?: number) =>
  new ProviderError(INFRAFORGE, 'unexpected_response', `InfraForge ${message}`, retryable, status);

export const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/** 'Acme-Mail.COM.' -> 'acme-mail.com'. */
export function normaliseDomainName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

export function uniqueNames(names: string[]): string[] {
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
export function mailboxItems(body: unknown): unknown[] {
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
