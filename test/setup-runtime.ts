// The SDK's runtime logs only what matters in test output: warnings from our code, errors from the core.
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';

try {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
} catch {
  // Already installed by an earlier test file in this process.
}
