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
 *
 * Files: domains.ts, warmup.ts, numbers.ts, seats.ts (one per sandbox provider) and
 * pool-providers.ts (their names); this file re-exports them all.
 */
export { SANDBOX_POOL_PROVIDERS } from './pool-providers.js';
export { createSandboxDomainRegistrar, SANDBOX_DOMAIN_PRICE_USD, SANDBOX_MAILBOX_HOST, type SandboxDomainRegistrar } from './domains.js';
export { createSandboxWarmupService, sandboxHeatScore, type SandboxWarmupOptions } from './warmup.js';
export { createSandboxNumberProvider } from './numbers.js';
export { createSandboxSeatProvider, SANDBOX_SEAT_LINK_BASE } from './seats.js';
