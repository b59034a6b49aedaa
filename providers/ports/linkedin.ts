/** The LinkedIn port (Unipile): profiles, invitations (sent and withdrawn) and messages. */

export interface LinkedInProfile {
  providerId: string;
  publicIdentifier: string;
  name?: string;
  /** FIRST_DEGREE when already connected. */
  networkDistance?: 'FIRST_DEGREE' | 'SECOND_DEGREE' | 'THIRD_DEGREE' | 'OUT_OF_NETWORK';
  /** An invitation already pending from this account (Unipile has no idempotency: check first). */
  invitationPending: boolean;
}

export interface LinkedInClient {
  /** `identifier`: a public identifier or profile URL slug. */
  getProfile(accountId: string, identifier: string): Promise<LinkedInProfile>;
  sendInvitation(input: { accountId: string; providerId: string; message?: string }): Promise<{ invitationId: string }>;
  sendMessage(input: { accountId: string; attendeeProviderId: string; text: string }): Promise<{ chatId: string; messageId: string }>;
  /**
   * Withdraws the account's pending invitation to the member (LI-002: no answer in 30 days): by its
   * id when known, else the one the account has pending to `providerId`. Idempotent: an invitation
   * no longer pending (already withdrawn, accepted, expired, never sent) is 'not_pending'.
   */
  withdrawInvitation(input: {
    accountId: string;
    providerId: string;
    invitationId?: string;
  }): Promise<{ result: 'withdrawn' | 'not_pending'; invitationId?: string }>;
}
