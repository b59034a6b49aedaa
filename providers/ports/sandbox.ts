/** The recorder sandbox adapters write to (providers/sandbox/). */

/** Where sandbox adapters record what they would have sent. */
export interface SandboxRecorder {
  record(entry: { provider: string; kind: string; to: string; payload: unknown }): Promise<void>;
}
