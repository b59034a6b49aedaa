/**
 * OpenTelemetry tracing (SYS-009, issue 14), from the standard OTel variables: on when an OTLP
 * endpoint is set, off (nothing exported, nothing registered) otherwise. lib/tracing.ts uses it.
 *
 *   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT  the full traces URL (http://collector:4318/v1/traces), used as is
 *   OTEL_EXPORTER_OTLP_ENDPOINT         the collector's base URL: traces go to <base>/v1/traces
 *   OTEL_EXPORTER_OTLP_HEADERS          key=value,key2=value2 sent with every export (a vendor's API key)
 *   OTEL_BSP_SCHEDULE_DELAY             milliseconds between two batches (default 5000)
 */
import { z } from 'zod';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const httpUrl = optionalString.pipe(z.url({ protocol: /^https?$/ }).optional());

export const TracingEnvSchema = z.object({
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl,
  OTEL_EXPORTER_OTLP_HEADERS: optionalString.pipe(
    z
      .string()
      .regex(/^\s*[^=,\s]+\s*=[^,]*(,\s*[^=,\s]+\s*=[^,]*)*$/, 'key=value pairs separated by commas')
      .optional(),
  ),
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(1).max(600_000).default(5000),
});

export type TracingEnv = z.infer<typeof TracingEnvSchema>;

export interface TracingSettings {
  /** Where spans are POSTed (OTLP/HTTP, JSON); unset: tracing is off. */
  tracesUrl?: string;
  /** Headers sent with every export (OTEL_EXPORTER_OTLP_HEADERS, values percent-decoded). */
  headers: Record<string, string>;
  /** Milliseconds between two exported batches. */
  scheduleDelayMs: number;
  /** deployment.environment of every span (NODE_ENV). */
  environment: string;
}

/** The OTLP spec's signal URL: the base endpoint with `v1/traces` appended (one slash between). */
export function tracesUrlOf(base: string): string {
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

function decoded(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

function parseHeaders(raw: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of raw?.split(',') ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    headers[pair.slice(0, at).trim()] = decoded(pair.slice(at + 1).trim());
  }
  return headers;
}

export function tracingSettings(e: TracingEnv & { NODE_ENV: string }): TracingSettings {
  const tracesUrl =
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (e.OTEL_EXPORTER_OTLP_ENDPOINT ? tracesUrlOf(e.OTEL_EXPORTER_OTLP_ENDPOINT) : undefined);
  return {
    tracesUrl,
    headers: parseHeaders(e.OTEL_EXPORTER_OTLP_HEADERS),
    scheduleDelayMs: e.OTEL_BSP_SCHEDULE_DELAY,
    environment: e.NODE_ENV,
  };
}
