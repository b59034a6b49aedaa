/**
 * `npm run schedules:sync`: create or update the Temporal Schedules (pool-monitor,
 * health-monitor, mailbox-reading) against TEMPORAL_ADDRESS. Idempotent; npm start runs the same sync.
 */
import { loadConfig } from '../config/index.js';
import { connectTemporal } from '../app/composition.js';
import { syncSchedules } from '../lib/schedules.js';

const config = loadConfig();
const client = await connectTemporal(config);
try {
  for (const r of await syncSchedules(client, config.temporal.taskQueue)) console.log(`schedule ${r.id}: ${r.outcome}`);
} finally {
  await client.connection.close();
}
