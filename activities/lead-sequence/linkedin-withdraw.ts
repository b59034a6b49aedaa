/**
 * LI-002: a connection request with no answer after 30 days is withdrawn at Unipile (the seat's
 * pending request is cancelled, not only labelled), then the invitation row says withdrawn and
 * its touch says when and with what answer. Idempotent: a retry after success finds nothing left
 * to withdraw; a request Unipile no longer has pending (404: withdrawn, accepted, expired) counts
 * as withdrawn. A permanent refusal (the seat's account is disconnected, ...) leaves the request
 * pending and raises an alert: an operator must act; the sequence records it and goes on.
 */
import { ProviderError } from '../../providers/ports.js';
import { MEMBER_NOT_LOOKED_UP } from '../../services/linkedin.js';
import type { LeadSequenceDeps } from './types.js';

export interface WithdrawOutcome {
  /** When it was withdrawn (the workflow's clock); absent when Unipile refused. */
  withdrawnAt?: string;
  /** Each invitation of the lead: Unipile's answer ('withdrawn', 'not_pending'), 'not_sent', or the refusal. */
  invitations: { seatId: string; result: string }[];
  /** The first permanent refusal (`unipile:<code>`), when any. */
  refused?: string;
}

export function createLinkedInWithdrawActivities({ services, providers }: LeadSequenceDeps) {
  const { linkedin, touches, alerts, leads } = services;

  return {
    async withdrawLinkedInInvitation(input: { version: 1; clientId: string; leadId: string; nowMs: number }): Promise<WithdrawOutcome> {
      const at = new Date(input.nowMs);
      const ledger = touches.forTenant(input.clientId);
      const { lead } = await leads.sequence.forTenant(input.clientId).context(input.leadId);
      const out: WithdrawOutcome = { invitations: [] };
      for (const inv of await linkedin.system.outstandingFor(input.leadId)) {
        // The member the request went to: found when the profile was looked up (else nothing was sent).
        const member = inv.providerId !== MEMBER_NOT_LOOKED_UP ? inv.providerId : lead.linkedinProviderId;
        let result = 'not_sent';
        if (member) {
          try {
            const r = await providers.linkedin.withdrawInvitation({
              accountId: inv.accountRef,
              providerId: member,
              ...(inv.invitationRef ? { invitationId: inv.invitationRef } : {}),
            });
            result = r.result;
          } catch (err) {
            if (!(err instanceof ProviderError) || err.retryable) throw err; // Temporal retries
            const reason = `${err.provider}:${err.code}`;
            await alerts.system.raise(
              {
                kind: 'linkedin_withdraw_refused',
                severity: 'warning',
                dedupeKey: `linkedin-withdraw:${inv.id}`,
                clientId: input.clientId,
                message: `Unipile refused to withdraw the LinkedIn request of seat ${inv.accountRef} to lead ${input.leadId} (${reason}): it is still pending there`,
                data: { invitationId: inv.id, seatId: inv.seatId, leadId: input.leadId, reason, detail: err.message },
              },
              at,
            );
            out.invitations.push({ seatId: inv.seatId, result: reason });
            out.refused ??= reason;
            continue;
          }
        }
        // The touch first (its first note stands), then the row: once the row says withdrawn, a retry has nothing left to do.
        await ledger.noteInvitation(input.leadId, inv.seatId, { state: 'withdrawn', at: at.toISOString(), unipile: result });
        await linkedin.system.markWithdrawn(inv.id);
        out.invitations.push({ seatId: inv.seatId, result });
      }
      if (!out.refused) out.withdrawnAt = at.toISOString();
      return out;
    },
  };
}
