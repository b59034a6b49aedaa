/**
 * The conversation's activities (SYS-003, ED-005, SM-003): receive a message (keep it, read its
 * intent, apply the intent's action), correct an intent, send the engine's answer when due, send a
 * person's answer. Thin: the rules are in domain/reply-intent.ts, the data in services/conversations.ts.
 */
import { createAnswers } from './answer.js';
import { createReceive } from './receive.js';
import type { ConversationDeps } from './types.js';

export type { ConversationDeps } from './types.js';

export function createConversationActivities(deps: ConversationDeps) {
  return { ...createReceive(deps), ...createAnswers(deps) };
}
