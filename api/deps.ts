/** What the API is built from (the composition root makes it): configuration, services, checkout, webhooks. */
import type { Logger } from 'pino';
import type { AppConfig } from '../config/index.js';
import type { BillingCheckout } from '../providers/ports.js';
import type { Services } from '../services/index.js';
import type { WebhookProvider } from './webhooks/registry.js';

export interface AppDeps {
  config: Readonly<AppConfig>;
  services: Services;
  /** Stripe Checkout (real or sandbox, chosen by the composition root). */
  checkout: BillingCheckout;
  /** Provider webhooks mounted under /webhooks. */
  webhooks: WebhookProvider<any, any>[];
  /** A pino logger; none in tests. */
  logger?: Logger;
}
