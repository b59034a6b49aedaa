/**
 * conversation:{leadId} with lead:{leadId} on the time-skipping test server, the real activities,
 * real Postgres and the real SMTP client against the local SMTP fake (SYS-003, ED-005, SM-003).
 * A reply reaches both workflows as the webhooks send it: replyReceived to the sequence (which
 * holds at once), and inboundMessage to the conversation (signalWithStart).
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import {
  inboundMessageSignal,
  leadProgressQuery,
  manualReplySignal,
  reclassifySignal,
  workflowIds,
  type InboundMessage,
  type LeadProgress,
} from '../../workflows/contracts.js';
import { testDb } from '../helpers/context.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { createTestWorker } from '../helpers/app.js';
import { workflowBed } from '../helpers/workflow-bed.js';
import { recordHistory } from '../helpers/histories.js';

const db = testDb();
const bed = workflowBed(db);
const MINUTE = 60_000;
const BOOKING = 'https://cal.com/acme/intro';

async function setup() {
  return seedSequenceLead(db, bed.fakes, {
    tier: 'Hot',
    zone: 'Australia/Sydney',
    state: 'NSW',
    washedAt: new Date(await bed.env.currentTimeMs()),
    settings: { voice: { assistantId: 'asst_test' }, bookingLink: BOOKING, senderName: 'Ada' },
  });
}

type Seeded = Awaited<ReturnType<typeof setup>>;

/** Starts the lead's sequence and waits (simulated time) for its first email. */
async function sequenceWithFirstEmail(s: Seeded, taskQueue: string) {
  const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
    taskQueue,
    workflowId: workflowIds.lead(s.lead.id),
    args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, leadId: s.lead.id }],
  });
  // Hours of simulated time: the first window may be days away (a weekend, a run of public holidays).
  for (let i = 0; i < 10 * 24; i++) {
    const t = await db.system.touch.findFirst({ where: { leadId: s.lead.id, channel: 'email', status: { in: ['sent', 'delivered'] } } });
    if (t) return { handle, first: t };
    await bed.env.sleep(60 * MINUTE);
  }
  throw new Error('no first email');
}

/** What the reply webhook does: the fact, and the message to the conversation (started with it), which holds the sequence. */
async function reply(s: Seeded, taskQueue: string, _seq: WorkflowHandle, m: Omit<InboundMessage, 'at'>) {
  const at = new Date(await bed.env.currentTimeMs()).toISOString();
  await db.system.lead.update({ where: { id: s.lead.id }, data: { repliedAt: new Date(at), replyHoldUntil: null } });
  await bed.env.client.workflow.signalWithStart('conversationWorkflow', {
    taskQueue,
    workflowId: workflowIds.conversation(s.lead.id),
    args: [{ version: 1, clientId: s.client.id, leadId: s.lead.id }],
    signal: inboundMessageSignal,
    signalArgs: [{ ...m, at }],
  });
  return at;
}

const messages = (leadId: string) => db.system.message.findMany({ where: { leadId }, orderBy: [{ at: 'asc' }, { createdAt: 'asc' }] });

/** Waits in simulated time (steps of `stepMs`) until `pred` holds. */
async function until<T>(what: string, probe: () => Promise<T>, pred: (v: T) => boolean, stepMs = 5 * MINUTE, steps = 400): Promise<T> {
  let v = await probe();
  for (let i = 0; i < steps && !pred(v); i++) {
    await bed.env.sleep(stepMs);
    v = await probe();
  }
  if (!pred(v)) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
  return v;
}

