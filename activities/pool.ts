/**
 * Pool activities (RP-002..008, ED-001): the buffer of each resource type with its alerts and
 * snapshots, purchases (domains with their mailboxes and warmup, numbers, seat requests), seat
 * reconciliation, and the daily warmup tick of a domain.
 *
 * Purchases have no provider idempotency key. Each unit is a pool_purchases row keyed by a tag
 * the workflow derives, written before the provider is called; a retry (after a timeout, a
 * crash) finds the row, lists what exists at the provider, and buys only what is not there.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure, log } from '@temporalio/activity';
import type { Db } from '../db/client.js';
import { DB_RESOURCE_TYPE } from '../db/resource-types.js';
import type { DomainRegistrar, NumberProvider, SeatProvider, WarmupService } from '../providers/ports.js';
import { ProviderError } from '../providers/ports.js';
import {
  defaultDomainConfig,
  domainAgeDays,
  fnv1a,
  isReadyForColdSending,
  mailboxDailyLimit,
  purchasePlan,
  RESOURCE_TYPES,
  type BufferInput,
  type DomainConfig,
  type ResourceType,
} from '../domain/index.js';
import type { AlertService } from './alerts.js';
import type { WorkflowGateway } from './workflow-gateway.js';

export interface PoolProviders {
  registrar: DomainRegistrar;
  warmup: WarmupService;
  numbers: NumberProvider;
  seats: SeatProvider;
  /** Makes a bought number callable by the voice agent (Vapi import); returns the voice provider's id. */
  voiceNumbers?: { register(e164: string, name: string): Promise<{ id: string }> };
}

export interface PoolSettings {
  domainStem: string;
  domainTld: string;
  numberCountry: string;
  publicBaseUrl: string;
  /** The people the mailboxes of a new domain are named after (two per domain). */
  personas?: { firstName: string; lastName: string }[];
}

export interface PoolDeps {
  db: Db;
  pool: PoolProviders;
  alerts: AlertService;
  gateway: WorkflowGateway;
  poolSettings: PoolSettings;
  domainConfig?: DomainConfig;
}

const DAY_MS = 86_400_000;
const SEAT_LINK_DAYS = 7;
const DEFAULT_PERSONAS = [
  { firstName: 'Alex', lastName: 'Morgan' },
  { firstName: 'Sam', lastName: 'Taylor' },
  { firstName: 'Jordan', lastName: 'Lee' },
];
/** A short, stable tag for providers that limit names (Twilio FriendlyName: 64 characters). */
export const providerTag = (tag: string) => `aos-${createHash('sha256').update(tag).digest('hex').slice(0, 24)}`;

const NAME_PREFIXES = ['get', 'try', 'meet', 'go', 'hello', 'join', 'use', 'with', 'team', 'hq'];

/** A provider failure that will not heal by retrying becomes a non-retryable ApplicationFailure. */
function rethrow(err: unknown): never {
  if (err instanceof ProviderError && !err.retryable) {
    throw ApplicationFailure.nonRetryable(`${err.provider}: ${err.message}`, `provider_${err.code}`);
  }
  throw err;
}

async function openAllocated(db: Db, type: 'domain' | 'mailbox' | 'phone_number' | 'linkedin_seat'): Promise<Set<string>> {
  const rows = await db.system.resourceAllocation.findMany({
    where: { resourceType: type, releasedAt: null },
    select: { resourceId: true },
  });
  return new Set(rows.map((r) => r.resourceId));
}

