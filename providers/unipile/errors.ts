/**
 * Unipile error classification (DESIGN.md convention 4).
 *
 * Unipile answers errors as RFC 7807 problems: `{ object?: 'Error', status, type: 'errors/...',
 * title, detail, req_id? }` (PROVIDERS.md section 4; developer.unipile.com "error responses").
 * The `type` is more precise than the HTTP status, so it wins when we know it; otherwise the
 * status decides:
 *
 * | HTTP / type                                                   | code                   | retryable |
 * |---------------------------------------------------------------|------------------------|-----------|
 * | errors/disconnected_account, expired/invalid credentials,     | account_disconnected   | no        |
 * |   checkpoint_error, wrong_account, multiple_sessions, ...     |                        |           |
 * | errors/account_restricted                                     | account_restricted     | no        |
 * | errors/missing_credentials (our API key), 401/403 otherwise   | auth_failed            | no        |
 * | errors/feature_not_subscribed, subscription_required          | subscription_required  | no        |
 * | errors/invalid_recipient, blocked_recipient, user_unreachable | invalid_recipient      | no        |
 * | errors/no_connection_with_recipient                           | not_connected          | no        |
 * | errors/not_allowed_inmail                                     | inmail_not_allowed     | no        |
 * | errors/too_many_characters                                    | too_many_characters    | no        |
 * | errors/already_invited_recently                               | already_invited        | no        |
 * | errors/already_connected                                      | already_connected      | no        |
 * | errors/cannot_resend_yet (LinkedIn throttles this seat ~24 h) | cannot_resend_yet      | no        |
 * | errors/limit_exceeded, connection_limit_reached (weekly cap)  | limit_exceeded         | no        |
 * | errors/insufficient_credits                                   | insufficient_credits   | no        |
 * | 404, errors/resource_not_found                                | not_found              | no        |
 * | 400/422 otherwise (invalid_parameters, ...)                   | bad_request            | no        |
 * | 429, errors/too_many_requests (LinkedIn limits)               | rate_limited           | YES       |
 * | 5xx, 408                                                      | provider_unavailable   | YES       |
 * | network failure / our timeout                                 | network_error/timeout  | YES       |
 *
 * "Retryable" errors are still thrown (as ProviderError with retryable=true, which is an Error),
 * so Temporal retries the activity; `retryAfterSeconds` carries the Retry-After header when the
 * response had one. Permanent ones carry retryable=false and the activity makes them
 * non-retryable ApplicationFailures with the code as type.
 */
import { ProviderError } from '../ports.js';
import { parseRetryAfter } from '../http-errors.js';

export const UNIPILE = 'unipile';

/** The problem body Unipile sends with non-2xx responses (all fields optional: be tolerant). */
export interface UnipileProblem {
  object?: string;
  status?: number;
  type?: string;
  title?: string;
  detail?: string;
  req_id?: string;
}

const TYPE_CODES: Record<string, { code: string; retryable: boolean }> = {};
function byType(code: string, retryable: boolean, ...types: string[]) {
  for (const t of types) TYPE_CODES[t] = { code, retryable };
}
byType(
  'account_disconnected',
  false,
  'errors/disconnected_account',
  'errors/expired_credentials',
  'errors/invalid_credentials',
  'errors/checkpoint_error',
  'errors/invalid_checkpoint_solution',
  'errors/wrong_account',
  'errors/multiple_sessions',
  'errors/disconnected_feature',
  'errors/action_required',
  'errors/unknown_authentication_context',
  'errors/session_mismatch',
  'provider/invalid_authorization',
);
byType('account_restricted', false, 'errors/account_restricted');
byType(
  'auth_failed',
  false,
  'errors/missing_credentials',
  'errors/insufficient_permissions',
  'errors/insufficient_privileges',
  'errors/unauthorized',
  'api/invalid_auth_format',
);
byType('subscription_required', false, 'errors/feature_not_subscribed', 'errors/subscription_required');
byType(
  'invalid_recipient',
  false,
  'errors/invalid_recipient',
  'errors/blocked_recipient',
  'errors/user_unreachable',
  'errors/cannot_invite_attendee',
  'errors/recipient_rejected',
);
byType('not_connected', false, 'errors/no_connection_with_recipient');
byType('inmail_not_allowed', false, 'errors/not_allowed_inmail');
byType('too_many_characters', false, 'errors/too_many_characters');
byType('already_invited', false, 'errors/already_invited_recently');
byType('already_connected', false, 'errors/already_connected');
byType('cannot_resend_yet', false, 'errors/cannot_resend_yet', 'errors/cannot_resend_within_24hrs');
byType('limit_exceeded', false, 'errors/limit_exceeded', 'errors/connection_limit_reached');
byType('insufficient_credits', false, 'errors/insufficient_credits');
byType('not_found', false, 'errors/resource_not_found', 'errors/invalid_resource_identifier');
byType(
  'bad_request',
  false,
  'errors/invalid_parameters',
  'api/invalid_parameters',
  'provider/invalid_parameters',
  'errors/invalid_message',
  'errors/invalid_account',
  'errors/unprocessable_entity',
);
byType('rate_limited', true, 'errors/too_many_requests');

export { parseRetryAfter } from '../http-errors.js';

function asProblem(body: unknown): UnipileProblem {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const b = body as Record<string, unknown>;
  return {
    object: typeof b.object === 'string' ? b.object : undefined,
    status: typeof b.status === 'number' ? b.status : undefined,
    type: typeof b.type === 'string' ? b.type : undefined,
    title: typeof b.title === 'string' ? b.title : undefined,
    detail: typeof b.detail === 'string' ? b.detail : undefined,
    req_id: typeof b.req_id === 'string' ? b.req_id : undefined,
  };
}

/**
 * Turns a non-2xx Unipile response into the ProviderError to throw (see the table above).
 * `status` is the HTTP status; the body's own `status` is used only when the HTTP one is missing.
 */
export function classifyUnipileError(input: {
  status: number | undefined;
  body: unknown;
  retryAfter?: string | null;
  /** What we were doing, for the message (e.g. 'POST /users/invite'). */
  operation?: string;
}): ProviderError {
  const problem = asProblem(input.body);
  const status = input.status ?? problem.status;
  const retryAfterSeconds = parseRetryAfter(input.retryAfter);
  const what =
    [problem.title, problem.detail].filter(Boolean).join(': ') || (typeof input.body === 'string' ? input.body.slice(0, 200) : '');
  const message = `Unipile ${input.operation ?? 'request'} failed (${status ?? 'no status'}${problem.type ? `, ${problem.type}` : ''})${what ? `: ${what}` : ''}`;
  const make = (code: string, retryable: boolean) =>
    new ProviderError(UNIPILE, code, message, retryable, status, retryable ? retryAfterSeconds : undefined);

  const known = problem.type ? TYPE_CODES[problem.type] : undefined;
  if (known) return make(known.code, known.retryable);

  if (status === 429) return make('rate_limited', true);
  if (status === 408 || (status !== undefined && status >= 500)) return make('provider_unavailable', true);
  if (status === 401 || status === 403) return make('auth_failed', false);
  if (status === 404) return make('not_found', false);
  if (status === 400 || status === 422) return make('bad_request', false);
  if (status === undefined) return make('provider_unavailable', true);
  return make('provider_rejected', false);
}
