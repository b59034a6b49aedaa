/**
 * The mailbox reading (SYS-003, ED-004, SYS-008), run every minute by the `mailbox-reading`
 * Temporal Schedule (lib/schedules.ts; overlapping runs skipped): every mailbox to read is read,
 * MAILBOX_CONCURRENCY at a time, one batch per activity (activities/mailbox-reading.ts), and read
 * again at once while its batch says more is waiting, at most MAX_BATCHES_PER_MAILBOX times (the
 * next run goes on from the mailbox's cursor); then the run ends. Messages never pass through the
 * workflow, only counts. A mailbox that cannot be reached does not hold up the others: its failure
 * is counted, and the next run tries it again.
 */
import { ActivityFailure, ApplicationFailure, log, proxyActivities } from '@temporalio/workflow';
import type { createMailboxReadingActivities, ReadMailboxResult } from '../activities/mailbox-reading.js';
import { activityProfiles } from './activity-profiles.js';

const acts = proxyActivities<ReturnType<typeof createMailboxReadingActivities>>(activityProfiles.mailboxRead);

/** Mailboxes read at the same time: each read holds an IMAP session and a database connection. */
export const MAILBOX_CONCURRENCY = 4;
/** Batches per mailbox per run: a flooded mailbox does not keep the run (and the others' next read) waiting. */
export const MAX_BATCHES_PER_MAILBOX = 8;

export interface MailboxReadingInputV1 {
  version: 1;
}

export interface MailboxReadingResult {
  mailboxes: number;
  /** Read to the end of what was waiting, or as far as this run's batches went. */
  read: number;
  /** A failure a person must fix (recorded on the mailbox and alerted). */
  failed: number;
  /** Not reached after the activity's retries (network, server): the next run tries again. */
  unreachable: number;
  /** No longer to be read when its turn came (released, retired, its account removed). */
  skipped: number;
  /** Mailboxes with messages still waiting after this run's batches. */
  behind: number;
  messages: number;
  replies: number;
  autoReplies: number;
  bounces: number;
  ignored: number;
  duplicates: number;
}

const COUNTS = ['messages', 'replies', 'autoReplies', 'bounces', 'ignored', 'duplicates'] as const;

export async function mailboxReadingWorkflow(input: MailboxReadingInputV1 = { version: 1 }): Promise<MailboxReadingResult> {
  if (input.version !== 1) throw ApplicationFailure.nonRetryable(`unsupported input version ${String(input.version)}`, 'BadInput');
  const ids = await acts.mailboxesToRead({ version: 1, nowMs: Date.now() });
  const result: MailboxReadingResult = {
    mailboxes: ids.length,
    read: 0,
    failed: 0,
    unreachable: 0,
    skipped: 0,
    behind: 0,
    messages: 0,
    replies: 0,
    autoReplies: 0,
    bounces: 0,
    ignored: 0,
    duplicates: 0,
  };

  async function readOne(mailboxId: string): Promise<void> {
    for (let batch = 0; batch < MAX_BATCHES_PER_MAILBOX; batch++) {
      let r: ReadMailboxResult;
      try {
        r = await acts.readMailbox({ version: 1, mailboxId, nowMs: Date.now() });
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        log.warn('mailbox not read', { mailboxId, error: err.cause?.message ?? err.message });
        result.unreachable++;
        return;
      }
      for (const k of COUNTS) result[k] += r[k];
      if (r.status !== 'read') {
        result[r.status]++;
        return;
      }
      if (!r.hasMore) break;
      if (batch === MAX_BATCHES_PER_MAILBOX - 1) result.behind++;
    }
    result.read++;
  }

  // A fixed number of lanes, each taking the next mailbox (deterministic: the order of `ids`).
  const queue = [...ids];
  const lane = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) await readOne(id);
  };
  await Promise.all(Array.from({ length: Math.min(MAILBOX_CONCURRENCY, ids.length) }, lane));
  return result;
}