/** Ready-and-unallocated, allocated and pending (bought, not ready) per resource type (RP-003); also the admin pool view. */
export async function measurePool(db: Db, nowMs: number): Promise<Record<ResourceType, BufferInput>> {
  const [aDomains, aMailboxes, aNumbers, aSeats] = await Promise.all([
    openAllocated(db, 'domain'),
    openAllocated(db, 'mailbox'),
    openAllocated(db, 'phone_number'),
    openAllocated(db, 'linkedin_seat'),
  ]);
  const domains = await db.system.domain.findMany({ where: { status: { not: 'retired' } }, select: { id: true, status: true } });
  const mailboxes = await db.system.mailbox.findMany({
    where: { status: { not: 'retired' } },
    select: { id: true, status: true, domain: { select: { status: true } } },
  });
  const numbers = await db.system.phoneNumber.findMany({ where: { status: { not: 'retired' } }, select: { id: true, status: true } });
  const seats = await db.system.linkedInSeat.findMany({
    where: { status: { not: 'retired' } },
    select: { id: true, status: true, health: true },
  });
  const pendingPurchases = await db.system.poolPurchase.groupBy({
    by: ['resourceType'],
    where: { status: { in: ['requested', 'awaiting_operator'] }, createdAt: { gt: new Date(nowMs - SEAT_LINK_DAYS * DAY_MS) } },
    _count: true,
  });
  const pendingOf = (t: string) => pendingPurchases.find((p) => p.resourceType === t)?._count ?? 0;
  const pending = (s: string) => s === 'purchasing' || s === 'warming';
  return {
    domains: {
      readyUnallocated: domains.filter((d) => d.status === 'ready' && !aDomains.has(d.id)).length,
      allocated: domains.filter((d) => aDomains.has(d.id)).length,
      pending: domains.filter((d) => pending(d.status)).length,
    },
    mailboxes: {
      readyUnallocated: mailboxes.filter((m) => m.status === 'ready' && m.domain.status === 'ready' && !aMailboxes.has(m.id)).length,
      allocated: mailboxes.filter((m) => aMailboxes.has(m.id)).length,
      pending: mailboxes.filter((m) => pending(m.status)).length,
    },
    phoneNumbers: {
      readyUnallocated: numbers.filter((n) => n.status === 'ready' && !aNumbers.has(n.id)).length,
      allocated: numbers.filter((n) => aNumbers.has(n.id)).length,
      pending: pendingOf('phone_number'),
    },
    linkedinSeats: {
      readyUnallocated: seats.filter((s) => s.status === 'ready' && s.health === 'ok' && !aSeats.has(s.id)).length,
      allocated: seats.filter((s) => aSeats.has(s.id)).length,
      pending: seats.filter((s) => pending(s.status)).length + pendingOf('linkedin_seat'),
    },
  };
}

