/**
 * Resource pool, billing and client lifecycle workflows on the time-skipping test server, with
 * the real activities, their own Postgres database (these tests measure the whole pool), and the
 * real InfraForge / Warmforge / Twilio / Unipile adapters pointed at wire-format fakes that record
 * every purchase.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkipping } from '../helpers/time-skipping.js';
import { defaultPayloadConverter } from '@temporalio/common';
import { createDb, type Db } from '../../db/client.js';
import { defaultDomainConfig, parseDomainConfig, type DomainConfig } from '../../domain/config.js';
import {
  billingEventSignal,
  churnHoldProgressQuery,
  leadProgressQuery,
  provisioningProgressQuery,
  warmupProgressQuery,
  workflowIds,
  type BillingEventSignal,
  type LeadSequenceInput,
  type ProvisioningInput,
} from '../../workflows/contracts.js';
import type { PoolMonitorResult } from '../../workflows/pool-monitor.js';
import { PROVISIONING_HISTORY_BUDGET } from '../../workflows/provisioning.js';
import { RETIRE_PER_RUN, type HealthMonitorResult } from '../../workflows/health-monitor.js';
import { createTestWorker } from '../helpers/app.js';
import { recordHistory, runHistories } from '../helpers/histories.js';
import { heldCounts, resetPoolDatabase, seedPool, startPoolFakes, type PoolFakes } from '../helpers/pool-fakes.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
let db: Db;
let env: TestWorkflowEnvironment;
let fakes: PoolFakes;
let taskQueue: string;

beforeAll(async () => {
  db = createDb({ systemUrl: inject('poolDatabaseUrl'), tenantUrl: inject('poolTenantDatabaseUrl'), poolSize: 5 });
  fakes = await startPoolFakes();
});
afterAll(async () => {
  await fakes?.stop();
  await db?.close();
});
beforeEach(async () => {
  await resetPoolDatabase(db);
  fakes.reset();
  taskQueue = `pool-${randomUUID()}`;
  env = await createTimeSkipping({
    server: { executable: { type: 'existing-path', path: inject('testServerPath') } },
  });
});
afterEach(async () => {
  await env?.teardown();
});

function worker(domainConfig?: DomainConfig) {
  return createTestWorker({ env, taskQueue, db, providers: fakes.providers, configEnv: { POOL_DOMAIN_STEM: 'pooltest' }, domainConfig });
}

/** Poll (real time) until the predicate holds: workflows react to signals between time skips. */
async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    let v: T | undefined;
    try {
      v = await fn();
      if (ok(v)) return v;
    } catch {
      /* not there yet */
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Run a workflow that sets no timer to completion without letting the time-skipping server jump
 * ahead: awaiting result() unlocks time skipping, and with no timer pending the server leaps years.
 */
async function runWithoutSkipping<T>(workflowType: string, workflowId: string, record?: string): Promise<T> {
  const handle = await env.client.workflow.start(workflowType, { workflowId, taskQueue, args: [{ version: 1 }] });
  await until(
    () => handle.describe(),
    (d) => d.status.name !== 'RUNNING',
    `${workflowId} to complete`,
  );
  if (record) await recordHistory(record, handle);
  const history = await handle.fetchHistory();
  const done = history.events?.at(-1)?.workflowExecutionCompletedEventAttributes;
  if (!done) throw new Error(`${workflowId} did not complete: ${JSON.stringify(history.events?.at(-1))}`);
  return defaultPayloadConverter.fromPayload(done.result!.payloads![0]!) as T;
}

async function newClient() {
  return db.system.client.create({ data: { name: 'Pool client', slug: `c-${randomUUID().slice(0, 12)}`, status: 'onboarding' } });
}

let seq = 0;
/** A billing event as the Stripe webhook signals it (ids unique per test). */
function billing(type: BillingEventSignal['type'], at: number, extra: Partial<BillingEventSignal> = {}): BillingEventSignal {
  return {
    eventId: `evt_${++seq}_${randomUUID().slice(0, 6)}`,
    type,
    created: new Date(at).toISOString(),
    subscriptionId: 'sub_1',
    customerId: 'cus_1',
    ...extra,
  };
}

async function signalBilling(clientId: string, event: BillingEventSignal) {
  const input: ProvisioningInput = { version: 1, clientId };
  return env.client.workflow.signalWithStart('provisioningWorkflow', {
    workflowId: workflowIds.provisioning(clientId),
    taskQueue,
    args: [input],
    signal: billingEventSignal,
    signalArgs: [event],
  });
}

const TIER = {
  Ignition: { domains: 3, mailboxes: 6, phoneNumbers: 1, linkedinSeats: 4 },
  Velocity: { domains: 5, mailboxes: 10, phoneNumbers: 2, linkedinSeats: 7 },
  Dominance: { domains: 9, mailboxes: 18, phoneNumbers: 3, linkedinSeats: 14 },
};

/** Every mailbox the client holds sits on a domain the client holds. */
async function mailboxesOnOwnDomains(clientId: string): Promise<boolean> {
  const open = await db.system.resourceAllocation.findMany({ where: { clientId, releasedAt: null } });
  const domains = new Set(open.filter((a) => a.resourceType === 'domain').map((a) => a.resourceId));
  const mailboxes = await db.system.mailbox.findMany({
    where: { id: { in: open.filter((a) => a.resourceType === 'mailbox').map((a) => a.resourceId) } },
  });
  return mailboxes.every((m) => domains.has(m.domainId));
}

describe('provisioning:{clientId} (RP-001, SYS-005, LI-001)', () => {
  it('RP-001 SYS-005 LI-001: a confirmed payment allocates the tier from the pool; the same events replayed twice and out of order change nothing', async () => {
    const now = await env.currentTimeMs();
    await seedPool(db, { domains: 12, numbers: 4, seats: 16 }, { nowMs: now });
    const client = await newClient();
    const periodEnd = new Date(now + 30 * DAY).toISOString();
    const events = [
      billing('invoice_paid', now - 2000, { tier: 'Velocity', priceId: 'price_velocity' }),
      billing('subscription_created', now - 3000, {
        tier: 'Velocity',
        priceId: 'price_velocity',
        status: 'incomplete',
        currentPeriodEnd: periodEnd,
      }),
      billing('checkout_completed', now - 3000, { tier: 'Velocity', priceId: 'price_velocity', paid: true }),
    ];
    const w = await worker();
    await w.runUntil(async () => {
      // Out of order (invoice first) and every event delivered twice.
      for (const e of [...events, ...events]) await signalBilling(client.id, e);
      const result = await env.client.workflow.getHandle(workflowIds.provisioning(client.id)).result();
      expect(result).toMatchObject({ heldTier: 'Velocity', entitledTier: 'Velocity', state: 'idle' });
      await recordHistory('provisioning-velocity-replayed-events', env.client.workflow.getHandle(workflowIds.provisioning(client.id)));
      expect(await heldCounts(db, client.id)).toEqual(TIER.Velocity);
      expect(await mailboxesOnOwnDomains(client.id)).toBe(true);
      const sub = await db.system.subscription.findUniqueOrThrow({ where: { stripeSubscriptionId: 'sub_1' } });
      expect(sub).toMatchObject({ status: 'active', tier: 'velocity' });

      // A later redelivery of all of them in yet another order starts a new run that changes nothing.
      for (const e of [...events].reverse()) await signalBilling(client.id, e);
      await env.client.workflow.getHandle(workflowIds.provisioning(client.id)).result();
      expect(await heldCounts(db, client.id)).toEqual(TIER.Velocity);
      expect(await db.system.resourceAllocation.count({ where: { clientId: client.id } })).toBe(5 + 10 + 2 + 7);
    });
    // Nothing was bought: the pool had enough.
    expect(fakes.infraforge.purchases).toHaveLength(0);
    expect(fakes.twilio.purchasedNumbers).toHaveLength(0);
  });

  it('RP-001: an upgrade applies at once, a downgrade at the end of the billing period', async () => {
    const now = await env.currentTimeMs();
    await seedPool(db, { domains: 14, numbers: 5, seats: 20 }, { nowMs: now });
    const client = await newClient();
    const periodEnd = now + 10 * DAY;
    const w = await worker();
    await w.runUntil(async () => {
      await signalBilling(
        client.id,
        billing('checkout_completed', now, {
          tier: 'Velocity',
          priceId: 'price_velocity',
          paid: true,
          currentPeriodEnd: new Date(periodEnd).toISOString(),
        }),
      );
      const handle = env.client.workflow.getHandle(workflowIds.provisioning(client.id));
      await until(
        () => handle.query(provisioningProgressQuery),
        (p) => p.eventsApplied === 1 && p.state === 'idle',
        'the first allocation',
      );
      expect(await heldCounts(db, client.id)).toEqual(TIER.Velocity);

      await signalBilling(
        client.id,
        billing('subscription_updated', now + HOUR, {
          tier: 'Dominance',
          priceId: 'price_dominance',
          status: 'active',
          currentPeriodEnd: new Date(periodEnd).toISOString(),
        }),
      );
      await until(
        () => handle.query(provisioningProgressQuery),
        (p) => p.eventsApplied === 2 && p.state === 'idle',
        'the upgrade',
      );
      expect(await heldCounts(db, client.id)).toEqual(TIER.Dominance);

      await signalBilling(
        client.id,
        billing('subscription_updated', now + 2 * HOUR, {
          tier: 'Ignition',
          priceId: 'price_ignition',
          status: 'active',
          currentPeriodEnd: new Date(periodEnd).toISOString(),
        }),
      );
      const progress = await until(
        () => handle.query(provisioningProgressQuery),
        (p) => p.eventsApplied === 3 && p.state !== 'applying',
        'the downgrade',
      );
      expect(progress).toMatchObject({
        state: 'downgrade_scheduled',
        downgrade: { tier: 'Ignition', at: new Date(periodEnd).toISOString() },
      });
      expect(await heldCounts(db, client.id)).toEqual(TIER.Dominance);
      await env.sleep(periodEnd - (await env.currentTimeMs()) - HOUR);
      expect(await heldCounts(db, client.id)).toEqual(TIER.Dominance); // still, one hour before the period ends
      await env.sleep(2 * HOUR);
      await until(
        () => heldCounts(db, client.id),
        (c) => c.domains === TIER.Ignition.domains,
        'the downgrade at period end',
      );
      expect(await heldCounts(db, client.id)).toEqual(TIER.Ignition);
      expect(await mailboxesOnOwnDomains(client.id)).toBe(true);
    });
  });

  it(
    'RP-001 RP-004 RP-005 RP-006 RP-007 RP-008: a short pool buys exactly what is missing, once, and the allocation completes when it is ready',
    { timeout: 240_000 },
    async () => {
      const now = await env.currentTimeMs();
      const client = await newClient();
      // Warmforge's heat rises 4 points a day from the purchase (88 on day 22: ready).
      let clock = now;
      fakes.warmforge.heatScoreOf = () => Math.min(100, Math.floor((clock - now) / DAY) * 4);
      // The first domain purchase times out after InfraForge did it: the retry must list, not buy again.
      fakes.infraforge.failNext({ method: 'POST', path: /\/domains$/, afterEffect: true });
      const w = await worker();
      await w.runUntil(async () => {
        await signalBilling(client.id, billing('checkout_completed', now, { tier: 'Ignition', priceId: 'price_ignition', paid: true }));
        const handle = env.client.workflow.getHandle(workflowIds.provisioning(client.id));
        // The purchases happen right away (the timed-out one after a retry that lists first).
        await until(
          () => handle.query(provisioningProgressQuery),
          (p) => p.state === 'waiting_for_pool',
          'the purchases',
        );
        expect(fakes.infraforge.purchases.flatMap((p) => p.names)).toHaveLength(3);
        expect(fakes.infraforge.mailboxes.size).toBe(6);
        expect(fakes.warmforge.connected.size).toBe(6);
        expect(fakes.twilio.purchasedNumbers).toHaveLength(1);
        // The number is imported into Vapi, so the AI caller can use it (VO-001).
        const bought = await db.system.phoneNumber.findFirstOrThrow();
        expect(fakes.vapi.phoneNumbers.map((n) => n.number)).toEqual([bought.e164]);
        expect(bought.voiceRef).toBe(fakes.vapi.phoneNumbers[0]!.id);
        expect(fakes.unipile.hostedAuthLinks).toHaveLength(4);
        expect((await handle.query(provisioningProgressQuery)).state).toBe('waiting_for_pool');

        // An operator connects the four LinkedIn accounts.
        for (let i = 0; i < 4; i++) fakes.unipile.completeHostedAuth(i, `acc-new-${i}`);
        // Days pass: the warmup workflows tick daily, provisioning retries every 6 hours.
        for (let step = 0; step < 4 * 30; step++) {
          await env.sleep(6 * HOUR);
          clock = await env.currentTimeMs();
          await new Promise((r) => setTimeout(r, 30)); // let the woken workflows run their activities
          const held = await heldCounts(db, client.id);
          if (held.domains === 3 && held.mailboxes === 6) break;
        }
        // Ready after three weeks of warmup (heat >= 85), allocated by the next 6-hourly retry.
        const ready = await db.system.domain.findMany();
        const allocations = await db.system.resourceAllocation.findMany({ where: { clientId: client.id, resourceType: 'domain' } });
        for (const d of ready) {
          const warmedDays = (d.readyAt!.getTime() - d.purchasedAt!.getTime()) / DAY;
          expect(warmedDays).toBeGreaterThanOrEqual(21);
          expect(warmedDays).toBeLessThan(24);
          const a = allocations.find((x) => x.resourceId === d.id)!;
          expect(a.allocatedAt.getTime()).toBeGreaterThanOrEqual(d.readyAt!.getTime());
          expect(a.allocatedAt.getTime() - d.readyAt!.getTime()).toBeLessThanOrEqual(6 * HOUR);
        }
        expect(await heldCounts(db, client.id)).toEqual(TIER.Ignition);
        expect(await mailboxesOnOwnDomains(client.id)).toBe(true);
        // Bought once each, despite the timeout and ~90 allocation retries.
        expect(fakes.infraforge.purchases.flatMap((p) => p.names)).toHaveLength(3);
        expect(fakes.twilio.purchasedNumbers).toHaveLength(1);
        expect(fakes.unipile.hostedAuthLinks).toHaveLength(4);
        const domains = await db.system.domain.findMany();
        expect(domains.every((d) => d.status === 'ready' && (d.heatScore ?? 0) >= 85)).toBe(true);
        await until(
          () => handle.query(provisioningProgressQuery),
          (p) => p.state === 'idle',
          'provisioning to settle',
        );
        // Three weeks of 6-hourly retries in runs of bounded history: each run continues as new
        // once over its budget, by at most one retry round (a cache miss replays at most that).
        const latest = await handle.fetchHistory();
        const firstRunId = latest.events![0]!.workflowExecutionStartedEventAttributes!.firstExecutionRunId!;
        const runs = await runHistories(env.client, workflowIds.provisioning(client.id), firstRunId);
        expect(runs.length).toBeGreaterThan(1);
        for (const r of runs) expect(r.history.events!.length).toBeLessThan(PROVISIONING_HISTORY_BUDGET + 60);
        await recordHistory('provisioning-retries-continue-as-new', runs[0]!.handle);
      });
    },
  );
});

describe('pool-monitor (RP-003..008)', () => {
  it('RP-003 RP-004 RP-007 RP-008: a pool under 40% raises one alert per condition and buys the right shortfall; the next run repeats neither', async () => {
    const now = await env.currentTimeMs();
    const client = await newClient();
    await seedPool(db, { domains: 10, numbers: 5, seats: 10 }, { allocateTo: client.id, nowMs: now });
    await seedPool(db, { domains: 3, numbers: 1, seats: 1 }, { nowMs: now }); // ready: 30%, 20%, 10%
    const w = await worker();
    await w.runUntil(async () => {
      const first = await runWithoutSkipping<PoolMonitorResult>(
        'poolMonitorWorkflow',
        `pool-monitor-${randomUUID()}`,
        'pool-monitor-buys-shortfall',
      );
      expect(first).toMatchObject({
        levels: { domains: 'warning', mailboxes: 'warning', phoneNumbers: 'warning', linkedinSeats: 'critical' },
        // 40% of 10 = 4 domains (3 ready -> 1), of 20 mailboxes = 8 (6 -> 1 domain), of 5 numbers = 2 (1 -> 1), of 10 seats = 4 (1 -> 3)
        bought: { domains: 1, mailboxes: 2, phoneNumbers: 1, linkedinSeats: 3 },
      } satisfies Partial<PoolMonitorResult>);
      expect(fakes.infraforge.purchases.flatMap((p) => p.names)).toHaveLength(1);
      expect(fakes.twilio.purchasedNumbers).toHaveLength(1);
      expect(fakes.unipile.hostedAuthLinks).toHaveLength(3);
      const open = await db.system.alert.findMany({
        where: { resolvedAt: null, kind: { in: ['pool_buffer_low', 'pool_buffer_critical'] } },
        orderBy: { dedupeKey: 'asc' },
      });
      expect(open.map((a) => a.dedupeKey)).toEqual([
        'pool:domains:warning',
        'pool:linkedinSeats:critical',
        'pool:linkedinSeats:warning',
        'pool:mailboxes:warning',
        'pool:phoneNumbers:warning',
      ]);
      expect(await db.system.poolSnapshot.count()).toBe(4);

      const second = await runWithoutSkipping<PoolMonitorResult>('poolMonitorWorkflow', `pool-monitor-${randomUUID()}`);
      // What is on its way counts: nothing more is bought; the number bought is ready, so that buffer is back to 40%.
      expect(second.bought).toEqual({ domains: 0, mailboxes: 0, phoneNumbers: 0, linkedinSeats: 0 });
      expect(fakes.infraforge.purchases).toHaveLength(1);
      expect(fakes.twilio.purchasedNumbers).toHaveLength(1);
      expect(second.levels.phoneNumbers).toBe('ok');
      const alerts = await db.system.alert.findMany({ where: { kind: { in: ['pool_buffer_low', 'pool_buffer_critical'] } } });
      expect(alerts).toHaveLength(5); // no repeat while the conditions last
      expect(alerts.find((a) => a.dedupeKey === 'pool:phoneNumbers:warning')?.resolvedAt).not.toBeNull();
      expect(await db.system.poolSnapshot.count()).toBe(8);
    });
  });
});

describe('warmup start in Warmforge (RP-006, ED-001)', () => {
  // The warmup volume of a new mailbox, worked out from each ramp by hand: Warmforge sends at most 20 a day (PROVIDERS.md 5);
  // start = the ramp on day 1 (the purchase day); top = the highest the ramp reaches, up to 20; increase = the smallest whole
  // number a day that gets from the start to the top by the day the ramp gets there.
  const cases: { name: string; config: DomainConfig; expected: Record<string, number> }[] = [
    {
      // DOMAIN.md: 5 on days 1-3, 10 from day 4, 20 from day 8: from 5 to 20 in 7 days -> 3 a day; replies 30%.
      name: 'the DOMAIN.md ramp',
      config: defaultDomainConfig,
      expected: { minEmailsPerDay: 5, maxEmailsPerDay: 20, emailRampUp: 3, replyRatePercent: 30 },
    },
    {
      // 4 on days 1-2, 12 from day 3, 18 from day 5: from 4 to 18 in 4 days -> 4 a day (3.5 up); replies 45%.
      name: 'another configured ramp',
      config: parseDomainConfig({
        email: {
          warmupRamp: [
            { fromDay: 1, limit: 4 },
            { fromDay: 3, limit: 12 },
            { fromDay: 5, limit: 18 },
          ],
          warmup: { replyRatePercent: 45 },
        },
      }),
      expected: { minEmailsPerDay: 4, maxEmailsPerDay: 18, emailRampUp: 4, replyRatePercent: 45 },
    },
  ];
  it.each(cases)(
    "RP-006 ED-001: a bought domain's mailboxes get the warmup volume of the configured ramp ($name)",
    async ({ config, expected }) => {
      const now = await env.currentTimeMs();
      const client = await newClient();
      // Domains short (3 ready for 10 allocated: 30%), numbers and seats at 40%: one domain is bought.
      await seedPool(db, { domains: 10, numbers: 5, seats: 10 }, { allocateTo: client.id, nowMs: now });
      await seedPool(db, { domains: 3, numbers: 2, seats: 4 }, { nowMs: now });
      const w = await worker(config);
      await w.runUntil(async () => {
        const result = await runWithoutSkipping<PoolMonitorResult>('poolMonitorWorkflow', `pool-monitor-${randomUUID()}`);
        expect(result.bought.domains).toBe(1);
      });
      const [bought] = fakes.infraforge.purchases.flatMap((p) => p.names);
      const domain = await db.system.domain.findUniqueOrThrow({ where: { name: bought! }, include: { mailboxes: true } });
      expect(domain.mailboxes).toHaveLength(2);
      expect(fakes.warmforge.warmupSettings.size).toBe(2);
      for (const m of domain.mailboxes) {
        expect(fakes.warmforge.warmupSettings.get(m.email)).toEqual({
          warmupEnabled: true,
          warmupStartDate: domain.purchasedAt!.toISOString().slice(0, 10),
          ...expected,
        });
      }
    },
  );
});

describe('warmup:{domainId} (ED-001, RP-006)', () => {
  it('ED-001: days 1 to 30 get the ramp by domain age (5/10/20/35/50), the domain is ready at heat 85, history stays small', async () => {
    const start = await env.currentTimeMs();
    const domain = await db.system.domain.create({
      data: {
        name: `warm-${randomUUID().slice(0, 8)}.test`,
        status: 'warming',
        purchasedAt: new Date(start),
        warmupStartedAt: new Date(start),
      },
    });
    const addresses = ['alex', 'sam'].map((l) => `${l}@${domain.name}`);
    // The Warmforge mailboxes exist (connected at purchase).
    const creds = {
      smtp: { host: 'h', port: 587, secure: false, user: 'u', pass: 'p' },
      imap: { host: 'h', port: 993, secure: true, user: 'u', pass: 'p' },
    };
    for (const a of addresses) {
      await db.system.mailbox.create({ data: { domainId: domain.id, email: a, status: 'warming' } });
      await fakes.pool.warmup.connectMailbox({ address: a, firstName: 'A', lastName: 'B', credentials: creds, externalReference: a });
      fakes.warmforge.setHeatScore(a, 60);
    }
    const w = await worker();
    await w.runUntil(async () => {
      const handle = await env.client.workflow.start('warmupWorkflow', {
        workflowId: workflowIds.warmup(domain.id),
        taskQueue,
        args: [{ version: 1, domainId: domain.id }],
      });
      const seen: number[] = [];
      for (let day = 1; day <= 30; day++) {
        // A minute more than a day: the workflow's daily timer (set a few ms after the test's last
        // skip, when its tick ran) always fires inside the skip, however loaded the machine is.
        if (day === 30) for (const a of addresses) fakes.warmforge.setHeatScore(a, 85);
        if (day > 1) await env.sleep(DAY + 60_000);
        const p = await until(
          () => handle.query(warmupProgressQuery),
          (q) => q.days.length >= Math.min(day, 30) || q.state !== 'warming',
          `warmup day ${day}`,
        );
        const today = p.days.at(-1)!;
        expect(today.day).toBe(day);
        seen.push(today.limit);
        const mb = await db.system.mailbox.findMany({ where: { domainId: domain.id } });
        expect(mb.every((m) => m.dailyLimit === today.limit)).toBe(true);
      }
      expect(seen).toEqual([
        5, 5, 5, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20, 20, 35, 35, 35, 35, 35, 35, 35, 50, 50, 50, 50, 50, 50, 50, 50, 50,
      ]);
      const result = await handle.result();
      expect(result.state).toBe('ready');
      await recordHistory('warmup-last-run-ready', handle);
      const d = await db.system.domain.findUniqueOrThrow({ where: { id: domain.id } });
      expect(d).toMatchObject({ status: 'ready', heatScore: 85 });
      // continueAsNew every 7 days: the last run started on day 29.
      const desc = await handle.describe();
      expect(desc.runId).not.toBe(handle.firstExecutionRunId);
      expect(desc.historyLength).toBeLessThan(60);
    });
  });

  /**
   * Runs warmup:{domainId} for a domain bought now (two mailboxes, connected at Warmforge) for
   * `days` days, Warmforge's heat score on each day from `heatOn`; returns each day's entry with
   * the mailbox rows' limits and status that day, and the result once the workflow has ended.
   */
  async function warmupDays(days: number, heatOn: (day: number) => number, config?: DomainConfig, record?: string) {
    const start = await env.currentTimeMs();
    const domain = await db.system.domain.create({
      data: {
        name: `ramp-${randomUUID().slice(0, 8)}.test`,
        status: 'warming',
        purchasedAt: new Date(start),
        warmupStartedAt: new Date(start),
      },
    });
    const creds = {
      smtp: { host: 'h', port: 587, secure: false, user: 'u', pass: 'p' },
      imap: { host: 'h', port: 993, secure: true, user: 'u', pass: 'p' },
    };
    for (const a of ['alex', 'sam'].map((l) => `${l}@${domain.name}`)) {
      await db.system.mailbox.create({ data: { domainId: domain.id, email: a, status: 'warming' } });
      await fakes.pool.warmup.connectMailbox({ address: a, firstName: 'A', lastName: 'B', credentials: creds, externalReference: a });
    }
    let today = 1;
    fakes.warmforge.heatScoreOf = () => heatOn(today);
    const seen: { day: number; limit: number; rows: number[]; statuses: string[]; state: string }[] = [];
    const w = await worker(config);
    const result = await w.runUntil(async () => {
      const handle = await env.client.workflow.start('warmupWorkflow', {
        workflowId: workflowIds.warmup(domain.id),
        taskQueue,
        args: [{ version: 1, domainId: domain.id }],
      });
      for (; today <= days; today++) {
        // A minute more than a day: the daily timer always fires inside the skip (see the test above).
        if (today > 1) await env.sleep(DAY + 60_000);
        const p = await until(
          () => handle.query(warmupProgressQuery),
          (x) => x.days.at(-1)?.day === today,
          `the tick of day ${today}`,
        );
        const rows = await db.system.mailbox.findMany({ where: { domainId: domain.id }, orderBy: { email: 'asc' } });
        seen.push({
          day: today,
          limit: p.days.at(-1)!.limit,
          rows: rows.map((m) => m.dailyLimit),
          statuses: rows.map((m) => m.status),
          state: p.state,
        });
      }
      // Ended after the last of those days (not waiting for another day).
      await until(
        () => handle.describe(),
        (d) => d.status.name === 'COMPLETED',
        'the warmup to end',
      );
      if (record) await recordHistory(record, handle);
      return handle.result();
    });
    return { domain: await db.system.domain.findUniqueOrThrow({ where: { id: domain.id } }), days: seen, result };
  }

  it('ED-001: a domain ready on day 16 keeps getting the ramp day by day (35 until day 21, 50 from day 22), then the workflow ends', async () => {
    // Warmforge's heat reaches 85 on day 16; the ramp as DOMAIN.md writes it: days 1-3: 5; 4-7: 10; 8-14: 20; 15-21: 35; 22+: 50.
    const { domain, days, result } = await warmupDays(22, (day) => (day >= 16 ? 86 : 60));
    const ramp = (d: number) => (d <= 3 ? 5 : d <= 7 ? 10 : d <= 14 ? 20 : d <= 21 ? 35 : 50);
    for (const d of days) {
      expect(d.limit, `day ${d.day}`).toBe(ramp(d.day));
      expect(d.rows, `mailbox rows on day ${d.day}`).toEqual([ramp(d.day), ramp(d.day)]);
      expect(d.statuses).toEqual(d.day >= 16 ? ['ready', 'ready'] : ['warming', 'warming']);
      expect(d.state).toBe(d.day >= 16 ? 'ready' : 'warming');
    }
    expect(result.state).toBe('ready');
    expect(domain).toMatchObject({ status: 'ready', heatScore: 86 });
    expect(Math.floor((domain.readyAt!.getTime() - domain.purchasedAt!.getTime()) / DAY) + 1).toBe(16);
  });

  it('ED-001: the mailbox rows follow the configured ramp, not fixed numbers (4 on days 1-2, 8 on days 3-5, 16 from day 6)', async () => {
    const config = parseDomainConfig({
      email: {
        warmupRamp: [
          { fromDay: 1, limit: 4 },
          { fromDay: 3, limit: 8 },
          { fromDay: 6, limit: 16 },
        ],
      },
    });
    // Ready from day 1: the ramp still decides each day's limit until its last step.
    // One run (6 days < 7 per run) with the ticks after ready: recorded for the replay test.
    const { days, result } = await warmupDays(6, () => 90, config, 'warmup-ticks-after-ready');
    expect(days.map((d) => [d.day, d.limit, ...d.rows])).toEqual([
      [1, 4, 4, 4],
      [2, 4, 4, 4],
      [3, 8, 8, 8],
      [4, 8, 8, 8],
      [5, 8, 8, 8],
      [6, 16, 16, 16],
    ]);
    expect(result.state).toBe('ready');
  });
});

describe('health-monitor (RP-009, ED-004)', () => {
  it('RP-009 ED-004: a domain going critical is paused, retired after 7 critical days, and its client gets a replacement from the pool', async () => {
    const now = await env.currentTimeMs();
    const client = await newClient();
    await db.system.client.update({ where: { id: client.id }, data: { tier: 'ignition', status: 'active' } });
    const held = await seedPool(db, { domains: 3, numbers: 1, seats: 4 }, { allocateTo: client.id, nowMs: now });
    const spare = await seedPool(db, { domains: 1 }, { nowMs: now, heatScore: 95 });
    // 100 emails from the first domain's mailbox yesterday, 8 bounced (8% > 5%: critical).
    const bad = held.domains[0]!;
    const badName = (await db.system.domain.findUniqueOrThrow({ where: { id: bad } })).name;
    await db.system.domain.update({ where: { id: bad }, data: { providerRef: fakes.infraforge.addDomain(badName).id.toString() } });
    const mailbox = held.mailboxes[0]!;
    const campaign = await db.system.campaign.create({ data: { clientId: client.id, name: 'c', icp: {}, status: 'running' } });
    const lead = await db.system.lead.create({
      data: { clientId: client.id, campaignId: campaign.id, sourceRow: 1, email: 'x@lead.test' },
    });
    await db.system.touch.createMany({
      data: Array.from({ length: 100 }, (_, i) => ({
        clientId: client.id,
        campaignId: campaign.id,
        leadId: lead.id,
        step: 1,
        channel: 'email' as const,
        status: 'sent' as const,
        idempotencyKey: `t-${randomUUID()}`,
        sentAt: new Date(now - DAY + i * 1000),
        evidence: { mailboxId: mailbox },
        ...(i < 8 ? { outcome: { bounce: { hard: true } } } : {}),
      })),
    });
    // and 100 clean ones from the second domain
    await db.system.touch.createMany({
      data: Array.from({ length: 100 }, (_, i) => ({
        clientId: client.id,
        campaignId: campaign.id,
        leadId: lead.id,
        step: 1,
        channel: 'email' as const,
        status: 'sent' as const,
        idempotencyKey: `t-${randomUUID()}`,
        sentAt: new Date(now - DAY + i * 1000),
        evidence: { mailboxId: held.mailboxes[2]! },
      })),
    });
    const w = await worker();
    await w.runUntil(async () => {
      // The client pays for Ignition (it already holds it: nothing changes).
      await signalBilling(client.id, billing('checkout_completed', now, { tier: 'Ignition', priceId: 'price_ignition', paid: true }));
      await until(
        () => env.client.workflow.getHandle(workflowIds.provisioning(client.id)).query(provisioningProgressQuery),
        (p) => p.state === 'idle',
        'provisioning',
      );
      expect(await heldCounts(db, client.id)).toEqual(TIER.Ignition);
      const run = () => runWithoutSkipping<HealthMonitorResult>('healthMonitorWorkflow', `health-monitor-${randomUUID()}`);
      const day0 = await run();
      expect(day0).toMatchObject({ byClass: { critical: 1 }, retired: [] });
      expect(await db.system.domain.findUniqueOrThrow({ where: { id: bad } })).toMatchObject({ status: 'paused', healthClass: 'critical' });
      const snap = await db.system.healthSnapshot.findFirstOrThrow({ where: { resourceId: bad } });
      expect(snap.metrics).toMatchObject({ sent: 100, bounced: 8, bounceRate: 0.08 });
      expect(await db.system.alert.count({ where: { kind: 'domain_health_critical', resolvedAt: null } })).toBe(1);

      for (let d = 1; d <= 6; d++) {
        await env.sleep(DAY);
        expect((await run()).retired).toEqual([]);
      }
      expect(await db.system.alert.count({ where: { kind: 'domain_health_critical' } })).toBe(1); // not repeated daily
      await env.sleep(DAY);
      const day7 = await runWithoutSkipping<HealthMonitorResult>(
        'healthMonitorWorkflow',
        `health-monitor-${randomUUID()}`,
        'health-monitor-retires-domain',
      );
      expect(day7.retired).toEqual([bad]);
      expect(await db.system.domain.findUniqueOrThrow({ where: { id: bad } })).toMatchObject({ status: 'retired' });
      // It lapses at InfraForge (no renewal) and its mailboxes' warmup is stopped at Warmforge.
      expect(fakes.infraforge.autoRenewChanges).toMatchObject([{ autoRenew: false, updated: 1 }]);
      expect(fakes.warmforge.requests.filter((r) => r.method === 'PATCH').map((r) => r.body)).toEqual([
        { warmupEnabled: false },
        { warmupEnabled: false },
      ]);
      // The client is re-provisioned: the spare domain and its mailboxes replace the retired ones.
      await until(
        () => heldCounts(db, client.id),
        (c) => c.domains === 3 && c.mailboxes === 6,
        'the replacement',
      );
      const open = await db.system.resourceAllocation.findMany({ where: { clientId: client.id, releasedAt: null } });
      expect(
        open
          .filter((a) => a.resourceType === 'domain')
          .map((a) => a.resourceId)
          .sort(),
      ).toEqual([...held.domains.slice(1), spare.domains[0]!].sort());
      expect(await heldCounts(db, client.id)).toEqual(TIER.Ignition);
      expect(await mailboxesOnOwnDomains(client.id)).toBe(true);
    });
  });
});

describe('health-monitor: many retirements (RP-009, ED-004)', () => {
  it('RP-009: 45 domains Critical for 8 days are all retired, 20 to a run (continue-as-new), each run with a short history', async () => {
    const now = await env.currentTimeMs();
    const client = await newClient();
    const pool = await seedPool(db, { domains: 45 }, { nowMs: now });
    const campaign = await db.system.campaign.create({ data: { clientId: client.id, name: 'c', icp: {}, status: 'running' } });
    const lead = await db.system.lead.create({
      data: { clientId: client.id, campaignId: campaign.id, sourceRow: 1, email: 'y@lead.test' },
    });
    const mailboxes = await db.system.mailbox.findMany({ where: { domainId: { in: pool.domains } } });
    for (const domainId of pool.domains) {
      const name = (await db.system.domain.findUniqueOrThrow({ where: { id: domainId } })).name;
      await db.system.domain.update({
        where: { id: domainId },
        data: {
          status: 'paused',
          healthClass: 'critical',
          criticalSince: new Date(now - 8 * DAY),
          providerRef: fakes.infraforge.addDomain(name).id.toString(),
        },
      });
      // 100 emails yesterday, 8 bounced (8% > 5%: still critical).
      const mailbox = mailboxes.find((m) => m.domainId === domainId)!;
      await db.system.touch.createMany({
        data: Array.from({ length: 100 }, (_, i) => ({
          clientId: client.id,
          campaignId: campaign.id,
          leadId: lead.id,
          step: 1,
          channel: 'email' as const,
          status: 'sent' as const,
          idempotencyKey: `t-${randomUUID()}`,
          sentAt: new Date(now - DAY + i * 1000),
          evidence: { mailboxId: mailbox.id },
          ...(i < 8 ? { outcome: { bounce: { hard: true } } } : {}),
        })),
      });
    }
    const w = await worker();
    await w.runUntil(async () => {
      const workflowId = `health-monitor-${randomUUID()}`;
      const started = await env.client.workflow.start('healthMonitorWorkflow', { workflowId, taskQueue, args: [{ version: 1 }] });
      const latest = env.client.workflow.getHandle(workflowId);
      await until(
        () => latest.describe(),
        (d) => d.status.name === 'COMPLETED',
        'the last run to complete',
      );
      const runs = await runHistories(env.client, workflowId, started.firstExecutionRunId);
      // 45 retirements, at most 20 to a run: three runs, the first two continued as new.
      expect(runs).toHaveLength(Math.ceil(45 / RETIRE_PER_RUN));
      for (const r of runs) expect(r.history.events!.length).toBeLessThan(150);
      await recordHistory('health-monitor-retires-in-runs', runs[0]!.handle);
      const last = runs.at(-1)!.history.events!.at(-1)!.workflowExecutionCompletedEventAttributes!;
      const result = defaultPayloadConverter.fromPayload(last.result!.payloads![0]!) as HealthMonitorResult;
      expect([...result.retired].sort()).toEqual([...pool.domains].sort());
      const domains = await db.system.domain.findMany({ where: { id: { in: pool.domains } } });
      expect(domains.every((d) => d.status === 'retired')).toBe(true);
    });
  });
});

describe('health-monitor: LinkedIn seats (LI-006)', () => {
  it('LI-006: a restricted account pauses its seat, a low 7-day accept rate throttles it, each with one alert; the figures are kept', async () => {
    const now = await env.currentTimeMs();
    const client = await newClient();
    const seats = await seedPool(db, { seats: 3 }, { allocateTo: client.id, nowMs: now });
    const [restricted, throttled, healthy] = seats.seats;
    const refs = await db.system.linkedInSeat.findMany({ where: { id: { in: seats.seats } } });
    const ref = (id: string) => refs.find((r) => r.id === id)!.accountRef;
    fakes.unipile.setAccount(ref(restricted!), { status: 'ERROR' });
    fakes.unipile.setAccount(ref(throttled!), { status: 'OK' });
    fakes.unipile.setAccount(ref(healthy!), { status: 'OK' });
    // 20 invitations from the throttled seat in the last 7 days, 3 accepted (15%: cut by half).
    const campaign = await db.system.campaign.create({ data: { clientId: client.id, name: 'li', icp: {}, status: 'running' } });
    for (let i = 0; i < 20; i++) {
      const lead = await db.system.lead.create({ data: { clientId: client.id, campaignId: campaign.id, sourceRow: i + 1 } });
      await db.system.linkedInInvitation.create({
        data: {
          clientId: client.id,
          seatId: throttled!,
          leadId: lead.id,
          providerId: `p-${i}`,
          sentAt: new Date(now - 3 * DAY),
          ...(i < 3 ? { state: 'accepted', acceptedAt: new Date(now - 2 * DAY) } : {}),
        },
      });
    }
    const w = await worker();
    await w.runUntil(async () => {
      const r = await runWithoutSkipping<HealthMonitorResult>('healthMonitorWorkflow', `health-monitor-${randomUUID()}`);
      expect(r).toMatchObject({ seatsChecked: 3, seatsPaused: 1, seatsThrottled: 1 });
      await runWithoutSkipping<HealthMonitorResult>('healthMonitorWorkflow', `health-monitor-${randomUUID()}`);
    });
    const after = await db.system.linkedInSeat.findMany({ where: { id: { in: seats.seats } } });
    const byId = (id: string) => after.find((s) => s.id === id)!;
    expect(byId(restricted!)).toMatchObject({ status: 'paused', health: 'restricted' });
    expect(byId(throttled!)).toMatchObject({ status: 'ready', health: 'ok', acceptRate: 0.15 });
    expect(byId(healthy!)).toMatchObject({ status: 'ready', health: 'ok' });
    const alerts = await db.system.alert.findMany({ where: { kind: { in: ['seat_restricted', 'seat_throttled'] } } });
    expect(alerts.map((a) => [a.kind, a.severity, a.dedupeKey]).sort()).toEqual([
      ['seat_restricted', 'critical', `seat:${restricted}:restricted`],
      ['seat_throttled', 'warning', `seat:${throttled}:throttled`],
    ]); // two runs, one alert each
    const snap = await db.system.healthSnapshot.findFirstOrThrow({ where: { resourceId: throttled! } });
    expect(snap.metrics).toMatchObject({ sent: 20, accepted: 3, rate: 0.15, cut: 0.5 });
  });
});

describe('churn-hold:{clientId} (RP-010)', () => {
  async function churnSetup() {
    const now = await env.currentTimeMs();
    await seedPool(db, { domains: 8, numbers: 3, seats: 10 }, { nowMs: now });
    const client = await newClient();
    await db.system.client.update({ where: { id: client.id }, data: { settings: { smsConsentBasis: 'inferred_business' } } });
    const campaign = await db.system.campaign.create({
      data: { clientId: client.id, name: 'c', icp: { description: 'x' }, status: 'running' },
    });
    const lead = await db.system.lead.create({
      data: {
        clientId: client.id,
        campaignId: campaign.id,
        sourceRow: 1,
        email: `lee-${randomUUID().slice(0, 8)}@lead.test`,
        firstName: 'Lee',
        company: 'Co',
        country: 'AU',
        timezone: 'Australia/Sydney',
        score: 25,
        tier: 'Cold',
        status: 'in_sequence',
        sequenceWorkflowId: `lead:${randomUUID()}`,
      },
    });
    return { now, client, campaign, lead };
  }

  it('RP-010 AD-001: a cancellation pauses every sequence at once, holds the resources 30 days and then releases exactly what was allocated; the cancelled leads free their people', async () => {
    const { now, client, campaign, lead } = await churnSetup();
    const w = await worker();
    await w.runUntil(async () => {
      await signalBilling(client.id, billing('checkout_completed', now, { tier: 'Ignition', priceId: 'price_ignition', paid: true }));
      await until(
        () => env.client.workflow.getHandle(workflowIds.provisioning(client.id)).query(provisioningProgressQuery),
        (p) => p.eventsApplied === 1 && p.state === 'idle',
        'the allocation',
      );
      const allocated = (await db.system.resourceAllocation.findMany({ where: { clientId: client.id, releasedAt: null } }))
        .map((a) => a.id)
        .sort();
      expect(allocated).toHaveLength(3 + 6 + 1 + 4);
      // The lead's sequence is running (its first step a week away).
      const input: LeadSequenceInput = {
        version: 1,
        clientId: client.id,
        campaignId: campaign.id,
        leadId: lead.id,
        startAt: new Date(now + 7 * DAY).toISOString(),
      };
      const seqHandle = await env.client.workflow.start('leadSequenceWorkflow', {
        workflowId: lead.sequenceWorkflowId!,
        taskQueue,
        args: [input],
      });

      const cancelledAt = (await env.currentTimeMs()) + 1000;
      await signalBilling(
        client.id,
        billing('subscription_deleted', cancelledAt, { tier: 'Ignition', priceId: 'price_ignition', status: 'canceled' }),
      );
      const hold = env.client.workflow.getHandle(workflowIds.churnHold(client.id));
      await until(
        () => hold.query(churnHoldProgressQuery),
        (q) => q.state === 'holding',
        'the churn hold to hold',
      );
      expect((await seqHandle.query(leadProgressQuery)).state).toBe('paused');
      expect((await db.system.client.findUniqueOrThrow({ where: { id: client.id } })).status).toBe('churned');
      const progress = await hold.query(churnHoldProgressQuery);
      const releaseAt = Date.parse(progress.releaseAt);
      expect(releaseAt).toBeGreaterThanOrEqual(cancelledAt + 30 * DAY);

      await env.sleep(releaseAt - (await env.currentTimeMs()) - HOUR);
      expect(
        (await db.system.resourceAllocation.findMany({ where: { clientId: client.id, releasedAt: null } })).map((a) => a.id).sort(),
      ).toEqual(allocated);
      const result = await hold.result();
      expect(result).toMatchObject({ state: 'released', released: TIER.Ignition });
      await recordHistory('churn-hold-released', hold);
      const rows = await db.system.resourceAllocation.findMany({ where: { clientId: client.id } });
      expect(rows.map((a) => a.id).sort()).toEqual(allocated);
      expect(rows.every((a) => a.releasedAt !== null && a.releasedAt.getTime() >= cancelledAt + 30 * DAY)).toBe(true);
      // Cleaned: the client's sender names are gone; the resources are back in the pool.
      const mailboxes = await db.system.mailbox.findMany({
        where: { id: { in: rows.filter((a) => a.resourceType === 'mailbox').map((a) => a.resourceId) } },
      });
      expect(mailboxes.every((m) => m.senderName === null)).toBe(true);
      await expect(seqHandle.result()).rejects.toThrow(); // the paused sequence is cancelled
      // The lead says so, and its person is free for another client's sequence.
      expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).status).toBe('cancelled');
      expect(await db.system.personSequence.count({ where: { clientId: client.id } })).toBe(0);
    });
  });

  it('RP-010: a reactivation on day 12 cancels the hold and resumes the sequences; nothing is released', async () => {
    const { now, client, campaign, lead } = await churnSetup();
    const w = await worker();
    await w.runUntil(async () => {
      await signalBilling(client.id, billing('checkout_completed', now, { tier: 'Ignition', priceId: 'price_ignition', paid: true }));
      await until(
        () => env.client.workflow.getHandle(workflowIds.provisioning(client.id)).query(provisioningProgressQuery),
        (p) => p.eventsApplied === 1 && p.state === 'idle',
        'the allocation',
      );
      const input: LeadSequenceInput = {
        version: 1,
        clientId: client.id,
        campaignId: campaign.id,
        leadId: lead.id,
        startAt: new Date(now + 60 * DAY).toISOString(),
      };
      const seqHandle = await env.client.workflow.start('leadSequenceWorkflow', {
        workflowId: lead.sequenceWorkflowId!,
        taskQueue,
        args: [input],
      });
      await signalBilling(
        client.id,
        billing('subscription_deleted', (await env.currentTimeMs()) + 1000, {
          status: 'canceled',
          tier: 'Ignition',
          priceId: 'price_ignition',
        }),
      );
      const hold = env.client.workflow.getHandle(workflowIds.churnHold(client.id));
      await until(
        () => hold.query(churnHoldProgressQuery),
        (p) => p.state === 'holding',
        'the hold',
      );
      await env.sleep(12 * DAY);
      expect((await hold.query(churnHoldProgressQuery)).state).toBe('holding');
      expect((await seqHandle.query(leadProgressQuery)).state).toBe('paused');

      // Day 12: the client pays again (a new subscription).
      await signalBilling(
        client.id,
        billing('checkout_completed', await env.currentTimeMs(), {
          subscriptionId: 'sub_2',
          tier: 'Ignition',
          priceId: 'price_ignition',
          paid: true,
        }),
      );
      const result = await until(
        () => hold.query(churnHoldProgressQuery),
        (p) => p.state === 'reactivated',
        'the reactivation',
      );
      expect(result.sequencesResumed).toBe(1);
      expect((await seqHandle.query(leadProgressQuery)).state).not.toBe('paused');
      // The hold has ended (no timer left to release anything later) and nothing was released.
      await until(
        () => hold.describe(),
        (d) => d.status.name === 'COMPLETED',
        'the hold to end',
      );
      await recordHistory('churn-hold-reactivated', hold);
      expect(await heldCounts(db, client.id)).toEqual(TIER.Ignition);
      expect((await db.system.resourceAllocation.findMany({ where: { clientId: client.id } })).every((a) => a.holdUntil === null)).toBe(
        true,
      );
      expect(await db.system.resourceAllocation.count({ where: { clientId: client.id, releasedAt: { not: null } } })).toBe(0);
      expect((await db.system.client.findUniqueOrThrow({ where: { id: client.id } })).status).toBe('active');
    });
  });
});
