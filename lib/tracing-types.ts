/** What lib/tracing.ts hands to the processes (the API, the worker), on or off (SYS-009). */
import type { TracerProvider } from '@opentelemetry/api';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import type { FastifyPluginCallback } from 'fastify';

export type TracedService = 'agency-os-api' | 'agency-os-worker';

export interface Tracing {
  enabled: boolean;
  /** Merged into every Worker.create: the activity interceptors (after the app's own) and the workflow span exporter sink. */
  activityInterceptors: ActivityInterceptorsFactory[];
  /** The workflow interceptors' span sink (`exporter`; never `failures`). Disabled: a sink that drops the spans. */
  sinks: InjectedSinks<OpenTelemetrySinks>;
  /** For new Client({ interceptors }): StartWorkflow, SignalWorkflow... spans whose context travels in the headers. */
  clientInterceptors: ClientInterceptors;
  /** This process role's provider (a no-op one when disabled): the API's request spans come from it. */
  tracerProvider: TracerProvider;
  /** The API's request spans, registered before any route (lib/tracing-otlp.ts); none when disabled. */
  requestPlugin?: FastifyPluginCallback;
  /** Flushes what is queued and stops the provider (a no-op when disabled). */
  shutdown(): Promise<void>;
}
