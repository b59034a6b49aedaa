import { describe, expect, it } from 'vitest';
import { churnHoldState, churnReleaseAt } from '../../domain/index.js';

describe('churn hold (RP-010)', () => {
  it('RP-010: resources are released 30 days after cancellation', () => {
    expect(churnReleaseAt('2025-06-01T10:00:00Z').toISOString()).toBe('2025-07-01T10:00:00.000Z');
  });

  it.each([
    [null, '2025-06-15T00:00:00Z', 'holding'],
    [null, '2025-07-01T09:59:59Z', 'holding'],
    [null, '2025-07-01T10:00:00Z', 'released'],
    ['2025-06-20T00:00:00Z', '2025-06-25T00:00:00Z', 'cancelled'], // reactivated inside 30 days
    ['2025-06-20T00:00:00Z', '2025-06-19T00:00:00Z', 'holding'], // not yet reactivated at that time
    ['2025-07-05T00:00:00Z', '2025-07-06T00:00:00Z', 'released'], // reactivated too late: already released
  ])('RP-010: reactivated %s, at %s -> %s', (reactivatedAt, now, state) => {
    expect(churnHoldState({ cancelledAt: '2025-06-01T10:00:00Z', reactivatedAt }, now).state).toBe(state);
  });
});
