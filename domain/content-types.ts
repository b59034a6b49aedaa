/**
 * What the content engine is asked and what it gives back (SYS-003, ED-005): the request, the
 * facts an engine may use, the draft, and what a check says of it. Pure types and limits;
 * providers/ports/content.ts re-exports them (domain/ cannot import the port).
 */
import type { DomainConfig } from './config.js';
import type { ChannelName } from './processes.js';
import type { ReplyIntent } from './reply-intent.js';

export type ContentPurpose = 'first_touch' | 'follow_up' | 'answer';
/** The only facts an engine may use: anything else in its output is invented. */
export interface ContentFacts {
  lead: { firstName?: string | null; lastName?: string | null; company?: string | null; title?: string | null };
  client: { name: string; senderName?: string | null; pitch?: string | null; bookingLink?: string | null; knowledgeBase?: string | null };
}
export interface ConversationTurn {
  direction: 'inbound' | 'outbound';
  channel: ChannelName;
  text: string;
  at: string;
  /** Emails: the subject, so an answer keeps the thread's ("Re: ..."). */
  subject?: string | null;
}
export interface ContentRequest {
  purpose: ContentPurpose;
  channel: ChannelName; // 'email' | 'sms' | 'linkedin' | 'voice' (voice: a spoken opening / voicemail text)
  facts: ContentFacts;
  intent?: ReplyIntent; // answers: the intent of the reply being answered
  conversation?: ConversationTurn[]; // answers: the thread so far, oldest first (the last inbound is the one answered)
  linkedinKind?: 'note' | 'message';
}
export interface ContentDraft {
  subject?: string;
  text: string;
}

export type ContentFailureCode =
  | 'empty'
  | 'sms_too_long'
  | 'sms_contains_link'
  | 'linkedin_note_too_long'
  | 'linkedin_message_too_long'
  | 'missing_subject'
  | 'subject_not_one_line'
  | 'placeholder'
  | 'markup'
  | 'ai_disclosure'
  | 'invented_url'
  | 'invented_email'
  | 'invented_phone'
  | 'invented_money'
  | 'invented_percentage'
  | 'invented_number';
export interface ContentFailure {
  code: ContentFailureCode;
  reason: string;
  /** The offending text, when there is one. */
  value?: string;
}
export type ContentCheckResult = { ok: true } | { ok: false; failures: ContentFailure[] };

/** LinkedIn's limit on a connection-request note (PROVIDERS.md 4; the Unipile adapter refuses longer ones). */
export const LINKEDIN_NOTE_MAX_CHARS = 300;
/** LinkedIn's limit on a message to a connection. */
export const LINKEDIN_MESSAGE_MAX_CHARS = 8000;
/** What the house itself offers and may always say: the templates ask for a 15-minute call. */
export const HOUSE_FACTS: readonly string[] = ['15-minute call'];

export interface ContentCheckOptions {
  config?: DomainConfig;
  linkedinNoteMaxChars?: number;
  linkedinMessageMaxChars?: number;
  /** Texts counted as given besides the facts and the conversation (default HOUSE_FACTS). */
  houseFacts?: readonly string[];
}
