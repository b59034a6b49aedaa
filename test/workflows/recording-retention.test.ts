/**
 * recordingRetentionWorkflow on the time-skipping test server with the real activities, real
 * Postgres and the Vapi and Twilio adapters against their fakes (VO-003): a call recorded 91 days
 * ago is deleted at Vapi (DELETE /call/{id}), its Twilio recording too (DELETE
 * .../Recordings/{RE}.json), and its recording reference cleared on its touch, with the
 * deletion recorded; one recorded 89 days ago is kept; a second run deletes nothing again.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import type { RecordingRetentionResult } from '../../workflows/recording-retention.js';
import { testDb } from '../helpers/context.js';
import { seedSequenceLead } from '../helpers/lead-setup.js';
import { createTestWorker } from '../helpers/app.js';
import { workflowBed } from '../helpers/workflow-bed.js';

const db = testDb();
const bed = workflowBed(db);
const DAY = 86_400_000;

function retention(taskQueue: string): Promise<RecordingRetentionResult> {
  const client = new Client({ connection: bed.env.connection, ...(bed.env.namespace ? { namespace: bed.env.namespace } : {}) });
  return client.workflow.execute('recordingRetentionWorkflow', {
    taskQueue,
    workflowId: `recording-retention-${randomUUID()}`,
    args: [{ version: 1 }],
  });
}

describe('recording-retention (VO-003)', () => {
  it('VO-003: a 91-day-old recording is deleted at Vapi and its reference cleared with the deletion recorded; an 89-day-old one is kept', async () => {
    const now = await bed.env.currentTimeMs();
    const s = await seedSequenceLead(db, bed.fakes, { tier: 'Hot' });
    /** A call that Vapi holds (with its recording) and its touch, placed `daysAgo` days ago. */
    const call = async (step: number, daysAgo: number) => {
      const id = randomUUID();
      const at = new Date(now - daysAgo * DAY).toISOString();
      const recordingUrl = `https://storage.vapi.ai/${id}-mono.wav`;
      // Twilio's copy of the recording (the reference the call's end stored, VO-003).
      const twilioRec = bed.fakes.twilio.addRecording(`CA${id.replace(/-/g, '')}`, { durationSeconds: 30 });
      bed.fakes.vapi.calls.push({
        id,
        orgId: bed.fakes.vapi.orgId,
        type: 'outboundPhoneCall',
        status: 'ended',
        endedReason: 'customer-ended-call',
        createdAt: at,
        updatedAt: at,
        phoneCallProvider: 'twilio',
        phoneCallProviderId: `CA${id.replace(/-/g, '')}`,
        phoneCallTransport: 'pstn',
        artifact: { recordingUrl },
      });
      const touch = await db.system.touch.create({
        data: {
          clientId: s.client.id,
          campaignId: s.campaign.id,
          leadId: s.lead.id,
          step,
          channel: 'voice',
          status: 'delivered',
          idempotencyKey: `retention-${id}`,
          sentAt: new Date(at),
          provider: 'vapi',
          providerRef: id,
          outcome: {
            phase: 'done',
            call: { callId: id, outcome: 'answered', recordingUrl },
            transcript: 'AI: hello',
            recording: { recordingSid: twilioRec.sid, url: recordingUrl, durationSeconds: 30 },
          },
        },
      });
      return { id, touch, recordingUrl, recordingSid: twilioRec.sid };
    };
    const old = await call(2, 91);
    const recent = await call(3, 89);

    const taskQueue = `recording-retention-${randomUUID()}`;
    const worker = await createTestWorker({ env: bed.env, taskQueue, db, providers: bed.fakes.providers });
    const [first, second] = await worker.runUntil(async () => [await retention(taskQueue), await retention(taskQueue)]);

    // Deleted at Vapi: the 91-day-old call only.
    expect(bed.fakes.vapi.deletedCallIds).toContain(old.id);
    expect(bed.fakes.vapi.deletedCallIds).not.toContain(recent.id);
    expect(bed.fakes.vapi.calls.map((c) => c.id)).toContain(recent.id);
    const deletes = bed.fakes.vapi.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.filter((r) => r.path === `/call/${old.id}`)).toHaveLength(1);
    expect(first.deleted).toBeGreaterThanOrEqual(1);
    // Its reference cleared, the deletion recorded; the rest of the outcome kept.
    const oldAfter = (await db.system.touch.findUniqueOrThrow({ where: { id: old.touch.id } })).outcome as Record<string, any>;
    expect(oldAfter.recording).toBeNull();
    expect(oldAfter.call.recordingUrl).toBeUndefined();
    expect(oldAfter.recordingDeleted).toMatchObject({
      provider: 'vapi',
      result: 'deleted',
      recording: { provider: 'twilio', sid: old.recordingSid, result: 'deleted' },
    });
    // Twilio's copy deleted too (DELETE .../Recordings/{RE}.json), the recent one kept.
    expect(bed.fakes.twilio.deletedRecordingSids).toContain(old.recordingSid);
    expect(bed.fakes.twilio.deletedRecordingSids).not.toContain(recent.recordingSid);
    expect(bed.fakes.twilio.recordings.map((r) => r.sid)).toContain(recent.recordingSid);
    expect(Date.parse(oldAfter.recordingDeleted.at)).toBeGreaterThanOrEqual(now);
    expect(oldAfter.transcript).toBe('AI: hello');
    // The 89-day-old one untouched.
    const recentAfter = (await db.system.touch.findUniqueOrThrow({ where: { id: recent.touch.id } })).outcome as Record<string, any>;
    expect(recentAfter.recording).toMatchObject({ url: recent.recordingUrl });
    expect(recentAfter.recordingDeleted).toBeUndefined();
    // Idempotent: the second run finds it cleared (one DELETE in all, above).
    expect(second.cleared).toBe(0);
  });
});
