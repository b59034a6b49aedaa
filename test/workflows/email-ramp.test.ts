/**
 * The warmup ramp is what sending obeys (ED-001, ED-004, ED-006): the real warmupTick writes the
 * ramp's limit into the mailbox row, and the real email step (sendStep) sends from that mailbox up
 * to its limit today and no more; the next email waits for the next day's window. Activity level,
 * with real Postgres, the real SMTP sender against the SMTP fake and the real Warmforge adapter
 * against the Warmforge fake.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { createActivities, type Activities } from '../../activities/index.js';
import { createWarmforgeService } from '../../providers/forge/warmforge.js';
import type { ProviderSet } from '../../providers/ports.js';
import { WarmforgeFake } from '../fakes/warmforge-fake.js';
import { testContext } from '../helpers/app.js';
import { createTestTenant, temporalClient, testDb } from '../helpers/context.js';
import { SMTP_PASS, SMTP_USER, startProviderFakes, type ProviderFakes } from '../helpers/provider-fakes.js';

const db = testDb();
const DAY = 86_400_000;
let fakes: ProviderFakes;
let warmforge: WarmforgeFake;
let temporal: Client;
let acts: Activities;
let warmup: ReturnType<typeof createWarmforgeService>;

beforeAll(async () => {
  fakes = await startProviderFakes();
  warmforge = new WarmforgeFake();
  const { baseUrl } = await warmforge.start();
  // The client's timeout as in production (30 s): the fake answering late on a busy machine is no failure.
  warmup = createWarmforgeService({ baseUrl, apiKey: warmforge.apiKey, workspaceId: warmforge.workspaceId, timeoutMs: 30_000 });
  const providers: ProviderSet = { ...fakes.providers, pool: { ...fakes.providers.pool, warmup } };
  temporal = await temporalClient();
  const ctx = await testContext({ db, temporal, providers });
  acts = createActivities({ services: ctx.services, providers: ctx.providers, settings: ctx.activitySettings });
});
afterAll(async () => {
  await fakes?.stop();
  await warmforge?.stop();
  await temporal?.connection.close();
  await db.close();
});

/** Sydney's local date and HH:MM of an instant. */
const sydney = (ms: number) => {
  const f = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Australia/Sydney', ...o }).format(ms);
  return {
    date: f({ year: 'numeric', month: '2-digit', day: '2-digit' }),
    time: f({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
  };
};

/**
 * A client holding one SMTP mailbox on a domain bought at `purchasedAt` (connected at Warmforge
 * with `heatScore`), in `healthClass`, and `leads` Cold leads in Sydney.
 */
async function setup(o: { purchasedAt: number; heatScore: number; healthClass?: string; leads: number }) {
  const { client } = await createTestTenant(db);
  const tag = randomUUID().slice(0, 8);
  const domain = await db.system.domain.create({
    data: {
      name: `ramp-${tag}.test`,
      status: 'warming',
      purchasedAt: new Date(o.purchasedAt),
      warmupStartedAt: new Date(o.purchasedAt),
      healthClass: o.healthClass ?? 'good',
    },
  });
  const mailbox = await db.system.mailbox.create({
    data: {
      domainId: domain.id,
      email: `alex@ramp-${tag}.test`,
      status: 'warming',
      senderName: 'Alex Ramp',
      smtp: { host: fakes.smtpAddr.host, port: fakes.smtpAddr.port, secure: false, user: SMTP_USER, pass: SMTP_PASS },
    },
  });
  for (const [resourceType, resourceId] of [
    ['domain', domain.id],
    ['mailbox', mailbox.id],
  ] as const) {
    await db.system.resourceAllocation.create({ data: { clientId: client.id, resourceType, resourceId } });
  }
  // Connected at Warmforge as at purchase (RP-006); its heat score is what warmupTick reads.
  const creds = { host: 'h', port: 587, secure: false, user: 'u', pass: 'p' };
  await warmup.connectMailbox({
    address: mailbox.email,
    firstName: 'Alex',
    lastName: 'Ramp',
    credentials: { smtp: creds, imap: { ...creds, port: 993 } },
    externalReference: mailbox.id,
  });
  warmforge.setHeatScore(mailbox.email, o.heatScore);
  const campaign = await db.system.campaign.create({
    data: { clientId: client.id, name: 'ramp', icp: { description: 'We help agencies book meetings.' }, status: 'running' },
  });
  const leads: { id: string }[] = [];
  for (let i = 0; i < o.leads; i++) {
    leads.push(
      await db.system.lead.create({
        data: {
          clientId: client.id,
          campaignId: campaign.id,
          sourceRow: i + 1,
          email: `lead${i}-${tag}@lead.example`,
          firstName: 'Lee',
          lastName: `Lead ${i}`,
          company: 'Lead Co',
          title: 'Founder',
          country: 'AU',
          state: 'NSW',
          timezone: 'Australia/Sydney',
          timezoneSource: 'hq',
          score: 25,
          tier: 'Cold',
          smsConsentBasis: 'inferred_business',
        },
      }),
    );
  }
  const send = (lead: { id: string }, nowMs: number) =>
    acts.sendStep({
      version: 1,
      clientId: client.id,
      campaignId: campaign.id,
      leadId: lead.id,
      step: 1,
      kind: 'email',
      idempotencyKey: `${lead.id}:1:0`,
      nowMs,
    });
  const sentFrom = () => fakes.smtp.messages.filter((m) => m.envelope.mailFrom === mailbox.email).length;
  const usage = async (day: string) =>
    (await db.system.resourceDailyUsage.findFirst({ where: { resourceId: mailbox.id, day, kind: 'cold_email' } }))?.count ?? 0;
  return { client, domain, mailbox, leads, send, sentFrom, usage };
}

describe('sending obeys the mailbox row (ED-001, ED-004, ED-006)', () => {
  it("ED-001 ED-006: a mailbox on day 5 of its ramp sends exactly 9 cold emails that day (10 a day, 1 kept for replies); the 10th waits for the next day's window", async () => {
    // Wednesday 10 March 2027, 09:30 in Sydney (AEDT): inside the 9-11 email window, no NSW holiday.
    const T = Date.parse('2027-03-10T09:30:00+11:00');
    // Bought 4 days and 2 hours earlier: day 5 of its domain. Warmforge's heat is already 90 (ready early).
    const s = await setup({ purchasedAt: T - 4 * DAY - 2 * 3_600_000, heatScore: 90, leads: 10 });
    // The rule as written (DOMAIN.md): days 4-7 of the ramp: 10 a mailbox a day; 10% of it kept for replies (1): 9 cold emails.
    const RAMP_DAY_5 = 10;
    const L = RAMP_DAY_5 - Math.ceil(RAMP_DAY_5 / 10);

    const tick = await acts.warmupTick({ version: 1, domainId: s.domain.id, nowMs: T });
    expect(tick).toMatchObject({ state: 'ready', day: 5, limit: RAMP_DAY_5, heatScore: 90, rampComplete: false });
    expect((await db.system.mailbox.findUniqueOrThrow({ where: { id: s.mailbox.id } })).dailyLimit).toBe(RAMP_DAY_5);

    const results = [];
    for (const [i, lead] of s.leads.entries()) results.push(await s.send(lead, T + i * 60_000));
    expect(results.slice(0, L).map((r) => r.status)).toEqual(Array.from({ length: L }, () => 'sent'));
    const waiting = results[L]!;
    expect(waiting).toMatchObject({ status: 'no_capacity', reason: 'no_eligible_mailbox' });
    expect(s.sentFrom()).toBe(L);
    expect(await s.usage('2027-03-10')).toBe(L);
    expect(await db.system.touch.count({ where: { leadId: s.leads[L]!.id } })).toBe(0);

    // It waits for Thursday's window (09:00-11:00 in Sydney), where the mailbox (day 6: still 10) has room again.
    const next = (waiting as { notBeforeMs: number }).notBeforeMs;
    expect(sydney(next).date).toBe('2027-03-11');
    expect(sydney(next).time >= '09:00' && sydney(next).time < '11:00').toBe(true);
    expect(await acts.warmupTick({ version: 1, domainId: s.domain.id, nowMs: next })).toMatchObject({ day: 6, limit: 10 });
    expect(await s.send(s.leads[L]!, next)).toMatchObject({ status: 'sent' });
    expect(await s.usage('2027-03-11')).toBe(1);
    expect(s.sentFrom()).toBe(L + 1);
  });

  it('ED-004 ED-001: a mailbox past its ramp (50) on a domain in Warning sends 31 (35 less 4 kept for replies), then waits; Critical sends nothing', async () => {
    // Wednesday 17 March 2027, 09:15 in Sydney; the domain is 40 days old, warmed (heat 92), in Warning.
    const T = Date.parse('2027-03-17T09:15:00+11:00');
    const s = await setup({ purchasedAt: T - 40 * DAY, heatScore: 92, healthClass: 'warning', leads: 33 });
    // DOMAIN.md: 50 a mailbox a day when warmed; Warning: 35 a day; 10% of it kept for replies (4): 31 cold emails.
    const L = 35 - Math.ceil(35 / 10);
    expect(await acts.warmupTick({ version: 1, domainId: s.domain.id, nowMs: T })).toMatchObject({
      day: 41,
      limit: 50,
      rampComplete: true,
    });
    expect((await db.system.mailbox.findUniqueOrThrow({ where: { id: s.mailbox.id } })).dailyLimit).toBe(50);

    const results = [];
    for (const [i, lead] of s.leads.slice(0, L + 1).entries()) results.push(await s.send(lead, T + i * 30_000));
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(L);
    expect(results[L]).toMatchObject({ status: 'no_capacity' });
    expect(await s.usage('2027-03-17')).toBe(L);

    // The next day the domain is Critical: paused, nothing goes out.
    await db.system.domain.update({ where: { id: s.domain.id }, data: { healthClass: 'critical' } });
    const thursday = Date.parse('2027-03-18T09:20:00+11:00');
    expect(await s.send(s.leads[L + 1]!, thursday)).toMatchObject({ status: 'no_capacity', reason: 'no_eligible_mailbox' });
    expect(await s.usage('2027-03-18')).toBe(0);
    expect(s.sentFrom()).toBe(L);
  });
});