export function createPoolActivities(deps: PoolDeps) {
  const { db, pool, alerts, poolSettings } = deps;
  const config = deps.domainConfig ?? defaultDomainConfig;
  const personas = (poolSettings.personas ?? DEFAULT_PERSONAS).slice(0, config.email.mailboxesPerDomain);

  /** Claim a purchase tag: the row is written before any provider call. */
  async function claimPurchase(
    tag: string,
    resourceType: 'domain' | 'phone_number' | 'linkedin_seat',
    reason: string,
    details: () => Promise<Record<string, unknown>>,
  ) {
    const existing = await db.system.poolPurchase.findUnique({ where: { tag } });
    if (existing) return existing;
    const d = await details();
    try {
      return await db.system.poolPurchase.create({ data: { tag, resourceType, reason, details: d as object } });
    } catch {
      // a concurrent attempt claimed it first
      return db.system.poolPurchase.findUniqueOrThrow({ where: { tag } });
    }
  }

  async function pickDomainName(tag: string): Promise<string> {
    const h = fnv1a(tag);
    const candidates: string[] = [];
    for (let i = 0; i < 12; i++) {
      const prefix = NAME_PREFIXES[(h + i) % NAME_PREFIXES.length]!;
      const digits = (((h >>> 4) + i * 37) % 90) + 10;
      candidates.push(`${prefix}${poolSettings.domainStem}${digits}.${poolSettings.domainTld}`);
    }
    const taken = new Set(
      (await db.system.domain.findMany({ where: { name: { in: candidates } }, select: { name: true } })).map((d) => d.name),
    );
    const claimed = new Set(
      (await db.system.poolPurchase.findMany({ where: { resourceType: 'domain' }, select: { details: true } })).map((p) =>
        String((p.details as { name?: string }).name ?? ''),
      ),
    );
    const free = candidates.filter((c) => !taken.has(c) && !claimed.has(c));
    if (!free.length) throw ApplicationFailure.nonRetryable(`no free domain name for ${tag}`, 'no_domain_name');
    const availability = await pool.registrar.checkAvailability(free).catch(rethrow);
    const name = free.find((c) => availability.some((a) => a.domain === c && a.available));
    if (!name) throw ApplicationFailure.nonRetryable(`none of ${free.length} candidate names is available`, 'no_domain_available');
    return name;
  }

  return {
    /** Ready-and-unallocated, allocated and pending (bought, not ready) per resource type (RP-003). */
    poolStatus: (input: { version: 1; nowMs: number }) => measurePool(db, input.nowMs),

    /**
     * The buffer check of a pool-monitor run: levels and what to buy (domain/pool.ts), one
     * snapshot row per type, a warning alert under 40% and a critical one under 20% that are
     * not repeated while the condition lasts and are resolved when it clears (RP-003).
     */
    async recordPoolCheck(input: { version: 1; nowMs: number; pool: Record<ResourceType, BufferInput> }) {
      const plan = purchasePlan(input.pool, config);
      const takenAt = new Date(input.nowMs);
      await db.system.poolSnapshot.createMany({
        data: RESOURCE_TYPES.map((t) => {
          const b = input.pool[t];
          return {
            takenAt,
            resourceType: DB_RESOURCE_TYPE[t],
            readyUnallocated: b.readyUnallocated,
            allocated: b.allocated,
            pending: b.pending ?? 0,
            buffer: b.allocated > 0 ? b.readyUnallocated / b.allocated : null,
            level: plan.levels[t],
          };
        }),
      });
      for (const t of RESOURCE_TYPES) {
        const level = plan.levels[t];
        const b = input.pool[t];
        const pct = b.allocated > 0 ? Math.round((100 * b.readyUnallocated) / b.allocated) : null;
        const figures = {
          resourceType: t,
          readyUnallocated: b.readyUnallocated,
          allocated: b.allocated,
          pending: b.pending ?? 0,
          bufferPercent: pct,
        };
        const key = (l: string) => `pool:${t}:${l}`;
        if (level === 'ok') {
          await alerts.resolve([key('warning'), key('critical')], takenAt);
          continue;
        }
        await alerts.raise(
          {
            kind: 'pool_buffer_low',
            severity: 'warning',
            dedupeKey: key('warning'),
            message: `Pool buffer for ${t} is ${pct}% (under ${config.pool.bufferWarningPercent}%): ${b.readyUnallocated} ready for ${b.allocated} allocated`,
            data: figures,
          },
          takenAt,
        );
        if (level === 'critical') {
          await alerts.raise(
            {
              kind: 'pool_buffer_critical',
              severity: 'critical',
              dedupeKey: key('critical'),
              message: `Pool buffer for ${t} is ${pct}% (under ${config.pool.bufferCriticalPercent}%): ${b.readyUnallocated} ready for ${b.allocated} allocated`,
              data: figures,
            },
            takenAt,
          );
        } else {
          await alerts.resolve([key('critical')], takenAt);
        }
      }
      return plan;
    },

    /**
     * Buy one domain for the pool with its two mailboxes, and start its warmup in Warmforge
     * (RP-004, RP-005, RP-006). Safe to retry at any point: see the file header.
     */
    async buyPoolDomain(input: {
      version: 1;
      tag: string;
      reason: string;
      nowMs: number;
    }): Promise<{ domainId: string; name: string; mailboxes: number }> {
      const purchase = await claimPurchase(input.tag, 'domain', input.reason, async () => ({ name: await pickDomainName(input.tag) }));
      const name = String((purchase.details as { name: string }).name);
      if (purchase.status === 'completed' && purchase.resourceId) {
        return {
          domainId: purchase.resourceId,
          name,
          mailboxes: await db.system.mailbox.count({ where: { domainId: purchase.resourceId } }),
        };
      }
      const now = new Date(input.nowMs);
      const domain = await db.system.domain.upsert({ where: { name }, update: {}, create: { name, status: 'purchasing' } });

      // 1. The domain: list first, buy only when the registrar does not have it.
      let registered = (await pool.registrar.findDomains([name]).catch(rethrow)).find((d) => d.name === name);
      if (!registered) {
        log.info('buying domain', { name, tag: input.tag });
        registered = (await pool.registrar.buyDomains([name]).catch(rethrow)).find((d) => d.name === name);
        if (!registered) throw new Error(`the registrar did not return ${name} after buying it`);
      }
      await db.system.domain.update({
        where: { id: domain.id },
        data: { providerRef: registered.ref, purchasedAt: domain.purchasedAt ?? now },
      });
      await db.system.poolPurchase.update({
        where: { id: purchase.id },
        data: { status: 'bought', providerRef: registered.ref, resourceId: domain.id },
      });

      // 2. Its mailboxes (RP-005): create the missing ones, then store their credentials.
      const wanted = personas.map((p) => ({
        email: `${p.firstName}.${p.lastName}@${name}`.toLowerCase(),
        firstName: p.firstName,
        lastName: p.lastName,
      }));
      let existing = await pool.registrar.listMailboxes(name).catch(rethrow);
      const missing = wanted.filter((w) => !existing.some((m) => m.email.toLowerCase() === w.email));
      if (missing.length) {
        await pool.registrar.createMailboxes(name, missing).catch(rethrow);
        existing = await pool.registrar.listMailboxes(name).catch(rethrow);
      }
      for (const w of wanted) {
        const remote = existing.find((m) => m.email.toLowerCase() === w.email);
        if (!remote) throw new Error(`mailbox ${w.email} not listed after creation`);
        const creds = await pool.registrar.mailboxCredentials(remote.ref).catch(rethrow);
        const row = await db.system.mailbox.upsert({
          where: { email: w.email },
          update: { providerRef: remote.ref, smtp: creds.smtp as object },
          create: {
            domainId: domain.id,
            email: w.email,
            status: 'warming',
            providerRef: remote.ref,
            senderName: `${w.firstName} ${w.lastName}`,
            smtp: creds.smtp as object,
          },
        });
        // 3. Warmup in Warmforge (RP-006): connect once, then turn warmup on (idempotent).
        const connected = await pool.warmup.findMailbox(w.email).catch(rethrow);
        if (!connected) {
          await pool.warmup
            .connectMailbox({
              address: w.email,
              firstName: w.firstName,
              lastName: w.lastName,
              credentials: creds,
              externalReference: row.id,
            })
            .catch(rethrow);
        }
        await pool.warmup
          .enableWarmup(w.email, {
            startDate: now.toISOString().slice(0, 10),
            minEmailsPerDay: 2,
            maxEmailsPerDay: 20,
            emailRampUp: 2,
            replyRatePercent: 30,
          })
          .catch(rethrow);
      }
      await db.system.domain.update({
        where: { id: domain.id },
        data: { status: 'warming', warmupStartedAt: domain.warmupStartedAt ?? now },
      });
      await db.system.poolPurchase.update({ where: { id: purchase.id }, data: { status: 'completed' } });
      return { domainId: domain.id, name, mailboxes: wanted.length };
    },

    /** Buy one Twilio number for the pool, tagged so a retry finds it (RP-007). */
    async buyPoolNumber(input: { version: 1; tag: string; reason: string; nowMs: number }): Promise<{ numberId: string; e164: string }> {
      const purchase = await claimPurchase(input.tag, 'phone_number', input.reason, async () => ({ country: poolSettings.numberCountry }));
      if (purchase.status === 'completed' && purchase.resourceId) {
        const n = await db.system.phoneNumber.findUniqueOrThrow({ where: { id: purchase.resourceId } });
        return { numberId: n.id, e164: n.e164 };
      }
      const country = String((purchase.details as { country?: string }).country ?? poolSettings.numberCountry);
      const tag = providerTag(input.tag);
      let owned = (await pool.numbers.findNumbers(tag).catch(rethrow))[0];
      if (!owned) {
        owned = await pool.numbers
          .buyNumber({
            country,
            tag,
            smsUrl: `${poolSettings.publicBaseUrl}/webhooks/twilio/sms`,
            statusCallback: `${poolSettings.publicBaseUrl}/webhooks/twilio/status`,
          })
          .catch(rethrow);
      }
      let row = await db.system.phoneNumber.upsert({
        where: { e164: owned.e164 },
        update: { providerRef: owned.ref },
        create: { e164: owned.e164, country, status: 'ready', providerRef: owned.ref },
      });
      // VO-001: the AI caller places calls from it (imported once: the registry lists before importing).
      if (!row.voiceRef && pool.voiceNumbers) {
        const voice = await pool.voiceNumbers.register(owned.e164, `pool ${owned.e164}`).catch(rethrow);
        row = await db.system.phoneNumber.update({ where: { id: row.id }, data: { voiceRef: voice.id } });
      }
      await db.system.poolPurchase.update({
        where: { id: purchase.id },
        data: { status: 'completed', providerRef: owned.ref, resourceId: row.id },
      });
      return { numberId: row.id, e164: row.e164 };
    },

    /**
     * Ask for one more LinkedIn seat (RP-008): LinkedIn accounts cannot be bought through an
     * API, so Unipile gives a hosted-auth link an operator opens to connect an account; the
     * link goes out as an alert. The seat joins the pool when the account shows up (reconcileSeats).
     */
    async requestPoolSeat(input: { version: 1; tag: string; reason: string; nowMs: number }): Promise<{ url: string }> {
      const purchase = await claimPurchase(input.tag, 'linkedin_seat', input.reason, async () => ({}));
      const known = (purchase.details as { url?: string }).url;
      if (known) return { url: known };
      const expiresAt = new Date(input.nowMs + SEAT_LINK_DAYS * DAY_MS).toISOString();
      const { url } = await pool.seats
        .requestSeatLink({ name: providerTag(input.tag), expiresAt, notifyUrl: `${poolSettings.publicBaseUrl}/webhooks/unipile` })
        .catch(rethrow);
      await db.system.poolPurchase.update({
        where: { id: purchase.id },
        data: { status: 'awaiting_operator', details: { url, expiresAt } },
      });
      await alerts.raise(
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
      await db.system.poolPurchase.updateMany({
        where: { tag: input.tag, status: { in: ['requested', 'bought'] } },
        data: { status: 'failed', error: input.error.slice(0, 1000) },
      });
    },

    /** LinkedIn accounts connected at Unipile that the pool does not know yet become seats (RP-008, LI-001). */
    async reconcileSeats(input: { version: 1; nowMs: number }): Promise<{ added: number }> {
      const accounts = await pool.seats.listLinkedInAccounts().catch(rethrow);
      const known = new Set((await db.system.linkedInSeat.findMany({ select: { accountRef: true } })).map((s) => s.accountRef));
      let added = 0;
      for (const a of accounts) {
        if (known.has(a.accountRef)) continue;
        const ok = a.status === 'OK';
        await db.system.linkedInSeat.create({
          data: {
            accountRef: a.accountRef,
            displayName: a.name ?? null,
            status: ok ? 'ready' : 'paused',
            health: ok ? 'ok' : a.status === 'CREDENTIALS' ? 'checkpoint' : 'restricted',
          },
        });
        added++;
        const waiting = await db.system.poolPurchase.findFirst({
          where: { resourceType: 'linkedin_seat', status: 'awaiting_operator' },
          orderBy: { createdAt: 'asc' },
        });
        if (waiting) {
          await db.system.poolPurchase.update({ where: { id: waiting.id }, data: { status: 'completed', providerRef: a.accountRef } });
          await alerts.resolve([`seat-request:${waiting.tag}`], new Date(input.nowMs));
        }
      }
      return { added };
    },

    /**
     * One day of a domain's warmup (ED-001, RP-006): the ramp by domain age applied to its
     * mailboxes, the Warmforge heat score read (the domain's is its coldest mailbox's), and the
     * domain marked ready at 85. 'stopped' when the domain is retired or gone.
     */
    async warmupTick(input: {
      version: 1;
      domainId: string;
      nowMs: number;
    }): Promise<{ state: 'warming' | 'ready' | 'stopped'; day: number; limit: number; heatScore: number | null }> {
      const domain = await db.system.domain.findUnique({ where: { id: input.domainId }, include: { mailboxes: true } });
      if (!domain || domain.status === 'retired') return { state: 'stopped', day: 0, limit: 0, heatScore: null };
      const now = new Date(input.nowMs);
      const day = domainAgeDays(domain.purchasedAt ?? domain.createdAt, now);
      let heat: number | null = null;
      let allKnown = domain.mailboxes.length > 0;
      for (const m of domain.mailboxes) {
        const w = await pool.warmup.findMailbox(m.email).catch(rethrow);
        if (!w || w.heatScore === null) {
          allKnown = false;
          continue;
        }
        heat = heat === null ? w.heatScore : Math.min(heat, w.heatScore);
      }
      const heatScore = allKnown ? heat : null;
      const ready = isReadyForColdSending(heatScore, config);
      const limit = mailboxDailyLimit(
        {
          domainAgeDays: day,
          heatScore,
          health: domain.healthClass as 'good' | 'warning' | 'critical',
          paused: domain.status === 'paused',
        },
        config,
      ).total;
      await db.system.$transaction([
        db.system.mailbox.updateMany({
          where: { domainId: domain.id, status: { not: 'retired' } },
          data: { dailyLimit: limit, ...(ready ? { status: 'ready' } : {}) },
        }),
        db.system.domain.update({
          where: { id: domain.id },
          data: {
            heatScore,
            ...(ready && domain.status !== 'ready' && domain.status !== 'paused'
              ? { status: 'ready', readyAt: domain.readyAt ?? now }
              : {}),
          },
        }),
      ]);
      return { state: ready ? 'ready' : 'warming', day, limit, heatScore };
    },
  };
}
