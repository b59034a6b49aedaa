/**
 * The mailbox reading's decisions without a database or a server (SYS-003, ED-004, SYS-008):
 * readMailbox (activities/mailbox-reading.ts) in a mock activity context, over real parsed
 * samples (test/fakes/mail-samples.ts) from a stand-in reader, with the lead events and the
 * mailbox state recorded; the stored IMAP account as it is read (services/mailbox-reading.ts);
 * the IMAP account a bought mailbox is stored with (activities/pool/purchases.ts, against the
 * InfraForge fake); and the Schedule's policies (lib/schedules.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { createMailboxReadingActivities, type ReadMailboxResult } from '../../activities/mailbox-reading.js';
import { parseInboundMail } from '../../providers/email/inbound-mail.js';
import { ProviderError, type MailboxReader } from '../../providers/ports.js';
import type { MailboxBatch, MailboxCursor } from '../../providers/ports/mailbox.js';
import type { Services } from '../../services/index.js';
import type { LeadRef } from '../../services/leads/lookup.js';
import { imapAccountOf, type MailboxToRead } from '../../services/mailbox-reading.js';
import { SCHEDULES, scheduleOptions } from '../../lib/schedules.js';
import { createPurchaseActivities } from '../../activities/pool/purchases.js';
import { createInfraForgeRegistrar } from '../../providers/forge/infraforge.js';
import { sandboxPoolProviders } from '../../app/providers.js';
import { createMemoryRecorder } from '../../providers/sandbox/index.js';
import { defaultDomainConfig } from '../../domain/config.js';
import { INFRAFORGE_FAKE_IMAP_HOST, InfraForgeFake } from '../fakes/infraforge-fake.js';
import { OURS, SAMPLES } from '../fakes/mail-samples.js';
import { POOL_CONTACT } from '../helpers/pool-fakes.js';

const NOW = Date.parse('2026-12-03T10:00:00.000Z');
const BOX: MailboxToRead = {
  id: '0b7d7d5e-9d1c-4a43-9a43-2f0c3f0b1c11',
  email: 'anna@agency-mail.test',
  clientId: 'c1',
  account: { host: 'imap.agency-mail.test', port: 993, secure: true, user: 'anna@agency-mail.test', pass: 'pw' },
  cursor: { uidValidity: '77', lastUid: 4 },
  error: null,
};
const lead = (email: string, id = 'lead-1'): LeadRef => ({
  id,
  clientId: 'c1',
  campaignId: 'camp-1',
  email,
  phoneE164: null,
  sequenceWorkflowId: `lead:${id}`,
});

interface World {
  box?: MailboxToRead | null;
  byMessageId?: Record<string, LeadRef>;
  byEmail?: Record<string, LeadRef>;
  kept?: string[];
  fetch?: (cursor: MailboxCursor, max?: number) => Promise<MailboxBatch>;
}

/** The activity over recorded stand-ins; `run` reads one batch at NOW. */
function world(w: World) {
  const calls = {
    replied: [] as { lead: LeadRef; e: any; m: any }[],
    bounced: [] as { lead: LeadRef | null; e: any }[],
    lookups: [] as { by: string; args: unknown[] }[],
    read: [] as unknown[][],
    failed: [] as string[],
    raised: [] as any[],
    resolved: [] as string[][],
    readers: [] as { account: unknown; closed: number; cursors: MailboxCursor[] }[],
  };
  const services = {
    alerts: {
      system: {
        raise: async (a: unknown) => (calls.raised.push(a), { id: 'a1', created: true }),
        resolve: async (keys: string[]) => (calls.resolved.push(keys), 1),
      },
    },
    leadEvents: {
      system: {
        leadByMessageId: async (...ids: string[]) => {
          calls.lookups.push({ by: 'messageId', args: ids });
          return ids.map((id) => w.byMessageId?.[id]).find(Boolean) ?? null;
        },
        leadByEmail: async (address: string, opts: unknown) => {
          calls.lookups.push({ by: 'email', args: [address, opts] });
          return w.byEmail?.[address] ?? null;
        },
        replied: async (l: LeadRef, e: unknown, m: unknown) => (calls.replied.push({ lead: l, e, m }), 'signalled'),
        bounced: async (l: LeadRef | null, e: unknown) => (calls.bounced.push({ lead: l, e }), l ? 'signalled' : 'no_lead'),
      },
    },
    mailboxReading: {
      system: {
        toRead: async () => [],
        mailbox: async () => (w.box === undefined ? BOX : w.box),
        read: async (...a: unknown[]) => void calls.read.push(a),
        failed: async (_id: string, kind: string, message: string) => {
          calls.failed.push(`${kind}: ${message}`);
          return `${kind}: ${message}`;
        },
        messageKept: async (_p: string, id: string) => (w.kept ?? []).includes(id),
      },
    },
  } as unknown as Services;
  const mailboxReader = (account: unknown): MailboxReader => {
    const r = { account, closed: 0, cursors: [] as MailboxCursor[] };
    calls.readers.push(r);
    return {
      fetchNew: async (cursor, max) => {
        r.cursors.push(cursor);
        return w.fetch!(cursor, max);
      },
      close: async () => void r.closed++,
    };
  };
  const acts = createMailboxReadingActivities({ services, mailboxReader });
  const run = () =>
    new MockActivityEnvironment().run(acts.readMailbox, {
      version: 1 as const,
      mailboxId: BOX.id,
      nowMs: NOW,
    }) as Promise<ReadMailboxResult>;
  return { calls, run };
}

