/**
 * The webhook benchmark's sleeping lead: started as `lead:{leadId}` (the id every lead webhook
 * signals), it sleeps on a long timer and counts the replies it is sent, so each signal wakes it
 * for one short workflow task, as a sleeping lead sequence is woken. It never stops on a reply, so
 * one lead can take many (each a distinct event) for both servers measured.
 */
import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
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
