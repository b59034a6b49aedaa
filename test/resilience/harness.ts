/**
 * What the resilience runs share: the fault seed (RESILIENCE_SEED, printed when a test fails so the
 * run can be repeated), one client with many leads on given resources, and the ledger checks every
 * run ends with: each lead's touches exactly as its plan says, nothing sent twice by a provider.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { expect, onTestFailed } from 'vitest';
import { Client as TemporalClient, type Connection } from '@temporalio/client';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { workflowIds, type LeadProgress, type LeadSequenceInput } from '../../workflows/contracts.js';
import { createTestTenant, type testDb } from '../helpers/context.js';
import { SMTP_PASS, SMTP_USER, type ProviderFakes } from '../helpers/provider-fakes.js';
import { TEST_ASSISTANT } from '../helpers/lead-setup.js';

type Db = ReturnType<typeof testDb>;
const DAY = 86_400_000;

/** The run's fault seed: RESILIENCE_SEED, else a fixed default; printed when the test fails. */
export function resilienceSeed(): number {
  const raw = process.env.RESILIENCE_SEED;
  const seed = raw === undefined || raw === '' ? 20_261_202 : Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`RESILIENCE_SEED must be an integer, got ${raw}`);
  return seed;
}

/** Call inside a test: prints how to repeat the run when it fails. */
export function printSeedOnFailure(seed: number): void {
  onTestFailed(() => {
    console.error(
      `[resilience] this run's fault seed: RESILIENCE_SEED=${seed} (repeat it with RESILIENCE_SEED=${seed} npm run test:resilience)`,
    );
  });
}

/**
 * Holds the time-skipping server's clock while an activity runs: it skips time whenever nothing
 * holds it, and an activity slowed by a loaded machine would otherwise see its start-to-close
 * timeout come in simulated time and be run twice (the ledger would cope, but the run would test
 * the machine's speed, not the product).
 */
export function holdTimeDuringActivities(connection: Connection): ActivityInterceptorsFactory {
  const testService = connection.testService;
  if (!testService) throw new Error('not a time-skipping test server');
  return () => ({
    inbound: {
      async execute(input, next) {
        await testService.lockTimeSkipping({});
        try {
          return await next(input);
        } finally {
          await testService.unlockTimeSkipping({});
        }
      },
    },
  });
}

export interface FleetSpec {
  leads: number;
  tier: 'Hot' | 'Warm' | 'Cool' | 'Cold';
  /** Leads with a mobile number (the first n; default all). */
  withPhone?: number;
  /** Leads with a LinkedIn profile (the first n; default none). */
  withLinkedIn?: number;
  mailboxes?: number;
  /** When the numbers were washed (a call or SMS needs a fresh wash). */
  washedAt: Date;
  /** The client's own rule settings (PATCH /v1/settings `domainConfig`), e.g. its daily email cap. */
  domainConfig?: Record<string, unknown>;
}

