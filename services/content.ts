/**
 * Checked content (SYS-003, ED-005, SM-004): what an engine writes is sent only if it passes
 * domain/content-checks.ts. A failure of the engine (thrown or a failed check) is noted and the
 * fallback (the template engine) writes instead; when the fallback fails too the message is
 * skipped with the reason. Never throws for content reasons: a text never fails a workflow.
 */
import { checkContent, type ContentCheckOptions, type ContentDraft, type ContentRequest } from '../domain/content-checks.js';
import type { ContentEngine } from '../providers/ports/content.js';

export type ContentResult =
  | { status: 'ok'; draft: ContentDraft; engine: 'template' | 'llm'; notes: string[] }
  | { status: 'skipped'; reason: string; failures: string[] };

/** Skip reasons: the last engine's text failed its checks, or the last engine failed to write one. */
export const CONTENT_CHECK_FAILED = 'content_check_failed';
export const CONTENT_ENGINE_FAILED = 'content_engine_failed';

type Attempt = { ok: true; draft: ContentDraft } | { ok: false; reason: string; failures: string[] };

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

async function attempt(engine: ContentEngine, req: ContentRequest, checks: ContentCheckOptions): Promise<Attempt> {
  let draft: ContentDraft;
  try {
    draft = await engine.compose(req);
  } catch (err) {
    return { ok: false, reason: CONTENT_ENGINE_FAILED, failures: [`${engine.name} engine failed: ${describe(err)}`] };
  }
  try {
    if (typeof draft?.text !== 'string') throw new TypeError('the draft has no text');
    const checked = checkContent(req, draft, checks);
    if (checked.ok) return { ok: true, draft };
    const failures = checked.failures.map((f) => `${engine.name} draft failed ${f.code}: ${f.reason}`);
    return { ok: false, reason: CONTENT_CHECK_FAILED, failures };
  } catch (err) {
    return { ok: false, reason: CONTENT_CHECK_FAILED, failures: [`${engine.name} draft could not be checked: ${describe(err)}`] };
  }
}

export function createContent({
  engine,
  fallback,
  checks = {},
}: {
  engine: ContentEngine;
  fallback: ContentEngine;
  checks?: ContentCheckOptions;
}) {
  return {
    async compose(req: ContentRequest): Promise<ContentResult> {
      const first = await attempt(engine, req, checks);
      if (first.ok) return { status: 'ok', draft: first.draft, engine: engine.name, notes: [] };
      const notes = [...first.failures, `fell back to the ${fallback.name} engine`];
      const second = await attempt(fallback, req, checks);
      if (second.ok) return { status: 'ok', draft: second.draft, engine: fallback.name, notes };
      return { status: 'skipped', reason: second.reason, failures: [...first.failures, ...second.failures] };
    },
  };
}

export type Content = ReturnType<typeof createContent>;
