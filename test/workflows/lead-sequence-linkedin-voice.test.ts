/**
 * lead:{leadId}'s LinkedIn branch and call retries on the time-skipping test server, with the real
 * activities, real Postgres and the real provider SDKs pointed at the local fakes (issue 10):
 * the seat's rolling weekly cap (LI-004), an unanswered request withdrawn at Unipile (LI-002), the
 * tier re-checked before the post-accept message (LI-003, LI-005), and busy and no-answer retries
 * counted apart (VO-006). Expected times come from DOMAIN.md as written.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import type { WorkflowHandle } from '@temporalio/client';
import type { ProviderSet } from '../../providers/ports.js';
import type { Activities } from '../../activities/index.js';
import { isInsideWindow, nextSendTime } from '../../domain/windows.js';
import {
  callEndedSignal,
  leadProgressQuery,
  linkedinAcceptedSignal,
  replyReceivedSignal,
  replyHandledSignal,
  workflowIds,
  type LeadProgress,
  type ReplyReceived,
} from '../../workflows/contracts.js';
import { testDb, waitFor } from '../helpers/context.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { workflowBed } from '../helpers/workflow-bed.js';
import { createTestWorker } from '../helpers/app.js';
import { recordHistory } from '../helpers/histories.js';

const db = testDb();
const bed = workflowBed(db);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SYDNEY = 'Australia/Sydney';
const NSW = { country: 'AU', state: 'NSW' };

/** A Warm or Cool lead in Sydney with a number of its own (a person is one sequence at a time, one touch a day, across the test run). */
function setup(tier: 'Warm' | 'Cool', washedAt: string) {
  return seedSequenceLead(db, bed.fakes, { tier, zone: SYDNEY, washedAt: new Date(washedAt) });
}

type Setup = Awaited<ReturnType<typeof setup>>;

async function start(
  s: Setup,
  startAt: string,
  o: { providers?: ProviderSet; activityOverrides?: (real: Activities) => Partial<Activities> } = {},
) {
  const taskQueue = `seq-${randomUUID()}`;
  const worker = await createTestWorker({
    env: bed.env,
    taskQueue,
    db,
    providers: o.providers ?? bed.fakes.providers,
    activityOverrides: o.activityOverrides,
  });
  const run = <T>(fn: (handle: WorkflowHandle) => Promise<T>) =>
    worker.runUntil(async () => {
      const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
        taskQueue,
        workflowId: workflowIds.lead(s.lead.id),
        args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, leadId: s.lead.id, startAt }],
      });
      return fn(handle);
    });
  return run;
}

const touchesOf = (leadId: string, channel: 'email' | 'voice' | 'linkedin') =>
  db.system.touch.findMany({ where: { leadId, channel }, orderBy: { createdAt: 'asc' } });

/**
 * How much simulated time a wait for a touch may let pass: beyond any step's day, a run of public
 * holidays and a seat's full week. Counted in simulated time, never in real time: on a busy machine
 * each half hour of simulated time takes longer, which is no reason to fail.
 */
const TOUCH_HORIZON_MS = 21 * DAY;

/** Lets simulated time pass (half an hour at a time) until the lead has `count` sent touches on `channel`. */
async function waitForTouches(leadId: string, channel: 'voice' | 'linkedin', count: number) {
  for (let waited = 0; ; waited += 30 * MINUTE) {
    const n = await db.system.touch.count({ where: { leadId, channel, status: { in: ['sent', 'delivered'] } } });
    if (n >= count) return;
    if (waited >= TOUCH_HORIZON_MS) break;
    await bed.env.sleep(30 * MINUTE);
  }
  throw new Error(`fewer than ${count} ${channel} touches for ${leadId} after ${TOUCH_HORIZON_MS / DAY} simulated days`);
}

/**
 * Before a step's day: an hour and 17 seconds early, so the half-hour waits of waitForTouches never
 * end on a whole minute (when a call is placed and its report timer fires 30 minutes later).
 */
const PHASE = HOUR + 17_000;

