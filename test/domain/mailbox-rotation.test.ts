import { describe, expect, it } from 'vitest';
import { pickMailbox, rotationOrder, type RotationMailbox } from '../../domain/index.js';

describe('mailbox rotation (ED-006)', () => {
  const boxes: RotationMailbox[] = [
    { id: 'mb-c', health: 'good', sentToday: 0, coldLimit: 45 },
    { id: 'mb-a', health: 'good', sentToday: 10, coldLimit: 45 },
    { id: 'mb-b', health: 'warning', sentToday: 31, coldLimit: 31 }, // full
    { id: 'mb-d', health: 'critical', sentToday: 0, coldLimit: 45 },
    { id: 'mb-e', health: 'warning', sentToday: 3, coldLimit: 31 },
    { id: 'mb-f', health: 'good', sentToday: 0, coldLimit: 45, paused: true },
  ];

  it('ED-006: round-robin over healthy mailboxes with capacity left, after the last used', () => {
    expect(rotationOrder(boxes)).toEqual(['mb-a', 'mb-c', 'mb-e']);
    expect(rotationOrder(boxes, 'mb-a')).toEqual(['mb-c', 'mb-e', 'mb-a']);
    expect(rotationOrder(boxes, 'mb-c')).toEqual(['mb-e', 'mb-a', 'mb-c']);
    expect(rotationOrder(boxes, 'mb-e')).toEqual(['mb-a', 'mb-c', 'mb-e']);
    expect(rotationOrder(boxes, 'mb-b')).toEqual(['mb-c', 'mb-e', 'mb-a']); // last used is now full
    expect(pickMailbox({ mailboxes: boxes, lastUsedId: 'mb-c' })).toEqual({ mailboxId: 'mb-e', reason: 'rotation' });
  });

  it('ED-006: successive picks cycle through every eligible mailbox', () => {
    let last: string | null = null;
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      const p = pickMailbox({ mailboxes: boxes, lastUsedId: last });
      seen.push(p.mailboxId!);
      last = p.mailboxId;
    }
    expect(seen).toEqual(['mb-a', 'mb-c', 'mb-e', 'mb-a', 'mb-c', 'mb-e']);
  });

  it("ED-006: a lead's follow-up goes from the mailbox of its first email, or waits", () => {
    expect(pickMailbox({ mailboxes: boxes, lastUsedId: 'mb-a', threadMailboxId: 'mb-a' })).toEqual({ mailboxId: 'mb-a', reason: 'thread' });
    expect(pickMailbox({ mailboxes: boxes, threadMailboxId: 'mb-b' })).toEqual({ mailboxId: null, reason: 'thread_mailbox_unavailable' });
    expect(pickMailbox({ mailboxes: boxes, threadMailboxId: 'mb-gone' })).toEqual({ mailboxId: null, reason: 'thread_mailbox_missing' });
  });

  it('ED-006: nothing to pick when no mailbox can send or the client cap is reached', () => {
    expect(pickMailbox({ mailboxes: boxes.filter((b) => b.id === 'mb-b' || b.id === 'mb-d') })).toEqual({
      mailboxId: null,
      reason: 'no_eligible_mailbox',
    });
    expect(pickMailbox({ mailboxes: boxes, clientSentToday: 180 })).toEqual({ mailboxId: null, reason: 'client_cap_reached' });
    expect(pickMailbox({ mailboxes: boxes, clientSentToday: 179 }).mailboxId).toBe('mb-a');
  });
});
