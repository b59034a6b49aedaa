/**
 * The content engine (SYS-003, ED-005, SM-004): writes a first touch, a follow-up or the answer
 * to a reply for one channel from the given facts only. Two implementations: the deterministic
 * template-and-rules engine (providers/content/template-engine.ts, the offline default) and an
 * LLM-backed one (providers/content/openai-engine.ts). Whatever an engine writes is checked
 * (domain/content-checks.ts) before it is sent; services/content.ts falls back or skips.
 *
 * The request and draft types are declared in domain/content-checks.ts (the pure checks and
 * templates take them, and domain/ may not import a port) and re-exported here unchanged.
 */
export type { ContentDraft, ContentFacts, ContentPurpose, ContentRequest, ConversationTurn } from '../../domain/content-checks.js';
import type { ContentDraft, ContentRequest } from '../../domain/content-checks.js';

export interface ContentEngine {
  readonly name: 'template' | 'llm';
  /**
   * A draft for the request. Transient failures (network, timeout, 429, 5xx) throw a plain
   * Error; permanent ones (refused key, bad request, unusable output) a ProviderError with
   * retryable=false.
   */
  compose(req: ContentRequest): Promise<ContentDraft>;
}
