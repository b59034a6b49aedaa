/**
 * Purchases for the pool (RP-004..008). Each unit is a purchase row keyed by a tag the workflow
 * derives, written before any provider call (services/pool/purchases.ts); a retry (after a
 * timeout, a crash) finds the row, lists what exists at the provider, and buys only what is not
 * there. A provider's permanent refusal fails the activity at once (activities/failures.ts).
 */
import { createHash } from 'node:crypto';
import { log } from '@temporalio/activity';
import { domainAgeDays, fnv1a, warmupVolume } from '../../domain/index.js';
import { NotFound } from '../../domain/failures.js';
import { SEAT_LINK_DAYS } from '../../services/pool/measure.js';
import type { PoolDeps } from './types.js';

const DAY_MS = 86_400_000;
const DEFAULT_PERSONAS = [
  { firstName: 'Alex', lastName: 'Morgan' },
  { firstName: 'Sam', lastName: 'Taylor' },
  { firstName: 'Jordan', lastName: 'Lee' },
];
const NAME_PREFIXES = ['get', 'try', 'meet', 'go', 'hello', 'join', 'use', 'with', 'team', 'hq'];

/** A short, stable tag for providers that limit names (Twilio FriendlyName: 64 characters). */
export const providerTag = (tag: string) => `aos-${createHash('sha256').update(tag).digest('hex').slice(0, 24)}`;

