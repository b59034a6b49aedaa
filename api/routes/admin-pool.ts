/**
 * Admin: the resource pool (RP-002) and domain health (ED-004). Explicit system path: admin key
 * only. The buffer per resource type (the figures the pool monitor acts on), the pool's domains
 * with their mailboxes, allocation and latest 30-day health, numbers and seats, the buffer and
 * health history, adding resources an operator already owns (services/pool/catalog.ts), and
 * running the pool monitor now. SMTP and IMAP passwords are stored for sending and reading
 * replies, and never returned.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SCHEDULE_IDS } from '../../workflows/contracts.js';
import type { Services } from '../../services/index.js';
import type { Added } from '../../services/pool/catalog.js';
import { asRecord } from '../../services/pool/catalog.js';
import type { WorkflowGateway } from '../../services/workflow-gateway.js';
import { ErrorBody } from '../schemas.js';
import { HttpError } from '../errors.js';
import type { AppDeps } from '../deps.js';
import {
  AddDomainBody,
  AddPhoneNumberBody,
  AddSeatBody,
  DomainOut,
  DomainsQuery,
  HealthQuery,
  HealthSnapshotOut,
  PhoneNumberOut,
  PoolOut,
  SeatOut,
  SnapshotOut,
  SnapshotsQuery,
} from './admin-pool-schemas.js';

const DAY_MS = 86_400_000;

/** The created id, or a 409 with what already exists. */
function createdId(added: Added): string {
  if ('conflict' in added) throw new HttpError(409, 'conflict', added.conflict);
  return added.id;
}

/** The buffer of every resource type now, with levels and shortfalls, purchases on their way and open alerts (RP-002, RP-003). */
export async function poolOverview(services: Services, nowMs: number): Promise<z.infer<typeof PoolOut>> {
  const [overview, openAlerts] = await Promise.all([services.pool.buffers.system.overview(nowMs), services.alerts.system.countOpen()]);
  return { takenAt: new Date(nowMs).toISOString(), ...overview, openAlerts };
}

/**
 * Run a Temporal Schedule now. A schedule that does not exist (the worker never synced them
 * in this namespace) is a 409 that says how to create it; an unreachable Temporal a 503.
 */
export async function triggerScheduleNow(gateway: WorkflowGateway, scheduleId: string): Promise<void> {
  let outcome: 'triggered' | 'not_found';
  try {
    outcome = await gateway.triggerSchedule(scheduleId);
  } catch (err) {
    throw new HttpError(
      503,
      'temporal_unavailable',
      `could not trigger the schedule "${scheduleId}": ${(err as Error).message.split('\n')[0]}`,
    );
  }
  if (outcome === 'not_found') {
    throw new HttpError(
      409,
      'schedule_not_found',
      `the schedule "${scheduleId}" does not exist in Temporal namespace "${gateway.namespace}": start the worker or run "npm run schedules:sync" to create it`,
    );
  }
}

export const adminPoolRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { services } = deps;
  const { catalog, snapshots } = services.pool;
  const admin = { auth: 'admin' as const };
  const tags = ['admin'];

  app.get(
    '/v1/admin/pool',
    {
      config: admin,
      schema: { tags, summary: 'Pool buffer per resource type, open purchases and alerts (RP-002, RP-003)', response: { 200: PoolOut } },
    },
    async () => poolOverview(services, Date.now()),
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
      return { domains: await catalog.system.domains({ status: req.query.status, health: req.query.health }) };
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
    async () => ({ phoneNumbers: await catalog.system.numbers() }),
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
    async () => ({ linkedinSeats: await catalog.system.seats() }),
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
      const rows = await snapshots.system.buffers({ ...q, since: q.since ? new Date(q.since) : undefined });
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
      const rows = await snapshots.system.health({ ...q, fromDay });
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
      const [domain] = await catalog.system.domains({ id: createdId(await catalog.system.addDomain(req.body)) });
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
      const [phoneNumber] = await catalog.system.numbers({ id: createdId(await catalog.system.addNumber(req.body)) });
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
      const [linkedinSeat] = await catalog.system.seats({ id: createdId(await catalog.system.addSeat(req.body)) });
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
      await triggerScheduleNow(services.gateway, SCHEDULE_IDS.poolMonitor);
      return reply.status(202).send({ triggered: true as const, scheduleId: SCHEDULE_IDS.poolMonitor });
    },
  );
};
