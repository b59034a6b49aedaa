/**
 * LinkedIn through Unipile API v1 (PROVIDERS.md section 4): the LinkedIn port over the SDK client
 * of sdk.ts (whose header says what the SDK does, verified, and why it sends through our own
 * transport), with the answers mapped in profiles.ts.
 */
import { ProviderError, type LinkedInClient } from '../ports.js';
import { UNIPILE } from './errors.js';
import { withdrawInvitation } from './invitations.js';
import {
  linkedInIdentifier,
  str,
  toAccountHealth,
  toLinkedInProfile,
  type UnipileAccountHealth,
  type UnipileLinkedInProfile,
} from './profiles.js';
import { createUnipileSdk, type UnipileClientOptions } from './sdk.js';

export { classifyUnipileError, parseRetryAfter } from './errors.js';
export { createUnipileSdk, normalizeUnipileBaseUrl, UnipileTransport, type UnipileClientOptions } from './sdk.js';
export {
  linkedInIdentifier,
  toAccountHealth,
  toLinkedInProfile,
  type UnipileAccountHealth,
  type UnipileAccountSourceStatus,
  type UnipileLinkedInProfile,
} from './profiles.js';

/** LinkedIn's limit on a connection-request note (PROVIDERS.md section 4). */
export const INVITATION_NOTE_MAX_CHARS = 300;

export interface UnipileLinkedInClient extends LinkedInClient {
  getProfile(accountId: string, identifier: string): Promise<UnipileLinkedInProfile>;
  /** GET /api/v1/accounts/{id}: the seat's connection health (LI-006). */
  getAccountHealth(accountId: string): Promise<UnipileAccountHealth>;
}

/**
 * The LinkedIn port over Unipile. Every method is one HTTP call (no retries); transient failures
 * throw ProviderError(retryable=true), permanent ones ProviderError(retryable=false) (errors.ts).
 */
export function createUnipileLinkedInClient(options: UnipileClientOptions): UnipileLinkedInClient {
  if (!options.apiKey) throw new Error('createUnipileLinkedInClient: apiKey is required');
  const sdk = createUnipileSdk(options);

  return {
    async getProfile(accountId, identifier) {
      const id = linkedInIdentifier(identifier);
      const raw = (await sdk.users.getProfile({ account_id: accountId, identifier: encodeURIComponent(id) })) as unknown as Record<
        string,
        unknown
      >;
      return toLinkedInProfile(raw, id);
    },

    async sendInvitation({ accountId, providerId, message }) {
      if (message !== undefined && message.length > INVITATION_NOTE_MAX_CHARS) {
        // Checked before sending: LinkedIn would refuse it (errors/too_many_characters) anyway.
        throw new ProviderError(
          UNIPILE,
          'too_many_characters',
          `Invitation note is ${message.length} characters; LinkedIn allows ${INVITATION_NOTE_MAX_CHARS}`,
          false,
        );
      }
      const raw = (await sdk.users.sendInvitation({
        account_id: accountId,
        provider_id: providerId,
        ...(message ? { message } : {}),
      })) as unknown as Record<string, unknown>;
      // After a 2xx the invitation exists: never throw (a retry would invite twice).
      return { invitationId: str(raw.invitation_id) ?? '' };
    },

    async sendMessage({ accountId, attendeeProviderId, text }) {
      if (text.trim() === '') throw new ProviderError(UNIPILE, 'bad_request', 'Refusing to send an empty LinkedIn message', false);
      const raw = (await sdk.messaging.startNewChat({
        account_id: accountId,
        attendees_ids: [attendeeProviderId],
        text,
      })) as unknown as Record<string, unknown>;
      // Unipile may answer chat_id/message_id null (types: string | null); the message was sent.
      return { chatId: str(raw.chat_id) ?? '', messageId: str(raw.message_id) ?? '' };
    },

    // DELETE /users/invite/sent/{id}; without the id, found through GET /users/invite/sent (invitations.ts).
    withdrawInvitation: (input) => withdrawInvitation(sdk, input),

    async getAccountHealth(accountId) {
      try {
        const raw = (await sdk.account.getOne(encodeURIComponent(accountId))) as unknown as Record<string, unknown>;
        return toAccountHealth(raw, accountId);
      } catch (err) {
        if (err instanceof ProviderError && err.code === 'not_found') {
          throw new ProviderError(UNIPILE, 'account_not_found', err.message, false, err.status);
        }
        throw err;
      }
    },
  };
}
