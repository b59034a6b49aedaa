/**
 * The process the worker-memory benchmark measures: the worker and the API in one process, as
 * `npm start` runs them (startWorker + startServer, the configuration from the environment). The
 * two activities a lead runs before it sleeps until step 1 (prepareLeadSequence, nextStepTime)
 * are stand-ins returning a fixed 5-step plan, so no database rows are needed; the workflow code,
 * the bundle and the worker's settings are the project's. Reports on its IPC channel:
 *   { planned: n }   after each lead has planned step 1 (nextStepTime returned)
 *   { ready: true }  once the worker and the API run
 */
import { loadConfig } from '../../config/index.js';
import { startWorker } from '../../worker.js';
import { startServer } from '../../server.js';
import { createLogger } from '../../lib/logger.js';

const DAY_MS = 86_400_000;
const config = loadConfig();
const log = createLogger('warn');
let planned = 0;
const send = (m: object) => process.send?.(m);

const worker = await startWorker(config, {
  log,
  activityOverrides: () => ({
    async prepareLeadSequence() {
      const step = (n: number, day: number, kind: 'email' | 'email_followup' | 'sms' | 'voice', channel: 'email' | 'sms' | 'voice') => ({
        step: n,
        day,
        kind,
        channel,
        status: 'planned' as const,
      });
      return {
        tier: 'Warm' as const,
        zone: 'Australia/Sydney',
        steps: [
          step(1, 1, 'email', 'email'),
          step(2, 3, 'email_followup', 'email'),
          step(3, 5, 'sms', 'sms'),
          step(4, 7, 'voice', 'voice'),
          step(5, 10, 'email_followup', 'email'),
        ],
        stopReason: undefined,
        linkedin: { ignoreAfterMs: 21 * DAY_MS, withdrawAfterMs: 30 * DAY_MS, messageAfterMs: DAY_MS },
      };
    },
    async nextStepTime(input: { earliestMs: number }) {
      planned += 1;
      if (planned % 100 === 0) send({ planned });
      return { atMs: input.earliestMs + 3_600_000 };
    },
  }),
});
const server = await startServer(config, { log });
send({ ready: true });
process.on('message', (m: { type?: string }) => {
  if (m.type === 'planned') send({ planned });
  if (m.type === 'memory') {
    const u = process.memoryUsage();
    send({ memory: { heapUsed: u.heapUsed, heapTotal: u.heapTotal, external: u.external, arrayBuffers: u.arrayBuffers } });
  }
});
let stopping = false;
const stop = async () => {
  if (stopping) return; // SIGTERM and the parent's disconnect both ask
  stopping = true;
  await server.close();
  await worker.shutdown();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('disconnect', () => void stop());