describe('conversation:{leadId} (SYS-003, ED-005, SM-003)', () => {
  it('SYS-003 ED-005: an interested reply holds the sequence, is kept with its intent, and is answered by email in its thread 3-5 minutes later inside business hours, with the booking link', async () => {
    const s = await setup();
    const taskQueue = `conv-${randomUUID()}`;
    const w = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    await w.runUntil(async () => {
      const { handle: seq, first } = await sequenceWithFirstEmail(s, taskQueue);
      bed.fakes.smtp.clearMessages();
      const replyId = `<reply-${randomUUID()}@lead.example>`;
      const at = await reply(s, taskQueue, seq, {
        eventId: `email:${randomUUID()}`,
        channel: 'email',
        provider: 'email',
        providerMessageId: replyId,
        subject: `Re: ${(first.evidence as { subject: string }).subject}`,
        threadIds: [first.providerRef!],
        text: "Yes, I'm interested. Can we set up a call next week?\n\nOn Mon, Ada wrote:\n> Quick question",
      });
      // The answer is marked sent, then its conversation answered: wait for that last write.
      await until(
        'the answer',
        () => db.system.conversation.findUnique({ where: { leadId: s.lead.id } }),
        (c) => c?.state === 'answered',
      );
      const sent = await messages(s.lead.id);
      const inbound = sent.find((m) => m.direction === 'inbound')!;
      // Kept with the touch it answers: our first email, named in its thread.
      expect(inbound).toMatchObject({
        kind: 'reply',
        intent: 'interested',
        channel: 'email',
        providerMessageId: replyId,
        touchId: first.id,
      });
      const answer = sent.find((m) => m.direction === 'outbound')!;
      expect(answer).toMatchObject({
        kind: 'answer',
        channel: 'email',
        status: 'sent',
        provider: 'agency_os',
        meta: { writtenBy: 'template' },
      });
      // 3-5 minutes after the reply, moved into business hours (09:00-17:00 Mon-Fri) in the lead's zone.
      const delay = answer.at.getTime() - Date.parse(at);
      expect(delay).toBeGreaterThanOrEqual(3 * MINUTE);
      const local = DateTime.fromJSDate(answer.at, { zone: 'Australia/Sydney' });
      expect(local.weekday).toBeLessThanOrEqual(5);
      expect(local.hour * 60 + local.minute).toBeGreaterThanOrEqual(9 * 60);
      expect(local.hour * 60 + local.minute).toBeLessThan(17 * 60);
      const localReply = DateTime.fromISO(at, { zone: 'Australia/Sydney' });
      const replyInHours = localReply.weekday <= 5 && localReply.hour >= 9 && localReply.plus({ minutes: 5 }).hour < 17;
      if (replyInHours) expect(delay).toBeLessThanOrEqual(5 * MINUTE + MINUTE);

      const mail = bed.fakes.smtp.messages.find((m) => m.envelope.rcptTo.includes(s.lead.email!))!;
      expect(mail.inReplyTo).toBe(replyId);
      expect(mail.references).toContain(first.providerRef);
      expect(mail.subject).toMatch(/^Re: /);
      expect(mail.text).toContain('cal.com/acme/intro');
      expect(mail.text).toMatch(/Unsubscribe: /);

      const progress = (await seq.query(leadProgressQuery)) as LeadProgress;
      expect(progress.state).toBe('paused');
      expect(progress.replyHold).toMatchObject({ reason: 'interested' });
      const conv = await db.system.conversation.findUniqueOrThrow({ where: { leadId: s.lead.id } });
      expect(conv).toMatchObject({ state: 'answered', lastIntent: 'interested' });
      // Held: nothing else goes to the lead (one email touch, the answer aside).
      await bed.env.sleep(3 * 24 * 60 * MINUTE);
      expect(await db.system.touch.count({ where: { leadId: s.lead.id, status: { in: ['reserved', 'sent', 'delivered'] } } })).toBe(1);
      await recordHistory('conversation-interested-answered', bed.env.client.workflow.getHandle(workflowIds.conversation(s.lead.id)));
      await recordHistory('lead-sequence-reply-held', seq);
    });
  });

  it('SYS-003 SM-003: "not interested" stops the sequence and suppresses the email and the number; nothing answers', async () => {
    const s = await setup();
    const taskQueue = `conv-${randomUUID()}`;
    const w = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    const progress = await w.runUntil(async () => {
      const { handle: seq } = await sequenceWithFirstEmail(s, taskQueue);
      await reply(s, taskQueue, seq, {
        eventId: `twilio:${randomUUID()}`,
        channel: 'sms',
        provider: 'twilio',
        providerMessageId: `SM${randomUUID().replace(/-/g, '')}`,
        text: 'Not interested, thanks.',
      });
      const done = (await seq.result()) as LeadProgress;
      await recordHistory('lead-sequence-reply-stopped', seq);
      return done;
    });
    expect(progress).toMatchObject({ state: 'stopped', stopReason: 'replied' });
    const sup = await db.system.suppression.findMany({ where: { value: { in: [s.lead.email!, s.lead.phoneE164!] } } });
    expect(sup.map((x) => x.kind).sort()).toEqual(['email', 'phone']);
    const ms = await messages(s.lead.id);
    expect(ms.map((m) => [m.direction, m.intent])).toEqual([['inbound', 'not_interested']]);
  });

  it('SYS-003: an out-of-office holds the sequence until the return date read from it, then the sequence goes on', async () => {
    const s = await setup();
    const taskQueue = `conv-${randomUUID()}`;
    const w = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    await w.runUntil(async () => {
      const { handle: seq } = await sequenceWithFirstEmail(s, taskQueue);
      const back = DateTime.fromMillis(await bed.env.currentTimeMs(), { zone: 'Australia/Sydney' }).plus({ days: 10 });
      await reply(s, taskQueue, seq, {
        eventId: `email:${randomUUID()}`,
        channel: 'email',
        provider: 'email',
        providerMessageId: `<ooo-${randomUUID()}@lead.example>`,
        text: `I am out of the office and will return on ${back.toFormat('d MMMM yyyy')}.`,
      });
      const expectedUntil = back.startOf('day');
      const held = await until(
        'the hold until the return date',
        async () => (await seq.query(leadProgressQuery)) as LeadProgress,
        (p) => p.replyHold?.until !== undefined,
        MINUTE,
      );
      expect(held.replyHold).toEqual({ reason: 'out_of_office', until: expectedUntil.toUTC().toISO() });
      expect((await db.system.lead.findUniqueOrThrow({ where: { id: s.lead.id } })).replyHoldUntil?.toISOString()).toBe(
        expectedUntil.toUTC().toISO(),
      );
      // Nothing before the return; the next step after it.
      const next = await until(
        'a step after the return',
        () =>
          db.system.touch.findMany({ where: { leadId: s.lead.id, step: { gt: 1 }, status: { not: 'skipped' } }, orderBy: { step: 'asc' } }),
        (ts) => ts.length >= 1,
        6 * 60 * MINUTE,
        80,
      );
      expect(next[0]!.plannedAt!.getTime()).toBeGreaterThanOrEqual(expectedUntil.toMillis());
      expect((await messages(s.lead.id)).filter((m) => m.direction === 'outbound')).toEqual([]);
    });
  });

  it('SYS-003: a person corrects an intent (other -> not_interested) and answers by hand; the answer goes at once and the sequence stops', async () => {
    const s = await setup();
    const taskQueue = `conv-${randomUUID()}`;
    const w = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    const progress = await w.runUntil(async () => {
      const { handle: seq } = await sequenceWithFirstEmail(s, taskQueue);
      bed.fakes.smtp.clearMessages();
      await reply(s, taskQueue, seq, {
        eventId: `email:${randomUUID()}`,
        channel: 'email',
        provider: 'email',
        providerMessageId: `<r-${randomUUID()}@lead.example>`,
        text: 'Hmm.',
      });
      const [inbound] = await until(
        'the reply kept',
        () => messages(s.lead.id),
        (ms) => ms.length === 1 && ms[0]!.intent !== null,
        MINUTE,
      );
      expect(inbound!.intent).toBe('other');
      const conv = bed.env.client.workflow.getHandle(workflowIds.conversation(s.lead.id));
      await conv.signal(manualReplySignal, { requestId: randomUUID(), text: 'Thanks Lee, I will leave you be.', by: 'test' });
      await until(
        'the answer by hand',
        () => messages(s.lead.id),
        (ms) => ms.some((m) => m.kind === 'manual' && m.status === 'sent'),
        MINUTE,
      );
      await conv.signal(reclassifySignal, { requestId: randomUUID(), messageId: inbound!.id, intent: 'not_interested', by: 'test' });
      return (await seq.result()) as LeadProgress;
    });
    expect(progress).toMatchObject({ state: 'stopped', stopReason: 'replied' });
    expect(bed.fakes.smtp.messages.map((m) => m.text?.split('\n')[0])).toEqual(['Thanks Lee, I will leave you be.']);
    const reclassified = (await messages(s.lead.id)).find((m) => m.direction === 'inbound')!;
    expect(reclassified.intent).toBe('not_interested');
    expect(await db.system.suppression.count({ where: { value: s.lead.email! } })).toBe(1);
  });

  it("SYS-003: a referral with the person's address makes their lead in the same campaign, scored and sequenced once; the referring lead's sequence stops", async () => {
    const s = await setup();
    const taskQueue = `conv-${randomUUID()}`;
    const w = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    const progress = await w.runUntil(async () => {
      const { handle: seq } = await sequenceWithFirstEmail(s, taskQueue);
      const text = "I'm not the right person for this. Please reach out to Jane O'Neil (jane.oneil@leadco.example), our Head of Sales.";
      const m = {
        eventId: `email:${randomUUID()}`,
        channel: 'email' as const,
        provider: 'email',
        providerMessageId: `<ref-${randomUUID()}@lead.example>`,
        text,
      };
      await reply(s, taskQueue, seq, m);
      // The same message again (a redelivery by another path): still one new lead.
      await bed.env.client.workflow
        .getHandle(workflowIds.conversation(s.lead.id))
        .signal(inboundMessageSignal, { ...m, eventId: `again:${randomUUID()}`, at: new Date().toISOString() });
      const made = await until(
        "the referred person's lead, scored",
        () => db.system.lead.findMany({ where: { campaignId: s.campaign.id, email: 'jane.oneil@leadco.example' } }),
        (ls) => ls.length === 1 && ls[0]!.tier !== null,
        MINUTE,
      );
      expect(made[0]).toMatchObject({ firstName: 'Jane', lastName: "O'Neil", company: s.lead.company, timezone: s.lead.timezone });
      expect((made[0]!.attributes as { referral?: { fromLeadId: string } }).referral?.fromLeadId).toBe(s.lead.id);
      if (made[0]!.tier !== 'Dead') {
        // The claim names the lead's workflow on its row before the workflow is started: wait for the start.
        const referred = await until(
          'its sequence',
          () =>
            bed.env.client.workflow
              .getHandle(workflowIds.lead(made[0]!.id))
              .describe()
              .catch((err: unknown) => {
                if (err instanceof WorkflowNotFoundError) return null;
                throw err;
              }),
          (d) => d !== null,
          MINUTE,
        );
        expect(referred!.status.name).toBe('RUNNING');
        expect((await db.system.lead.findUniqueOrThrow({ where: { id: made[0]!.id } })).sequenceWorkflowId).toBe(
          workflowIds.lead(made[0]!.id),
        );
      }
      return (await seq.result()) as LeadProgress;
    });
    expect(progress).toMatchObject({ state: 'stopped', stopReason: 'replied' });
    expect(await db.system.lead.count({ where: { campaignId: s.campaign.id } })).toBe(2);
  });

  it('SYS-003 ED-005: a LinkedIn reply from a connected lead is answered on LinkedIn, through the seat it is connected on', async () => {
    const s = await setup();
    const taskQueue = `conv-${randomUUID()}`;
    const w = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    // The lead accepted the seat's invitation (LI-002): they are connected there.
    await db.system.linkedInInvitation.create({
      data: {
        clientId: s.client.id,
        seatId: s.res.seat.id,
        leadId: s.lead.id,
        providerId: s.providerId,
        state: 'accepted',
        acceptedAt: new Date(),
      },
    });
    bed.fakes.unipile.connect(s.res.seat.accountRef, s.providerId);
    await w.runUntil(async () => {
      const { handle: seq } = await sequenceWithFirstEmail(s, taskQueue);
      await reply(s, taskQueue, seq, {
        eventId: `unipile:${randomUUID()}`,
        channel: 'linkedin',
        provider: 'unipile',
        providerMessageId: `msg-${randomUUID()}`,
        text: 'Sounds interesting, happy to chat next week.',
      });
      await until(
        'the LinkedIn answer',
        () => messages(s.lead.id),
        (ms) => ms.some((m) => m.direction === 'outbound' && m.status === 'sent'),
      );
    });
    const chat = bed.fakes.unipile.chats.find((c) => c.attendeesIds.includes(s.providerId))!;
    expect(chat.accountId).toBe(s.res.seat.accountRef);
    expect(chat.text).toContain('cal.com/acme/intro');
    const answer = (await messages(s.lead.id)).find((m) => m.direction === 'outbound')!;
    expect(answer).toMatchObject({ channel: 'linkedin', kind: 'answer', status: 'sent' });
  });

  it("SYS-003: a worker that dies inside the answer's provider call (the mail accepted, no result recorded) never sends it twice: the answer is recorded with its outcome unknown and a person is told", async () => {
    const s = await setup();
    const taskQueue = `conv-${randomUUID()}`;
    let died = false;
    const providers = {
      ...bed.fakes.providers,
      email: {
        canSendFrom: bed.fakes.providers.email.canSendFrom,
        async send(m: Parameters<typeof bed.fakes.providers.email.send>[0]) {
          const r = await bed.fakes.providers.email.send(m);
          // The first email after the sequence's own: the answer. The SMTP server took it, then the worker died.
          if (m.subject.startsWith('Re:') && !died) {
            died = true;
            throw new Error('worker died after the SMTP server accepted the answer');
          }
          return r;
        },
      },
    };
    const w = await createTestWorker({ env: bed.env, taskQueue, db, providers });
    await w.runUntil(async () => {
      const { handle: seq } = await sequenceWithFirstEmail(s, taskQueue);
      bed.fakes.smtp.clearMessages();
      await reply(s, taskQueue, seq, {
        eventId: `email:${randomUUID()}`,
        channel: 'email',
        provider: 'email',
        providerMessageId: `<crash-${randomUUID()}@lead.example>`,
        text: 'Interested, can we talk next week?',
      });
      await until(
        'the answer recorded',
        () => messages(s.lead.id),
        (ms) => ms.some((m) => m.direction === 'outbound' && m.status === 'failed'),
      );
    });
    expect(died).toBe(true);
    expect(bed.fakes.smtp.messages.filter((m) => m.envelope.rcptTo.includes(s.lead.email!))).toHaveLength(1);
    const answer = (await messages(s.lead.id)).find((m) => m.direction === 'outbound')!;
    expect(answer).toMatchObject({ status: 'failed', reason: 'outcome_unknown_after_crash' });
    expect(await db.system.alert.count({ where: { clientId: s.client.id, kind: 'reply_not_answered' } })).toBe(1);
  });

  it('SYS-003 SM-003: an SMS answer is not sent to a number on the suppression list, even when the address is not on it', async () => {
    const s = await setup();
    const taskQueue = `conv-${randomUUID()}`;
    const w = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    await w.runUntil(async () => {
      const { handle: seq } = await sequenceWithFirstEmail(s, taskQueue);
      // The number opted out elsewhere (another client's STOP) after the lead wrote.
      await db.system.suppression.create({ data: { kind: 'phone', value: s.lead.phoneE164!, reason: 'opted_out:sms' } });
      await reply(s, taskQueue, seq, {
        eventId: `twilio:${randomUUID()}`,
        channel: 'sms',
        provider: 'twilio',
        providerMessageId: `SM${randomUUID().replace(/-/g, '')}`,
        text: 'Interested, what does it cost?',
      });
      await until(
        'the answer decided',
        () => messages(s.lead.id),
        (ms) => ms.some((m) => m.direction === 'outbound' && m.status !== 'scheduled'),
      );
    });
    const answer = (await messages(s.lead.id)).find((m) => m.direction === 'outbound')!;
    expect(answer).toMatchObject({ channel: 'sms', status: 'skipped', reason: 'suppressed' });
    expect(bed.fakes.twilio.messages.filter((m) => m.to === s.lead.phoneE164)).toEqual([]);
  });
});
