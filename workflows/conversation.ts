/**
 * conversation:{leadId}: a lead's conversation (SYS-003, ED-005, SM-003). Every message from the
 * lead (webhooks, the mailbox reader) is signalled here, started with the signal when none runs.
 * For each, in order: keep it and read its intent, apply the intent's action, tell the lead's
 * sequence (held by the reply itself until now: stop, hold, hold until a return date), and when
 * the intent asks for one, send the answer 3-5 minutes later inside business hours, unless a newer
 * message came meanwhile (then the newest decides). A person can correct an intent or answer by
 * hand through the API (signals). Idle for 30 days it ends; the next message starts it again.
 * Bounded: it continues as new after 100 messages or when Temporal suggests it.
 */
import { condition, continueAsNew, getExternalWorkflowHandle, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createConversationActivities } from '../activities/conversation/index.js';
import type { ReplyDecision } from '../activities/conversation/types.js';
import type { createEnrichmentActivities } from '../activities/onboarding/enrichment.js';
import type { createStartSequenceActivities } from '../activities/onboarding/start-sequences.js';
import { activityProfiles } from './activity-profiles.js';
import {
  conversationProgressQuery,
  inboundMessageSignal,
  manualReplySignal,
  reclassifySignal,
  replyHandledSignal,
  workflowIds,
  type ConversationInput,
  type ConversationProgress,
  type InboundMessage,
  type ManualReply,
  type Reclassify,
} from './contracts.js';

type Acts = ReturnType<typeof createConversationActivities>;
const acts = proxyActivities<Acts>(activityProfiles.conversation);
/** The onboarding steps a referred lead goes through, as a list's leads do. */
const onboarding = proxyActivities<ReturnType<typeof createEnrichmentActivities> & ReturnType<typeof createStartSequenceActivities>>(
  activityProfiles.leadBatch,
);

const IDLE_MS = 30 * 24 * 60 * 60 * 1000;
const MAX_HANDLED = 100;
const MAX_SEEN = 200;

