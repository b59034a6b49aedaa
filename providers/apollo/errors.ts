/** Apollo error answers -> ProviderError (the table is in the header of people-search.ts). */
import type { ProviderError } from '../ports.js';
import { httpStatusError } from '../http-errors.js';
import { APOLLO } from './wire.js';

function errorText(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  if (body === null || typeof body !== 'object') return '';
  const b = body as Record<string, unknown>;
  for (const key of ['error', 'message', 'error_message', 'detail']) {
    if (typeof b[key] === 'string' && b[key] !== '') return b[key] as string;
  }
  if (Array.isArray(b.errors)) {
    return b.errors
      .map((e) =>
        typeof e === 'string'
          ? e
          : typeof e === 'object' && e !== null
            ? String((e as Record<string, unknown>).message ?? JSON.stringify(e))
            : String(e),
      )
      .join('; ');
  }
  return '';
}

/** A non-2xx Apollo response -> the ProviderError to throw (see the table in the header). */
export function classifyApolloError(
  input: { status: number; body: unknown; retryAfter?: string | null },
  what = 'people search',
): ProviderError {
  const { status } = input;
  const text = errorText(input.body);
  const message = `Apollo ${what} failed (${status})${text ? `: ${text}` : ''}`;
  return httpStatusError(APOLLO, status, message, input.retryAfter, { badRequestCode: 'bad_request' });
}