/** Lets simulated time pass until `atMs` (the day a step is due), at once. */
async function skipTo(atMs: number) {
  await bed.env.sleep(Math.max(0, atMs - (await bed.env.currentTimeMs())));
}

const nowIso = async () => new Date(await bed.env.currentTimeMs()).toISOString();
const local = (at: Date | string | number, fmt = 'yyyy-MM-dd') =>
  DateTime.fromMillis(new Date(at).getTime(), { zone: SYDNEY }).toFormat(fmt);

/** The rule's "next business day" in New South Wales, computed here from the calendar: a weekday that is no public holiday. */
const nswHolidays = new Holidays('AU', 'NSW');
function nextBusinessDay(day: string): string {
  let d = DateTime.fromISO(day, { zone: SYDNEY }).plus({ days: 1 });
  const closed = (x: DateTime) =>
    x.weekday > 5 || (nswHolidays.isHoliday(x.set({ hour: 12 }).toJSDate()) || []).some((h) => h.type === 'public');
  while (closed(d)) d = d.plus({ days: 1 });
  return d.toFormat('yyyy-MM-dd');
}

async function endLastCall(handle: WorkflowHandle, outcome: 'busy' | 'no_answer', endedReason: string): Promise<number> {
  const call = bed.fakes.vapi.lastCall()!;
  const at = await bed.env.currentTimeMs();
  await handle.signal(callEndedSignal, {
    eventId: `vapi:${call.id}`,
    at: new Date(at).toISOString(),
    callId: call.id,
    outcome,
    endedReason,
  });
  return at;
}

/** Waits (in real time) until the voice step has its final outcome, then ends the sequence with a reply. */
async function finishAfterVoice(handle: WorkflowHandle): Promise<LeadProgress> {
  await waitFor(
    async () => {
      const p = await handle.query(leadProgressQuery);
      const v = p.steps.find((s) => s.kind === 'voice')!;
      return v.status === 'sent' || v.status === 'failed';
    },
    { what: 'the voice step to end' },
  );
  await replyAndStop(handle, { eventId: `reply-${randomUUID()}`, at: await nowIso(), channel: 'voice' });
  return (await handle.result()) as LeadProgress;
}

const insideVoiceWindow = (at: Date) => isInsideWindow({ channel: 'voice', zone: SYDNEY, location: NSW, at });

/** A reply, then its conversation's decision to stop the sequence (SYS-003: the reply itself only holds it). */
async function replyAndStop(handle: WorkflowHandle, e: ReplyReceived) {
  await handle.signal(replyReceivedSignal, e);
  await handle.signal(replyHandledSignal, { eventId: `handled:${e.eventId}`, decision: 'stop', reason: 'not_interested' });
}

