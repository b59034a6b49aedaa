/**
 * The webhook benchmark's sleeping lead: started as `lead:{leadId}` (the id every lead webhook
 * signals), it sleeps on a long timer and counts the replies it is sent, so each signal wakes it
 * for one short workflow task, as a sleeping lead sequence is woken. It never stops on a reply, so
 * one lead can take many (each a distinct event) for both servers measured.
 */
import { condition, defineQuery, defineSignal, getExternalWorkflowHandle, setHandler, workflowInfo } from '@temporalio/workflow';
import { SIGNAL_NAMES } from '../../domain/processes.js';

export const repliesQuery = defineQuery<number>('benchReplies');
export const stopSignal = defineSignal('benchStop');

export async function benchSleepingLead(): Promise<number> {
  let replies = 0;
  let stopped = false;
  setHandler(defineSignal<[unknown]>(SIGNAL_NAMES.replyReceived), () => void (replies += 1));
  setHandler(repliesQuery, () => replies);
  setHandler(stopSignal, () => void (stopped = true));
  await condition(() => stopped, '30 days');
  return replies;
}

/**
 * The lead's conversation as the webhook starts or signals it (`conversation:{leadId}`, one
 * signalWithStart per reply): like the real one, it signals the lead's sleeping workflow for each
 * message (the real one sends its decision after reading the message in an activity, which runs
 * after the webhook has answered and is left out here).
 */
export async function conversationWorkflow(): Promise<number> {
  const leadId = workflowInfo().workflowId.replace(/^conversation:/, '');
  const pending: { eventId: string; at: string; channel: string }[] = [];
  let handled = 0;
  let stopped = false;
  setHandler(defineSignal<[{ eventId: string; at: string; channel: string }]>(SIGNAL_NAMES.inboundMessage), (m) => void pending.push(m));
  setHandler(stopSignal, () => void (stopped = true));
  while (!stopped) {
    if (!(await condition(() => stopped || pending.length > 0, '30 days'))) break;
    while (pending.length) {
      const m = pending.shift()!;
      await getExternalWorkflowHandle(`lead:${leadId}`).signal(SIGNAL_NAMES.replyReceived, {
        eventId: m.eventId,
        at: m.at,
        channel: m.channel,
      });
      handled += 1;
    }
  }
  return handled;
}
