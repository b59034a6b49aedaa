/**
 * Admin: the resource pool (RP-002) and domain health (ED-004). Explicit system path: admin key
 * only. The buffer per resource type (the figures the pool monitor acts on), the pool's
 * domains with their mailboxes, allocation and latest 30-day health, numbers and seats, the
 * buffer and health history, adding resources an operator already owns, and running the pool
 * monitor now. SMTP passwords are stored for sending and never returned.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { Prisma } from '../../generated/prisma/client.js';
import { measurePool } from '../../activities/pool.js';
import { bufferStatus, defaultDomainConfig, RESOURCE_TYPES } from '../../domain/index.js';
import { SCHEDULE_IDS } from '../../workflows/contracts.js';
import type { Db } from '../../db/client.js';
import { ErrorBody } from '../schemas.js';
import { HttpError } from '../errors.js';
import type { AppDeps } from '../app.js';

const DAY_MS = 86_400_000;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

// ---------------------------------------------------------------------------------------------
// Schemas

const Level = z.enum(['ok', 'warning', 'critical']);
const ResourceStatus = z.enum(['purchasing', 'warming', 'ready', 'paused', 'retired']);
const DbResourceType = z.enum(['domain', 'mailbox', 'phone_number', 'linkedin_seat']);

const TypeBuffer = z.object({
  readyUnallocated: z.number(),
  allocated: z.number(),
  pending: z.number(),
  /** round(100 x readyUnallocated / allocated); null when nothing is allocated. */
  bufferPercent: z.number().nullable(),
  level: Level,
  /** How many to buy to bring the buffer back to the target, counting what is pending. */
  shortfall: z.number(),
});

const PoolOut = z.object({
  takenAt: z.string(),
  types: z.object({ domains: TypeBuffer, mailboxes: TypeBuffer, phoneNumbers: TypeBuffer, linkedinSeats: TypeBuffer }),
  purchases: z.object({
    /** Purchases not completed nor failed (requested, bought, awaiting an operator). */
    open: z.number(),
    /** LinkedIn seat requests waiting for an operator to connect an account at the link. */
    awaitingOperator: z.array(z.object({ tag: z.string(), url: z.string(), expiresAt: z.string().nullable() })),
  }),
  /** Unresolved alerts (all kinds). */
  openAlerts: z.number(),
});

const SmtpOut = z.object({ host: z.string(), port: z.number(), secure: z.boolean(), user: z.string() }).nullable();

const MailboxOut = z.object({
  id: z.string(),
  email: z.string(),
  status: z.string(),
  dailyLimit: z.number(),
  senderName: z.string().nullable(),
  /** The SMTP account without its password; null = sandbox sending. */
  smtp: SmtpOut,
  allocatedTo: z.string().nullable(),
});

const DomainHealthOut = z
  .object({
    day: z.string(),
    takenAt: z.string(),
    healthClass: z.string(),
    sent: z.number(),
    bounced: z.number(),
    complaints: z.number(),
    /** Fractions over the last 30 days (0.02 = 2%). */
    bounceRate: z.number(),
    complaintRate: z.number(),
  })
  .nullable();

const DomainOut = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  heatScore: z.number().nullable(),
  healthClass: z.string(),
  criticalSince: z.string().nullable(),
  purchasedAt: z.string().nullable(),
  readyAt: z.string().nullable(),
  retiredAt: z.string().nullable(),
  createdAt: z.string(),
  allocatedTo: z.string().nullable(),
  mailboxes: z.array(MailboxOut),
  /** The latest daily health check (ED-004); null before the first one. */
  health: DomainHealthOut,
});

const PhoneNumberOut = z.object({
  id: z.string(),
  e164: z.string(),
  country: z.string(),
  status: z.string(),
  providerRef: z.string().nullable(),
  voiceRef: z.string().nullable(),
  allocatedTo: z.string().nullable(),
  createdAt: z.string(),
});

const SeatOut = z.object({
  id: z.string(),
  accountRef: z.string(),
  displayName: z.string().nullable(),
  timezone: z.string(),
  status: z.string(),
  health: z.string(),
  acceptRate: z.number().nullable(),
  allocatedTo: z.string().nullable(),
  createdAt: z.string(),
});

const SnapshotOut = z.object({
  id: z.string(),
  takenAt: z.string(),
  resourceType: z.string(),
  readyUnallocated: z.number(),
  allocated: z.number(),
  pending: z.number(),
  buffer: z.number().nullable(),
  level: z.string(),
});

