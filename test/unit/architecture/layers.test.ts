/**
 * The layers of the house are enforced by lint (eslint.config.js, docs/architecture.md): each
 * case is an import written into a file of one folder, and whether the rules refuse it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '../../..') });

async function refused(filePath: string, importLine: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${importLine}\nexport const used = [x];\n`, { filePath });
  return result!.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

describe('layers (issue 9): nothing imports upward, domain/ is pure', () => {
  it.each([
    // [file, import, refused]
    ['domain/x.ts', "import { DateTime as x } from 'luxon';", false],
    ['domain/x.ts', "import { z as x } from 'zod';", false],
    ['domain/x.ts', "import { smsSegments as x } from './sms.js';", false],
    ['domain/x.ts', "import { pino as x } from 'pino';", true],
    ['domain/x.ts', "import x from 'twilio';", true],
    ['domain/x.ts', "import { PrismaClient as x } from '../generated/prisma/client.js';", true],
    ['domain/x.ts', "import { readFileSync as x } from 'node:fs';", true],
    ['workflows/x.ts', "import { proxyActivities as x } from '@temporalio/workflow';", false],
    ['workflows/x.ts', "import type { createPoolActivities as x } from '../activities/pool/index.js';", false],
    ['workflows/x.ts', "import { createPoolActivities as x } from '../activities/pool/index.js';", true],
    ['workflows/x.ts', "import { createDb as x } from '../db/client.js';", true],
    ['api/routes/x.ts', "import { createServices as x } from '../../services/index.js';", false],
    ['api/routes/x.ts', "import { leadProgressQuery as x } from '../../workflows/contracts.js';", false],
    ['api/routes/x.ts', "import { createActivities as x } from '../../activities/index.js';", true],
    ['api/routes/x.ts', "import { createDb as x } from '../../db/client.js';", true],
    ['api/routes/x.ts', "import { createAppContext as x } from '../../app/composition.js';", true],
    ['api/routes/x.ts', "import type { Prisma as x } from '../../generated/prisma/client.js';", true],
    ['activities/x.ts', "import { createServices as x } from '../services/index.js';", false],
    ['activities/x.ts', "import { buildApp as x } from '../api/app.js';", true],
    ['activities/x.ts', "import { leadSequenceWorkflow as x } from '../workflows/lead-sequence.js';", true],
    ['activities/x.ts', "import { createDb as x } from '../db/client.js';", true],
    ['activities/x.ts', "import type { Lead as x } from '../generated/prisma/client.js';", true],
    ['activities/x.ts', "import { DB_RESOURCE_TYPE as x } from '../db/resource-types.js';", false],
    ['services/x.ts', "import { createDb as x } from '../db/client.js';", false],
    ['services/x.ts', "import { ProviderError as x } from '../providers/ports.js';", false],
    ['services/x.ts', "import { createActivities as x } from '../activities/index.js';", true],
    ['services/x.ts', "import { buildApp as x } from '../api/app.js';", true],
    ['providers/twilio/x.ts', "import { smsSegments as x } from '../../domain/sms.js';", false],
    ['providers/twilio/x.ts', "import { createDb as x } from '../../db/client.js';", true],
    ['providers/twilio/x.ts', "import { createServices as x } from '../../services/index.js';", true],
    ['providers/twilio/x.ts', "import { createActivities as x } from '../../activities/index.js';", true],
    ['db/x.ts', "import { createServices as x } from '../services/index.js';", true],
    ['lib/x.ts', "import { createServices as x } from '../services/index.js';", true],
    ['config/x.ts', "import { createDb as x } from '../db/client.js';", true],
  ] as const)('%s: %s -> refused %s', async (file, line, expected) => {
    expect(await refused(file, line)).toBe(expected);
  });
});
