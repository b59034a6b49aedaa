/**
 * mailboxReadingWorkflow on the time-skipping test server with the real activities, real Postgres,
 * the real IMAP reader (imapflow) against the IMAP fake and the real SMTP client against the SMTP
 * fake (SYS-003, ED-004, SYS-008). The seeded client's mailbox is given an IMAP account on the
 * fake; lead:{leadId} and conversation:{leadId} run on the same worker, so a reply read from the
 * mailbox travels the whole way: the sequence holds, the conversation keeps it and reads its intent.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Prisma } from '../../generated/prisma/client.js';
import { leadProgressQuery, workflowIds, type LeadProgress } from '../../workflows/contracts.js';
import type { MailboxReadingResult } from '../../workflows/mailbox-reading.js';
import { testDb } from '../helpers/context.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { createTestWorker } from '../helpers/app.js';
import { workflowBed } from '../helpers/workflow-bed.js';
import { ImapFake } from '../fakes/imap-fake.js';
import { OURS, SAMPLES } from '../fakes/mail-samples.js';

const db = testDb();
const bed = workflowBed(db);
const MINUTE = 60_000;
const IMAP_PASS = 'imap-secret';

/** What each test started: fakes stopped, and its mailboxes no longer read by the next test's runs. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A client with a lead ready for its sequence, whose mailbox is read over IMAP from a fresh fake. */
async function setup(o: { pass?: string } = {}) {
  const s = await seedSequenceLead(db, bed.fakes, {
    tier: 'Hot',
    zone: 'Australia/Sydney',
    state: 'NSW',
    washedAt: new Date(await bed.env.currentTimeMs()),
    settings: { voice: { assistantId: 'asst_test' }, bookingLink: 'https://cal.com/acme/intro', senderName: 'Ada' },
  });
  const mailbox = s.res.mailbox;
  const imap = new ImapFake({ user: mailbox.email, pass: IMAP_PASS });
  const { host, port } = await imap.start();
  await db.system.mailbox.update({
    where: { id: mailbox.id },
    data: { imap: { host, port, secure: false, user: mailbox.email, pass: o.pass ?? IMAP_PASS } },
  });
  cleanups.push(
    () => imap.stop(),
    () => db.system.mailbox.update({ where: { id: mailbox.id }, data: { imap: Prisma.DbNull } }),
  );
  const taskQueue = `mailbox-reading-${randomUUID()}`;
  const worker = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
  return { ...s, mailbox, imap, taskQueue, worker };
}

type Seeded = Awaited<ReturnType<typeof setup>>;

/** Starts the lead's sequence and waits (simulated time) for its first email. */
async function sequenceWithFirstEmail(s: Seeded) {
  const handle = await bed.env.client.workflow.start('leadSequenceWorkflow', {
    taskQueue: s.taskQueue,
    workflowId: workflowIds.lead(s.lead.id),
    args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, leadId: s.lead.id }],
  });
  // Hours of simulated time: the first window may be days away (a weekend, a run of public holidays).
  for (let i = 0; i < 10 * 24; i++) {
    const t = await db.system.touch.findFirst({ where: { leadId: s.lead.id, channel: 'email', status: { in: ['sent', 'delivered'] } } });
    if (t) return { handle, first: t, subject: (t.evidence as { subject: string }).subject };
    await bed.env.sleep(60 * MINUTE);
  }
  throw new Error('no first email');
}

/**
 * One run of the workflow, as the Schedule starts it. Through a plain client: the environment's
 * own skips time while it waits for a result (years, with no timer to stop at), and the runs must
 * happen at the test's time.
 */
function readMailboxes(s: { taskQueue: string }, workflowId = `mailbox-reading-${randomUUID()}`): Promise<MailboxReadingResult> {
  const client = new Client({ connection: bed.env.connection, ...(bed.env.namespace ? { namespace: bed.env.namespace } : {}) });
  return client.workflow.execute('mailboxReadingWorkflow', {
    taskQueue: s.taskQueue,
    workflowId,
    args: [{ version: 1 }],
  });
}