describe('LinkedIn: weekly cap, withdrawal at Unipile, tier re-check (LI-002..LI-005)', () => {
  it('LI-004: the 81st connection request of a seat in a rolling week waits until the oldest of the 80 is 7 days old, and is sent then', async () => {
    const s = await setup('Cool', '2027-02-27T00:00:00Z');
    // Day 0 = Monday 1 March 2027, 09:00 in Sydney: the request is due on day 5, Saturday 6 March.
    const startAt = '2027-02-28T22:00:00.000Z';
    // The seat sent 80 requests, 20 a day (its daily cap) from Tuesday 2 to Friday 5 March, 10:00-10:19 in Sydney.
    const oldest = Date.parse('2027-03-01T23:00:00.000Z'); // Tuesday 2 March, 10:00 AEDT
    await db.system.lead.createMany({
      data: Array.from({ length: 80 }, (_, i) => ({
        clientId: s.client.id,
        campaignId: s.campaign.id,
        sourceRow: 100 + i,
        email: `earlier-${i}-${s.lead.id}@lead.example`,
      })),
    });
    const earlier = await db.system.lead.findMany({
      where: { campaignId: s.campaign.id, sourceRow: { gte: 100 } },
      orderBy: { sourceRow: 'asc' },
    });
    await db.system.linkedInInvitation.createMany({
      data: earlier.map((l, i) => ({
        clientId: s.client.id,
        seatId: s.res.seat.id,
        leadId: l.id,
        providerId: `ACoEarlier${i}`,
        sentAt: new Date(oldest + Math.floor(i / 20) * DAY + (i % 20) * MINUTE),
      })),
    });
    const run = await start(s, startAt);
    const progress = await run(async (handle) => {
      await skipTo(Date.parse(startAt) + 5 * DAY - PHASE);
      await waitForTouches(s.lead.id, 'linkedin', 1);
      await replyAndStop(handle, { eventId: 'reply-after-request', at: await nowIso(), channel: 'email' });
      return (await handle.result()) as LeadProgress;
    });

    // The step was due on Saturday 6 March, inside the LinkedIn window, while the seat's week was full...
    const dueAt = nextSendTime({
      channel: 'linkedin',
      zone: s.res.seat.timezone,
      now: Date.parse(startAt) + 5 * DAY,
      seed: `${s.lead.id}:3:0`,
    });
    expect(local(dueAt)).toBe('2027-03-06');
    const [request] = await touchesOf(s.lead.id, 'linkedin');
    // ... and went when the oldest of the 80 left the rolling 7 days: Tuesday 9 March from 10:00.
    expect(request!.sentAt!.getTime()).toBeGreaterThanOrEqual(oldest + 7 * DAY);
    expect(local(request!.sentAt!)).toBe('2027-03-09');
    expect(isInsideWindow({ channel: 'linkedin', zone: s.res.seat.timezone, at: request!.sentAt! })).toBe(true);
    expect(progress.steps.find((x) => x.kind === 'linkedin_connect')).toMatchObject({
      status: 'sent',
      plannedAt: request!.plannedAt!.toISOString(),
    });
    expect(bed.fakes.unipile.invitations.filter((i) => i.providerId === s.providerId)).toHaveLength(1);
    // No rolling 7 days of the seat ever holds more than 80 requests.
    const sent = (await db.system.linkedInInvitation.findMany({ where: { seatId: s.res.seat.id } })).map((i) => i.sentAt.getTime());
    expect(sent).toHaveLength(81);
    for (const u of sent) expect(sent.filter((t) => t > u - 7 * DAY && t <= u).length, new Date(u).toISOString()).toBeLessThanOrEqual(80);
  });

  it('LI-002: a request unanswered for 14 days is ignored and at 30 days withdrawn at Unipile (once, even when the activity is retried after success); no message', async () => {
    const s = await setup('Cool', '2027-03-06T00:00:00Z');
    const startAt = '2027-03-07T22:00:00.000Z'; // Monday 8 March 2027, 09:00 in Sydney: the request on Saturday 13
    let crashed = false;
    const run = await start(s, startAt, {
      // The worker dies after the withdrawal was done and recorded: the retry must do nothing more.
      activityOverrides: (real) => ({
        async withdrawLinkedInInvitation(input) {
          const r = await real.withdrawLinkedInInvitation(input);
          if (!crashed) {
            crashed = true;
            throw new Error('worker died after the withdrawal');
          }
          return r;
        },
      }),
    });
    const { progress, ignored } = await run(async (handle) => {
      await skipTo(Date.parse(startAt) + 5 * DAY - PHASE);
      await waitForTouches(s.lead.id, 'linkedin', 1);
      await bed.env.sleep(15 * DAY);
      const mid = await handle.query(leadProgressQuery);
      const row = await db.system.linkedInInvitation.findFirstOrThrow({ where: { leadId: s.lead.id } });
      const ignored = { state: mid.linkedin?.state, row: row.state, cancelled: bed.fakes.unipile.cancelledInvitations.length };
      const result = (await handle.result()) as LeadProgress;
      await recordHistory('lead-sequence-linkedin-withdrawn-lanes', handle);
      return { progress: result, ignored };
    });
    expect(ignored).toMatchObject({ state: 'ignored', row: 'ignored' });

    const [request] = await touchesOf(s.lead.id, 'linkedin');
    const invitation = bed.fakes.unipile.invitations.find((i) => i.providerId === s.providerId)!;
    expect(request!.providerRef).toBe(invitation.invitationId);
    expect(crashed).toBe(true);
    // Withdrawn at Unipile exactly once, 30 days after the request (DOMAIN.md: withdrawn (30 days)).
    expect(bed.fakes.unipile.cancelledInvitations.filter((c) => c.invitationId === invitation.invitationId)).toEqual([
      { invitationId: invitation.invitationId, accountId: s.res.seat.accountRef, cancelledAt: expect.any(Date) },
    ]);
    const deletes = bed.fakes.unipile.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/${invitation.invitationId}`));
    expect(deletes.map((r) => [r.query.account_id, r.status])).toEqual([[s.res.seat.accountRef, 200]]);
    expect(invitation.status).toBe('WITHDRAWN');
    const withdrawnAt = Date.parse(progress.linkedin!.withdrawnAt!);
    expect(withdrawnAt).toBeGreaterThanOrEqual(request!.sentAt!.getTime() + 30 * DAY);
    expect(withdrawnAt).toBeLessThan(request!.sentAt!.getTime() + 30 * DAY + HOUR);
    expect(progress.linkedin).toMatchObject({ state: 'withdrawn' });
    expect(progress.linkedin!.messagedAt).toBeUndefined();
    // The row says withdrawn; the request's touch says when and what Unipile answered.
    expect((await db.system.linkedInInvitation.findFirstOrThrow({ where: { leadId: s.lead.id } })).state).toBe('withdrawn');
    const touch = await db.system.touch.findUniqueOrThrow({ where: { id: request!.id } });
    expect((touch.outcome as { invitation?: unknown }).invitation).toEqual({
      state: 'withdrawn',
      at: progress.linkedin!.withdrawnAt,
      unipile: 'withdrawn',
    });
    expect(bed.fakes.unipile.chats.filter((c) => c.attendeesIds.includes(s.providerId))).toHaveLength(0);
    expect(progress.state).toBe('completed');
  });

  it("LI-002: when the activity dies after Unipile withdrew the request, the retry's 404 (no longer pending there) counts as withdrawn", async () => {
    const s = await setup('Cool', '2027-03-06T00:00:00Z');
    const startAt = '2027-03-07T22:00:00.000Z'; // Monday 8 March 2027, 09:00 in Sydney: the request on Saturday 13
    let crashed = false;
    const providers: ProviderSet = {
      ...bed.fakes.providers,
      linkedin: {
        ...bed.fakes.providers.linkedin,
        async withdrawInvitation(input) {
          const r = await bed.fakes.providers.linkedin.withdrawInvitation(input);
          if (!crashed) {
            crashed = true;
            throw new Error('worker died after Unipile withdrew the request');
          }
          return r;
        },
      },
    };
    const run = await start(s, startAt, { providers });
    const progress = await run(async (handle) => (await handle.result()) as LeadProgress);
    const invitation = bed.fakes.unipile.invitations.find((i) => i.providerId === s.providerId)!;
    const deletes = bed.fakes.unipile.requests.filter((r) => r.method === 'DELETE' && r.path.endsWith(`/${invitation.invitationId}`));
    expect(deletes.map((r) => r.status)).toEqual([200, 404]);
    expect(bed.fakes.unipile.cancelledInvitations.filter((c) => c.invitationId === invitation.invitationId)).toHaveLength(1);
    expect(progress.linkedin).toMatchObject({ state: 'withdrawn', withdrawnAt: expect.any(String) });
    expect((await db.system.linkedInInvitation.findFirstOrThrow({ where: { leadId: s.lead.id } })).state).toBe('withdrawn');
    const [request] = await touchesOf(s.lead.id, 'linkedin');
    expect((request!.outcome as { invitation?: unknown }).invitation).toEqual({
      state: 'withdrawn',
      at: progress.linkedin!.withdrawnAt,
      unipile: 'not_pending',
    });
  });

  it('LI-002: a request the seat had already sent before the sequence (no id of ours) is found among its sent invitations and withdrawn at 30 days', async () => {
    const s = await setup('Cool', '2027-03-06T00:00:00Z');
    const startAt = '2027-03-07T22:00:00.000Z';
    bed.fakes.unipile.setInvitation(s.res.seat.accountRef, s.providerId, 'PENDING');
    const run = await start(s, startAt);
    const progress = await run(async (handle) => (await handle.result()) as LeadProgress);
    const [request] = await touchesOf(s.lead.id, 'linkedin');
    expect(request!.providerRef).toBe('already_pending'); // nothing sent twice
    expect(bed.fakes.unipile.invitations.filter((i) => i.providerId === s.providerId)).toHaveLength(0);
    const lists = bed.fakes.unipile.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/users/invite/sent');
    expect(lists.some((r) => r.query.account_id === s.res.seat.accountRef)).toBe(true);
    const cancelled = bed.fakes.unipile.cancelledInvitations.filter((c) => c.accountId === s.res.seat.accountRef);
    expect(cancelled).toHaveLength(1);
    expect(progress.linkedin).toMatchObject({ state: 'withdrawn', withdrawnAt: expect.any(String) });
    expect((await db.system.linkedInInvitation.findFirstOrThrow({ where: { leadId: s.lead.id } })).state).toBe('withdrawn');
    expect((request!.outcome as { invitation?: { unipile?: string } }).invitation?.unipile).toBe('withdrawn');
  });

  it('LI-003 LI-005: accepted, but the lead fell to Cold before the message 2 days later: no message, skipped as tier_not_allowed', async () => {
    const s = await setup('Cool', '2027-03-06T00:00:00Z');
    const startAt = '2027-03-07T22:00:00.000Z';
    const run = await start(s, startAt);
    const progress = await run(async (handle) => {
      await skipTo(Date.parse(startAt) + 5 * DAY - PHASE);
      await waitForTouches(s.lead.id, 'linkedin', 1);
      bed.fakes.unipile.acceptInvitation(s.res.seat.accountRef, s.providerId);
      await bed.env.sleep(DAY);
      await handle.signal(linkedinAcceptedSignal, { eventId: `new_relation:${s.res.seat.accountRef}:${s.providerId}`, at: await nowIso() });
      await waitFor(async () => (await handle.query(leadProgressQuery)).linkedin?.state === 'accepted', { what: 'the acceptance' });
      // A day after the acceptance (a day before the message) the lead is scored Cold.
      await bed.env.sleep(DAY);
      await db.system.lead.update({ where: { id: s.lead.id }, data: { tier: 'Cold', score: 25 } });
      return (await handle.result()) as LeadProgress;
    });
    expect(progress.linkedin).toMatchObject({ state: 'accepted', messageSkipReason: 'tier_not_allowed' });
    expect(progress.linkedin!.messagedAt).toBeUndefined();
    expect(Date.parse(progress.linkedin!.messageAt!)).toBeGreaterThanOrEqual(Date.parse(progress.linkedin!.acceptedAt!) + 2 * DAY);
    expect(bed.fakes.unipile.chats.filter((c) => c.attendeesIds.includes(s.providerId))).toHaveLength(0);
    const linkedin = await touchesOf(s.lead.id, 'linkedin');
    expect(linkedin).toHaveLength(1); // the request only: no message touch
    expect((linkedin[0]!.evidence as { kind?: string }).kind).toBeUndefined();
    expect(progress.state).toBe('completed');
  });
});

describe('voice retries: busy and no answer counted apart (VO-006)', () => {
  it('VO-006 VO-005: no answer on the Thursday before Easter is retried once, on Tuesday (the next business day in NSW), inside the window; a second no answer ends the step', async () => {
    const s = await setup('Warm', '2027-03-20T00:00:00Z');
    // Day 0 = Monday 22 March 2027, 09:00 in Sydney: the call is on day 3, Thursday 25 March.
    const startAt = '2027-03-21T22:00:00.000Z';
    const run = await start(s, startAt);
    const progress = await run(async (handle) => {
      await skipTo(Date.parse(startAt) + 3 * DAY - PHASE);
      await waitForTouches(s.lead.id, 'voice', 1);
      await endLastCall(handle, 'no_answer', 'customer-did-not-answer');
      await waitForTouches(s.lead.id, 'voice', 2);
      await endLastCall(handle, 'no_answer', 'customer-did-not-answer');
      return finishAfterVoice(handle);
    });
    const calls = await touchesOf(s.lead.id, 'voice');
    expect(calls).toHaveLength(2);
    expect(local(calls[0]!.sentAt!)).toBe('2027-03-25');
    // Good Friday 26, the weekend, Easter Monday 29: the next business day is Tuesday 30 March.
    expect(local(calls[1]!.sentAt!)).toBe('2027-03-30');
    expect(nextBusinessDay('2027-03-25')).toBe('2027-03-30');
    for (const c of calls) expect(insideVoiceWindow(c.sentAt!), c.sentAt!.toISOString()).toBe(true);
    // Its time: the window of that day, at the step's seeded minute.
    expect(calls[1]!.plannedAt!.toISOString()).toBe(
      nextSendTime({
        channel: 'voice',
        zone: SYDNEY,
        location: NSW,
        now: Date.parse('2027-03-29T22:00:00.000Z'),
        seed: `${s.lead.id}:2:1`,
      }).toISOString(),
    );
    expect(calls.map((c) => (c.outcome as { retry?: { reason: string } }).retry?.reason)).toEqual([
      'no_answer',
      'no_answer_retries_exhausted',
    ]);
    expect(progress.steps.find((x) => x.kind === 'voice')).toMatchObject({ status: 'sent', outcome: 'no_answer', attempts: 2 });
  });

  it('VO-006 VO-005: busy, then no answer, then busy twice: the no answer is still retried after a busy retry, and busy stops after its own 2 retries', async () => {
    const s = await setup('Warm', '2027-02-27T00:00:00Z');
    // Day 0 = Monday 1 March 2027, 09:00 in Sydney: the first call is on day 3, Thursday 4 March.
    const startAt = '2027-02-28T22:00:00.000Z';
    const run = await start(s, startAt);
    const ends: number[] = [];
    const progress = await run(async (handle) => {
      await skipTo(Date.parse(startAt) + 3 * DAY - PHASE);
      await waitForTouches(s.lead.id, 'voice', 1);
      ends.push(await endLastCall(handle, 'busy', 'customer-busy'));
      await waitForTouches(s.lead.id, 'voice', 2);
      ends.push(await endLastCall(handle, 'no_answer', 'customer-did-not-answer'));
      await waitForTouches(s.lead.id, 'voice', 3);
      ends.push(await endLastCall(handle, 'busy', 'customer-busy'));
      await waitForTouches(s.lead.id, 'voice', 4);
      ends.push(await endLastCall(handle, 'busy', 'customer-busy'));
      return finishAfterVoice(handle);
    });
    const calls = await touchesOf(s.lead.id, 'voice');
    expect(calls.map((c) => (c.outcome as { call: { outcome: string } }).call.outcome)).toEqual(['busy', 'no_answer', 'busy', 'busy']);
    expect(calls.map((c) => (c.outcome as { retry: { reason: string } }).retry.reason)).toEqual([
      'busy',
      'no_answer',
      'busy',
      'busy_retries_exhausted',
    ]);
    const at = calls.map((c) => c.sentAt!.getTime());
    for (const t of at) expect(insideVoiceWindow(new Date(t)), new Date(t).toISOString()).toBe(true);
    // Busy: at least 2 hours after the busy call ended.
    expect(at[1]!).toBeGreaterThanOrEqual(ends[0]! + 2 * HOUR);
    expect(at[3]!).toBeGreaterThanOrEqual(ends[2]! + 2 * HOUR);
    // No answer: on the next business day after that call.
    expect(local(at[2]!)).toBe(nextBusinessDay(local(ends[1]!)));
    expect(progress.steps.find((x) => x.kind === 'voice')).toMatchObject({ status: 'sent', outcome: 'busy', attempts: 4 });
    expect(bed.fakes.vapi.calls.filter((c) => JSON.stringify(c).includes(s.lead.phoneE164!))).toHaveLength(4);
  });
});
