/** lib/logger.ts: the Temporal runtime's repeated messages are held back (no log flood while the server is away). */
import { describe, expect, it } from 'vitest';
import { createRepeatFilter } from '../../lib/logger.js';

describe('runtime log repeat filter', () => {
  it('shows a message once per window whatever its numbers, then says how many were held back', () => {
    let now = 0;
    const seen = createRepeatFilter(60_000, () => now);
    const retry = (n: number) => seen(`gRPC call poll_activity_task_queue retried ${n} times`);
    expect(retry(1)).toEqual({ show: true, held: 0 });
    for (let n = 2; n <= 50; n++) expect(retry(n).show).toBe(false);
    expect(seen('gRPC call poll_workflow_task_queue retried 3 times').show).toBe(true); // another kind
    now = 60_000;
    expect(retry(51)).toEqual({ show: true, held: 49 });
    expect(retry(52)).toEqual({ show: false, held: 0 });
  });
});
