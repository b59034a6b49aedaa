/**
 * dailyOutreachPrepWorkflow on the time-skipping test server with the real activities, real
 * Postgres and the DNCR register's SOAP client against the DNCR fake (SDK-002, SM-002, SYS-002,
 * ED-002): one zone's clients, their leads page by page: a number whose wash expires before its
 * next call is washed again and one whose wash outlives it is not, a lead whose data changed is
 * scored again, a zone from a weak source is derived again, and a client whose steps due today
 * exceed its day's capacity gets one alert (however often the run repeats).
 * Each test's clients live in a zone of their own, so the run sees none of the other tests' clients.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { DateTime } from 'luxon';
import { holidaysOn } from '../../domain/holidays.js';
import type { OutreachPrepResult } from '../../workflows/outreach-prep.js';
import { testDb } from '../helpers/context.js';
import { seedSequenceLead, unusedMobile } from '../helpers/lead-setup.js';
import { createTestWorker } from '../helpers/app.js';
import { workflowBed } from '../helpers/workflow-bed.js';

const db = testDb();
const bed = workflowBed(db);
const DAY = 86_400_000;
// The ICP the leads fit in full (industry 10, employee count 8, country 7: DOMAIN.md company fit).
const ICP = { description: 'Agencies', industries: ['Software'], countries: ['AU'], employeeMin: 10, employeeMax: 500 };

/**
 * Simulated time moved to 05:00 in `zone` (the prep's hour) on the next Tuesday to Thursday that is
 * no public holiday in New South Wales, where the leads are: a step due that morning goes out that
 * day (the windows skip weekends and holidays), whatever weekday the run starts on.
 */
async function workingMorning(zone: string): Promise<number> {
  let day = DateTime.fromMillis(await bed.env.currentTimeMs(), { zone })
    .plus({ days: 1 })
    .set({ hour: 5, minute: 0, second: 0, millisecond: 0 });
  while (
    day.weekday < 2 ||
    day.weekday > 4 ||
    holidaysOn({ country: 'AU', state: 'NSW' }, day.setZone('Australia/Sydney').toISODate()!).length
  )
    day = day.plus({ days: 1 });
  await bed.env.sleep(day.toMillis() - (await bed.env.currentTimeMs()));
  return bed.env.currentTimeMs();
}

function prep(taskQueue: string, zone: string): Promise<OutreachPrepResult> {
  const client = new Client({ connection: bed.env.connection, ...(bed.env.namespace ? { namespace: bed.env.namespace } : {}) });
  return client.workflow.execute('dailyOutreachPrepWorkflow', {
    taskQueue,
    workflowId: `daily-outreach-prep:${zone}-${randomUUID()}`,
    args: [{ version: 1, zone }],
  });
}

