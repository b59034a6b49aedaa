/**
 * lead:{leadId} on the time-skipping test server with the real activities, real Postgres and the
 * real provider SDKs pointed at local fakes (SMTP, Twilio, Vapi, Unipile, DNCR).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { WorkflowHandle } from '@temporalio/client';
import type { ProviderSet } from '../../providers/ports.js';
import { isInsideWindow, localDate, nextSendTime, startOfNextLocalDay } from '../../domain/windows.js';
import {
  callEndedSignal,
  linkedinAcceptedSignal,
  replyReceivedSignal,
  replyHandledSignal,
  optedOutSignal,
  bouncedSignal,
  pauseSignal,
  resumeSignal,
  workflowIds,
  leadProgressQuery,
  type LeadProgress,
  type ReplyReceived,
  type LeadSequenceInput,
} from '../../workflows/contracts.js';
import { testDb } from '../helpers/context.js';
import { seedSequenceLead, TEST_ASSISTANT } from '../helpers/lead-setup.js';
import { createTestWorker } from '../helpers/app.js';
import { workflowBed } from '../helpers/workflow-bed.js';
import { recordHistory } from '../helpers/histories.js';
import { DEFAULT_RECORDING_NOTICE } from '../../domain/message-templates.js';

const db = testDb();
const bed = workflowBed(db);
const DAY = 86_400_000;
const HOUR = 3_600_000;

interface LeadSpec {
  tier: 'Hot' | 'Warm' | 'Cool' | 'Cold';
  zone: string;
  state?: string;
  country?: string;
  phone?: string;
  dncr?: 'registered' | 'not_registered';
  washedAt?: string;
  /** The client's settings (default: a voice assistant, so calls are placed). */
  settings?: Record<string, unknown>;
}

async function setup(spec: LeadSpec) {
  const washedAt = new Date(spec.washedAt ?? (await bed.env.currentTimeMs()));
  return seedSequenceLead(db, bed.fakes, {
    ...spec,
    state: spec.state ?? null,
    washedAt,
    ...(spec.settings ? { settings: spec.settings } : {}),
  });
}

function worker(taskQueue: string, providers: ProviderSet = bed.fakes.providers) {
  return createTestWorker({ env: bed.env, taskQueue, db, providers });
}

/**
 * A step's planned time as the rules say: its day, then its next open window (seeded); when the
 * recipient already had a touch that local day (one touch a day per person, DOMAIN.md
 * cross-cutting protections), the next day's window.
 */
function plannedByRule(p: {
  channel: 'email' | 'voice' | 'sms' | 'linkedin';
  zone: string;
  recipientZone: string;
  location?: { country: string; state?: string | null };
  fromMs: number;
  seed: string;
  touchedAt: number[];
}): string {
  const touchedDays = new Set(p.touchedAt.map((t) => localDate(p.recipientZone, t)));
  let at = nextSendTime({ channel: p.channel, zone: p.zone, location: p.location, now: p.fromMs, seed: p.seed });
  while (touchedDays.has(localDate(p.recipientZone, at.getTime()))) {
    at = nextSendTime({
      channel: p.channel,
      zone: p.zone,
      location: p.location,
      now: startOfNextLocalDay(p.recipientZone, at.getTime()),
      seed: p.seed,
    });
  }
  return at.toISOString();
}

const touches = (leadId: string) => db.system.touch.findMany({ where: { leadId }, orderBy: [{ step: 'asc' }, { createdAt: 'asc' }] });

/** Voice calls that end answered at once, so runs need no call webhook. */
function answeringProviders(): ProviderSet {
  return {
    ...bed.fakes.providers,
    voice: {
      async startCall(c) {
        const placed = await bed.fakes.providers.voice.startCall(c);
        bed.fakes.vapi.endCall(placed.callId, { endedReason: 'customer-ended-call', durationSeconds: 20 } as never);
        return placed;
      },
      getCall: (id) => bed.fakes.providers.voice.getCall(id),
      assistantModel: (id) => bed.fakes.providers.voice.assistantModel(id),
      deleteCall: (id) => bed.fakes.providers.voice.deleteCall(id),
    },
  };
}

const ZONES = [
  { zone: 'Australia/Sydney', country: 'AU', state: 'NSW', phone: '+61412100' },
  { zone: 'Australia/Perth', country: 'AU', state: 'WA', phone: '+61412200' },
  { zone: 'America/New_York', country: 'US', state: 'NY', phone: '' },
] as const;
const TIERS = ['Hot', 'Warm', 'Cool', 'Cold'] as const;
const ALLOWED: Record<(typeof TIERS)[number], string[]> = {
  Hot: ['email', 'voice', 'linkedin_connect', 'email_followup', 'sms'],
  Warm: ['email', 'voice', 'linkedin_connect', 'email_followup', 'sms'],
  Cool: ['email', 'linkedin_connect', 'email_followup'],
  Cold: ['email', 'email_followup'],
};

