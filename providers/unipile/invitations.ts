/**
 * Withdrawing a seat's connection request at Unipile (LI-002, RP-008), shared by the LinkedIn
 * client (a request ignored for 30 days) and the seat provider (a released seat's clean-up), over
 * the SDK resources of sdk.ts:
 *
 * - `sdk.users.cancelInvitationSent({ account_id, invitation_id })`:
 *   DELETE /api/v1/users/invite/sent/{invitation_id}?account_id= (PROVIDERS.md section 4). A 404
 *   means the invitation is no longer pending from that account (withdrawn, accepted or expired):
 *   'not_pending', so a retried withdrawal is a no-op.
 * - Without the invitation's id (the seat had invited the member before the sequence did, or
 *   Unipile answered the invite without an id) the account's sent invitations are paged
 *   (`sdk.users.getAllInvitationsSent({ account_id, limit, cursor })`, GET /users/invite/sent)
 *   for the one whose `invited_user_id` is the member, which is then cancelled by its id.
 */
import type { UnipileClient } from 'unipile-node-sdk';
import { ProviderError } from '../ports.js';
import { UNIPILE } from './errors.js';
import { str } from './profiles.js';

/** Sent invitations asked for per page. */
const SENT_PAGE_SIZE = 100;
/** A guard against a provider that keeps answering a cursor: 50 pages of 100 invitations. */
const MAX_SENT_PAGES = 50;

export type WithdrawResult = { result: 'withdrawn' | 'not_pending'; invitationId?: string };

/** DELETE the account's invitation `invitationId`; 'not_pending' when Unipile no longer has it pending (404). */
export async function cancelSentInvitation(sdk: UnipileClient, accountId: string, invitationId: string): Promise<WithdrawResult> {
  try {
    // The SDK does not encode path segments (see sdk.ts).
    await sdk.users.cancelInvitationSent({ account_id: accountId, invitation_id: encodeURIComponent(invitationId) });
    return { result: 'withdrawn', invitationId };
  } catch (err) {
    if (err instanceof ProviderError && err.code === 'not_found') return { result: 'not_pending', invitationId };
    throw err;
  }
}

/** The id of the account's pending invitation to the member `providerId`, from its sent invitations; undefined when none. */
export async function findSentInvitation(sdk: UnipileClient, accountId: string, providerId: string): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    if (page >= MAX_SENT_PAGES) {
      throw new ProviderError(
        UNIPILE,
        'unexpected_response',
        `Unipile GET /users/invite/sent still had a cursor after ${page} pages`,
        false,
      );
    }
    const raw = (await sdk.users.getAllInvitationsSent({
      account_id: accountId,
      limit: SENT_PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    })) as unknown as Record<string, unknown>;
    const items = Array.isArray(raw.items) ? (raw.items as unknown[]) : [];
    for (const item of items) {
      if (!item || typeof item !== 'object') continue;
      const inv = item as Record<string, unknown>;
      if (str(inv.invited_user_id) === providerId && str(inv.id)) return str(inv.id);
    }
    const next = str(raw.cursor);
    if (!next) return undefined;
    if (next === cursor)
      throw new ProviderError(UNIPILE, 'unexpected_response', 'Unipile GET /users/invite/sent answered the same cursor twice', false);
    cursor = next;
  }
}

/**
 * Withdraws the account's pending invitation to `providerId`: by its id when known (a 404 is
 * 'not_pending': done), else the one found among the account's sent invitations ('not_pending'
 * when there is none).
 */
export async function withdrawInvitation(
  sdk: UnipileClient,
  input: { accountId: string; providerId: string; invitationId?: string },
): Promise<WithdrawResult> {
  if (input.invitationId) return cancelSentInvitation(sdk, input.accountId, input.invitationId);
  const found = await findSentInvitation(sdk, input.accountId, input.providerId);
  return found ? cancelSentInvitation(sdk, input.accountId, found) : { result: 'not_pending' };
}
