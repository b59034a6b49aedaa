/**
 * A business condition never fails a lead's workflow (issue 10, SYS-009): an activity's permanent
 * failure (content that cannot be built, a row that is gone, a provider's permanent refusal) ends
 * the step as a recorded skip with its reason, raises one alert, and the sequence goes on.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ContentInvalid } from '../../domain/failures.js';
import { ProviderError } from '../../providers/ports.js';
import { workflowIds, type LeadProgress } from '../../workflows/contracts.js';
import { createTestWorker } from '../helpers/app.js';
import { workflowBed } from '../helpers/workflow-bed.js';
import { testDb } from '../helpers/context.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { touchesTotal } from '../../lib/metrics.js';

const db = testDb();
/** touches_total for a channel's skips with this reason (lib/metrics.ts). */
const skipped = async (channel: string, reason: string) =>
  (await touchesTotal.get()).values.find(
    (v) => v.labels.channel === channel && v.labels.outcome === 'skipped' && v.labels.reason === reason,
  )?.value ?? 0;
const bed = workflowBed(db);

async function runWith(failOn: string, error: (s: { lead: { phoneE164: string | null } }) => Error) {
  const s = await seedSequenceLead(db, bed.fakes, { tier: 'Hot', washedAt: new Date(await bed.env.currentTimeMs()) });
  const taskQueue = `business-${randomUUID()}`;
  const attempts: string[] = [];
  const worker = await createTestWorker({
    env: bed.env,
    taskQueue,
    db,
    providers: bed.fakes.providers,
    activityOverrides: (real) => ({
      async sendStep(input) {
        if (input.kind !== failOn) return real.sendStep(input);
        attempts.push(input.kind);
        throw error(s);
      },
    }),
  });
  const progress = (await worker.runUntil(
    bed.env.client.workflow.execute('leadSequenceWorkflow', {
      taskQueue,
      workflowId: workflowIds.lead(s.lead.id),
      args: [{ version: 1, clientId: s.client.id, campaignId: s.campaign.id, leadId: s.lead.id }],
    }),
  )) as LeadProgress;
  return { ...s, progress, attempts };
}

describe('a business failure is a recorded skip, never a failed workflow (SYS-009 AD-001)', () => {
  it('SYS-009 SM-004: SMS content that cannot be built skips the SMS step once, with its reason, an alert and a count in touches_total; the lead completes', async () => {
    const before = await skipped('sms', 'failure:ContentInvalid');
    const { progress, attempts, lead, client } = await runWith('sms', () => new ContentInvalid('the SMS does not fit one segment'));
    expect(await skipped('sms', 'failure:ContentInvalid')).toBe(before + 1);
    expect(progress.state).toBe('completed');
    expect(attempts).toEqual(['sms']); // not retried
    const sms = progress.steps.find((s) => s.kind === 'sms')!;
    expect(sms).toMatchObject({ status: 'skipped', skipReason: 'failure:ContentInvalid' });
    for (const s of progress.steps.filter((x) => x.kind === 'email' || x.kind === 'email_followup')) expect(s.status).toBe('sent');
    const alerts = await db.system.alert.findMany({ where: { clientId: client.id, kind: 'activity.permanent_failure' } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.message).toContain(workflowIds.lead(lead.id));
    expect((await db.system.lead.findUniqueOrThrow({ where: { id: lead.id } })).status).toBe('completed');
  });

  it("SYS-009 VO-002: a provider's permanent refusal of a call (a number it will not dial) skips the call step, and the steps after it still run; the alert does not repeat the number", async () => {
    const refusal = (s: { lead: { phoneE164: string | null } }) =>
      new ProviderError('vapi', 'invalid_request', `customer.number ${s.lead.phoneE164} is not a valid phone number`, false, 400);
    const { progress, attempts, client, lead } = await runWith('voice', refusal);
    expect(progress.state).toBe('completed');
    expect(attempts).toEqual(['voice']);
    expect(progress.steps.find((s) => s.kind === 'voice')).toMatchObject({
      status: 'skipped',
      skipReason: 'failure:provider_invalid_request',
    });
    expect(progress.steps.find((s) => s.kind === 'email_followup')).toMatchObject({ status: 'sent' });
    const alerts = await db.system.alert.findMany({ where: { clientId: client.id, kind: 'activity.permanent_failure' } });
    expect(alerts).toHaveLength(1);
    // Provider text quoting the number is scrubbed as a Sentry event is (lib/sentry-scrub.ts).
    expect(alerts[0]!.message).toContain('customer.number [phone] is not a valid phone number');
    expect(alerts[0]!.message).not.toContain(lead.phoneE164!.slice(3));
  });
});