/** A reply, then its conversation's decision to stop the sequence (SYS-003: the reply itself only holds it). */
async function replyAndStop(handle: WorkflowHandle, e: ReplyReceived) {
  await handle.signal(replyReceivedSignal, e);
  await handle.signal(replyHandledSignal, { eventId: `handled:${e.eventId}`, decision: 'stop', reason: 'not_interested' });
}

describe('lead sequence: every tier in Sydney, Perth and New York (exact planned times)', () => {
  const cases = TIERS.flatMap((tier) => ZONES.map((z, i) => ({ tier, ...z, n: i })));
  it.each(cases)(
    'AD-001 AD-004 ED-002 ED-003 VO-005: a $tier lead in $zone runs its allowed steps at exactly the planned times',
    async ({ tier, zone, country, state, phone, n }) => {
      // A distinct, valid number per case (AU mobiles +61412xxx..., US +1 212 555 01xx).
      const suffix = TIERS.indexOf(tier) * 10 + n;
      const number = country === 'US' ? `+12125550${100 + suffix}` : `${phone}${String(suffix).padStart(3, '0')}`;
      const { lead, client, campaign, res } = await setup({ tier, zone, country, state, phone: number });
      const taskQueue = `seq-${randomUUID()}`;
      const w = await worker(taskQueue, answeringProviders());
      const progress = (await w.runUntil(
        bed.env.client.workflow.execute('leadSequenceWorkflow', {
          taskQueue,
          workflowId: workflowIds.lead(lead.id),
          args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }],
        }),
      )) as LeadProgress;
      const sent = progress.steps.filter((s) => s.status === 'sent').map((s) => s.kind);
      expect(sent).toEqual(ALLOWED[tier]);
      for (const s of progress.steps.filter((x) => x.status !== 'sent')) expect(s.skipReason).toBe('tier_not_allowed');
      const startMs = Date.parse(progress.startedAt!);
      const touchedAt: number[] = [];
      for (const s of progress.steps.filter((x) => x.status === 'sent')) {
        const channel = s.kind === 'email_followup' ? 'email' : s.kind === 'linkedin_connect' ? 'linkedin' : s.kind;
        const expected = plannedByRule({
          channel,
          zone: channel === 'linkedin' ? res.seat.timezone : zone,
          recipientZone: zone,
          location: channel === 'linkedin' ? undefined : { country, state },
          fromMs: startMs + s.day * DAY,
          seed: `${lead.id}:${s.step}:0`,
          touchedAt,
        });
        expect(s.plannedAt, `${tier} ${zone} ${s.kind}`).toBe(expected);
        touchedAt.push(Date.parse(expected));
      }
      // Never two touches of the person on one local day.
      const days = (await touches(lead.id)).map((t) => localDate(zone, t.sentAt!.getTime()));
      expect(new Set(days).size).toBe(days.length);
      const rows = await touches(lead.id);
      expect(rows.filter((t) => t.step > 0)).toHaveLength(ALLOWED[tier].length);
    },
  );
});

