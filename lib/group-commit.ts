/**
 * Group commit: items asked to be written while a write is in flight are written together by the
 * next one. A lone caller is written at once (no timer, no added latency); under load, N concurrent
 * callers cost about one statement per round trip instead of N. Every caller's promise settles with
 * its own batch: resolved once that batch is written, rejected with its error otherwise.
 */
export function groupCommit<T>(write: (items: T[]) => Promise<void>): { add(item: T): Promise<void> } {
  let waiting: { items: T[]; settle: Array<{ resolve: () => void; reject: (e: unknown) => void }> } | undefined;
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    while (waiting) {
      const batch = waiting;
      waiting = undefined;
      try {
        await write(batch.items);
        for (const s of batch.settle) s.resolve();
      } catch (error) {
        for (const s of batch.settle) s.reject(error);
      }
    }
    writing = false;
  }

  return {
    add(item: T): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting ??= { items: [], settle: [] };
        waiting.items.push(item);
        waiting.settle.push({ resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
