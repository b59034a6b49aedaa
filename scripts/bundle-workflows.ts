/**
 * Prebuilds the workflow bundle (for container images and fast worker starts):
 *   npm run workflows:bundle -- dist/workflow-bundle.js
 * then run workers with WORKFLOW_BUNDLE_PATH=dist/workflow-bundle.js.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

const out = path.resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
const { code } = await bundleWorkflowCode({
  workflowsPath: path.resolve(import.meta.dirname, '../workflows/index.ts'),
  // SYS-009: a failed workflow is reported through the worker's `failures` sink (bundled in, not given to Worker.create).
  workflowInterceptorModules: [path.resolve(import.meta.dirname, '../workflows/interceptors.ts')],
});
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, code);
console.log(`wrote ${path.relative(process.cwd(), out)} (${(code.length / 1024).toFixed(0)} KiB)`);
