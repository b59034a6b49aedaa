/**
 * The Vapi SDK, loaded on first use: a process with Vapi in sandbox mode (no VAPI_API_KEY) never
 * loads it, which keeps about 30 MB out of the worker and the API (docs/performance.md).
 */
import type * as VapiSdk from '@vapi-ai/server-sdk';
import type { VapiClient } from '@vapi-ai/server-sdk';

type Sdk = typeof VapiSdk;
let loaded: Sdk | undefined;

export async function vapiSdk(): Promise<Sdk> {
  return (loaded ??= await import('@vapi-ai/server-sdk'));
}

/** The SDK once loaded: before that, nothing can have thrown one of its errors. */
export const loadedVapiSdk = (): Sdk | undefined => loaded;

/** A client made on its first use (and then reused). */
export function lazyVapiClient(options: ConstructorParameters<typeof VapiClient>[0]): () => Promise<VapiClient> {
  let client: Promise<VapiClient> | undefined;
  return () => (client ??= vapiSdk().then((sdk) => new sdk.VapiClient(options)));
}
