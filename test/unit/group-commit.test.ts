import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../lib/group-commit.js';

/** A write that records each batch and finishes only when the test lets it. */
function gatedWriter() {
  const batches: number[][] = [];
  const gates: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const write = (items: number[]) =>
    new Promise<void>((resolve, reject) => {
      batches.push([...items]);
      gates.push({ resolve, reject });
    });
  return { batches, gates, write };
}

const settled = () => new Promise((r) => setImmediate(r));

describe('SYS-008 group commit of webhook processed marks', () => {
  it('SYS-008: a lone mark is written at once, in a batch of its own', async () => {
    const w = gatedWriter();
    const marks = groupCommit(w.write);
    const done = marks.add(1);
    expect(w.batches).toEqual([[1]]);
    w.gates[0]!.resolve();
    await expect(done).resolves.toBeUndefined();
  });

  it('SYS-008: marks asked for while a write is in flight share the next write, and each waits for its own', async () => {
    const w = gatedWriter();
    const marks = groupCommit(w.write);
    const first = marks.add(1);
    let laterDone = 0;
    const later = [2, 3, 4].map((n) => marks.add(n).then(() => laterDone++));
    expect(w.batches).toEqual([[1]]);
    w.gates[0]!.resolve();
    await first;
    await settled();
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    expect(laterDone).toBe(0); // not written yet: nobody is told it is
    w.gates[1]!.resolve();
    await Promise.all(later);
    expect(laterDone).toBe(3);
  });

  it('SYS-008: a failed write rejects only the callers of its batch, and the next batch is still written', async () => {
    const w = gatedWriter();
    const marks = groupCommit(w.write);
    const first = marks.add(1);
    const second = marks.add(2);
    w.gates[0]!.reject(new Error('connection reset'));
    await expect(first).rejects.toThrow('connection reset');
    await settled();
    expect(w.batches).toEqual([[1], [2]]);
    w.gates[1]!.resolve();
    await expect(second).resolves.toBeUndefined();
    const third = marks.add(3);
    expect(w.batches).toEqual([[1], [2], [3]]); // idle again: written at once
    w.gates[2]!.resolve();
    await third;
  });
});
