/** The LinkedIn port (Unipile): profiles, invitations and messages. */

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
}
