// Test output shows what matters: the engine's own logs from errors up (LOG_LEVEL overrides),
// the SDK's warnings, the core's errors (CORE_LOG_LEVEL=WARN shows why a workflow task stalled).
import { inspect } from 'node:util';
import { DefaultLogger, Runtime, makeTelemetryFilterString } from '@temporalio/worker';

process.env.LOG_LEVEL ??= 'error';
// Activity failures carry their stack trace to the server. The Java test server answers some calls
// carrying a long one with an error too big for a gRPC header, and the test then hangs: short stacks.
Error.stackTraceLimit = 8;

try {
  Runtime.install({
    // Carrier workers run activities only, by design: their "no workflows registered" is expected.
    logger: new DefaultLogger('WARN', ({ level, message, meta }) => {
      if (!message.startsWith('No workflows registered'))
        process.stderr.write(`[sdk ${level}] ${message} ${inspect(meta ?? {}, { depth: 2, breakLength: Infinity })}\n`);
    }),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: (process.env.CORE_LOG_LEVEL as 'ERROR' | undefined) ?? 'ERROR' }) },
    },
  });
} catch {
  // Already installed by an earlier test file in this process.
}