describe('lead sequence workflow', () => {
  it('AD-001 ED-003 VO-005 LI-002 LI-003 SYS-001: a Warm lead in Sydney gets all five steps, each inside its window, and the LinkedIn message 2 days after acceptance; its whole history is at most 120 events', async () => {
    const { lead, client, campaign, res, slug, providerId } = await setup({ tier: 'Warm', zone: 'Australia/Sydney', state: 'NSW' });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const mailBefore = bed.fakes.smtp.messages.length;
    let events = 0;
    const progress = await w.runUntil(async () => {
      const input: LeadSequenceInput = { version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id };
      const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(lead.id),
        args: [input],
      });
      // Day 3: the call is placed with the client's assistant, the recording notice first; it is answered.
      await waitForTouch(lead.id, 'voice');
      const call = bed.fakes.vapi.lastCall()!;
      expect(call.assistantId).toBe(TEST_ASSISTANT);
      const first = call.assistantOverrides!.firstMessage as string;
      expect(first.startsWith(`${DEFAULT_RECORDING_NOTICE} `), first).toBe(true);
      expect(first).toContain(client.name);
      expect(call.assistantOverrides).toMatchObject({ firstMessageMode: 'assistant-speaks-first' });
      expect(call.assistantOverrides).not.toHaveProperty('model');
      bed.fakes.vapi.endCall(call.id, {
        endedReason: 'customer-ended-call',
        transcript: 'Hello',
        summary: 'Interested later',
        durationSeconds: 40,
      } as never);
      await handle.signal(callEndedSignal, {
        eventId: `vapi:${call.id}`,
        at: new Date(await bed.env.currentTimeMs()).toISOString(),
        callId: call.id,
        outcome: 'answered',
        endedReason: 'customer-ended-call',
      });
      // Day 5: the connection request; accepted a day later.
      await waitForTouch(lead.id, 'linkedin');
      bed.fakes.unipile.acceptInvitation(res.seat.accountRef, providerId);
      await bed.env.sleep(DAY);
      await handle.signal(linkedinAcceptedSignal, {
        eventId: `new_relation:${res.seat.accountRef}:${providerId}`,
        at: new Date(await bed.env.currentTimeMs()).toISOString(),
      });
      const result = (await handle.result()) as LeadProgress;
      await recordHistory('lead-sequence-warm-full-lanes', handle);
      // SYS-001 (issue 11): a complete 5-step history (all four channels, the call and the LinkedIn branch) stays short.
      events = (await handle.fetchHistory()).events!.length;
      return result;
    });

    expect(progress.state).toBe('completed');
    expect(events, 'history events').toBeLessThanOrEqual(120);
    expect(progress.steps.map((s) => [s.kind, s.status])).toEqual([
      ['email', 'sent'],
      ['voice', 'sent'],
      ['linkedin_connect', 'sent'],
      ['email_followup', 'sent'],
      ['sms', 'sent'],
    ]);
    for (const s of progress.steps) {
      const channel = s.kind === 'email_followup' ? 'email' : s.kind === 'linkedin_connect' ? 'linkedin' : s.kind;
      const zone = channel === 'linkedin' ? res.seat.timezone : 'Australia/Sydney';
      expect(
        isInsideWindow({ channel, zone, location: { country: 'AU', state: 'NSW' }, at: s.plannedAt! } as never),
        `${s.kind} at ${s.plannedAt}`,
      ).toBe(true);
    }
    // Every step's time is exactly the domain rule's: its day, then the next open window, seeded,
    // and a day on which the person already had a touch (the LinkedIn message too) moves it to the next.
    const startMs = Date.parse(progress.startedAt!);
    const sentAt = (await touches(lead.id)).map((t) => t.sentAt!.getTime());
    for (const s of progress.steps) {
      const channel = s.kind === 'email_followup' ? 'email' : s.kind === 'linkedin_connect' ? 'linkedin' : s.kind;
      const expected = plannedByRule({
        channel,
        zone: channel === 'linkedin' ? res.seat.timezone : 'Australia/Sydney',
        recipientZone: 'Australia/Sydney',
        location: channel === 'linkedin' ? undefined : { country: 'AU', state: 'NSW' },
        fromMs: startMs + s.day * DAY,
        seed: `${lead.id}:${s.step}:0`,
        touchedAt: sentAt.filter((t) => t < Date.parse(s.plannedAt!)),
      });
      expect(s.plannedAt, s.kind).toBe(expected);
    }
    const days = sentAt.map((t) => localDate('Australia/Sydney', t));
    expect(new Set(days).size, 'one touch a day').toBe(days.length);

    const mails = bed.fakes.smtp.messages.slice(mailBefore).filter((m) => m.to.some((t) => t.includes(slug)));
    expect(mails).toHaveLength(2);
    expect(mails[0]!.headers['list-unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1:3999\/u\//);
    expect(mails[0]!.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mails[1]!.inReplyTo).toBe(mails[0]!.messageId);
    expect(mails[1]!.subject).toBe(`Re: ${mails[0]!.subject}`);
    expect(bed.fakes.twilio.messages.filter((m) => m.to === lead.phoneE164).length).toBeGreaterThanOrEqual(1);
    expect(bed.fakes.unipile.invitations.filter((i) => JSON.stringify(i).includes(providerId))).toHaveLength(1);
    expect(bed.fakes.unipile.chats.filter((c) => JSON.stringify(c).includes(providerId))).toHaveLength(1);
    expect(progress.linkedin?.state).toBe('accepted');
    expect(Date.parse(progress.linkedin!.messageAt!)).toBeGreaterThanOrEqual(Date.parse(progress.linkedin!.acceptedAt!) + 2 * DAY);

    const rows = await touches(lead.id);
    expect(rows.map((t) => [t.step, t.channel, t.status])).toEqual(
      [
        [0, 'linkedin', 'sent'],
        [1, 'email', 'sent'],
        [2, 'voice', 'delivered'],
        [3, 'linkedin', 'sent'],
        [4, 'email', 'sent'],
        [5, 'sms', 'sent'],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    expect((rows.find((t) => t.step === 5)!.evidence as { dncrResult: string }).dncrResult).toBe('not_registered');
  });

  it('SYS-003 AD-001: a reply on day 4 stops the sequence at once: nothing after it is sent', async () => {
    // Day 0 = Monday 1 Feb 2027 in Perth: the call is on Thursday (day 3), LinkedIn would be Saturday (day 5).
    const startAt = '2027-02-01T00:00:00.000Z';
    const { lead, client, campaign } = await setup({ tier: 'Warm', zone: 'Australia/Perth', state: 'WA' });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const progress = await w.runUntil(async () => {
      const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(lead.id),
        args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id, startAt }],
      });
      await bed.env.sleep(Date.parse(startAt) + 3 * DAY - (await bed.env.currentTimeMs()));
      await waitForTouch(lead.id, 'voice');
      const call = bed.fakes.vapi.lastCall()!;
      await handle.signal(callEndedSignal, {
        eventId: `vapi:${call.id}`,
        at: new Date(await bed.env.currentTimeMs()).toISOString(),
        callId: call.id,
        outcome: 'voicemail',
        endedReason: 'voicemail',
      });
      await bed.env.sleep(DAY);
      await replyAndStop(handle, {
        eventId: 'reply-1',
        at: new Date(await bed.env.currentTimeMs()).toISOString(),
        channel: 'email',
        text: 'Sounds interesting',
      });
      return (await handle.result()) as LeadProgress;
    });
    expect(progress.state).toBe('stopped');
    expect(progress.stopReason).toBe('replied');
    const rows = await touches(lead.id);
    expect(rows.map((t) => t.channel)).toEqual(['email', 'voice']);
  });

  it('SM-001 AD-003: a DNCR-registered number gets no call and no SMS; the steps are skipped with the reason', async () => {
    const { lead, client, campaign } = await setup({
      tier: 'Hot',
      zone: 'Australia/Adelaide',
      state: 'SA',
      dncr: 'registered',
      phone: '+61412000999',
    });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const progress = await w.runUntil(async () => {
      const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(lead.id),
        args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }],
      });
      await waitForTouch(lead.id, 'linkedin');
      return (await handle.result()) as LeadProgress;
    });
    const byKind = Object.fromEntries(progress.steps.map((s) => [s.kind, s]));
    expect(byKind.voice).toMatchObject({ status: 'skipped', skipReason: 'dncr_registered' });
    expect(byKind.sms).toMatchObject({ status: 'skipped', skipReason: 'dncr_registered' });
    const rows = await touches(lead.id);
    expect(rows.filter((t) => t.channel === 'voice' || t.channel === 'sms')).toEqual([]);
    expect(bed.fakes.twilio.messages.filter((m) => m.to === lead.phoneE164)).toHaveLength(0);
    expect(bed.fakes.vapi.calls.filter((c) => JSON.stringify(c).includes(lead.phoneE164!))).toHaveLength(0);
  });

  it('AD-004 LI-005: a Cold lead gets email only; the other steps are skipped as not allowed for its tier', async () => {
    const { lead, client, campaign } = await setup({
      tier: 'Cold',
      zone: 'America/New_York',
      country: 'US',
      state: 'NY',
      phone: '+16465550142',
    });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const progress = await w.runUntil(async () => {
      const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(lead.id),
        args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }],
      });
      const result = (await handle.result()) as LeadProgress;
      await recordHistory('lead-sequence-cold-email-only-short-history', handle);
      return result;
    });
    expect(progress.steps.map((s) => [s.kind, s.status, s.skipReason ?? null])).toEqual([
      ['email', 'sent', null],
      ['voice', 'skipped', 'tier_not_allowed'],
      ['linkedin_connect', 'skipped', 'tier_not_allowed'],
      ['email_followup', 'sent', null],
      ['sms', 'skipped', 'tier_not_allowed'],
    ]);
    for (const s of progress.steps.filter((x) => x.status === 'sent')) {
      expect(
        isInsideWindow({ channel: 'email', zone: 'America/New_York', location: { country: 'US', state: 'NY' }, at: s.plannedAt! } as never),
      ).toBe(true);
    }
  });

  it('VO-002 VO-003 VO-006: a busy line is retried 2 hours later inside the window, and the answered call has its Twilio recording stored by reference', async () => {
    const { lead, client, campaign } = await setup({ tier: 'Warm', zone: 'Australia/Sydney', state: 'NSW', phone: '+61412777888' });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const progress = await w.runUntil(async () => {
      const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(lead.id),
        args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }],
      });
      await waitForTouches(lead.id, 'voice', 1);
      const first = bed.fakes.vapi.lastCall()!;
      await handle.signal(callEndedSignal, {
        eventId: `vapi:${first.id}`,
        at: new Date(await bed.env.currentTimeMs()).toISOString(),
        callId: first.id,
        outcome: 'busy',
        endedReason: 'customer-busy',
      });
      await waitForTouches(lead.id, 'voice', 2);
      const second = bed.fakes.vapi.lastCall()!;
      expect(second.id).not.toBe(first.id);
      const callSid = `CA${randomUUID().replace(/-/g, '')}`;
      bed.fakes.twilio.addRecording(callSid, { durationSeconds: 42 } as never);
      await handle.signal(callEndedSignal, {
        eventId: `vapi:${second.id}`,
        at: new Date(await bed.env.currentTimeMs()).toISOString(),
        callId: second.id,
        outcome: 'answered',
        endedReason: 'customer-ended-call',
        providerCallSid: callSid,
      });
      await replyAndStop(handle, {
        eventId: 'stop-after-call',
        at: new Date(await bed.env.currentTimeMs()).toISOString(),
        channel: 'voice',
      });
      return (await handle.result()) as LeadProgress;
    });
    const voice = progress.steps.find((s) => s.kind === 'voice')!;
    expect(voice).toMatchObject({ status: 'sent', outcome: 'answered', attempts: 2 });
    const calls = (await touches(lead.id)).filter((t) => t.channel === 'voice');
    expect(calls).toHaveLength(2);
    expect(calls[1]!.sentAt!.getTime() - calls[0]!.sentAt!.getTime()).toBeGreaterThanOrEqual(2 * 60 * 60 * 1000);
    for (const c of calls)
      expect(
        isInsideWindow({ channel: 'voice', zone: 'Australia/Sydney', location: { country: 'AU', state: 'NSW' }, at: c.sentAt! } as never),
      ).toBe(true);
    const outcome = calls[1]!.outcome as { recording?: { recordingSid: string; url: string; durationSeconds: number } };
    expect(outcome.recording).toMatchObject({ durationSeconds: 42 });
    expect(outcome.recording!.url).toContain('/Recordings/');
  });

  it('ED-003: a public holiday is never a send day: an email due on Christmas Day in Sydney goes on the next open business day', async () => {
    const { lead, client, campaign } = await setup({
      tier: 'Cold',
      zone: 'Australia/Sydney',
      state: 'NSW',
      washedAt: '2026-12-20T00:00:00Z',
    });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    // Day 0 = 25 Dec 2026 09:00 in Sydney (Christmas; Boxing Day falls on Saturday, so Monday 28 is its holiday).
    const startAt = '2026-12-24T22:00:00.000Z';
    const progress = await w.runUntil(
      async () =>
        (await bed.env.client.workflow.execute('leadSequenceWorkflow', {
          taskQueue,
          workflowId: workflowIds.lead(lead.id),
          args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id, startAt }],
        })) as LeadProgress,
    );
    const first = progress.steps[0]!;
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Australia/Sydney',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hour12: false,
    }).format(new Date(first.plannedAt!));
    expect(local.startsWith('2026-12-29')).toBe(true);
    expect(first.plannedAt).toBe(
      nextSendTime({
        channel: 'email',
        zone: 'Australia/Sydney',
        location: { country: 'AU', state: 'NSW' },
        now: Date.parse(startAt),
        seed: `${lead.id}:1:0`,
      }).toISOString(),
    );
  });

  it("ED-001 ED-006: when the only mailbox has used its daily cap the email waits for the next day's window (never over the cap)", async () => {
    const { lead, client, campaign, res } = await setup({
      tier: 'Cold',
      zone: 'Australia/Sydney',
      state: 'NSW',
      washedAt: '2027-01-01T00:00:00Z',
    });
    // Day 0 = Wednesday 6 Jan 2027 08:00 in Sydney; the mailbox has sent its 45 cold emails that day.
    const startAt = '2027-01-05T21:00:00.000Z';
    await db.system.resourceDailyUsage.create({
      data: { resourceType: 'mailbox', resourceId: res.mailbox.id, day: '2027-01-06', kind: 'cold_email', count: 45 },
    });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const progress = await w.runUntil(
      async () =>
        (await bed.env.client.workflow.execute('leadSequenceWorkflow', {
          taskQueue,
          workflowId: workflowIds.lead(lead.id),
          args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id, startAt }],
        })) as LeadProgress,
    );
    const email = (await touches(lead.id)).find((t) => t.step === 1)!;
    const local = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Australia/Sydney',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(email.sentAt!);
    expect(local).toBe('2027-01-07');
    expect(progress.steps[0]).toMatchObject({ status: 'sent' });
    const usage = await db.system.resourceDailyUsage.findMany({
      where: { resourceId: res.mailbox.id, kind: 'cold_email' },
      orderBy: { day: 'asc' },
    });
    expect(usage.map((u) => [u.day, u.count])).toEqual(
      [
        ['2027-01-06', 45],
        ['2027-01-07', 1],
        ['2027-01-14', 1],
      ].filter(([d]) => usage.some((u) => u.day === d)),
    );
    expect(usage.every((u) => u.count <= 45)).toBe(true);
  });

  it('VO-001: with 5 calls of the client already in progress, the next call waits for a free slot', async () => {
    const startAt = '2027-03-01T00:00:00.000Z'; // Monday 1 March 2027, 11:00 in Sydney
    const { lead, client, campaign } = await setup({ tier: 'Warm', zone: 'Australia/Sydney', state: 'NSW', phone: '+61412555666' });
    const callDay = Date.parse(startAt) + 3 * DAY; // Thursday: the voice step's day
    const voiceAt = nextSendTime({
      channel: 'voice',
      zone: 'Australia/Sydney',
      location: { country: 'AU', state: 'NSW' },
      now: callDay,
      seed: `${lead.id}:2:0`,
    });
    const other = await db.system.lead.create({
      data: { clientId: client.id, campaignId: campaign.id, sourceRow: 2, email: `other-${lead.id}@lead.example` },
    });
    for (let i = 0; i < 5; i++) {
      await db.system.touch.create({
        data: {
          clientId: client.id,
          campaignId: campaign.id,
          leadId: other.id,
          step: 2,
          channel: 'voice',
          status: 'sent',
          idempotencyKey: `busy-${lead.id}-${i}`,
          sentAt: new Date(voiceAt.getTime() - 60_000),
        },
      });
    }
    const taskQueue = `seq-${randomUUID()}`;
    // The call is answered and over before the workflow asks the provider about it.
    const w = await worker(taskQueue, answeringProviders());
    const progress = await w.runUntil(async () => {
      const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(lead.id),
        args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id, startAt }],
      });
      await bed.env.sleep(callDay - (await bed.env.currentTimeMs()));
      await waitForTouches(lead.id, 'voice', 1);
      await bed.env.sleep(DAY);
      await replyAndStop(handle, {
        eventId: 'r-end',
        at: new Date(await bed.env.currentTimeMs()).toISOString(),
        channel: 'voice',
      });
      return (await handle.result()) as LeadProgress;
    });
    const call = (await touches(lead.id)).find((t) => t.step === 2)!;
    // The five other calls hold their slots for 15 minutes: the call goes once they are freed.
    expect(call.sentAt!.getTime()).toBeGreaterThanOrEqual(voiceAt.getTime() - 60_000 + 15 * 60_000);
    expect(
      isInsideWindow({ channel: 'voice', zone: 'Australia/Sydney', location: { country: 'AU', state: 'NSW' }, at: call.sentAt! } as never),
    ).toBe(true);
    expect(progress.steps.find((s) => s.kind === 'voice')).toMatchObject({ status: 'sent', outcome: 'answered' });
  });

  it('SM-003: an SMS opt-out between the first email and the next step stops everything at once: no call, no LinkedIn request, no more email', async () => {
    const { lead, client, campaign } = await setup({ tier: 'Hot', zone: 'Australia/Sydney', state: 'NSW', phone: '+61412999001' });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue, answeringProviders());
    const progress = await w.runUntil(async () => {
      const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(lead.id),
        args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }],
      });
      await waitForTouch(lead.id, 'email');
      // The opt-out comes a while after the first email, an hour before the next step is due
      // (how long that is depends on the weekday the run starts on: the windows skip weekends).
      const next = (await handle.query(leadProgressQuery)).next;
      const before = next ? Date.parse(next.plannedAt) - HOUR - (await bed.env.currentTimeMs()) : DAY;
      if (before > 0) await bed.env.sleep(before);
      await db.system.lead.update({ where: { id: lead.id }, data: { optedOutAt: new Date(await bed.env.currentTimeMs()) } });
      await handle.signal(optedOutSignal, {
        eventId: 'SM-stop-1',
        at: new Date(await bed.env.currentTimeMs()).toISOString(),
        channel: 'sms',
        reason: 'STOP',
      });
      return (await handle.result()) as LeadProgress;
    });
    expect(progress).toMatchObject({ state: 'stopped', stopReason: 'opted_out' });
    expect((await touches(lead.id)).map((t) => t.channel)).toEqual(['email']);
  });

  it('AD-001: a hard bounce skips the remaining emails but not the other channels', async () => {
    const { lead, client, campaign } = await setup({ tier: 'Warm', zone: 'Australia/Sydney', state: 'NSW', phone: '+61412999002' });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue, answeringProviders());
    const progress = await w.runUntil(async () => {
      const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(lead.id),
        args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }],
      });
      await waitForTouch(lead.id, 'email');
      await handle.signal(bouncedSignal, { eventId: 'bounce-1', at: new Date(await bed.env.currentTimeMs()).toISOString(), hard: true });
      return (await handle.result()) as LeadProgress;
    });
    const byKind = Object.fromEntries(progress.steps.map((s) => [s.kind, s]));
    expect(byKind.email_followup).toMatchObject({ status: 'skipped', skipReason: 'hard_bounced' });
    expect(byKind.voice!.status).toBe('sent');
    expect(byKind.sms!.status).toBe('sent');
  });

  it('AD-001: a paused sequence sends nothing until it is resumed, then continues in the next windows', async () => {
    const { lead, client, campaign } = await setup({ tier: 'Cold', zone: 'Australia/Sydney', state: 'NSW' });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const progress = await w.runUntil(async () => {
      const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(lead.id),
        args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }],
      });
      await handle.signal(pauseSignal, { reason: 'client asked' });
      await bed.env.sleep(5 * DAY);
      expect(await touches(lead.id)).toEqual([]);
      const resumedAt = await bed.env.currentTimeMs();
      await handle.signal(resumeSignal);
      const p = (await handle.result()) as LeadProgress;
      expect(Date.parse(p.steps[0]!.plannedAt!)).toBeGreaterThanOrEqual(resumedAt);
      return p;
    });
    expect(progress.steps.filter((s) => s.status === 'sent').map((s) => s.kind)).toEqual(['email', 'email_followup']);
  });

  it('AD-001: a worker crash between the email send and its recording still leaves exactly one email and one touch; the follow-up still goes in its thread', async () => {
    const { lead, client, campaign, slug } = await setup({ tier: 'Cold', zone: 'Australia/Sydney', state: 'NSW' });
    let crashed = false;
    const crashing: ProviderSet = {
      ...bed.fakes.providers,
      email: {
        canSendFrom: (smtp) => bed.fakes.providers.email.canSendFrom(smtp),
        async send(m) {
          const r = await bed.fakes.providers.email.send(m);
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
    const progress = await w.runUntil(
      async () =>
        (await bed.env.client.workflow.execute('leadSequenceWorkflow', {
          taskQueue,
          workflowId: workflowIds.lead(lead.id),
          args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }],
        })) as LeadProgress,
    );
    expect(crashed).toBe(true);
    const firstEmails = bed.fakes.smtp.messages.filter((m) => m.to.some((t) => t.includes(slug)) && !m.inReplyTo);
    expect(firstEmails).toHaveLength(1);
    const rows = await touches(lead.id);
    expect(rows.filter((t) => t.step === 1)).toHaveLength(1);
    expect(progress.steps[0]).toMatchObject({ kind: 'email', status: 'failed', outcome: 'outcome_unknown_after_crash' });
    // Day 8 (DOMAIN.md): a threaded reply to the first email, whose Message-ID was fixed before the crash.
    const followUps = bed.fakes.smtp.messages.filter((m) => m.to.some((t) => t.includes(slug)) && m.inReplyTo);
    expect(followUps.map((m) => m.inReplyTo)).toEqual([firstEmails[0]!.messageId]);
    expect(progress.steps.find((s) => s.kind === 'email_followup')).toMatchObject({ status: 'sent' });
  });
});