const HealthSnapshotOut = z.object({
  resourceType: z.string(),
  resourceId: z.string(),
  day: z.string(),
  healthClass: z.string(),
  metrics: z.record(z.string(), z.unknown()),
  takenAt: z.string(),
});

const ianaTimezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not an IANA time zone such as Australia/Sydney' },
);

const DOMAIN_NAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const SmtpIn = z.strictObject({
  host: z.string().trim().min(1).max(253),
  port: z.int().min(1).max(65_535),
  secure: z.boolean(),
  user: z.string().min(1).max(320),
  pass: z.string().min(1).max(1000),
});

const MailboxIn = z.strictObject({
  email: z.email({ message: 'not an email address' }).transform((e) => e.toLowerCase()),
  senderName: z.string().trim().min(1).max(200).optional(),
  smtp: SmtpIn.optional(),
});

export const AddDomainBody = z
  .strictObject({
    name: z.string().trim().toLowerCase().regex(DOMAIN_NAME, { message: 'not a domain name such as example.com' }),
    status: z.enum(['warming', 'ready']).default('warming'),
    heatScore: z.int().min(0).max(100).optional(),
    purchasedAt: z.iso.datetime({ offset: true, message: 'not an ISO 8601 date-time' }).optional(),
    mailboxes: z.array(MailboxIn).max(10, { message: 'at most 10 mailboxes per domain' }).default([]),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.mailboxes.forEach((m, i) => {
      if (!m.email.endsWith(`@${b.name}`)) {
        ctx.addIssue({ code: 'custom', path: ['mailboxes', i, 'email'], message: `${m.email} is not on the domain ${b.name}` });
      }
      if (seen.has(m.email)) ctx.addIssue({ code: 'custom', path: ['mailboxes', i, 'email'], message: `${m.email} is listed twice` });
      seen.add(m.email);
    });
  });

/** The number is validated (libphonenumber-js) and stored in E.164; a national number is read in `country`. */
const AddPhoneNumberBody = z
  .strictObject({
    e164: z.string().trim().min(3).max(40),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, { message: 'use an ISO 3166 alpha-2 code such as AU' })
      .transform((c) => c.toUpperCase())
      .optional(),
    voiceRef: z.string().trim().min(1).max(200).optional(),
  })
  .transform((b, ctx) => {
    const parsed = parsePhoneNumberFromString(b.e164, b.country ? { defaultCountry: b.country as CountryCode } : undefined);
    if (!parsed || !parsed.isValid()) {
      ctx.addIssue({
        code: 'custom',
        path: ['e164'],
        message: `${b.e164} is not a valid phone number${b.country ? ` in ${b.country}` : ' (give it in E.164 form, such as +61412345678)'}`,
      });
      return z.NEVER;
    }
    const country = b.country ?? parsed.country;
    if (!country) {
      ctx.addIssue({ code: 'custom', path: ['country'], message: 'the number belongs to no single country: give the country' });
      return z.NEVER;
    }
    return { e164: String(parsed.number), country, voiceRef: b.voiceRef ?? null };
  });

const AddSeatBody = z.strictObject({
  accountRef: z.string().trim().min(1).max(200),
  displayName: z.string().trim().min(1).max(200).optional(),
  timezone: ianaTimezone.default('Australia/Sydney'),
});

const DomainsQuery = z.object({
  status: ResourceStatus.optional(),
  health: z.enum(['good', 'warning', 'critical']).optional(),
});

const SnapshotsQuery = z.object({
  resourceType: DbResourceType.optional(),
  since: z.iso.datetime({ offset: true, message: 'not an ISO 8601 date-time' }).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(200),
});

const HealthQuery = z.object({
  resourceType: z.enum(['domain', 'linkedin_seat']).default('domain'),
  resourceId: z.uuid({ message: 'must be a UUID' }).optional(),
  days: z.coerce.number().int().min(1).max(400).default(30),
});

// ---------------------------------------------------------------------------------------------
// Helpers

const isUniqueViolation = (err: unknown) => err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';

const conflict = (message: string) => new HttpError(409, 'conflict', message);

type DbType = z.infer<typeof DbResourceType>;

