/**
 * What a live deployment never does: email over SMTP (the composition root chose the SMTP sender)
 * from a mailbox without SMTP credentials is never sent and never recorded as sent, not even
 * through the sandbox (ED-001, SYS-009); with AU_CALLS_AND_SMS=off (no Do Not Call Register), the
 * numbers the register covers are never called or texted (SM-001, SM-002). lead:{leadId} on the
 * time-skipping test server with the real activities, real Postgres and the real provider SDKs
 * against the local fakes.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Prisma } from '../../generated/prisma/client.js';
import { createRefusingDncrRegister } from '../../providers/dncr/refusing.js';
import { workflowIds, type LeadProgress } from '../../workflows/contracts.js';
import { testDb } from '../helpers/context.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { createTestWorker } from '../helpers/app.js';
import { workflowBed } from '../helpers/workflow-bed.js';

const db = testDb();
const bed = workflowBed(db);
const REASON = 'mailbox_without_smtp_credentials';

/** A lead (Cold: email and its follow-up only) of a new client holding `mailboxes` SMTP mailboxes, a number and a seat. */
function setup(mailboxes: number, lead: { tier: 'Cold' | 'Hot'; phone?: string } = { tier: 'Cold' }) {
  // Never washed: a call or SMS needs a wash first (SM-001).
  return seedSequenceLead(db, bed.fakes, { ...lead, phone: lead.phone ?? null, washedAt: null, mailboxes, linkedin: false });
}

async function run(
  s: Awaited<ReturnType<typeof setup>>,
  activityOverrides?: Parameters<typeof createTestWorker>[0]['activityOverrides'],
  providers = bed.fakes.providers,
): Promise<LeadProgress> {
  const taskQueue = `email-${randomUUID()}`;
  const w = await createTestWorker({ env: bed.env, taskQueue, db, providers, ...(activityOverrides ? { activityOverrides } : {}) });
  return (await w.runUntil(
    bed.env.client.workflow.execute('leadSequenceWorkflow', {
      taskQueue,
      workflowId: workflowIds.lead(s.lead.id),
      args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, leadId: s.lead.id }],
    }),
  )) as LeadProgress;
}

const emailSteps = (p: LeadProgress) =>
  p.steps.filter((s) => s.kind === 'email' || s.kind === 'email_followup').map((s) => [s.kind, s.status, s.skipReason ?? null]);
const mailTo = (slug: string) => bed.fakes.smtp.messages.filter((m) => m.to.some((t) => t.includes(slug)));
const openAlerts = (clientId: string) =>
  db.system.alert.findMany({ where: { clientId, kind: REASON, resolvedAt: null }, orderBy: { createdAt: 'asc' } });