/** One client (a voice assistant, SMS consent) with mailboxes, ONE number and ONE seat, a running campaign and its leads. */
export async function seedFleet(db: Db, fakes: ProviderFakes, spec: FleetSpec) {
  const { client } = await createTestTenant(db, 'Resilience client');
  await db.system.client.update({
    where: { id: client.id },
    data: {
      settings: {
        voice: { assistantId: TEST_ASSISTANT },
        smsConsentBasis: 'inferred_business',
        senderName: 'Rae Silient',
        ...(spec.domainConfig ? { domainConfig: spec.domainConfig } : {}),
      } as object,
    },
  });
  const tag = randomUUID().slice(0, 8);
  const domain = await db.system.domain.create({
    data: { name: `resilient-${tag}.test`, status: 'ready', heatScore: 92, purchasedAt: new Date(Date.now() - 40 * DAY) },
  });
  const mailboxes = [];
  for (let i = 0; i < (spec.mailboxes ?? 1); i++) {
    const m = await db.system.mailbox.create({
      data: {
        domainId: domain.id,
        email: `sender${i}@resilient-${tag}.test`,
        status: 'ready',
        dailyLimit: 50,
        senderName: 'Rae Silient',
        smtp: { host: fakes.smtpAddr.host, port: fakes.smtpAddr.port, secure: false, user: SMTP_USER, pass: SMTP_PASS },
      },
    });
    mailboxes.push(m);
    await db.system.resourceAllocation.create({ data: { clientId: client.id, resourceType: 'mailbox', resourceId: m.id } });
  }
  const number = await db.system.phoneNumber.create({
    data: { e164: `+6128${String(randomInt(0, 1e7)).padStart(7, '0')}`, country: 'AU', status: 'ready', voiceRef: `vapi-phone-${tag}` },
  });
  await db.system.resourceAllocation.create({ data: { clientId: client.id, resourceType: 'phone_number', resourceId: number.id } });
  const seat = await db.system.linkedInSeat.create({
    data: { accountRef: `acc-${tag}`, timezone: 'Australia/Sydney', status: 'ready', createdAt: new Date(Date.now() - 60 * DAY) },
  });
  await db.system.resourceAllocation.create({ data: { clientId: client.id, resourceType: 'linkedin_seat', resourceId: seat.id } });
  const campaign = await db.system.campaign.create({
    data: { clientId: client.id, name: 'resilience', icp: { description: 'We help agencies book meetings.' }, status: 'running' },
  });

  // Mobile numbers no other lead of this database has (the person rules span every client).
  const prefix = randomInt(100, 1000);
  const score = { Hot: 90, Warm: 70, Cool: 45, Cold: 25 }[spec.tier];
  const rows = Array.from({ length: spec.leads }, (_, i) => {
    const slug = `r${tag}-${i}`;
    const phone = i < (spec.withPhone ?? spec.leads) ? `+614${prefix}${String(i).padStart(5, '0')}` : null;
    const linkedin = i < (spec.withLinkedIn ?? 0);
    if (linkedin) fakes.unipile.setProfile({ providerId: `ACo${tag}${i}`, publicIdentifier: slug, firstName: 'Res' } as never);
    return {
      clientId: client.id,
      campaignId: campaign.id,
      sourceRow: i + 1,
      email: `${slug}@lead.example`,
      firstName: 'Res',
      lastName: `Lead ${i}`,
      company: 'Lead Co',
      title: 'Founder',
      country: 'AU',
      state: 'NSW',
      timezone: 'Australia/Sydney',
      timezoneSource: 'hq' as const,
      phoneE164: phone,
      phoneCountry: phone ? 'AU' : null,
      linkedinUrl: linkedin ? `https://www.linkedin.com/in/${slug}` : null,
      score,
      tier: spec.tier,
      dncrResult: phone ? ('not_registered' as const) : null,
      dncrWashedAt: phone ? spec.washedAt : null,
      smsConsentBasis: 'inferred_business' as const,
    };
  });
  await db.system.lead.createMany({ data: rows });
  const leads = await db.system.lead.findMany({ where: { campaignId: campaign.id }, orderBy: { sourceRow: 'asc' } });
  return { client, campaign, leads, mailboxes, number, seat };
}
export type Fleet = Awaited<ReturnType<typeof seedFleet>>;

/** Starts every lead's sequence (`lead:{leadId}`), as the onboarding's start batch does. */
export async function startSequences(temporal: TemporalClient, taskQueue: string, fleet: Fleet) {
  return Promise.all(
    fleet.leads.map((lead) => {
      const input: LeadSequenceInput = { version: 1, clientId: fleet.client.id, campaignId: fleet.campaign.id, leadId: lead.id };
      return temporal.workflow.start('leadSequenceWorkflow', { taskQueue, workflowId: workflowIds.lead(lead.id), args: [input] });
    }),
  );
}

/**
 * Every lead sequence's result, simulated time running until they all end. Time skipping is
 * unlocked once for the whole wait: the test client's result() unlocks and locks around each
 * wait, and hundreds at once unbalance the test server's lock count (time then stops for good).
 */
export async function runToEnd(connection: Connection, fleet: Fleet): Promise<LeadProgress[]> {
  const testService = connection.testService;
  if (!testService) throw new Error('not a time-skipping test server');
  const plain = new TemporalClient({ connection });
  await testService.unlockTimeSkipping({});
  try {
    return await Promise.all(fleet.leads.map((l) => plain.workflow.getHandle(workflowIds.lead(l.id)).result() as Promise<LeadProgress>));
  } finally {
    await testService.lockTimeSkipping({});
  }
}

const CHANNEL = { email: 'email', email_followup: 'email', voice: 'voice', sms: 'sms', linkedin_connect: 'linkedin' } as const;

export interface LedgerReport {
  touches: number;
  sent: number;
  /** Steps failed because a provider call's outcome stayed unknown (at most once: never sent again). */
  outcomeUnknown: number;
  skipped: Record<string, number>;
}

/**
 * SYS-001: every lead's touches exactly as its plan says and nothing sent twice. For each lead: a
 * step the plan says was sent has exactly one sent touch, a skipped step none, a failed step a
 * failed touch; at the providers' fakes, each lead got at most one message per touch, and exactly
 * as many as its sent touches (a touch whose outcome stayed unknown may count 0 or 1).
 */
