/** Billing tier names of domain/config.ts <-> the database enum `BillingTier`. */
import type { BillingTier } from '../domain/config.js';

export type DbTier = 'ignition' | 'velocity' | 'dominance';
export const toDbTier = (t: BillingTier): DbTier => t.toLowerCase() as DbTier;
export const fromDbTier = (t: string | null | undefined): BillingTier | null =>
  t ? ((t[0]!.toUpperCase() + t.slice(1)) as BillingTier) : null;