async function allocationsOf(db: Db, type: DbType, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.system.resourceAllocation.findMany({
    where: { resourceType: type, resourceId: { in: ids }, releasedAt: null },
    select: { resourceId: true, clientId: true },
  });
  return new Map(rows.map((r) => [r.resourceId, r.clientId]));
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const asRecord = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** SMTP settings without the password. */
function smtpOut(v: unknown): z.infer<typeof SmtpOut> {
  const s = asRecord(v);
  if (typeof s.host !== 'string') return null;
  return { host: s.host, port: num(s.port), secure: s.secure === true, user: typeof s.user === 'string' ? s.user : '' };
}

/** Domains with their mailboxes, open allocations and latest health snapshot (ED-004). */
async function loadDomains(db: Db, where: Prisma.DomainWhereInput): Promise<z.infer<typeof DomainOut>[]> {
  const domains = await db.system.domain.findMany({
    where,
    orderBy: [{ name: 'asc' }],
    include: { mailboxes: { orderBy: { email: 'asc' } } },
  });
  const ids = domains.map((d) => d.id);
  const mailboxIds = domains.flatMap((d) => d.mailboxes.map((m) => m.id));
  const [domainAlloc, mailboxAlloc, snapshots] = await Promise.all([
    allocationsOf(db, 'domain', ids),
    allocationsOf(db, 'mailbox', mailboxIds),
    ids.length
      ? db.system.healthSnapshot.findMany({
          where: { resourceType: 'domain', resourceId: { in: ids } },
          orderBy: [{ resourceId: 'asc' }, { day: 'desc' }],
          distinct: ['resourceId'],
        })
      : Promise.resolve([]),
  ]);
  const latest = new Map(snapshots.map((s) => [s.resourceId, s]));
  return domains.map((d) => {
    const snap = latest.get(d.id);
    const m = asRecord(snap?.metrics);
    return {
      id: d.id,
      name: d.name,
      status: d.status,
      heatScore: d.heatScore,
      healthClass: d.healthClass,
      criticalSince: iso(d.criticalSince),
      purchasedAt: iso(d.purchasedAt),
      readyAt: iso(d.readyAt),
      retiredAt: iso(d.retiredAt),
      createdAt: d.createdAt.toISOString(),
      allocatedTo: domainAlloc.get(d.id) ?? null,
      mailboxes: d.mailboxes.map((mb) => ({
        id: mb.id,
        email: mb.email,
        status: mb.status,
        dailyLimit: mb.dailyLimit,
        senderName: mb.senderName,
        smtp: smtpOut(mb.smtp),
        allocatedTo: mailboxAlloc.get(mb.id) ?? null,
      })),
      health: snap
        ? {
            day: snap.day,
            takenAt: snap.takenAt.toISOString(),
            healthClass: snap.healthClass,
            sent: num(m.sent),
            bounced: num(m.bounced),
            complaints: num(m.complaints),
            bounceRate: num(m.bounceRate),
            complaintRate: num(m.complaintRate),
          }
        : null,
    };
  });
}

async function loadNumbers(db: Db, where: Prisma.PhoneNumberWhereInput) {
  const rows = await db.system.phoneNumber.findMany({ where, orderBy: [{ e164: 'asc' }] });
  const alloc = await allocationsOf(
    db,
    'phone_number',
    rows.map((r) => r.id),
  );
  return rows.map((n) => ({
    id: n.id,
    e164: n.e164,
    country: n.country,
    status: n.status,
    providerRef: n.providerRef,
    voiceRef: n.voiceRef,
    allocatedTo: alloc.get(n.id) ?? null,
    createdAt: n.createdAt.toISOString(),
  }));
}

async function loadSeats(db: Db, where: Prisma.LinkedInSeatWhereInput) {
  const rows = await db.system.linkedInSeat.findMany({ where, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const alloc = await allocationsOf(
    db,
    'linkedin_seat',
    rows.map((r) => r.id),
  );
  return rows.map((s) => ({
    id: s.id,
    accountRef: s.accountRef,
    displayName: s.displayName,
    timezone: s.timezone,
    status: s.status,
    health: s.health,
    acceptRate: s.acceptRate,
    allocatedTo: alloc.get(s.id) ?? null,
    createdAt: s.createdAt.toISOString(),
  }));
}

/** The buffer of every resource type now, with levels and shortfalls (RP-002, RP-003). */
export async function poolOverview(db: Db, nowMs: number): Promise<z.infer<typeof PoolOut>> {
  const [measured, openPurchases, awaiting, openAlerts] = await Promise.all([
    measurePool(db, nowMs),
    db.system.poolPurchase.count({ where: { status: { in: ['requested', 'bought', 'awaiting_operator'] } } }),
    db.system.poolPurchase.findMany({
      where: { status: 'awaiting_operator' },
      orderBy: { createdAt: 'asc' },
      select: { tag: true, details: true },
    }),
    db.system.alert.count({ where: { resolvedAt: null } }),
  ]);
  const types = {} as z.infer<typeof PoolOut>['types'];
  for (const t of RESOURCE_TYPES) {
    const b = measured[t];
    const s = bufferStatus(b, defaultDomainConfig);
    types[t] = {
      readyUnallocated: b.readyUnallocated,
      allocated: b.allocated,
      pending: b.pending ?? 0,
      bufferPercent: b.allocated > 0 ? Math.round((100 * b.readyUnallocated) / b.allocated) : null,
      level: s.level,
      shortfall: s.shortfall,
    };
  }
  const awaitingOperator = awaiting.flatMap((p) => {
    const d = asRecord(p.details);
    return typeof d.url === 'string' ? [{ tag: p.tag, url: d.url, expiresAt: typeof d.expiresAt === 'string' ? d.expiresAt : null }] : [];
  });
  return { takenAt: new Date(nowMs).toISOString(), types, purchases: { open: openPurchases, awaitingOperator }, openAlerts };
}

/**
 * Run a Temporal Schedule now. A schedule that does not exist (the worker never synced them
 * in this namespace) is a 409 that says how to create it; an unreachable Temporal a 503.
 */
export async function triggerScheduleNow(client: Client, scheduleId: string): Promise<void> {
  try {
    await client.schedule.getHandle(scheduleId).trigger();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new HttpError(
        409,
        'schedule_not_found',
        `the schedule "${scheduleId}" does not exist in Temporal namespace "${client.options.namespace}": start the worker or run "npm run schedules:sync" to create it`,
      );
    }
    throw new HttpError(
      503,
      'temporal_unavailable',
      `could not trigger the schedule "${scheduleId}": ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Routes

export const adminPoolRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { db } = deps;
  const admin = { auth: 'admin' as const };
  const tags = ['admin'];

  app.get(
    '/v1/admin/pool',
    {
      config: admin,
      schema: { tags, summary: 'Pool buffer per resource type, open purchases and alerts (RP-002, RP-003)', response: { 200: PoolOut } },
    },
    async () => poolOverview(db, Date.now()),
  );

  app.get(
    '/v1/admin/pool/domains',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Pool domains with mailboxes, allocation and 30-day bounce and complaint rates (RP-002, ED-004)',
        querystring: DomainsQuery,
        response: { 200: z.object({ domains: z.array(DomainOut) }), 400: ErrorBody },
      },
    },
    async (req) => {
      const where: Prisma.DomainWhereInput = {
        ...(req.query.status ? { status: req.query.status } : {}),
        ...(req.query.health ? { healthClass: req.query.health } : {}),
      };
      return { domains: await loadDomains(db, where) };
    },
  );

  app.get(
    '/v1/admin/pool/phone-numbers',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Pool phone numbers with their allocation (RP-002)',
        response: { 200: z.object({ phoneNumbers: z.array(PhoneNumberOut) }) },
      },
    },
    async () => ({ phoneNumbers: await loadNumbers(db, {}) }),
  );

  app.get(
    '/v1/admin/pool/linkedin-seats',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Pool LinkedIn seats with health, accept rate and allocation (RP-002, LI-006)',
        response: { 200: z.object({ linkedinSeats: z.array(SeatOut) }) },
      },
    },
    async () => ({ linkedinSeats: await loadSeats(db, {}) }),
  );

  app.get(
    '/v1/admin/pool/snapshots',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Pool buffer history (one row per resource type and pool-monitor run), newest first (RP-002)',
        querystring: SnapshotsQuery,
        response: { 200: z.object({ snapshots: z.array(SnapshotOut) }), 400: ErrorBody },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await db.system.poolSnapshot.findMany({
        where: { ...(q.resourceType ? { resourceType: q.resourceType } : {}), ...(q.since ? { takenAt: { gte: new Date(q.since) } } : {}) },
        orderBy: [{ takenAt: 'desc' }, { id: 'desc' }],
        take: q.limit,
      });
      return { snapshots: rows.map((s) => ({ ...s, takenAt: s.takenAt.toISOString() })) };
    },
  );

  app.get(
    '/v1/admin/pool/health',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Daily health snapshots of domains or LinkedIn seats over the last days, newest first (ED-004, LI-006)',
        querystring: HealthQuery,
        response: { 200: z.object({ snapshots: z.array(HealthSnapshotOut) }), 400: ErrorBody },
      },
    },
    async (req) => {
      const q = req.query;
      const fromDay = new Date(Date.now() - q.days * DAY_MS).toISOString().slice(0, 10);
      const rows = await db.system.healthSnapshot.findMany({
        where: { resourceType: q.resourceType, ...(q.resourceId ? { resourceId: q.resourceId } : {}), day: { gt: fromDay } },
        orderBy: [{ day: 'desc' }, { resourceId: 'asc' }],
        take: 5000,
      });
      return { snapshots: rows.map((s) => ({ ...s, metrics: asRecord(s.metrics), takenAt: s.takenAt.toISOString() })) };
    },
  );

  app.post(
    '/v1/admin/pool/domains',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Add a domain the agency already owns, with its mailboxes, to the pool (RP-002)',
        body: AddDomainBody,
        response: { 201: z.object({ domain: DomainOut }), 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const [domainTaken, mailboxesTaken] = await Promise.all([
        db.system.domain.findUnique({ where: { name: b.name }, select: { id: true } }),
        b.mailboxes.length
          ? db.system.mailbox.findMany({ where: { email: { in: b.mailboxes.map((m) => m.email) } }, select: { email: true } })
          : Promise.resolve([]),
      ]);
      if (domainTaken) throw conflict(`the domain ${b.name} is already in the pool`);
      if (mailboxesTaken.length) throw conflict(`mailbox ${mailboxesTaken.map((m) => m.email).join(', ')} already exists`);
      const now = new Date();
      let id: string;
      try {
        const created = await db.system.domain.create({
          data: {
            name: b.name,
            status: b.status,
            heatScore: b.heatScore ?? null,
            purchasedAt: b.purchasedAt ? new Date(b.purchasedAt) : null,
            readyAt: b.status === 'ready' ? now : null,
            mailboxes: {
              create: b.mailboxes.map((m) => ({
                email: m.email,
                status: b.status,
                senderName: m.senderName ?? null,
                ...(m.smtp ? { smtp: m.smtp } : {}),
              })),
            },
          },
          select: { id: true },
        });
        id = created.id;
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`the domain ${b.name} or one of its mailboxes already exists`);
        throw err;
      }
      const [domain] = await loadDomains(db, { id });
      return reply.status(201).send({ domain: domain! });
    },
  );

  app.post(
    '/v1/admin/pool/phone-numbers',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Add a phone number the agency already owns to the pool (RP-002, RP-007)',
        body: AddPhoneNumberBody,
        response: { 201: z.object({ phoneNumber: PhoneNumberOut }), 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      const { e164, country, voiceRef } = req.body;
      if (await db.system.phoneNumber.findUnique({ where: { e164 }, select: { id: true } }))
        throw conflict(`the number ${e164} is already in the pool`);
      let id: string;
      try {
        id = (await db.system.phoneNumber.create({ data: { e164, country, status: 'ready', voiceRef }, select: { id: true } })).id;
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`the number ${e164} is already in the pool`);
        throw err;
      }
      const [phoneNumber] = await loadNumbers(db, { id });
      return reply.status(201).send({ phoneNumber: phoneNumber! });
    },
  );

  app.post(
    '/v1/admin/pool/linkedin-seats',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Add a connected LinkedIn account (Unipile account id) to the pool as a ready seat (RP-002, RP-008)',
        body: AddSeatBody,
        response: { 201: z.object({ linkedinSeat: SeatOut }), 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (await db.system.linkedInSeat.findUnique({ where: { accountRef: b.accountRef }, select: { id: true } })) {
        throw conflict(`the LinkedIn account ${b.accountRef} is already a seat in the pool`);
      }
      let id: string;
      try {
        id = (
          await db.system.linkedInSeat.create({
            data: { accountRef: b.accountRef, displayName: b.displayName ?? null, timezone: b.timezone, status: 'ready', health: 'ok' },
            select: { id: true },
          })
        ).id;
      } catch (err) {
        if (isUniqueViolation(err)) throw conflict(`the LinkedIn account ${b.accountRef} is already a seat in the pool`);
        throw err;
      }
      const [linkedinSeat] = await loadSeats(db, { id });
      return reply.status(201).send({ linkedinSeat: linkedinSeat! });
    },
  );

  app.post(
    '/v1/admin/pool/monitor/run',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Run the pool-monitor schedule now: buffer check, alerts, purchases (RP-002, RP-003)',
        response: { 202: z.object({ triggered: z.literal(true), scheduleId: z.string() }), 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (_req, reply) => {
      await triggerScheduleNow(deps.temporal.client, SCHEDULE_IDS.poolMonitor);
      return reply.status(202).send({ triggered: true as const, scheduleId: SCHEDULE_IDS.poolMonitor });
    },
  );
};
