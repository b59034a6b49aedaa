/**
 * The real worker (worker.ts startWorker: the composition root, every activity, the real provider
 * adapters configured from the environment) as a process of its own, for the resilience runs that
 * kill it with SIGKILL. Unlike `tsx worker.ts` it does not sync the Schedules (the time-skipping
 * test server has none). Prints "worker ready" once it polls.
 */
import { loadConfig } from '../../config/index.js';
import { startWorker } from '../../worker.js';

const running = await startWorker(loadConfig());
console.log('worker ready');
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void running.shutdown());
await running.done;
