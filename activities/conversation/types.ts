/** What the conversation's activities take and return, and what they are built from. */
import type { InboundMessage, ManualReply, ReplyHandled } from '../../domain/processes.js';
import type { ContentRequest } from '../../providers/ports/content.js';
import type { ContentResult } from '../../services/content.js';
import type { ProviderSet } from '../../providers/ports.js';
import type { Services } from '../../services/index.js';
import type { LeadSequenceSettings } from '../lead-sequence/types.js';

export interface ConversationDeps {
  services: Services;
  providers: Pick<ProviderSet, 'email' | 'sms' | 'linkedin'>;
  settings: LeadSequenceSettings;
  /** The checked content engine (services/content.ts): a text that passed the checks, or why there is none. */
  content: { compose(req: ContentRequest): Promise<ContentResult> };
}

export interface ReceiveInput {
  version: 1;
  clientId: string;
  leadId: string;
  message: InboundMessage;
  /** The workflow's clock when it took the message: the answer's delay runs from then (or from the message, if later). */
  nowMs?: number;
}

/** What a message made the conversation do: the sequence's fate, and whether (and when) an answer goes. */
export interface ReplyDecision {
  messageId: string;
  duplicate: boolean;
  intent: string;
  /** What the lead's sequence is told (replyHandled). */
  sequence: Omit<ReplyHandled, 'eventId'>;
  /** When the answer is due (epoch ms: 3-5 minutes after the reply, in business hours); absent: no answer. */
  answerAtMs?: number;
  /** A person must look at it (an alert was raised). */
  human: boolean;
  /** A referral made a lead (new, to be scored, washed and sequenced by the onboarding steps). */
  referral?: { leadId: string; campaignId: string; sourceRow: number };
}

export interface ReclassifyInput {
  version: 1;
  clientId: string;
  leadId: string;
  messageId: string;
  intent: string;
  by: string;
  nowMs?: number;
}

export interface AnswerInput {
  version: 1;
  clientId: string;
  leadId: string;
  /** The inbound message answered. */
  messageId: string;
  /** The workflow's clock when it sent it (the answer's time). */
  nowMs?: number;
}

export interface ManualInput {
  version: 1;
  clientId: string;
  leadId: string;
  reply: ManualReply;
  nowMs?: number;
}

export type SendOutcome =
  { status: 'sent'; messageId: string; channel: string } | { status: 'skipped' | 'failed'; reason: string; messageId?: string };