describe('daily-outreach-prep (SDK-002)', () => {
  it('SDK-002 SM-002 SYS-002 ED-002: re-washes the number whose wash expires before its next call and not the other, re-scores the changed lead, re-derives a weak zone, and alerts once for the over-capacity client', async () => {
    const zone = 'Asia/Kathmandu';
    const now = await workingMorning(zone);
    // Client A: a mailbox (50 a day, 10% kept for replies: 45 cold), one number, one seat.
    const a = await seedSequenceLead(db, bed.fakes, { tier: 'Warm', washedAt: new Date(now - 29 * DAY) });
    await db.system.client.update({ where: { id: a.client.id }, data: { defaultTimezone: zone, status: 'active' } });
    await db.system.campaign.update({ where: { id: a.campaign.id }, data: { icp: ICP } });
    const fit = { industry: 'Software', employeeCount: 50, country: 'AU', state: 'NSW', title: 'Founder' };
    // L1 (the seeded lead): in sequence since yesterday, its call on day 3 (in two days), washed 29 days ago: expires tomorrow.
    await db.system.lead.update({
      where: { id: a.lead.id },
      data: { ...fit, status: 'in_sequence', sequenceStartedAt: new Date(now - DAY) },
    });
    const base = { clientId: a.client.id, campaignId: a.campaign.id, smsConsentBasis: 'inferred_business', ...fit };
    const phone2 = await unusedMobile(db);
    // L2: the same, washed yesterday: valid 29 more days, past its call.
    const l2 = await db.system.lead.create({
      data: {
        ...base,
        sourceRow: 2,
        email: `l2-${randomUUID().slice(0, 8)}@lead.example`,
        linkedinUrl: `https://www.linkedin.com/in/l2-${randomUUID().slice(0, 8)}`,
        phoneE164: phone2,
        phoneCountry: 'AU',
        timezone: 'Australia/Sydney',
        timezoneSource: 'hq',
        score: 60,
        tier: 'Warm',
        dncrResult: 'not_registered',
        dncrWashedAt: new Date(now - DAY),
        status: 'in_sequence',
        sequenceStartedAt: new Date(now - DAY),
      },
    });
    // L3: scored Cold when it had no title and no fit; its data now make it Founder with a full fit.
    const l3 = await db.system.lead.create({
      data: {
        ...base,
        sourceRow: 3,
        email: `l3-${randomUUID().slice(0, 8)}@lead.example`,
        timezone: 'Australia/Sydney',
        timezoneSource: 'hq',
        score: 25,
        tier: 'Cold',
        status: 'scored',
      },
    });
    // L4: its zone was the client's default (weak); its HQ is in Western Australia.
    const l4 = await db.system.lead.create({
      data: {
        ...base,
        state: 'WA',
        city: 'Perth',
        sourceRow: 4,
        email: `l4-${randomUUID().slice(0, 8)}@lead.example`,
        timezone: 'Australia/Sydney',
        timezoneSource: 'client_default',
        score: 60,
        tier: 'Warm',
        status: 'scored',
      },
    });
    // 46 leads whose first email is due today: one more than the mailbox's 45.
    await db.system.lead.createMany({
      data: Array.from({ length: 46 }, (_, i) => ({
        ...base,
        sourceRow: 100 + i,
        email: `due${i}-${randomUUID().slice(0, 8)}@lead.example`,
        timezone: 'Australia/Sydney',
        timezoneSource: 'hq',
        score: 60,
        tier: 'Warm',
        status: 'in_sequence' as const,
        sequenceStartedAt: new Date(now),
      })),
    });
    // Client B, same zone: one lead due today, well within its capacity.
    const b = await seedSequenceLead(db, bed.fakes, { tier: 'Warm', phone: null });
    await db.system.client.update({ where: { id: b.client.id }, data: { defaultTimezone: zone, status: 'active' } });
    await db.system.lead.update({ where: { id: b.lead.id }, data: { status: 'in_sequence', sequenceStartedAt: new Date(now) } });

    const taskQueue = `outreach-prep-${randomUUID()}`;
    const worker = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    const [first, second] = await worker.runUntil(async () => [await prep(taskQueue, zone), await prep(taskQueue, zone)]);

    expect(first).toMatchObject({ clients: 2, leads: 4 + 46 + 1, washed: 1, washFailed: 0, overCapacityClients: 1, alerts: 1 });
    // (a) L1 washed again (at the run's time); L2 left as it was.
    const l1After = await db.system.lead.findUniqueOrThrow({ where: { id: a.lead.id } });
    expect(l1After.dncrWashedAt!.getTime()).toBeGreaterThanOrEqual(now);
    expect(l1After.dncrResult).toBe('not_registered');
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: l2.id } })).dncrWashedAt!.getTime()).toBe(now - DAY);
    const washedNumbers = [...bed.fakes.dncr.washes().entries()]
      .filter(([ref]) => ref.includes(a.client.id))
      .flatMap(([, w]) => w.numbers.map((n) => n.replace(/\D/g, '').slice(-8)));
    expect(washedNumbers).toEqual([a.lead.phoneE164!.slice(-8)]);
    // (b) L3: owner/founder 25 + company fit 25 (no phone, no LinkedIn, no signals) = 50: Cool (35-59), no longer Cold.
    const l3After = await db.system.lead.findUniqueOrThrow({ where: { id: l3.id } });
    expect(l3After.score).toBe(50);
    expect(l3After.tier).toBe('Cool');
    // (c) L4: Perth from its HQ.
    const l4After = await db.system.lead.findUniqueOrThrow({ where: { id: l4.id } });
    expect([l4After.timezone, l4After.timezoneSource]).toEqual(['Australia/Perth', 'hq']);
    // (d) one alert for A (email: 46 planned, 45 possible), none for B; the second run adds none.
    const alerts = await db.system.alert.findMany({
      where: { kind: 'outreach_over_capacity', clientId: { in: [a.client.id, b.client.id] } },
    });
    expect(alerts.map((x) => x.clientId)).toEqual([a.client.id]);
    expect(alerts[0]!.data).toMatchObject({ over: [{ channel: 'email', planned: 46, capacity: 45 }] });
    // The second run finds nothing left to change, and raises no second alert.
    expect(second).toMatchObject({ washed: 0, rescored: 0, zonesRefreshed: 0, overCapacityClients: 1, alerts: 0 });
  });

  it('SDK-002: a campaign larger than a page is prepared page by page to its last lead, each lead once', async () => {
    const zone = 'Asia/Thimphu';
    const a = await seedSequenceLead(db, bed.fakes, { tier: 'Warm', phone: null });
    await db.system.client.update({ where: { id: a.client.id }, data: { defaultTimezone: zone, status: 'active' } });
    const n = 1100; // three pages of 500
    await db.system.lead.createMany({
      data: Array.from({ length: n }, (_, i) => ({
        clientId: a.client.id,
        campaignId: a.campaign.id,
        sourceRow: 10 + i,
        email: `page${i}-${randomUUID().slice(0, 8)}@lead.example`,
        title: 'Founder',
        timezone: 'Australia/Sydney',
        timezoneSource: 'client_default',
        country: 'AU',
        state: 'VIC',
        score: 1,
        tier: 'Dead',
        status: 'scored' as const,
      })),
    });
    const taskQueue = `outreach-prep-${randomUUID()}`;
    const worker = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    const r = await worker.runUntil(prep(taskQueue, zone));
    // The seeded lead (imported, not yet scored) is not among the open ones; every page's lead is, once:
    // each re-scored (Founder, no longer Dead) and given Melbourne from its HQ state (was the client default).
    expect(r).toMatchObject({ clients: 1, leads: n, rescored: n, zonesRefreshed: n });
    const left = await db.system.lead.count({
      where: { campaignId: a.campaign.id, OR: [{ tier: 'Dead' }, { timezone: { not: 'Australia/Melbourne' } }], sourceRow: { gte: 10 } },
    });
    expect(left).toBe(0);
  });
});
