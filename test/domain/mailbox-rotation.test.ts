import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mailboxSendLimit, pickMailbox, rotationOrder, type DomainHealthClass, type RotationMailbox } from '../../domain/index.js';

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

  it("ED-001 ED-006: property: a day of picks never takes a mailbox over its row's limit and stops at the client's cap", () => {
    const mailboxArb = fc.record({
      dailyLimit: fc.integer({ min: 0, max: 80 }),
      health: fc.constantFrom<DomainHealthClass>('good', 'warning', 'critical'),
      heatScore: fc.option(fc.integer({ min: 60, max: 100 }), { nil: null }),
      paused: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(mailboxArb, { minLength: 1, maxLength: 8 }), (rows) => {
        const boxes: RotationMailbox[] = rows.map((r, i) => ({
          id: `mb-${String(i).padStart(2, '0')}`,
          health: r.health,
          sentToday: 0,
          coldLimit: mailboxSendLimit(r).cold,
          paused: r.paused,
        }));
        let last: string | null = null;
        let sent = 0;
        for (;;) {
          const p = pickMailbox({ mailboxes: boxes, lastUsedId: last, clientSentToday: sent });
          if (!p.mailboxId) break;
          const m = boxes.find((b) => b.id === p.mailboxId)!;
          m.sentToday++;
          sent++;
          last = m.id;
        }
        // The rule as written: min(row, 50, 35 in Warning), 0 when Critical or paused, 10% kept, cold from heat 85.
        const cold = rows.map((r) => {
          const total = r.paused || r.health === 'critical' ? 0 : Math.min(r.dailyLimit, 50, r.health === 'warning' ? 35 : 50);
          return r.heatScore !== null && r.heatScore >= 85 && total > 0 ? total - Math.ceil(total / 10) : 0;
        });
        boxes.forEach((b, i) => expect(b.sentToday).toBeLessThanOrEqual(cold[i]!));
        expect(sent).toBe(
          Math.min(
            180,
            cold.reduce((a, b) => a + b, 0),
          ),
        );
      }),
      { numRuns: 300 },
    );
  });
});
