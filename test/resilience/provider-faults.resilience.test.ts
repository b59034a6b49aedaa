/**
 * 20% provider faults, seeded (RESILIENCE_SEED): every provider the sequences call (SMTP, Twilio,
 * Vapi, Unipile) answers a fifth of its requests with a 5xx, a 429 with Retry-After, a timeout
 * after acting, or a connection reset (test/fakes/faults.ts). Every lead's sequence ends, completed
 * or stopped with a reason; nothing is sent twice; and a touch is given up only when its outcome
 * is really unknown (the provider may have acted), never after a refusal that says it did nothing.
 * On the time-skipping server: the sequence's two weeks (and LinkedIn's 30 days) are simulated.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProviderSet } from '../../providers/ports.js';
import type { LeadProgress } from '../../workflows/contracts.js';
import { testDb } from '../helpers/context.js';
import { createTestWorker } from '../helpers/app.js';
import { workflowBed } from '../helpers/workflow-bed.js';
import {
  checkLedger,
  holdTimeDuringActivities,
  runToEnd,
  printSeedOnFailure,
  resilienceSeed,
  seedFleet,
  startSequences,
} from './harness.js';

const db = testDb();
const bed = workflowBed(db);
const LEADS = 40;

/** Calls end answered as soon as they are placed (the end-of-call report is asked of Vapi, through its faults). */
function answering(): ProviderSet {
  const voice = bed.fakes.providers.voice;
  return {
    ...bed.fakes.providers,
    voice: {
      async startCall(c) {
        const placed = await voice.startCall(c);
        bed.fakes.vapi.endCall(placed.callId, { endedReason: 'customer-ended-call', durationSeconds: 20 } as never);
        return placed;
      },
      getCall: (id) => voice.getCall(id),
      assistantModel: (id) => voice.assistantModel(id),
      deleteCall: (id) => voice.deleteCall(id),
    },
  };
}

describe('resilience: provider faults', () => {
  it(`SYS-009 AD-001: with 20% seeded faults at every provider (5xx, 429 + Retry-After, timeouts, resets), ${LEADS} leads end completed or stopped with a reason and nothing is sent twice`, async () => {
    const seed = resilienceSeed();
    printSeedOnFailure(seed);
    const { fakes, env } = bed;
    const fleet = await seedFleet(db, fakes, {
      leads: LEADS,
      tier: 'Warm',
      withLinkedIn: 10,
      mailboxes: 2,
      washedAt: new Date(await env.currentTimeMs()),
    });
    const plan = { rate: 0.2, timeoutMs: 30 };
    const injected = [
      fakes.twilio.injectFaults({ ...plan, seed: seed + 1 }),
      fakes.vapi.injectFaults({ ...plan, seed: seed + 2 }),
      fakes.unipile.injectFaults({ ...plan, seed: seed + 3 }),
    ];
    const smtp = fakes.smtp.injectFaults({ rate: plan.rate, seed: seed + 4 });
    const taskQueue = `faults-${randomUUID()}`;
    const worker = await createTestWorker({
      env,
      taskQueue,
      db,
      providers: answering(),
      activityInterceptors: [holdTimeDuringActivities(env.connection)],
    });
    let progresses: LeadProgress[] = [];
    try {
      progresses = await worker.runUntil(async () => {
        await startSequences(env.client, taskQueue, fleet);
        return runToEnd(env.connection, fleet);
      });
    } finally {
      fakes.twilio.clearFaults();
      fakes.vapi.clearFaults();
      fakes.unipile.clearFaults();
      fakes.smtp.clearFaults();
    }

    const faults = injected.flatMap((f) => f.injected);
    expect(faults.length + smtp.injected.length, 'faults were injected').toBeGreaterThan(20);
    const report = await checkLedger(db, fakes, fleet, progresses);
    // A touch is given up (outcome unknown) only after its provider call started: a 5xx, a timeout or
    // a reset there, or a worker or database failure after it. A refusal that says the provider did
    // nothing (a 429, an SMTP 4xx) never gives one up: SMTP only refuses here, so every email is sent.
    const emailSteps = progresses.flatMap((p) => p.steps.filter((s) => s.kind === 'email' || s.kind === 'email_followup'));
    expect(emailSteps.filter((s) => s.status !== 'sent').map((s) => `${s.kind} ${s.status} ${s.skipReason ?? s.outcome}`)).toEqual([]);
    console.log(
      `[resilience] faults seed ${seed}: ${faults.length} HTTP faults (${JSON.stringify(countKinds(faults))}), ${smtp.injected.length} SMTP refusals; ` +
        `${report.sent} steps sent, ${report.outcomeUnknown} given up as unknown, skipped ${JSON.stringify(report.skipped)}`,
    );
  });
});

function countKinds(faults: { kind: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of faults) out[f.kind] = (out[f.kind] ?? 0) + 1;
  return out;
}
