/**
 * The webhook benchmark's worker (its own process, as a deployment's worker is): runs the sleeping
 * leads on the benchmark's task queue. Prints "ready" once polling; stops on SIGTERM.
 *   env: TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE
 */
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: ['SIGTERM', 'SIGINT'] });
const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
  workflowsPath: path.join(import.meta.dirname, 'sleeper-workflow.ts'),
});
console.log('ready');
await worker.run();
await connection.close();
