/** Sandbox LinkedIn (Unipile): every profile is a second-degree connection with no pending invitation. */
import { createHash } from 'node:crypto';
import { ProviderError, type LinkedInClient, type LinkedInProfile, type SandboxRecorder } from '../ports.js';
import { SANDBOX_PROVIDERS } from './messaging.js';
import { sandboxId } from './recorder.js';

/** LinkedIn's limit on an invitation note. */
const INVITATION_NOTE_MAX = 300;

/** `https://www.linkedin.com/in/jane-doe-123/?x=1` -> `jane-doe-123`; a bare slug is kept. */
export function linkedInSlug(identifier: string): string {
  const s = identifier.trim();
  const m = /linkedin\.com\/in\/([^/?#]+)/i.exec(s);
  return decodeURIComponent(m ? m[1]! : s.replace(/^\/+|\/+$/g, '')).toLowerCase();
}

/** Stable fake provider id for a profile (same identifier -> same id). */
export function sandboxLinkedInProviderId(identifier: string): string {
  return `sandbox_li_${createHash('sha256').update(linkedInSlug(identifier)).digest('hex').slice(0, 24)}`;
}

/**
 * getProfile records nothing (a read) and answers SECOND_DEGREE, invitationPending false.
 * sendInvitation records `{ provider: 'unipile', kind: 'invitation', to: providerId, payload }`,
 * sendMessage `{ ..., kind: 'message', to: attendeeProviderId, payload }`, withdrawInvitation
 * `{ ..., kind: 'invitation_withdrawal', to: providerId, payload }` (answered 'withdrawn'). A note over 300
 * characters is refused like LinkedIn would (permanent ProviderError 'invalid_request').
 */
export function createSandboxLinkedInClient(recorder: SandboxRecorder): LinkedInClient {
  return {
    async getProfile(_accountId: string, identifier: string): Promise<LinkedInProfile> {
      const slug = linkedInSlug(identifier);
      if (!slug) throw new ProviderError(SANDBOX_PROVIDERS.linkedin, 'not_found', 'empty profile identifier', false, 404);
      return {
        providerId: sandboxLinkedInProviderId(slug),
        publicIdentifier: slug,
        networkDistance: 'SECOND_DEGREE',
        invitationPending: false,
      };
    },
    async sendInvitation(input) {
      if (input.message !== undefined && input.message.length > INVITATION_NOTE_MAX) {
        throw new ProviderError(
          SANDBOX_PROVIDERS.linkedin,
          'invalid_request',
          `invitation note over ${INVITATION_NOTE_MAX} characters`,
          false,
          422,
        );
      }
      const invitationId = sandboxId('invitation');
      await recorder.record({
        provider: SANDBOX_PROVIDERS.linkedin,
        kind: 'invitation',
        to: input.providerId,
        payload: {
          invitationId,
          accountId: input.accountId,
          providerId: input.providerId,
          ...(input.message !== undefined ? { message: input.message } : {}),
        },
      });
      return { invitationId };
    },
    async sendMessage(input) {
      if (!input.text) throw new ProviderError(SANDBOX_PROVIDERS.linkedin, 'invalid_request', 'message text is required', false, 400);
      // One chat per (account, attendee), as on LinkedIn.
      const chatId = `sandbox_chat_${createHash('sha256').update(`${input.accountId}\u0000${input.attendeeProviderId}`).digest('hex').slice(0, 24)}`;
      const messageId = sandboxId('message');
      await recorder.record({
        provider: SANDBOX_PROVIDERS.linkedin,
        kind: 'message',
        to: input.attendeeProviderId,
        payload: { chatId, messageId, accountId: input.accountId, attendeeProviderId: input.attendeeProviderId, text: input.text },
      });
      return { chatId, messageId };
    },
    async withdrawInvitation(input) {
      await recorder.record({
        provider: SANDBOX_PROVIDERS.linkedin,
        kind: 'invitation_withdrawal',
        to: input.providerId,
        payload: { accountId: input.accountId, providerId: input.providerId, invitationId: input.invitationId ?? null },
      });
      return { result: 'withdrawn', ...(input.invitationId ? { invitationId: input.invitationId } : {}) };
    },
  };
}
