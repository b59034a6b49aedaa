/**
 * The sandbox outbox (system path): what a sandboxed provider would have sent is recorded in
 * Postgres (sandbox_outbox), where operators can see it. The recorder port of providers/sandbox.
 */
import type { Db } from '../db/client.js';
import type { SandboxRecorder } from '../providers/ports.js';

export function createSandboxOutbox(db: Db): { system: SandboxRecorder } {
  return {
    system: {
      async record(entry) {
        await db.system.sandboxOutbox.create({
          data: { provider: entry.provider, kind: entry.kind, to: entry.to, payload: (entry.payload ?? {}) as object },
        });
      },
    },
  };
}