describe('lead sequence: the client settings the calls are placed with', () => {
  it("VO-001: the call goes out with the client's assistant, its knowledge base added to the assistant's own tools, and its recording notice said first", async () => {
    const assistant = bed.fakes.vapi.addAssistant({ model: { provider: 'openai', model: 'gpt-4o', toolIds: ['tool_calendar'] } });
    const notice = 'Calls with us are recorded for quality and training';
    const { lead, client, campaign } = await setup({
      tier: 'Warm',
      zone: 'Australia/Sydney',
      state: 'NSW',
      phone: '+61412555001',
      settings: { voice: { assistantId: assistant.id, knowledgeBaseId: 'tool_kb_client', recordingNotice: notice } },
    });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const call = await w.runUntil(async () => {
      const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(lead.id),
        args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId: lead.id }],
      });
      await waitForTouch(lead.id, 'voice');
      const placed = bed.fakes.vapi.calls.find((c) => c.customer?.number === lead.phoneE164)!;
      await replyAndStop(handle, {
        eventId: 'stop-after-call',
        at: new Date(await bed.env.currentTimeMs()).toISOString(),
        channel: 'voice',
      });
      await handle.result();
      return placed;
    });
    expect(call.assistantId).toBe(assistant.id);
    // Vapi merges a model override only for the saved provider: the saved model is repeated, the knowledge base tool added.
    expect(call.assistantOverrides!.model).toEqual({ provider: 'openai', model: 'gpt-4o', toolIds: ['tool_calendar', 'tool_kb_client'] });
    expect(bed.fakes.vapi.requests.some((r) => r.method === 'GET' && r.path === `/assistant/${assistant.id}`)).toBe(true);
    // The first words are the client's notice (ended as a sentence), then who is calling and for whom.
    const first = call.assistantOverrides!.firstMessage as string;
    expect(first.startsWith(`${notice}. `), first).toBe(true);
    expect(first).toContain(client.name);
    expect(first).not.toContain(DEFAULT_RECORDING_NOTICE);
    expect(call.assistantOverrides).toMatchObject({ firstMessageMode: 'assistant-speaks-first' });
  });

  it('VO-001 AD-003: without a voice assistant the call step is skipped no_voice_assistant, the client gets one open alert for all its leads, and the sequences complete', async () => {
    const { lead, client, campaign } = await setup({
      tier: 'Hot',
      zone: 'Australia/Sydney',
      state: 'NSW',
      phone: '+61412555101',
      settings: {},
    });
    const second = await db.system.lead.create({
      data: {
        clientId: client.id,
        campaignId: campaign.id,
        sourceRow: 2,
        email: `second-${randomUUID().slice(0, 8)}@lead.example`,
        firstName: 'Sam',
        company: 'Lead Co',
        title: 'Founder',
        country: 'AU',
        state: 'NSW',
        timezone: 'Australia/Sydney',
        timezoneSource: 'hq',
        phoneE164: '+61412555102',
        phoneCountry: 'AU',
        score: 90,
        tier: 'Hot',
        dncrResult: 'not_registered',
        dncrWashedAt: new Date(await bed.env.currentTimeMs()),
        smsConsentBasis: 'inferred_business',
      },
    });
    const taskQueue = `seq-${randomUUID()}`;
    const w = await worker(taskQueue);
    const run = (leadId: string) =>
      bed.env.client.workflow.execute('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(leadId),
        args: [{ version: 1, clientId: client.id, campaignId: campaign.id, leadId }],
      }) as Promise<LeadProgress>;
    // One after the other: the second lead's skipped call finds the first one's alert still open.
    const [one, two] = await w.runUntil(async () => [await run(lead.id), await run(second.id)]);
    for (const p of [one, two]) {
      expect(p.state).toBe('completed');
      expect(p.steps.find((s) => s.kind === 'voice')).toMatchObject({ status: 'skipped', skipReason: 'no_voice_assistant' });
      expect(p.steps.find((s) => s.kind === 'email')!.status).toBe('sent');
      expect(p.steps.find((s) => s.kind === 'sms')!.status).toBe('sent');
    }
    expect(bed.fakes.vapi.calls.filter((c) => ['+61412555101', '+61412555102'].includes(c.customer?.number ?? ''))).toHaveLength(0);
    expect(await db.system.touch.count({ where: { clientId: client.id, channel: 'voice' } })).toBe(0);
    const alerts = await db.system.alert.findMany({ where: { clientId: client.id, resolvedAt: null } });
    expect(alerts.map((a) => [a.kind, a.dedupeKey])).toEqual([['voice_assistant_missing', `voice:no-assistant:${client.id}`]]);
  });
});