export async function conversationWorkflow(input: ConversationInput): Promise<ConversationProgress> {
  if (input.version !== 1) throw new Error(`unsupported input version ${String(input.version)}`);
  const { clientId, leadId } = input;
  const c = input.carried;
  const pending: InboundMessage[] = [...(c?.pending ?? [])];
  const manual: ManualReply[] = [...(c?.manual ?? [])];
  const corrections: Reclassify[] = [...(c?.reclassify ?? [])];
  const seen = new Set(c?.seen ?? []);
  let due = c?.due;
  const progress: ConversationProgress = { leadId, state: 'waiting', handled: c?.handled ?? 0, log: [] };
  const log = (what: string, messageId?: string, detail?: string) => {
    progress.log.push({ at: new Date().toISOString(), what, ...(messageId ? { messageId } : {}), ...(detail ? { detail } : {}) });
    if (progress.log.length > 50) progress.log.shift();
  };
  const fresh = (id: string) => !seen.has(id) && Boolean(seen.add(id));
  setHandler(inboundMessageSignal, (m) => void (fresh(`in:${m.eventId}`) && pending.push(m)));
  setHandler(manualReplySignal, (r) => void (fresh(`manual:${r.requestId}`) && manual.push(r)));
  setHandler(reclassifySignal, (r) => void (fresh(`re:${r.requestId}`) && corrections.push(r)));
  setHandler(conversationProgressQuery, () => ({
    ...progress,
    ...(due ? { answerDue: { messageId: due.messageId, at: new Date(due.atMs).toISOString() } } : {}),
  }));
  const work = () => pending.length > 0 || manual.length > 0 || corrections.length > 0;

  /** The lead's sequence learns what the reply decided (a finished sequence has nothing to learn). */
  async function tell(d: ReplyDecision, eventId: string): Promise<boolean> {
    try {
      await getExternalWorkflowHandle(workflowIds.lead(leadId)).signal(replyHandledSignal, { eventId, ...d.sequence });
      return true;
    } catch {
      log('sequence not running', d.messageId);
      return false;
    }
  }

  /** A referral's lead is scored, washed and sequenced like a list's (its own sequence; the person rules apply). */
  async function onboardReferral(r: NonNullable<ReplyDecision['referral']>) {
    const row = { version: 1 as const, clientId, campaignId: r.campaignId, fromRow: r.sourceRow, toRow: r.sourceRow };
    const started = await attempt('onboarding a referral', async () => {
      await onboarding.enrichAndScoreBatch(row);
      await onboarding.washBatch(row);
      return onboarding.startSequencesBatch(row);
    });
    if (started) log(`referral ${r.leadId}: ${started.started ? 'sequence started' : 'no sequence (tier, person or contact rules)'}`);
  }

  /** The newest message decides whether an answer is due. */
  const decide = (d: ReplyDecision) => {
    due = d.answerAtMs !== undefined ? { messageId: d.messageId, atMs: d.answerAtMs } : undefined;
    log(`${d.intent}: sequence ${d.sequence.decision}${d.human ? ', a person alerted' : ''}${due ? ', answer due' : ''}`, d.messageId);
  };

  /**
   * An activity that gave up (its retries spent, or a permanent failure) is logged and the
   * conversation goes on: a message that cannot be handled never fails the conversation (the
   * worker's interceptor has alerted about the failure).
   */
  async function attempt<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      log(`${what} failed`, undefined, err instanceof Error ? err.message.slice(0, 300) : String(err));
      return undefined;
    }
  }

  for (;;) {
    progress.state = due ? 'answer_due' : 'waiting';
    if (due) {
      const waitMs = due.atMs - Date.now();
      if (waitMs > 0) await condition(work, waitMs);
    } else if (!(await condition(work, IDLE_MS))) break;
    progress.state = 'handling';

    while (pending.length) {
      const message = pending.shift()!;
      const d = await attempt('receiving a message', () =>
        acts.receiveInbound({ version: 1, clientId, leadId, message, nowMs: Date.now() }),
      );
      progress.handled++;
      if (!d) continue;
      if (d.duplicate) {
        log('already received', d.messageId);
        continue;
      }
      // The sequence already stops sending on the reply's fact (every step re-checks it); the decision
      // holds it, stops it, holds it until a return date or lets it go on. A lead with no sequence
      // running has its status settled instead.
      if (!(await tell(d, `handled:${d.messageId}`))) await attempt('settling the lead', () => acts.settleReplied({ version: 1, leadId }));
      decide(d);
      if (d.referral) await onboardReferral(d.referral);
    }
    while (corrections.length) {
      const r = corrections.shift()!;
      const d = await attempt('correcting an intent', () =>
        acts.reclassify({ version: 1, clientId, leadId, messageId: r.messageId, intent: r.intent, by: r.by, nowMs: Date.now() }),
      );
      if (!d) continue;
      await tell(d, `handled:${d.messageId}:${r.requestId}`);
      decide(d);
    }
    while (manual.length) {
      const r = manual.shift()!;
      const sent = await attempt('an answer by hand', () => acts.sendManual({ version: 1, clientId, leadId, reply: r, nowMs: Date.now() }));
      // A person answered: the engine's answer is not sent as well.
      due = undefined;
      if (sent) log(`answer by ${r.by}: ${sent.status}`, sent.messageId, 'reason' in sent ? sent.reason : undefined);
    }
    if (due && Date.now() >= due.atMs && !work()) {
      const { messageId } = due;
      const sent = await attempt('the answer', () => acts.sendAnswer({ version: 1, clientId, leadId, messageId, nowMs: Date.now() }));
      if (sent) log(`answer ${sent.status}`, messageId, 'reason' in sent ? sent.reason : undefined);
      due = undefined;
    }
    if (!work() && (progress.handled >= MAX_HANDLED || workflowInfo().continueAsNewSuggested)) {
      await continueAsNew<typeof conversationWorkflow>({
        version: 1,
        clientId,
        leadId,
        ...(input.campaignId ? { campaignId: input.campaignId } : {}),
        carried: { pending, manual, reclassify: corrections, seen: [...seen].slice(-MAX_SEEN), ...(due ? { due } : {}), handled: 0 },
      });
    }
  }
  progress.state = 'idle';
  return progress;
}
