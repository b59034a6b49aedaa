/**
 * How long a request waits for Temporal where the call has no deadline of its own (signal-with-start):
 * the request then answers 503 and the client retries; the call itself goes on (its late success
 * is harmless: every such signal is idempotent for its receiver).
 */
export const SIGNAL_DEADLINE_MS = 5000;

/** `call`, or a failure when it has not settled within `ms` (the call itself goes on: see its caller). */
export async function within<T>(call: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Temporal did not answer within ${ms} ms`)), ms);
  });
  call.catch(() => undefined); // settled below or after the deadline: never an unhandled rejection
  try {
    return await Promise.race([call, late]);
  } finally {
    clearTimeout(timer);
  }
}
