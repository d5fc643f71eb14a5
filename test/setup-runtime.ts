// Test output shows what matters: the engine's own logs from errors up (LOG_LEVEL overrides),
// the SDK's warnings, the core's errors.
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';

process.env.LOG_LEVEL ??= 'error';

try {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
} catch {
  // Already installed by an earlier test file in this process.
}
