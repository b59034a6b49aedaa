/**
 * The workflow bundle for a worker without a prebuilt one (WORKFLOW_BUNDLE_PATH unset): built by
 * scripts/bundle-workflows.ts in a child process, so webpack's memory (a few hundred MB while it
 * runs) is given back to the system when it exits instead of staying in the worker's heap.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { projectRoot as root } from '../config/project-root.js';

export async function buildWorkflowBundle(outPath: string): Promise<string> {
  const out = path.resolve(outPath);
  mkdirSync(path.dirname(out), { recursive: true });
  const script = path.join(root, 'scripts', 'bundle-workflows.ts');
  // Written aside and renamed: a worker starting beside this one never reads half a file.
  const tmp = `${out}.${process.pid}.tmp`;
  const child = spawn(process.execPath, ['--import', 'tsx', script, tmp], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`building the workflow bundle failed (exit ${code}):\n${stderr}`);
  renameSync(tmp, out);
  return out;
}
