/**
 * SandboxRecorder implementations. The production one (a row in sandbox_outbox) lives with the
 * database code; this in-memory one is for tests and for logging what sandbox adapters did.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxRecorder } from '../ports.js';

export interface RecordedEntry {
  provider: string;
  kind: string;
  to: string;
  payload: unknown;
}

export interface MemoryRecorder extends SandboxRecorder {
  /** Everything recorded, in order (deep copies: later changes to the inputs do not show here). */
  readonly entries: readonly RecordedEntry[];
  /** Entries of one provider (and kind). */
  filter(provider: string, kind?: string): RecordedEntry[];
  clear(): void;
}

export function createMemoryRecorder(opts: { onRecord?: (entry: RecordedEntry) => void } = {}): MemoryRecorder {
  const entries: RecordedEntry[] = [];
  return {
    entries,
    async record(entry) {
      const copy: RecordedEntry = { provider: entry.provider, kind: entry.kind, to: entry.to, payload: clone(entry.payload) };
      entries.push(copy);
      opts.onRecord?.(copy);
    },
    filter(provider, kind) {
      return entries.filter((e) => e.provider === provider && (kind === undefined || e.kind === kind));
    },
    clear() {
      entries.length = 0;
    },
  };
}

function clone<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

/**
 * `sandbox_{kind}_{24 hex}`: looks like a provider id, unique across processes and restarts
 * (random), so it never collides in a unique index.
 */
export function sandboxId(kind: string): string {
  return `sandbox_${kind}_${randomBytes(12).toString('hex')}`;
}
