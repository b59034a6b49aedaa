/**
 * Sandbox LinkedIn seats (Unipile, RP-008): no account is ever connected; seat links and
 * invitation cancellations are only recorded (behaviour: pool.ts).
 */
import type { SandboxRecorder, SeatProvider } from '../ports.js';
import { SANDBOX_POOL_PROVIDERS } from './pool-providers.js';
import { sandboxId } from './recorder.js';

export const SANDBOX_SEAT_LINK_BASE = 'https://sandbox.invalid/unipile/hosted-auth/';

export function createSandboxSeatProvider(recorder: SandboxRecorder): SeatProvider {
  const provider = SANDBOX_POOL_PROVIDERS.seats;
  return {
    async listLinkedInAccounts() {
      return [];
    },

    async requestSeatLink(input) {
      const linkId = sandboxId('seat_link');
      const url = `${SANDBOX_SEAT_LINK_BASE}${linkId}`;
      await recorder.record({
        provider,
        kind: 'seat_link',
        to: input.name,
        payload: {
          linkId,
          url,
          name: input.name,
          expiresAt: input.expiresAt,
          ...(input.notifyUrl !== undefined ? { notifyUrl: input.notifyUrl } : {}),
        },
      });
      return { url };
    },

    async cancelInvitation(accountRef, invitationRef) {
      await recorder.record({ provider, kind: 'invitation_cancel', to: invitationRef, payload: { accountRef, invitationRef } });
    },
  };
}
