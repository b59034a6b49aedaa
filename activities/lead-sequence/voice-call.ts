/**
 * What a call is placed with, from the client's settings (VO-001, VO-004): its Vapi assistant, its
 * knowledge base added to the assistant's model for the call, the first message (the recording
 * notice, then who is calling: domain/message-templates.ts callFirstMessage) and the voicemail
 * behaviour. A client without an assistant gets no call: the step is skipped `no_voice_assistant`
 * and an operator is told (one open alert per client, resolved when an assistant is set).
 * Everything here happens before the touch is reserved: a provider read that fails leaves nothing
 * half done (a transient failure is retried by Temporal).
 */
import { callFirstMessage, voicemailMessage } from '../../domain/message-templates.js';
import { ProviderError, type OutboundCall } from '../../providers/ports.js';
import type { LeadContext } from '../../services/leads/sequence.js';
import { noVoiceAssistantAlertKey } from '../../services/client-settings.js';
import type { LeadSequenceDeps } from './types.js';

export type CallSetup = Pick<OutboundCall, 'assistantId' | 'firstMessage' | 'knowledgeBase' | 'voicemail'>;

export function createCallSetup({ services, providers }: Pick<LeadSequenceDeps, 'services' | 'providers'>) {
  async function skipWithAlert(ctx: LeadContext, step: number, now: number, reason: string, message: string) {
    await services.alerts.system.raise(
      {
        kind: reason === 'no_voice_assistant' ? 'voice_assistant_missing' : 'voice_assistant_unusable',
        severity: 'warning',
        clientId: ctx.client.id,
        dedupeKey: noVoiceAssistantAlertKey(ctx.client.id),
        message,
        data: { leadId: ctx.lead.id, step, reason },
      },
      new Date(now),
    );
    return { skip: reason } as const;
  }

  return async function callSetup(ctx: LeadContext, step: number, now: number): Promise<CallSetup | { skip: string }> {
    const voice = ctx.settings.voice ?? {};
    const name = ctx.client.name;
    if (!voice.assistantId) {
      return skipWithAlert(
        ctx,
        step,
        now,
        'no_voice_assistant',
        `${name} has no voice assistant: its call steps are skipped until one is set (PATCH /v1/settings voice.assistantId)`,
      );
    }
    let knowledgeBase: CallSetup['knowledgeBase'];
    if (voice.knowledgeBaseId) {
      try {
        knowledgeBase = { toolId: voice.knowledgeBaseId, model: await providers.voice.assistantModel(voice.assistantId) };
      } catch (err) {
        if (!(err instanceof ProviderError) || err.retryable) throw err;
        return skipWithAlert(
          ctx,
          step,
          now,
          'voice_assistant_unusable',
          `${name}'s voice assistant ${voice.assistantId} cannot take its knowledge base (${err.code}: ${err.message}): call steps are skipped until the settings are fixed`,
        );
      }
    }
    return {
      assistantId: voice.assistantId,
      firstMessage: callFirstMessage(ctx.msg, voice.recordingNotice),
      ...(knowledgeBase ? { knowledgeBase } : {}),
      voicemail:
        ctx.config.voice.voicemail === 'leave_message'
          ? { action: 'leave_message', message: voice.voicemailMessage ?? voicemailMessage(ctx.msg) }
          : { action: 'hang_up' },
    };
  };
}
