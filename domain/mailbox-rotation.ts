/**
 * Mailbox rotation (ED-006): round-robin across the client's healthy mailboxes with capacity left
 * today; a lead's follow-ups go from the same mailbox as its first email.
 */
import { defaultDomainConfig, type DomainConfig } from './config.js';
import type { DomainHealthClass } from './domain-health.js';
import { replyReserve } from './warmup.js';

export interface RotationMailbox {
  id: string;
  health: DomainHealthClass;
  /** Cold sends already made (or reserved) today. */
  sentToday: number;
  /** Cold sends allowed today: mailboxSendLimit().cold, from the mailbox row's ramp limit (domain/warmup.ts). */
  coldLimit: number;
  paused?: boolean;
}

/** A mailbox may take a cold send: not paused, not Critical, capacity left (ED-006, ED-004). */
export function isMailboxEligible(m: RotationMailbox): boolean {
  return !m.paused && m.health !== 'critical' && m.sentToday < m.coldLimit;
}

/** Cold sends a client may make per day: 200 less the 10% reply reserve (ED-001, ED-006). */
export function clientColdCap(config: DomainConfig = defaultDomainConfig): number {
  return config.email.clientDailyCap - replyReserve(config.email.clientDailyCap, config);
}

const byId = (a: RotationMailbox, b: RotationMailbox) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Round-robin order of the eligible mailboxes: ordered by id, starting with the first one after
 * `lastUsedId` (wrapping) (ED-006).
 */
export function rotationOrder(mailboxes: readonly RotationMailbox[], lastUsedId?: string | null): string[] {
  const eligible = mailboxes.filter(isMailboxEligible).sort(byId);
  if (!lastUsedId || eligible.length === 0) return eligible.map((m) => m.id);
  let start = eligible.findIndex((m) => m.id > lastUsedId);
  if (start < 0) start = 0;
  return [...eligible.slice(start), ...eligible.slice(0, start)].map((m) => m.id);
}

export type MailboxPick =
  | { mailboxId: string; reason: 'rotation' | 'thread' }
  | { mailboxId: null; reason: 'no_eligible_mailbox' | 'client_cap_reached' | 'thread_mailbox_unavailable' | 'thread_mailbox_missing' };

/**
 * The mailbox for the next cold send. A follow-up (`threadMailboxId` set) must go from the
 * mailbox of the lead's first email, so if that one cannot send today the pick is empty and the
 * step waits. The client's cold cap for the day (200 less the reply reserve) also applies (ED-006).
 */
export function pickMailbox(
  params: {
    mailboxes: readonly RotationMailbox[];
    lastUsedId?: string | null;
    threadMailboxId?: string | null;
    /** Cold sends the client has made today across all mailboxes. */
    clientSentToday?: number;
  },
  config: DomainConfig = defaultDomainConfig,
): MailboxPick {
  const { mailboxes } = params;
  if ((params.clientSentToday ?? 0) >= clientColdCap(config)) return { mailboxId: null, reason: 'client_cap_reached' };
  if (params.threadMailboxId) {
    const m = mailboxes.find((x) => x.id === params.threadMailboxId);
    if (!m) return { mailboxId: null, reason: 'thread_mailbox_missing' };
    return isMailboxEligible(m) ? { mailboxId: m.id, reason: 'thread' } : { mailboxId: null, reason: 'thread_mailbox_unavailable' };
  }
  const order = rotationOrder(mailboxes, params.lastUsedId);
  return order.length > 0 ? { mailboxId: order[0]!, reason: 'rotation' } : { mailboxId: null, reason: 'no_eligible_mailbox' };
}
