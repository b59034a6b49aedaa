/**
 * `npm run search-attributes:sync`: register the custom search attributes (SYS-009: ClientId,
 * CampaignId, LeadTier, LeadState, NextStepAt, StopReason, Channel) on TEMPORAL_NAMESPACE at
 * TEMPORAL_ADDRESS, for a cluster other than the local dev server (which gets them at launch).
 * Idempotent: an attribute already there is left alone; one there with another type fails the run.
 * The worker does the same at start unless TEMPORAL_REGISTER_SEARCH_ATTRIBUTES=off.
 */
import { loadConfig } from '../config/index.js';
import { connectTemporal } from '../app/composition.js';
import { syncSearchAttributes } from '../lib/search-attributes.js';

const config = loadConfig();
const client = await connectTemporal(config);
try {
  for (const r of await syncSearchAttributes(client.connection, config.temporal.namespace))
    console.log(`search attribute ${r.name}: ${r.outcome}`);
} finally {
  await client.connection.close();
}
