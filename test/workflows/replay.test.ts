/**
 * Replays recorded histories (test/workflows/histories) against the current workflow code: a
 * change that is not replay-safe (and not guarded with patched()) fails here (DESIGN.md 2).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { historiesDir } from '../helpers/histories.js';
import { tracingOff } from '../../lib/tracing.js';

const files = readdirSync(historiesDir)
  .filter((f) => f.endsWith('.history.b64'))
  .sort();

describe('replay of recorded workflow histories', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s replays deterministically with the current workflow code', async (file) => {
    const history = temporal.api.history.v1.History.decode(Buffer.from(readFileSync(path.join(historiesDir, file), 'utf8'), 'base64'));
    await Worker.runReplayHistory(
      // The bundled tracing interceptors' sink, as a worker with tracing off has it (lib/tracing.ts).
      { workflowBundle: { codePath: inject('workflowBundlePath') }, sinks: tracingOff.sinks },
      history,
      file.replace(/\.history\.b64$/, ''),
    );
  });
});
