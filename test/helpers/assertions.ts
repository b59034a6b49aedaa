import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { ProviderError } from '../../providers/ports.js';

/** Awaits a promise that must reject with a ProviderError, and returns that error. */
export async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

/**
 * One wire-format fake for a whole test file: started before the first test, reset before each,
 * stopped after the last. `fakeUrl.baseUrl` is its address once started.
 */
export function useFake(fake: { start(): Promise<{ baseUrl: string }>; stop(): Promise<void>; reset(): void }): { baseUrl: string } {
  const at = { baseUrl: '' };
  beforeAll(async () => {
    at.baseUrl = (await fake.start()).baseUrl;
  });
  afterAll(async () => {
    await fake.stop();
  });
  beforeEach(() => fake.reset());
  return at;
}