/** A batch of these raw messages from UID 5 on, under UIDVALIDITY 77. */
async function batchOf(...raws: string[]): Promise<MailboxBatch> {
  const messages: MailboxBatch['messages'] = [];
  for (const [i, raw] of raws.entries()) messages.push({ uid: 5 + i, mail: await parseInboundMail(raw) });
  return { cursor: { uidValidity: '77', lastUid: 4 + raws.length }, messages, hasMore: false };
}

describe('readMailbox (SYS-003, ED-004, SYS-008)', () => {
  it('SYS-003 SYS-008: a reply found by its thread is handed on as the inbound-email webhook does, then the cursor is saved and the reader closed', async () => {
    const batch = await batchOf(SAMPLES.plainReply);
    const { calls, run } = world({ byMessageId: { [OURS.followUp]: lead('lee.ead@prospect.test') }, fetch: async () => batch });
    const r = await run();
    expect(r).toEqual({ status: 'read', messages: 1, replies: 1, autoReplies: 0, bounces: 0, ignored: 0, duplicates: 0, hasMore: false });
    expect(calls.readers).toHaveLength(1);
    expect(calls.readers[0]!.account).toEqual(BOX.account);
    expect(calls.readers[0]!.cursors).toEqual([BOX.cursor]);
    expect(calls.replied).toHaveLength(1);
    const { e, m } = calls.replied[0]!;
    expect(e).toEqual({ eventId: `imap:${BOX.id}:77:5`, at: '2025-11-04T14:20:55.000Z', channel: 'email', text: expect.any(String) });
    expect(e.text).toMatch(/^Hi Anna,\s+Yes, happy to talk/);
    expect(m).toEqual({
      provider: 'email',
      providerMessageId: '<CAB1x=Qz9kL0pR2m@mail.prospect.test>',
      to: BOX.email,
      subject: 'Re: Quick question about Prospect Co',
      threadIds: [OURS.followUp, OURS.first],
      auto: false,
    });
    expect(calls.read).toEqual([[BOX.id, { uidValidity: '77', lastUid: 5 }, new Date(NOW)]]);
    expect(calls.readers[0]!.closed).toBe(1);
    expect(calls.resolved).toEqual([]);
  });

  it("SYS-003: a reply outside any thread of ours is found by its sender within the mailbox's client; an out-of-office is handed on as machine-written", async () => {
    const stranger = SAMPLES.latin1Reply.replace(/^In-Reply-To: .*\r\n/m, '');
    const batch = await batchOf(stranger, SAMPLES.outOfOffice);
    const { calls, run } = world({
      byEmail: { 'francois.leger@entreprise.test': lead('francois.leger@entreprise.test', 'lead-2') },
      byMessageId: { [OURS.first]: lead('lee@prospect.test') },
      fetch: async () => batch,
    });
    expect(await run()).toMatchObject({ messages: 2, replies: 1, autoReplies: 1, ignored: 0 });
    expect(calls.lookups).toContainEqual({ by: 'email', args: ['francois.leger@entreprise.test', { mailbox: BOX.email }] });
    expect(calls.replied.map((c) => [c.lead.id, c.m.auto])).toEqual([
      ['lead-2', false],
      ['lead-1', true],
    ]);
    expect(calls.replied[0]!.m).not.toHaveProperty('threadIds');
  });

  it('SYS-008: a message nobody we wrote to sent is ignored; one already kept (the webhook brought it) is not handed on again; neither holds the cursor back', async () => {
    const batch = await batchOf(SAMPLES.sjisReply, SAMPLES.plainReply);
    const { calls, run } = world({
      byMessageId: { [OURS.followUp]: lead('lee.ead@prospect.test') },
      kept: ['<CAB1x=Qz9kL0pR2m@mail.prospect.test>'],
      fetch: async () => batch,
    });
    expect(await run()).toMatchObject({ status: 'read', messages: 2, ignored: 1, duplicates: 1, replies: 0 });
    expect(calls.replied).toEqual([]);
    expect(calls.read).toHaveLength(1);
  });

  it('SYS-003: a Date header ahead of our clock is not believed: the read time stands in', async () => {
    const future = SAMPLES.plainReply.replace(/^Date: .*$/m, 'Date: Sat, 1 Jan 2028 09:00:00 +0000');
    const batch = await batchOf(future);
    const { calls, run } = world({ byMessageId: { [OURS.followUp]: lead('lee.ead@prospect.test') }, fetch: async () => batch });
    await run();
    expect(calls.replied[0]!.e.at).toBe(new Date(NOW).toISOString());
  });

  it('ED-004: bounces go to the lead of the email that bounced, hard or soft as the DSN says; a hard bounce of no lead still suppresses its address', async () => {
    const batch = await batchOf(SAMPLES.postfixDsn, SAMPLES.delayedDsn, SAMPLES.eximBounce);
    const nobody = lead('nobody@prospect.test');
    const slow = lead('slow@laggard.test', 'lead-3');
    const { calls, run } = world({ byMessageId: { [OURS.toNobody]: nobody, [OURS.toSlow]: slow }, fetch: async () => batch });
    expect(await run()).toMatchObject({ messages: 3, bounces: 3, replies: 0, ignored: 0 });
    const eventId = (uid: number) => `imap:${BOX.id}:77:${uid}`;
    expect(calls.bounced).toEqual([
      {
        lead: nobody,
        e: {
          eventId: eventId(5),
          at: '2025-11-03T09:00:03.000Z',
          hard: true,
          address: 'nobody@prospect.test',
          messageId: OURS.toNobody,
          source: eventId(5),
        },
      },
      {
        lead: slow,
        e: {
          eventId: eventId(6),
          at: '2025-11-03T13:00:05.000Z',
          hard: false,
          address: 'slow@laggard.test',
          messageId: OURS.toSlow,
          source: eventId(6),
        },
      },
      {
        lead: null,
        e: {
          eventId: eventId(7),
          at: '2025-11-03T09:10:00.000Z',
          hard: true,
          address: 'former.employee@oldcorp.test',
          messageId: OURS.toFormer,
          source: eventId(7),
        },
      },
    ]);
    expect(calls.replied).toEqual([]);
  });

  it('ED-004: a bounce naming several recipients ties the lead to its own address only; the others are suppressed alone', async () => {
    const two = SAMPLES.eximBounce.replace(
      'X-Failed-Recipients: former.employee@oldcorp.test',
      'X-Failed-Recipients: other@oldcorp.test, former.employee@oldcorp.test',
    );
    const former = lead('Former.Employee@oldcorp.test', 'lead-4');
    const { calls, run } = world({ byMessageId: { [OURS.toFormer]: former }, fetch: async () => batchOf(two) });
    await run();
    expect(calls.bounced.map((b) => [b.lead?.id ?? null, b.e.address, b.e.messageId ?? null, b.e.eventId])).toEqual([
      [null, 'other@oldcorp.test', null, `imap:${BOX.id}:77:5`],
      ['lead-4', 'former.employee@oldcorp.test', OURS.toFormer, `imap:${BOX.id}:77:5:1`],
    ]);
  });

  it('SYS-008: credentials refused: recorded on the mailbox and alerted once per mailbox (never with the password); the activity returns, nothing else moves', async () => {
    const { calls, run } = world({
      fetch: async () => {
        throw new ProviderError('imap', 'auth_failed', 'IMAP login refused: NO [AUTHENTICATIONFAILED] Invalid credentials', false);
      },
    });
    const r = await run();
    expect(r).toMatchObject({
      status: 'failed',
      messages: 0,
      error: 'auth_failed: IMAP login refused: NO [AUTHENTICATIONFAILED] Invalid credentials',
    });
    expect(calls.failed).toEqual([r.error]);
    expect(calls.raised).toEqual([
      expect.objectContaining({ kind: 'mailbox_imap_failed', severity: 'critical', dedupeKey: `mailbox:${BOX.id}:imap`, clientId: 'c1' }),
    ]);
    expect(JSON.stringify(calls.raised)).not.toContain(BOX.account.pass);
    expect(calls.read).toEqual([]);
    expect(calls.readers[0]!.closed).toBe(1);
  });

  it('SYS-008: a network failure is recorded as unreachable and thrown for Temporal to retry; no alert; the reader is closed', async () => {
    const { calls, run } = world({
      fetch: async () => {
        throw new Error('imap: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:993');
      },
    });
    await expect(run()).rejects.toThrow(/ECONNREFUSED/);
    expect(calls.failed).toEqual(['unreachable: imap: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:993']);
    expect(calls.raised).toEqual([]);
    expect(calls.read).toEqual([]);
    expect(calls.readers[0]!.closed).toBe(1);
  });

  it('SYS-008: a read after a failure resolves its alert; a mailbox no longer to be read is skipped without a connection', async () => {
    const after = world({ box: { ...BOX, error: 'auth_failed: refused' }, fetch: async () => batchOf() });
    expect(await after.run()).toMatchObject({ status: 'read', messages: 0 });
    expect(after.calls.resolved).toEqual([[`mailbox:${BOX.id}:imap`]]);

    const gone = world({ box: null, fetch: async () => batchOf() });
    expect(await gone.run()).toMatchObject({ status: 'skipped', messages: 0 });
    expect(gone.calls.readers).toEqual([]);
  });

  it('SYS-003: only counts go back to the workflow, never a message', async () => {
    const batch = await batchOf(SAMPLES.plainReply, SAMPLES.withAttachment);
    const { run } = world({ byMessageId: { [OURS.followUp]: lead('lee.ead@prospect.test') }, fetch: async () => batch });
    const r = await run();
    expect(Object.values(r).every((v) => typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string')).toBe(true);
    expect(JSON.stringify(r)).not.toMatch(/happy to talk|requirements/);
  });
});

describe('the stored IMAP account (services/mailbox-reading.ts)', () => {
  it('SYS-003: a complete account is read as stored; a missing field, a bad port or the sandbox host means the mailbox is not read', () => {
    const full = { host: ' imap.x.test ', port: 993, secure: true, user: 'a@x.test', pass: 'pw' };
    expect(imapAccountOf(full)).toEqual({ host: 'imap.x.test', port: 993, secure: true, user: 'a@x.test', pass: 'pw' });
    // Without `secure`, 993 is TLS from the first byte and any other port upgrades with STARTTLS.
    expect(imapAccountOf({ host: 'imap.x.test', port: 993, user: 'a', pass: 'p' })?.secure).toBe(true);
    expect(imapAccountOf({ host: 'imap.x.test', port: 143, user: 'a', pass: 'p' })?.secure).toBe(false);
    for (const bad of [
      null,
      'imap',
      [],
      { ...full, pass: '' },
      { ...full, user: ' ' },
      { ...full, port: 0 },
      { ...full, port: '993' },
      { ...full, host: 'sandbox' },
    ]) {
      expect(imapAccountOf(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});

describe('the mailbox-reading Schedule (lib/schedules.ts)', () => {
  it('SYS-003: every minute, overlapping runs skipped, no catch-up beyond one run; the other schedules keep their hour', () => {
    const def = SCHEDULES.find((s) => s.id === 'mailbox-reading')!;
    const opts = scheduleOptions(def, 'q');
    expect(opts.spec).toEqual({ intervals: [{ every: '1 minute' }] });
    expect(opts.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'mailboxReadingWorkflow',
      workflowId: 'mailbox-reading',
      taskQueue: 'q',
    });
    expect(opts.policies).toMatchObject({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' });
    // (recording-retention chooses its own: a day, VO-003.)
    for (const other of SCHEDULES.filter((s) => s !== def && s.id !== 'recording-retention'))
      expect(scheduleOptions(other, 'q').policies?.catchupWindow).toBe('1 hour');
  });
});

describe('a bought mailbox keeps its IMAP account (activities/pool/purchases.ts)', () => {
  const infra = new InfraForgeFake();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = (await infra.start()).baseUrl;
  });
  afterAll(() => infra.stop());

  it("SYS-003 RP-005: InfraForge's IMAP credentials are stored with the SMTP ones for every mailbox of a bought domain", async () => {
    const saved: { email: string; smtp: object; imap: object }[] = [];
    const services = {
      alerts: {},
      domainConfig: defaultDomainConfig,
      pool: {
        purchases: {
          system: {
            claim: async (_tag: string, _type: string, _reason: string, details: () => Promise<object>) => ({
              id: 'p1',
              status: 'claimed',
              details: await details(),
            }),
            claimedDomainNames: async () => new Set<string>(),
            update: async () => undefined,
          },
        },
        inventory: {
          system: {
            takenDomainNames: async () => new Set<string>(),
            domainForPurchase: async (name: string) => ({ id: 'd1', name, purchasedAt: null, warmupStartedAt: null }),
            updateDomain: async () => ({}),
            saveBoughtMailbox: async (m: { email: string; smtp: object; imap: object }) => (saved.push(m), { id: `m${saved.length}` }),
            countMailboxes: async () => saved.length,
          },
        },
      },
    } as unknown as Services;
    const registrar = createInfraForgeRegistrar({
      baseUrl,
      apiKey: infra.apiKey,
      workspaceId: infra.workspaceId,
      contact: POOL_CONTACT,
    });
    const pool = { ...sandboxPoolProviders(createMemoryRecorder()), registrar };
    const acts = createPurchaseActivities({
      services,
      pool,
      poolSettings: { domainStem: 'imapread', domainTld: 'test', numberCountry: 'AU', publicBaseUrl: 'http://127.0.0.1:3999' },
    });
    const r = (await new MockActivityEnvironment().run(acts.buyPoolDomain, {
      version: 1 as const,
      tag: 'unit:domain:1',
      reason: 'test',
      nowMs: NOW,
    })) as { mailboxes: number };
    expect(r.mailboxes).toBeGreaterThan(0);
    expect(saved).toHaveLength(r.mailboxes);
    for (const m of saved) {
      expect(m.imap).toEqual({ host: INFRAFORGE_FAKE_IMAP_HOST, port: 993, secure: true, user: m.email, pass: expect.any(String) });
      expect(imapAccountOf(m.imap)).not.toBeNull();
    }
  });
});