export async function checkLedger(db: Db, fakes: ProviderFakes, fleet: Fleet, progresses: LeadProgress[]): Promise<LedgerReport> {
  const touches = await db.system.touch.findMany({ where: { clientId: fleet.client.id } });
  const byLead = new Map<string, typeof touches>();
  for (const t of touches) byLead.set(t.leadId, [...(byLead.get(t.leadId) ?? []), t]);
  const problems: string[] = [];
  const report: LedgerReport = { touches: touches.length, sent: 0, outcomeUnknown: 0, skipped: {} };
  const isSent = (s: string) => s === 'sent' || s === 'delivered';

  // No idempotency key, and no (lead, step) among the main steps, was sent twice.
  const stepKeys = touches.filter((t) => isSent(t.status) && t.step > 0 && t.channel !== 'voice').map((t) => `${t.leadId}:${t.step}`);
  const dupSteps = stepKeys.filter((k, i) => stepKeys.indexOf(k) !== i);
  if (dupSteps.length) problems.push(`steps sent twice: ${dupSteps.slice(0, 5).join(', ')}`);

  for (const p of progresses) {
    const mine = byLead.get(p.leadId) ?? [];
    if (p.state !== 'completed' && !(p.state === 'stopped' && p.stopReason))
      problems.push(`lead ${p.leadId}: ended ${p.state} without a reason`);
    for (const s of p.steps) {
      const rows = mine.filter((t) => t.step === s.step && t.channel === CHANNEL[s.kind as keyof typeof CHANNEL]);
      const sent = rows.filter((t) => isSent(t.status));
      if (s.status === 'sent') {
        report.sent += 1;
        if (sent.length !== 1 && s.kind !== 'voice')
          problems.push(`lead ${p.leadId} step ${s.step} ${s.kind}: plan sent, ${sent.length} sent touches`);
        if (s.kind === 'voice' && sent.length < 1) problems.push(`lead ${p.leadId} call: plan sent, no call touch`);
      } else if (s.status === 'skipped') {
        report.skipped[s.skipReason ?? '?'] = (report.skipped[s.skipReason ?? '?'] ?? 0) + 1;
        if (sent.length)
          problems.push(`lead ${p.leadId} step ${s.step} ${s.kind}: plan skipped (${s.skipReason}), ${sent.length} sent touches`);
      } else if (s.status === 'failed') {
        if (s.outcome === 'outcome_unknown_after_crash') report.outcomeUnknown += 1;
        if (sent.length && s.kind !== 'voice')
          problems.push(`lead ${p.leadId} step ${s.step} ${s.kind}: plan failed, ${sent.length} sent touches`);
        if (!s.outcome) problems.push(`lead ${p.leadId} step ${s.step} ${s.kind}: failed without a reason`);
      } else if (!p.stopReason) {
        problems.push(`lead ${p.leadId} step ${s.step} ${s.kind}: left ${s.status}`);
      }
    }
  }

  // At the fakes: per lead, no more messages than touches that reached the provider, and no fewer than sent touches.
  const leadOf = new Map(fleet.leads.map((l) => [l.id, l]));
  for (const [leadId, mine] of byLead) {
    const lead = leadOf.get(leadId);
    if (!lead) continue;
    const reached = (channel: string) => mine.filter((t) => t.channel === channel && (isSent(t.status) || t.status === 'failed'));
    const sentCount = (channel: string) => mine.filter((t) => t.channel === channel && isSent(t.status)).length;
    const emails = fakes.smtp.messages.filter((m) => m.envelope.rcptTo.includes(lead.email!));
    const ids = emails.map((m) => m.messageId);
    if (new Set(ids).size !== ids.length) problems.push(`lead ${leadId}: the same email (Message-ID) delivered twice`);
    const sms = fakes.twilio.messages.filter((m) => m.to === lead.phoneE164);
    const calls = fakes.vapi.calls.filter((c) => c.customer?.number === lead.phoneE164);
    const callKeys = calls.map((c) => JSON.stringify((c.assistantOverrides?.metadata as { idempotencyKey?: string })?.idempotencyKey));
    if (new Set(callKeys).size !== callKeys.length) problems.push(`lead ${leadId}: one call attempt placed twice`);
    for (const [channel, got] of [
      ['email', emails.length],
      ['sms', sms.length],
      ['voice', calls.length],
    ] as const) {
      if (got > reached(channel).length || got < sentCount(channel))
        problems.push(
          `lead ${leadId} ${channel}: ${got} at the provider, ${sentCount(channel)} sent touches (${reached(channel).length} reached it)`,
        );
    }
  }
  expect(problems, problems.slice(0, 20).join('\n')).toEqual([]);
  return report;
}