export function createPurchaseActivities({ services, pool, poolSettings }: PoolDeps) {
  const { alerts, domainConfig: config } = services;
  const { purchases, inventory } = services.pool;
  const personas = (poolSettings.personas ?? DEFAULT_PERSONAS).slice(0, config.email.mailboxesPerDomain);

  /** A free, available domain name derived from the tag: `<prefix><stem><nn>.<tld>`. */
  async function pickDomainName(tag: string): Promise<string> {
    const h = fnv1a(tag);
    const candidates: string[] = [];
    for (let i = 0; i < 12; i++) {
      const prefix = NAME_PREFIXES[(h + i) % NAME_PREFIXES.length]!;
      const digits = (((h >>> 4) + i * 37) % 90) + 10;
      candidates.push(`${prefix}${poolSettings.domainStem}${digits}.${poolSettings.domainTld}`);
    }
    const taken = await inventory.system.takenDomainNames(candidates);
    const claimed = await purchases.system.claimedDomainNames();
    const free = candidates.filter((c) => !taken.has(c) && !claimed.has(c));
    if (!free.length) throw new NotFound(`no free domain name for ${tag}`);
    const availability = await pool.registrar.checkAvailability(free);
    const name = free.find((c) => availability.some((a) => a.domain === c && a.available));
    if (!name) throw new NotFound(`none of ${free.length} candidate names is available`);
    return name;
  }

  return {
    /**
     * Buy one domain for the pool with its two mailboxes, and start its warmup in Warmforge with the
     * volume the configured ramp gives for the domain's age (RP-004, RP-005, RP-006, ED-001).
     */
    async buyPoolDomain(input: {
      version: 1;
      tag: string;
      reason: string;
      nowMs: number;
    }): Promise<{ domainId: string; name: string; mailboxes: number }> {
      const purchase = await purchases.system.claim(input.tag, 'domain', input.reason, async () => ({
        name: await pickDomainName(input.tag),
      }));
      const name = String((purchase.details as { name: string }).name);
      if (purchase.status === 'completed' && purchase.resourceId) {
        return { domainId: purchase.resourceId, name, mailboxes: await inventory.system.countMailboxes(purchase.resourceId) };
      }
      const now = new Date(input.nowMs);
      const domain = await inventory.system.domainForPurchase(name);

      // 1. The domain: list first, buy only when the registrar does not have it.
      let registered = (await pool.registrar.findDomains([name])).find((d) => d.name === name);
      if (!registered) {
        log.info('buying domain', { name, tag: input.tag });
        registered = (await pool.registrar.buyDomains([name])).find((d) => d.name === name);
        if (!registered) throw new Error(`the registrar did not return ${name} after buying it`);
      }
      await inventory.system.updateDomain(domain.id, { providerRef: registered.ref, purchasedAt: domain.purchasedAt ?? now });
      await purchases.system.update(purchase.id, { status: 'bought', providerRef: registered.ref, resourceId: domain.id });

      const volume = warmupVolume(domainAgeDays(domain.purchasedAt ?? now, now), config);

      // 2. Its mailboxes (RP-005): create the missing ones, then store their credentials.
      const wanted = personas.map((p) => ({
        email: `${p.firstName}.${p.lastName}@${name}`.toLowerCase(),
        firstName: p.firstName,
        lastName: p.lastName,
      }));
      let existing = await pool.registrar.listMailboxes(name);
      const missing = wanted.filter((w) => !existing.some((m) => m.email.toLowerCase() === w.email));
      if (missing.length) {
        await pool.registrar.createMailboxes(name, missing);
        existing = await pool.registrar.listMailboxes(name);
      }
      for (const w of wanted) {
        const remote = existing.find((m) => m.email.toLowerCase() === w.email);
        if (!remote) throw new Error(`mailbox ${w.email} not listed after creation`);
        const creds = await pool.registrar.mailboxCredentials(remote.ref);
        const senderName = `${w.firstName} ${w.lastName}`;
        const row = await inventory.system.saveBoughtMailbox({
          domainId: domain.id,
          email: w.email,
          providerRef: remote.ref,
          senderName,
          smtp: creds.smtp as object,
          // Read for replies and late bounces (activities/mailbox-reading.ts).
          imap: creds.imap as object,
        });
        // 3. Warmup in Warmforge (RP-006): connect once, then turn warmup on (idempotent).
        if (!(await pool.warmup.findMailbox(w.email))) {
          await pool.warmup.connectMailbox({
            address: w.email,
            firstName: w.firstName,
            lastName: w.lastName,
            credentials: creds,
            externalReference: row.id,
          });
        }
        // Its volume follows the configured ramp for the domain's age (domain/warmup-volume.ts).
        await pool.warmup.enableWarmup(w.email, { startDate: now.toISOString().slice(0, 10), ...volume });
      }
      await inventory.system.updateDomain(domain.id, { status: 'warming', warmupStartedAt: domain.warmupStartedAt ?? now });
      await purchases.system.update(purchase.id, { status: 'completed' });
      return { domainId: domain.id, name, mailboxes: wanted.length };
    },

    /** Buy one Twilio number for the pool, tagged so a retry finds it, and make it callable by the AI caller (RP-007, VO-001). */
    async buyPoolNumber(input: { version: 1; tag: string; reason: string; nowMs: number }): Promise<{ numberId: string; e164: string }> {
      const purchase = await purchases.system.claim(input.tag, 'phone_number', input.reason, async () => ({
        country: poolSettings.numberCountry,
      }));
      if (purchase.status === 'completed' && purchase.resourceId) {
        const n = await inventory.system.number(purchase.resourceId);
        return { numberId: n.id, e164: n.e164 };
      }
      const country = String((purchase.details as { country?: string }).country ?? poolSettings.numberCountry);
      const tag = providerTag(input.tag);
      const base = poolSettings.publicBaseUrl;
      const owned =
        (await pool.numbers.findNumbers(tag))[0] ??
        (await pool.numbers.buyNumber({
          country,
          tag,
          smsUrl: `${base}/webhooks/twilio/sms`,
          statusCallback: `${base}/webhooks/twilio/status`,
        }));
      let row = await inventory.system.saveBoughtNumber({ e164: owned.e164, country, providerRef: owned.ref });
      // Imported once: the registry lists before importing.
      if (!row.voiceRef)
        row = await inventory.system.setVoiceRef(row.id, (await pool.voiceNumbers.register(owned.e164, `pool ${owned.e164}`)).id);
      await purchases.system.update(purchase.id, { status: 'completed', providerRef: owned.ref, resourceId: row.id });
      return { numberId: row.id, e164: row.e164 };
    },

    /**
     * Ask for one more LinkedIn seat (RP-008): LinkedIn accounts cannot be bought through an
     * API, so Unipile gives a hosted-auth link an operator opens to connect an account; the
     * link goes out as an alert. The seat joins the pool when the account shows up (reconcileSeats).
     */
    async requestPoolSeat(input: { version: 1; tag: string; reason: string; nowMs: number }): Promise<{ url: string }> {
      const purchase = await purchases.system.claim(input.tag, 'linkedin_seat', input.reason, async () => ({}));
      const known = (purchase.details as { url?: string }).url;
      if (known) return { url: known };
      const expiresAt = new Date(input.nowMs + SEAT_LINK_DAYS * DAY_MS).toISOString();
      const { url } = await pool.seats.requestSeatLink({
        name: providerTag(input.tag),
        expiresAt,
        notifyUrl: `${poolSettings.publicBaseUrl}/webhooks/unipile`,
      });
      await purchases.system.update(purchase.id, { status: 'awaiting_operator', details: { url, expiresAt } });
      await alerts.system.raise(
        {
          kind: 'seat_connect_requested',
          severity: 'info',
          dedupeKey: `seat-request:${input.tag}`,
          message: `A LinkedIn seat is needed for the pool: connect an account at ${url} (link valid until ${expiresAt})`,
          data: { url, expiresAt, tag: input.tag },
        },
        new Date(input.nowMs),
      );
      return { url };
    },

    /** A purchase that failed for good: no longer counted as on its way (the caller raised an alert). */
    async failPurchase(input: { version: 1; tag: string; error: string }): Promise<void> {
      await purchases.system.fail(input.tag, input.error);
    },
  };
}
