/**
 * `npm run schedules:sync`: create or update the Temporal Schedules (pool-monitor,
 * health-monitor, mailbox-reading, recording-retention, and one daily-outreach-prep per client
 * zone in use, SDK-002: a zone no longer used loses its schedule) against TEMPORAL_ADDRESS.
 * Idempotent; the worker's start runs the same sync.
 */
import { loadConfig } from '../config/index.js';
import { createAppContext } from '../app/composition.js';
import { syncOutreachPrepSchedules, syncSchedules } from '../lib/schedules.js';

const config = loadConfig();
const ctx = await createAppContext(config);
try {
  for (const r of await syncSchedules(ctx.temporal, config.temporal.taskQueue)) console.log(`schedule ${r.id}: ${r.outcome}`);
  const zones = await ctx.services.outreachPrep.system.zonesInUse();
  for (const r of await syncOutreachPrepSchedules(ctx.temporal, config.temporal.taskQueue, zones))
    console.log(`schedule ${r.id}: ${r.outcome}`);
} finally {
  await ctx.close();
}
