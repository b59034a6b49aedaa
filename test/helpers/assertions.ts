import { expect } from 'vitest';
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
