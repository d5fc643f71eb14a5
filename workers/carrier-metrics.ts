// Carrier call latency and errors per carrier, as Temporal SDK metrics: every activity on a
// carrier's task queue is one call to that carrier. Exported with the SDK's own metrics
// (workflow and activity latencies, task queue polls…) on the worker's Prometheus endpoint.
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

export function carrierCallMetrics(carrier: string): ActivityInterceptorsFactory {
  return (ctx) => {
    const latency = ctx.metricMeter.createHistogram(
      'carrier_call_latency',
      'float',
      's',
      'Calls to a carrier API, by carrier, operation and outcome',
    );
    const errors = ctx.metricMeter.createCounter(
      'carrier_call_errors',
      'calls',
      'Failed calls to a carrier API, by carrier, operation and failure type',
    );
    return {
      inbound: {
        async execute(input, next) {
          const started = performance.now();
          const tags = { carrier, operation: ctx.info.activityType };
          try {
            const result = await next(input);
            latency.record((performance.now() - started) / 1000, { ...tags, outcome: 'ok' });
            return result;
          } catch (err) {
            latency.record((performance.now() - started) / 1000, { ...tags, outcome: 'error' });
            errors.add(1, { ...tags, type: (err as { type?: string }).type ?? (err as Error).name });
            throw err;
          }
        },
      },
    };
  };
}