/** A message as it sits in the mailbox (CRLF), dated at the test server's time. */
async function mail(headers: string[], body: string[]): Promise<string> {
  const date = new Date(await bed.env.currentTimeMs()).toUTCString();
  return [...headers, `Date: ${date}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', ...body, ''].join('\r\n');
}

const messages = (leadId: string) => db.system.message.findMany({ where: { leadId }, orderBy: [{ at: 'asc' }, { createdAt: 'asc' }] });

/** Waits in simulated time (steps of `stepMs`) until `pred` holds. */
async function until<T>(what: string, probe: () => Promise<T>, pred: (v: T) => boolean, stepMs = MINUTE, steps = 200): Promise<T> {
  let v = await probe();
  for (let i = 0; i < steps && !pred(v); i++) {
    await bed.env.sleep(stepMs);
    v = await probe();
  }
  if (!pred(v)) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
  return v;
}

describe('mailbox-reading (SYS-003, ED-004, SYS-008)', () => {
  it('SYS-003 SYS-008: the run reads 4 mailboxes at a time, reads one again at once while more is waiting (at most 8 batches), and a mailbox out of reach or refused does not stop the others', async () => {
    const taskQueue = `mailbox-reading-${randomUUID()}`;
    const calls: string[] = [];
    let inFlight = 0;
    let most = 0;
    const counts = { messages: 25, replies: 1, autoReplies: 0, bounces: 1, ignored: 23, duplicates: 0 };
    const worker = await createTestWorker({
      env: bed.env,
      taskQueue,
      db,
      providers: bed.fakes.providers,
      activityOverrides: () => ({
        mailboxesToRead: async () => ['flooded', 'behind-twice', 'down', 'refused', 'gone', 'quiet', 'one', 'two'],
        readMailbox: async ({ mailboxId }) => {
          calls.push(mailboxId);
          inFlight++;
          most = Math.max(most, inFlight);
          // The run's first reads are held until four are in flight at once, however slowly a busy
          // machine hands the worker their tasks (after a minute, a safety net, they go on and
          // `most` says how many came); then each read lasts a moment more, for a fifth to show.
          const heldUntil = calls.length <= 4 ? Date.now() + 60_000 : 0;
          while (most < 4 && Date.now() < heldUntil) await sleep(10);
          await sleep(30);
          inFlight--;
          if (mailboxId === 'down') throw ApplicationFailure.nonRetryable('imap: ETIMEDOUT (retries spent)');
          if (mailboxId === 'refused')
            return { ...counts, messages: 0, replies: 0, bounces: 0, ignored: 0, status: 'failed', hasMore: false };
          if (mailboxId === 'gone')
            return { ...counts, messages: 0, replies: 0, bounces: 0, ignored: 0, status: 'skipped', hasMore: false };
          const hasMore = mailboxId === 'flooded' || (mailboxId === 'behind-twice' && calls.filter((c) => c === mailboxId).length < 3);
          return { ...counts, status: 'read', hasMore };
        },
      }),
    });
    const workflowId = `mailbox-reading-${randomUUID()}`;
    // The stand-in's permanent failure raises the worker's activity-failure alert: not left for other tests' alert counts.
    cleanups.push(() => db.system.alert.deleteMany({ where: { dedupeKey: { startsWith: `activity-failure:${workflowId}:` } } }));
    const r = await worker.runUntil(readMailboxes({ taskQueue }, workflowId));
    const readsOf = (id: string) => calls.filter((c) => c === id).length;
    expect(readsOf('flooded')).toBe(8);
    expect(readsOf('behind-twice')).toBe(3);
    expect(['down', 'refused', 'gone', 'quiet', 'one', 'two'].map(readsOf)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(most).toBe(4);
    expect(r).toEqual({
      mailboxes: 8,
      read: 5,
      failed: 1,
      unreachable: 1,
      skipped: 1,
      behind: 1,
      messages: 25 * (8 + 3 + 3),
      replies: 8 + 3 + 3,
      autoReplies: 0,
      bounces: 8 + 3 + 3,
      ignored: 23 * (8 + 3 + 3),
      duplicates: 0,
    });
  });

  it('SYS-003 SYS-008: a reply to our first email read from the mailbox reaches the conversation with its intent and holds the sequence; a stranger is ignored; the next poll reads nothing new', async () => {
    const s = await setup();
    await s.worker.runUntil(async () => {
      const { handle: seq, first, subject } = await sequenceWithFirstEmail(s);
      const replyId = `<reply-${randomUUID()}@lead.example>`;
      s.imap.deliver(
        await mail(
          [
            `From: Lee Lead <${s.lead.email}>`,
            `To: Sam Sender <${s.mailbox.email}>`,
            `Subject: Re: ${subject}`,
            `Message-ID: ${replyId}`,
            `In-Reply-To: ${first.providerRef}`,
            `References: ${first.providerRef}`,
          ],
          ["Yes, I'm interested. Can we set up a call next week?", '', 'On Mon, Ada wrote:', '> Quick question'],
        ),
      );
      s.imap.deliver(
        await mail(
          [
            `From: News <news@newsletter.example>`,
            `To: ${s.mailbox.email}`,
            'Subject: Our October issue',
            `Message-ID: <n-${randomUUID()}@x.example>`,
          ],
          ['Read all about it.'],
        ),
      );

      const r = await readMailboxes(s);
      expect(r).toMatchObject({ read: 1, failed: 0, unreachable: 0, messages: 2, replies: 1, autoReplies: 0, bounces: 0, ignored: 1 });

      const [inbound] = await until(
        'the reply kept with its intent',
        () => messages(s.lead.id),
        (ms) => ms.some((m) => m.direction === 'inbound' && m.intent !== null),
      );
      expect(inbound).toMatchObject({
        direction: 'inbound',
        kind: 'reply',
        intent: 'interested',
        channel: 'email',
        provider: 'email',
        providerMessageId: replyId,
        subject: `Re: ${subject}`,
      });
      expect(inbound!.text).toContain("Yes, I'm interested");
      const progress = await until(
        'the sequence held by the reply',
        async () => (await seq.query(leadProgressQuery)) as LeadProgress,
        (p) => p.replyHold?.reason === 'interested',
      );
      expect(progress.state).toBe('paused');
      expect((await db.system.lead.findUniqueOrThrow({ where: { id: s.lead.id } })).repliedAt).not.toBeNull();

      const row = await db.system.mailbox.findUniqueOrThrow({ where: { id: s.mailbox.id } });
      expect(row.imapCursor).toEqual({ uidValidity: expect.any(String), lastUid: 2 });
      expect(row.imapError).toBeNull();
      expect(row.imapReadAt).not.toBeNull();

      // The next poll starts after UID 2: nothing is fetched, nothing handed on twice.
      const fetches = s.imap.commands.filter((c) => c.command === 'UID FETCH').length;
      const again = await readMailboxes(s);
      expect(again).toMatchObject({ read: 1, messages: 0, replies: 0, ignored: 0 });
      expect(s.imap.commands.filter((c) => c.command === 'UID FETCH')).toHaveLength(fetches);
      expect((await messages(s.lead.id)).filter((m) => m.direction === 'inbound')).toHaveLength(1);
      // Read-only: the reply is still unread for a person looking at the mailbox.
      expect(s.imap.messages.every((m) => !m.flags.has('\\Seen'))).toBe(true);
    });
  });

  it('ED-004 SYS-008: a Postfix DSN 5.1.1 for our Message-ID suppresses the address and marks the touch hard-bounced; a hard bounce of no lead of ours still suppresses its address', async () => {
    const s = await setup();
    await s.worker.runUntil(async () => {
      const { first } = await sequenceWithFirstEmail(s);
      s.imap.deliver(SAMPLES.postfixDsn.replaceAll(OURS.toNobody, first.providerRef!).replace(/nobody@prospect\.test/gi, s.lead.email!));
      const stranger = `gone-${randomUUID().slice(0, 8)}@bigcorp.test`;
      s.imap.deliver(SAMPLES.gmailDsn.replace(/gone@bigcorp\.test/g, stranger));

      const r = await readMailboxes(s);
      expect(r).toMatchObject({ read: 1, messages: 2, bounces: 2, replies: 0, ignored: 0 });

      const sup = await db.system.suppression.findMany({ where: { value: { in: [s.lead.email!.toLowerCase(), stranger] } } });
      expect(sup.map((x) => [x.value, x.reason]).sort()).toEqual(
        [
          [s.lead.email!.toLowerCase(), 'hard_bounce'],
          [stranger, 'hard_bounce'],
        ].sort(),
      );
      const touch = await db.system.touch.findUniqueOrThrow({ where: { id: first.id } });
      expect(touch.status).toBe('failed');
      expect(touch.outcome).toMatchObject({ bounce: { hard: true, eventId: expect.stringMatching(/^imap:/) } });
      expect((await db.system.lead.findUniqueOrThrow({ where: { id: s.lead.id } })).hardBouncedAt).not.toBeNull();
      // Not a conversation message: a bounce is no reply.
      expect(await messages(s.lead.id)).toEqual([]);
    });
  });

  it('SYS-003: a generic auto-reply is kept on the conversation as an auto-reply and the sequence is not held', async () => {
    const s = await setup();
    await s.worker.runUntil(async () => {
      const { handle: seq, first, subject } = await sequenceWithFirstEmail(s);
      s.imap.deliver(
        await mail(
          [
            `From: Lee Lead <${s.lead.email}>`,
            `To: ${s.mailbox.email}`,
            `Subject: Re: ${subject}`,
            `Message-ID: <auto-${randomUUID()}@lead.example>`,
            `In-Reply-To: ${first.providerRef}`,
            'Auto-Submitted: auto-replied',
          ],
          [
            'Thank you for contacting Lead Co. This message confirms we have received your email; our team will respond within two business days.',
          ],
        ),
      );
      const r = await readMailboxes(s);
      expect(r).toMatchObject({ read: 1, messages: 1, autoReplies: 1, replies: 0 });

      const [kept] = await until(
        'the auto-reply kept',
        () => messages(s.lead.id),
        (ms) => ms.length === 1 && ms[0]!.intent !== null,
      );
      expect(kept).toMatchObject({ direction: 'inbound', kind: 'auto_reply', provider: 'email' });
      expect(kept!.intent).not.toBe('out_of_office');
      const progress = await until(
        'the sequence released',
        async () => (await seq.query(leadProgressQuery)) as LeadProgress,
        (p) => p.state === 'running' && p.replyHold === undefined,
      );
      expect(progress.stopReason).toBeUndefined();
      // The sequence goes on: its next step is taken.
      await until(
        'a step after the auto-reply',
        () => db.system.touch.count({ where: { leadId: s.lead.id, step: { gt: first.step }, status: { not: 'skipped' } } }),
        (n) => n >= 1,
        6 * 60 * MINUTE,
        80,
      );
    });
  });

  it('SYS-003 SYS-008: a refused IMAP password is recorded on the mailbox with one alert, the workflow completes, the mailbox is left alone for an hour, and read again once its password is right', async () => {
    const s = await setup({ pass: 'wrong-password' });
    await s.worker.runUntil(async () => {
      const r = await readMailboxes(s);
      expect(r).toMatchObject({ mailboxes: 1, failed: 1, read: 0, unreachable: 0 });
      const row = await db.system.mailbox.findUniqueOrThrow({ where: { id: s.mailbox.id } });
      expect(row.imapError).toMatch(/^auth_failed: /);
      expect(row.imapCursor).toBeNull();
      const alertsOf = () => db.system.alert.findMany({ where: { dedupeKey: `mailbox:${s.mailbox.id}:imap` } });
      const [alert, ...more] = await alertsOf();
      expect(more).toEqual([]);
      expect(alert).toMatchObject({ kind: 'mailbox_imap_failed', severity: 'critical', clientId: s.client.id, resolvedAt: null });
      expect(alert!.message).toContain(s.mailbox.email);
      expect(alert!.message).not.toContain('wrong-password');

      // Within the hour the mailbox is not tried again (no login with a refused password every minute).
      const logins = () => s.imap.commands.filter((c) => c.command === 'LOGIN' || c.command === 'AUTHENTICATE').length;
      const tried = logins();
      expect(await readMailboxes(s)).toMatchObject({ mailboxes: 0 });
      expect(logins()).toBe(tried);

      // An hour later it is tried again: refused again, still one alert.
      await bed.env.sleep(61 * MINUTE);
      expect(await readMailboxes(s)).toMatchObject({ mailboxes: 1, failed: 1 });
      expect(logins()).toBeGreaterThan(tried);
      expect(await alertsOf()).toHaveLength(1);

      // The right password: read again, the failure cleared and the alert resolved.
      await db.system.mailbox.update({
        where: { id: s.mailbox.id },
        data: { imap: { ...(row.imap as object), pass: IMAP_PASS } },
      });
      await bed.env.sleep(61 * MINUTE);
      expect(await readMailboxes(s)).toMatchObject({ mailboxes: 1, read: 1, failed: 0 });
      expect((await db.system.mailbox.findUniqueOrThrow({ where: { id: s.mailbox.id } })).imapError).toBeNull();
      expect((await alertsOf())[0]!.resolvedAt).not.toBeNull();
    });
  });
});