describe('ED-001 SYS-009: email over SMTP from a mailbox without SMTP credentials', () => {
  it.each([
    ['no SMTP settings at all', Prisma.DbNull],
    ["the sandbox's placeholder account", { host: 'sandbox', port: 587, secure: false, user: 'x@sandbox.test', pass: 'sandbox' }],
    ['settings without a password', { host: '127.0.0.1', port: 2525, secure: false, user: 'x@outreach.test' }],
  ])(
    'ED-001 SYS-009: the only mailbox has %s: both email steps are skipped with the reason, no touch, nothing sent, one alert',
    async (_what, smtp) => {
      const s = await setup(1);
      await db.system.mailbox.update({ where: { id: s.res.mailbox.id }, data: { smtp: smtp as never } });
      const progress = await run(s);
      expect(emailSteps(progress)).toEqual([
        ['email', 'skipped', REASON],
        ['email_followup', 'skipped', 'no_first_email'],
      ]);
      expect(await db.system.touch.count({ where: { leadId: s.lead.id } })).toBe(0);
      expect(mailTo(s.slug)).toHaveLength(0);
      expect(await db.system.sandboxOutbox.count({ where: { to: s.lead.email! } })).toBe(0);
      const alerts = await openAlerts(s.client.id);
      expect(alerts.map((a) => [a.kind, a.severity, a.dedupeKey, (a.data as { mailboxId?: string }).mailboxId])).toEqual([
        [REASON, 'critical', `mailbox:${s.res.mailbox.id}:${REASON}`, s.res.mailbox.id],
      ]);
      expect(alerts[0]!.message).toContain(s.res.mailbox.email);
    },
  );

  it('ED-001 ED-006 SYS-009: a mailbox without credentials is left out of the rotation: every email goes from the one that has them, with an alert for the other', async () => {
    const s = await setup(2);
    const [good, bad] = s.res.mailboxes;
    await db.system.mailbox.update({ where: { id: bad!.id }, data: { smtp: Prisma.DbNull } });
    const progress = await run(s);
    expect(emailSteps(progress)).toEqual([
      ['email', 'sent', null],
      ['email_followup', 'sent', null],
    ]);
    const rows = await db.system.touch.findMany({ where: { leadId: s.lead.id }, orderBy: { step: 'asc' } });
    expect(rows.map((t) => [t.status, (t.evidence as { mailboxId?: string }).mailboxId])).toEqual([
      ['sent', good!.id],
      ['sent', good!.id],
    ]);
    expect(mailTo(s.slug).map((m) => m.from)).toEqual([good!.email, good!.email]);
    expect((await openAlerts(s.client.id)).map((a) => a.dedupeKey)).toEqual([`mailbox:${bad!.id}:${REASON}`]);
  });

  it("ED-001 SYS-009: a follow-up whose thread's mailbox lost its credentials is skipped with the reason, not sent from another mailbox", async () => {
    const s = await setup(2);
    let threadMailbox: string | undefined;
    const progress = await run(s, (real) => ({
      // Right after the first email is sent, its mailbox loses its SMTP credentials.
      async sendStep(input) {
        const result = await real.sendStep(input);
        if (input.kind === 'email' && result.status === 'sent') {
          const touch = await db.system.touch.findUniqueOrThrow({ where: { idempotencyKey: input.idempotencyKey } });
          threadMailbox = (touch.evidence as { mailboxId: string }).mailboxId;
          await db.system.mailbox.update({ where: { id: threadMailbox }, data: { smtp: Prisma.DbNull } });
        }
        return result;
      },
    }));
    expect(emailSteps(progress)).toEqual([
      ['email', 'sent', null],
      ['email_followup', 'skipped', REASON],
    ]);
    const rows = await db.system.touch.findMany({ where: { leadId: s.lead.id } });
    expect(rows.map((t) => [t.channel, t.status])).toEqual([['email', 'sent']]);
    expect(mailTo(s.slug)).toHaveLength(1);
    expect((await openAlerts(s.client.id)).map((a) => a.dedupeKey)).toEqual([`mailbox:${threadMailbox}:${REASON}`]);
  });
});

describe('SM-001 SM-002: AU_CALLS_AND_SMS=off (no Do Not Call Register)', () => {
  it('SM-001 SM-002: an Australian number is never washed, called or texted: the call and SMS are skipped (register unavailable); email still goes', async () => {
    const phone = '+61412000777';
    const s = await setup(1, { tier: 'Hot', phone });
    // The register the composition root picks for AU_CALLS_AND_SMS=off (test/unit/providers/provider-set.test.ts).
    const progress = await run(s, undefined, { ...bed.fakes.providers, dncr: createRefusingDncrRegister() });
    const byKind = Object.fromEntries(progress.steps.map((x) => [x.kind, [x.status, x.skipReason ?? null]]));
    expect(byKind).toMatchObject({
      email: ['sent', null],
      email_followup: ['sent', null],
      voice: ['skipped', 'dncr_unavailable'],
      sms: ['skipped', 'dncr_unavailable'],
    });
    const rows = await db.system.touch.findMany({ where: { leadId: s.lead.id } });
    expect(rows.filter((t) => t.channel === 'voice' || t.channel === 'sms')).toEqual([]);
    expect(bed.fakes.twilio.messages.filter((m) => m.to === phone)).toHaveLength(0);
    expect(bed.fakes.vapi.calls.filter((c) => JSON.stringify(c).includes(phone))).toHaveLength(0);
    const lead = await db.system.lead.findUniqueOrThrow({ where: { id: s.lead.id } });
    expect([lead.dncrResult, lead.dncrWashedAt]).toEqual([null, null]);
  });
});
