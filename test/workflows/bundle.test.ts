/**
 * The workflow bundle (built once per run by test/global-setup.ts, as `npm run workflows:bundle`
 * builds it) holds workflow code only: no zod, no luxon, no database or provider SDK. Time-zone
 * and configuration rules run in activities (DESIGN.md convention 6).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';

describe('workflow bundle (issue 9)', () => {
  const code = readFileSync(inject('workflowBundlePath'), 'utf8');
  const packages = new Set([...code.matchAll(/node_modules\/((?:@[^/"'\s]+\/)?[^/"'\s]+)/g)].map((m) => m[1]!));

  it.each(['zod', 'luxon', 'date-holidays', '@prisma/client', 'pg', 'twilio', 'stripe', 'pino'])('holds no %s', (pkg) => {
    expect(packages.has(pkg)).toBe(false);
  });

  it('holds only the Temporal workflow runtime and the tracing interceptors (SYS-009) besides our own workflow code', () => {
    expect([...packages].filter((p) => !p.startsWith('@temporalio/')).sort()).toEqual([
      '@opentelemetry/api',
      '@opentelemetry/core',
      '@opentelemetry/resources',
      '@opentelemetry/sdk-trace-base',
      '@opentelemetry/semantic-conventions',
      'long',
      'ms',
      'nexus-rpc',
    ]);
  });
});
