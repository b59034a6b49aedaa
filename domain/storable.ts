/**
 * What Postgres can store (SYS-008, SYS-009). Text and jsonb refuse U+0000 (SQLSTATE 22021 /
 * 22P05: "\u0000 cannot be converted to text"), jsonb refuses a lone UTF-16 surrogate (22P05:
 * "Unicode low surrogate must follow a high surrogate"; a text column silently turns it into
 * U+FFFD), and very deep nesting fails both JSON.stringify (RangeError past a few thousand levels)
 * and Postgres' jsonb parser (54001 stack depth limit exceeded).
 *
 * Two uses: a signed webhook is recorded and dispatched with its storable form (storableJson:
 * NUL removed, lone surrogates replaced by U+FFFD, the raw bytes kept beside it); an API request
 * carrying such input is refused with a 400 naming the field (findUnstorable).
 * Pure: no I/O.
 */

const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deepest nesting accepted (objects and arrays): far above any provider event or API body. */
export const MAX_JSON_DEPTH = 64;

export type UnstorableProblem = 'nul' | 'lone_surrogate' | 'too_deep';

/** What in a string Postgres cannot store, if anything. */
export function textProblem(s: string): Exclude<UnstorableProblem, 'too_deep'> | undefined {
  if (!UNSTORABLE.test(s)) return undefined;
  return s.includes('\u0000') ? 'nul' : 'lone_surrogate';
}

/** The string Postgres can store: U+0000 removed, each lone surrogate replaced by U+FFFD. */
export function storableText(s: string): string {
  if (!UNSTORABLE.test(s)) return s;
  return s.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD');
}

export type StorableJson = { ok: true; value: unknown; changed: boolean } | { ok: false; reason: string };

/**
 * A copy of a JSON value (as JSON.parse or a form decoder gives it) that Postgres can store:
 * every string and key through storableText. Refuses nesting deeper than `maxDepth`.
 */
export function storableJson(value: unknown, maxDepth = MAX_JSON_DEPTH): StorableJson {
  let changed = false;
  let tooDeep = false;
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const s = storableText(v);
      if (s !== v) changed = true;
      return s;
    }
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) {
      tooDeep = true;
      return null;
    }
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    // Object.fromEntries defines own properties, so a "__proto__" key stays data.
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, item]) => {
        const key = storableText(k);
        if (key !== k) changed = true;
        return [key, walk(item, depth + 1)];
      }),
    );
  };
  const out = walk(value, 0);
  if (tooDeep) return { ok: false, reason: `nested deeper than ${maxDepth} levels` };
  return { ok: true, value: out, changed };
}

export interface UnstorableFinding {
  /** Where: `body.icp.description`, `query.limit`, `headers.user-agent`, `body.<key>` for a key. */
  path: string;
  problem: UnstorableProblem;
}

/** The first string or key Postgres cannot store in a request part, or nesting deeper than `maxDepth`. */
export function findUnstorable(value: unknown, where: string, maxDepth = MAX_JSON_DEPTH): UnstorableFinding | undefined {
  const walk = (v: unknown, path: string, depth: number): UnstorableFinding | undefined => {
    if (typeof v === 'string') {
      const problem = textProblem(v);
      return problem ? { path, problem } : undefined;
    }
    if (v === null || typeof v !== 'object') return undefined;
    if (depth >= maxDepth) return { path, problem: 'too_deep' };
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((item, i) => [String(i), item]) : Object.entries(v);
    for (const [k, item] of entries) {
      const keyProblem = textProblem(k);
      if (keyProblem) return { path: `${path}.<key>`, problem: keyProblem };
      const found = walk(item, `${path}.${k}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return walk(value, where, 0);
}

/** A sentence for an API error or a recorded webhook error. */
export function describeUnstorable(f: UnstorableFinding, maxDepth = MAX_JSON_DEPTH): string {
  switch (f.problem) {
    case 'nul':
      return `${f.path} contains a NUL character (U+0000), which cannot be stored`;
    case 'lone_surrogate':
      return `${f.path} contains an unpaired UTF-16 surrogate (not valid Unicode text)`;
    case 'too_deep':
      return `${f.path} is nested deeper than ${maxDepth} levels`;
  }
}
