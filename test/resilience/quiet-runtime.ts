// Temporal's runtime logs only errors in the resilience runs: the faults they inject make every
// retried activity a warning, thousands of lines that would hide the result.
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

try {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
} catch {
  // already installed in this process
}
