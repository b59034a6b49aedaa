/**
 * Temporal connection options from configuration: a local dev server by default; a
 * self-hosted cluster (mTLS) or Temporal Cloud (API key or mTLS) from the environment.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { AppConfig } from './index.js';

function tlsOptions(t: AppConfig['temporal']) {
  if (!t.tls) return undefined;
  return {
    serverNameOverride: t.tlsServerName,
    serverRootCACertificate: t.tlsCaPath ? readFileSync(t.tlsCaPath) : undefined,
    clientCertPair: t.tlsCertPath && t.tlsKeyPath ? { crt: readFileSync(t.tlsCertPath), key: readFileSync(t.tlsKeyPath) } : undefined,
  };
}

export function clientConnectionOptions(config: Pick<AppConfig, 'temporal'>): ConnectionOptions {
  const t = config.temporal;
  return { address: t.address, tls: tlsOptions(t), apiKey: t.apiKey };
}

export function workerConnectionOptions(config: Pick<AppConfig, 'temporal'>): NativeConnectionOptions {
  const t = config.temporal;
  return { address: t.address, tls: tlsOptions(t), apiKey: t.apiKey };
}
