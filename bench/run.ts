/**
 * `npm run bench`: runs every bench/*.bench.ts in its own process, one after another (so one
 * benchmark's garbage and JIT state never colours another's). Each prints its figures as
 * ratios against a baseline measured in the same run. Benchmarks never gate CI.
 *   npm run bench             all of them
 *   npm run bench -- domain   those whose file name contains "domain"
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const filter = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches "${filter}"`);
  process.exit(2);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: 'inherit' });
  if (r.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
