/** What the pool activities are built from. */
import type { PoolProviders } from '../../providers/ports.js';
import type { Services } from '../../services/index.js';

export interface PoolSettings {
  domainStem: string;
  domainTld: string;
  numberCountry: string;
  publicBaseUrl: string;
  /** The people the mailboxes of a new domain are named after (two per domain). */
  personas?: { firstName: string; lastName: string }[];
}

export interface PoolDeps {
  services: Services;
  pool: PoolProviders;
  poolSettings: PoolSettings;
}
