/**
 * lead:{leadId} on the time-skipping test server with the real activities, real Postgres and the
 * real provider SDKs pointed at local fakes (SMTP, Twilio, Vapi, Unipile, DNCR).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import type { ProviderSet } from '../../activities/providers.js';
import { isInsideWindow, nextSendTime } from '../../domain/windows.js';
import {
  callEndedSignal,
  linkedinAcceptedSignal,
  replyReceivedSignal,
  workflowIds,
  type LeadProgress,
  type LeadSequenceInput,
} from '../../workflows/contracts.js';
import { createTestTenant, testDb, testSettings } from '../helpers/context.js';
import { provisionClientResources, startProviderFakes, type ProviderFakes } from '../helpers/provider-fakes.js';

const db = testDb();
let env: TestWorkflowEnvironment;
let fakes: ProviderFakes;
const DAY = 86_400_000;

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: inject('testServerPath') } } });
  fakes = await startProviderFakes();
});
afterAll(async () => {
  await env?.teardown();
  await fakes?.stop();
  await db.close();
});

interface LeadSpec {
  tier: 'Hot' | 'Warm' | 'Cool' | 'Cold';
  zone: string;
  state?: string;
  country?: string;
  phone?: string;
  dncr?: 'registered' | 'not_registered';
}

async function setup(spec: LeadSpec) {
  const { client } = await createTestTenant(db);
  const res = await provisionClientResources(db, client.id, fakes);
  const campaign = await db.system.campaign.create({ data: { clientId: client.id, name: 'seq', icp: { description: 'We help agencies book meetings.' }, status: 'running' } });
  const slug = `lead-${randomUUID().slice(0, 8)}`;
  const providerId = `ACo${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  fakes.unipile.setProfile({ providerId, publicIdentifier: slug, firstName: 'Lee' } as never);
  const score = { Hot: 90, Warm: 70, Cool: 45, Cold: 25 }[spec.tier];
  const lead = await db.system.lead.create({
    data: {
      clientId: client.id, campaignId: campaign.id, sourceRow: 1, email: `${slug}@lead.example`, firstName: 'Lee', lastName: 'Lead', company: 'Lead Co',
      title: 'Founder', country: spec.country ?? 'AU', state: spec.state ?? null, timezone: spec.zone, timezoneSource: 'hq',
      phoneE164: spec.phone ?? '+61412345678', phoneCountry: 'AU', linkedinUrl: `https://www.linkedin.com/in/${slug}`,
      score, tier: spec.tier, dncrResult: spec.dncr ?? 'not_registered', dncrWashedAt: new Date(), smsConsentBasis: 'inferred_business',
    },
  });
  return { client, campaign, lead, res, slug, providerId };
}

function worker(taskQueue: string, providers: ProviderSet = fakes.providers) {
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ db, providers, settings: testSettings }),
  });
}

const touches = (leadId: string) => db.system.touch.findMany({ where: { leadId }, orderBy: [{ step: 'asc' }, { createdAt: 'asc' }] });

describe('lead sequence workflow', () => {
  it('AD-001 ED-003 VO-005 LI-002 LI-003: a Warm lead in Sydney gets all five steps, each inside its window, and the LinkedIn message 2 days after acceptance', async () => {
    const { lead, client, campaign, res, slug, providerId } = await setup({ tier: 'Warm', zone: 'Australia/Sydney', state: 'NSW' });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const mailBefore = fakes.smtp.messages.length;
    const progress = await w.runUntil(async () => {
      const input: LeadSequenceInput = { version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id };
      const handle = await env.client.workflow.start('leadSequenceWorkflow', { taskQueue, workflowId: workflowIds.lead(lead.id), args: [input] });
      // Day 3: the call is placed; it is answered.
      await waitForTouch(lead.id, 'voice');
      const call = fakes.vapi.lastCall()!;
      fakes.vapi.endCall(call.id, { endedReason: 'customer-ended-call', transcript: 'Hello', summary: 'Interested later', durationSeconds: 40 } as never);
      await handle.signal(callEndedSignal, { eventId: `vapi:${call.id}`, at: new Date(await env.currentTimeMs()).toISOString(), callId: call.id, outcome: 'answered', endedReason: 'customer-ended-call' });
      // Day 5: the connection request; accepted a day later.
      await waitForTouch(lead.id, 'linkedin');
      fakes.unipile.acceptInvitation(res.seat.accountRef, providerId);
      await env.sleep(DAY);
      await handle.signal(linkedinAcceptedSignal, { eventId: `new_relation:${res.seat.accountRef}:${providerId}`, at: new Date(await env.currentTimeMs()).toISOString() });
      return (await handle.result()) as LeadProgress;
    });

    expect(progress.state).toBe('completed');
    expect(progress.steps.map((s) => [s.kind, s.status])).toEqual([
      ['email', 'sent'], ['voice', 'sent'], ['linkedin_connect', 'sent'], ['email_followup', 'sent'], ['sms', 'sent'],
    ]);
    for (const s of progress.steps) {
      const channel = s.kind === 'email_followup' ? 'email' : s.kind === 'linkedin_connect' ? 'linkedin' : s.kind;
      const zone = channel === 'linkedin' ? res.seat.timezone : 'Australia/Sydney';
      expect(isInsideWindow({ channel, zone, location: { country: 'AU', state: 'NSW' }, at: s.plannedAt! } as never), `${s.kind} at ${s.plannedAt}`).toBe(true);
    }
    // Every step's time is exactly the domain rule's: its day, then the next open window, seeded.
    const startMs = Date.parse(progress.startedAt!);
    for (const s of progress.steps) {
      const channel = s.kind === 'email_followup' ? 'email' : s.kind === 'linkedin_connect' ? 'linkedin' : s.kind;
      const zone = channel === 'linkedin' ? res.seat.timezone : 'Australia/Sydney';
      const expected = nextSendTime({ channel, zone, location: channel === 'linkedin' ? undefined : { country: 'AU', state: 'NSW' }, now: startMs + s.day * DAY, seed: `${lead.id}:${s.step}:0` });
      expect(s.plannedAt, s.kind).toBe(expected.toISOString());
    }

    const mails = fakes.smtp.messages.slice(mailBefore).filter((m) => m.to.some((t) => t.includes(slug)));
    expect(mails).toHaveLength(2);
    expect(mails[0]!.headers['list-unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:3999\/u\//);
    expect(mails[0]!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mails[1]!.inReplyTo).toBe(mails[0]!.messageId);
    expect(mails[1]!.subject).toBe(`Re: ${mails[0]!.subject}`);
    expect(fakes.twilio.messages.filter((m) => m.to === lead.phoneE164).length).toBeGreaterThanOrEqual(1);
    expect(fakes.unipile.invitations.filter((i) => JSON.stringify(i).includes(providerId))).toHaveLength(1);
    expect(fakes.unipile.chats.filter((c) => JSON.stringify(c).includes(providerId))).toHaveLength(1);
    expect(progress.linkedin?.state).toBe('accepted');
    expect(Date.parse(progress.linkedin!.messageAt!)).toBeGreaterThanOrEqual(Date.parse(progress.linkedin!.acceptedAt!) + 2 * DAY);

    const rows = await touches(lead.id);
    expect(rows.map((t) => [t.step, t.channel, t.status])).toEqual([
      [0, 'linkedin', 'sent'], [1, 'email', 'sent'], [2, 'voice', 'delivered'], [3, 'linkedin', 'sent'], [4, 'email', 'sent'], [5, 'sms', 'sent'],
    ].sort((a, b) => (a[0] as number) - (b[0] as number)));
    expect((rows.find((t) => t.step === 5)!.evidence as { dncrResult: string }).dncrResult).toBe('not_registered');
  });

  it('SYS-003 AD-001: a reply on day 4 stops the sequence at once: nothing after it is sent', async () => {
    const { lead, client, campaign } = await setup({ tier: 'Warm', zone: 'Australia/Perth', state: 'WA' });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const progress = await w.runUntil(async () => {
      const handle = await env.client.workflow.start('leadSequenceWorkflow', { taskQueue, workflowId: workflowIds.lead(lead.id), args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }] });
      await waitForTouch(lead.id, 'voice');
      const call = fakes.vapi.lastCall()!;
      await handle.signal(callEndedSignal, { eventId: `vapi:${call.id}`, at: new Date(await env.currentTimeMs()).toISOString(), callId: call.id, outcome: 'voicemail', endedReason: 'voicemail' });
      await env.sleep(DAY);
      await handle.signal(replyReceivedSignal, { eventId: 'reply-1', at: new Date(await env.currentTimeMs()).toISOString(), channel: 'email', text: 'Sounds interesting' });
      return (await handle.result()) as LeadProgress;
    });
    expect(progress.state).toBe('stopped');
    expect(progress.stopReason).toBe('replied');
    const rows = await touches(lead.id);
    expect(rows.map((t) => t.channel)).toEqual(['email', 'voice']);
  });

  it('SM-001 AD-003: a DNCR-registered number gets no call and no SMS; the steps are skipped with the reason', async () => {
    const { lead, client, campaign } = await setup({ tier: 'Hot', zone: 'Australia/Adelaide', state: 'SA', dncr: 'registered', phone: '+61412000999' });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const progress = await w.runUntil(async () => {
      const handle = await env.client.workflow.start('leadSequenceWorkflow', { taskQueue, workflowId: workflowIds.lead(lead.id), args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }] });
      await waitForTouch(lead.id, 'linkedin');
      return (await handle.result()) as LeadProgress;
    });
    const byKind = Object.fromEntries(progress.steps.map((s) => [s.kind, s]));
    expect(byKind.voice).toMatchObject({ status: 'skipped', skipReason: 'dncr_registered' });
    expect(byKind.sms).toMatchObject({ status: 'skipped', skipReason: 'dncr_registered' });
    const rows = await touches(lead.id);
    expect(rows.filter((t) => t.channel === 'voice' || t.channel === 'sms')).toEqual([]);
    expect(fakes.twilio.messages.filter((m) => m.to === lead.phoneE164)).toHaveLength(0);
    expect(fakes.vapi.calls.filter((c) => JSON.stringify(c).includes(lead.phoneE164!))).toHaveLength(0);
  });

  it('AD-004 LI-005: a Cold lead gets email only; the other steps are skipped as not allowed for its tier', async () => {
    const { lead, client, campaign } = await setup({ tier: 'Cold', zone: 'America/New_York', country: 'US', state: 'NY', phone: '+12125550142' });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const progress = await w.runUntil(async () =>
      (await env.client.workflow.execute('leadSequenceWorkflow', { taskQueue, workflowId: workflowIds.lead(lead.id), args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }] })) as LeadProgress,
    );
    expect(progress.steps.map((s) => [s.kind, s.status, s.skipReason ?? null])).toEqual([
      ['email', 'sent', null], ['voice', 'skipped', 'tier_not_allowed'], ['linkedin_connect', 'skipped', 'tier_not_allowed'], ['email_followup', 'sent', null], ['sms', 'skipped', 'tier_not_allowed'],
    ]);
    for (const s of progress.steps.filter((x) => x.status === 'sent')) {
      expect(isInsideWindow({ channel: 'email', zone: 'America/New_York', location: { country: 'US', state: 'NY' }, at: s.plannedAt! } as never)).toBe(true);
    }
  });

  it('AD-001: a worker crash between the email send and its recording still leaves exactly one email and one touch', async () => {
    const { lead, client, campaign, slug } = await setup({ tier: 'Cold', zone: 'Australia/Sydney', state: 'NSW' });
    let crashed = false;
    const crashing: ProviderSet = {
      ...fakes.providers,
      email: {
        async send(m) {
          const r = await fakes.providers.email.send(m);
          if (!crashed) {
            crashed = true;
            throw new Error('worker died after the SMTP server accepted the message');
          }
          return r;
        },
      },
    };
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue, crashing);
    const progress = await w.runUntil(async () =>
      (await env.client.workflow.execute('leadSequenceWorkflow', { taskQueue, workflowId: workflowIds.lead(lead.id), args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }] })) as LeadProgress,
    );
    expect(crashed).toBe(true);
    const firstEmails = fakes.smtp.messages.filter((m) => m.to.some((t) => t.includes(slug)) && !m.inReplyTo);
    expect(firstEmails).toHaveLength(1);
    const rows = await touches(lead.id);
    expect(rows.filter((t) => t.step === 1)).toHaveLength(1);
    expect(progress.steps[0]).toMatchObject({ kind: 'email', status: 'failed', outcome: 'outcome_unknown_after_crash' });
  });
});

async function waitForTouch(leadId: string, channel: 'email' | 'sms' | 'voice' | 'linkedin') {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const t = await db.system.touch.findFirst({ where: { leadId, channel, status: { in: ['sent', 'delivered'] } } });
    if (t) return t;
    await env.sleep(60 * 60 * 1000);
  }
  throw new Error(`no ${channel} touch for ${leadId}`);
}
