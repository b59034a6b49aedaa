/**
 * The Vapi SDK client every Vapi adapter uses (calls, numbers, knowledge base): the org's private
 * key, the base URL (tests point it at the fake), SDK retries off on the client and on every
 * request (Vapi has no idempotency key: one adapter call is at most one HTTP request; Temporal
 * retries), and an optional per-request timeout.
 */
import { VapiClient } from '@vapi-ai/server-sdk';
import { ProviderError } from '../ports.js';

export const VAPI_API_BASE_URL = 'https://api.vapi.ai';

export function vapiClient(opts: { apiKey: string; baseUrl?: string; timeoutSeconds?: number }) {
  if (!opts.apiKey) throw new ProviderError('vapi', 'invalid_config', 'Vapi apiKey is required', false);
  const timeout = opts.timeoutSeconds && opts.timeoutSeconds > 0 ? { timeoutInSeconds: opts.timeoutSeconds } : {};
  const client = new VapiClient({
    token: opts.apiKey,
    baseUrl: (opts.baseUrl ?? VAPI_API_BASE_URL).replace(/\/+$/, ''),
    maxRetries: 0,
    ...timeout,
  });
  return { client, requestOptions: { maxRetries: 0, ...timeout } };
}
