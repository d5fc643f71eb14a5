// Prometheus metrics of the API (GET /metrics, ops scope): request latency by route and status,
// and business gauges read from PostgreSQL when scraped (orders by status, webhook deliveries
// waiting, notifications by channel and outcome). The worker's metrics (the Temporal SDK's and
// carrier calls) are served by the worker itself (workers/metrics.ts).
import type { IRoute, RequestHandler } from 'express';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  /** Times every request; routes are labelled by their pattern (/v1/orders/:orderId), never by ids. */
  timing: RequestHandler;
}

/** A gauge whose values come from one query at scrape time; a database that is down leaves it empty. */
function queryGauge(registry: Registry, pool: Pool, name: string, help: string, labelNames: string[], sql: string): void {
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await pool.query<Record<string, unknown>>(sql).then(
        (r) => r.rows,
        () => [],
      );
      for (const row of rows) this.set(Object.fromEntries(labelNames.map((l) => [l, String(row[l])])), Number(row.n));
    },
  });
}

export function createApiMetrics(pool: Pool): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'API request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  queryGauge(
    registry,
    pool,
    'orders_by_status',
    'Orders in the records by current status',
    ['status'],
    'SELECT status, count(*)::int AS n FROM orders GROUP BY status',
  );
  queryGauge(
    registry,
    pool,
    'webhook_deliveries_pending',
    'Outbound webhook events waiting per subscriber',
    ['subscriber'],
    "SELECT subscriber_id AS subscriber, count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending' GROUP BY subscriber_id",
  );
  queryGauge(
    registry,
    pool,
    'customer_notifications',
    'Customer notifications in the ledger by channel and outcome',
    ['channel', 'status'],
    'SELECT channel, status, count(*)::int AS n FROM notifications GROUP BY channel, status',
  );

  const timing: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // Express types `req.route` as `any`; it is the Route that matched, undefined when none did.
      const matched = req.route as IRoute | undefined;
      const route = !matched ? 'unmatched' : matched.path === '/' ? req.baseUrl || '/' : `${req.baseUrl}${matched.path}`;
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, timing };
}