/**
 * How much simulated time a wait for a touch may let pass: beyond any step's day and a run of
 * public holidays. Counted in simulated time, never in real time: on a busy machine each step of
 * simulated time takes longer, which is no reason to fail.
 */
const TOUCH_HORIZON_MS = 21 * DAY;

/** Lets simulated time pass (half an hour at a time) until the lead has `count` sent touches on `channel`. */
async function waitForTouches(leadId: string, channel: 'email' | 'sms' | 'voice' | 'linkedin', count: number) {
  for (let waited = 0; ; waited += HOUR / 2) {
    const n = await db.system.touch.count({ where: { leadId, channel, status: { in: ['sent', 'delivered'] } } });
    if (n >= count) return;
    if (waited >= TOUCH_HORIZON_MS) break;
    await bed.env.sleep(HOUR / 2);
  }
  throw new Error(`fewer than ${count} ${channel} touches for ${leadId} after ${TOUCH_HORIZON_MS / DAY} simulated days`);
}

/** Lets simulated time pass (an hour at a time) until the lead has a sent touch on `channel`. */
async function waitForTouch(leadId: string, channel: 'email' | 'sms' | 'voice' | 'linkedin') {
  for (let waited = 0; ; waited += HOUR) {
    const t = await db.system.touch.findFirst({ where: { leadId, channel, status: { in: ['sent', 'delivered'] } } });
    if (t) return t;
    if (waited >= TOUCH_HORIZON_MS) break;
    await bed.env.sleep(HOUR);
  }
  const all = await db.system.touch.findMany({ where: { leadId } });
  throw new Error(
    `no ${channel} touch for ${leadId} by ${new Date(await bed.env.currentTimeMs()).toISOString()}; touches: ${JSON.stringify(all.map((t) => [t.channel, t.status, t.outcome]))}`,
  );
}
