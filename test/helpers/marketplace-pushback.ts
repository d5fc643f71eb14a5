// A marketplace order's parcel as the shipment activities record it (the outbox triggers make its
// events), and what an account's subscriber did with the order's events: what a pushback test needs
// once the order itself is in place.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { createOrderActivities } from '../../activities/orders';
import { createShipmentActivities } from '../../activities/shipments';
import { marketplaceSubscribers } from '../../activities/webhooks/subscribers';
import { logger } from '../../lib/logger';
import { startOutboxPump, type OutboxPump } from '../../workers/outbox-pump';
import type { OrderWorkerOptions } from '../../workers/order-worker';
import { webhookDispatcherWorkflowId } from '../../workflows/definitions';
import { TEST_DATABASE_URL } from './env';
import { sampleOrder } from './orders';
import type { OrderInput } from '../../domain/order';
import type { OutboundEvent } from '../../domain/webhooks';
import type { ShipmentView, TrackingStatus } from '../../domain/shipment';

/** The order's first parcel labelled with Yurtiçi from IST-1. */
export async function labelParcel(
  pool: Pool,
  orderId: string,
  trackingNumber = `YK${randomUUID().replace(/-/g, '').slice(0, 12)}`,
): Promise<ShipmentView> {
  const view: ShipmentView = {
    shipmentId: `shipment-${orderId}-1`,
    kind: 'outbound',
    warehouseId: 'IST-1',
    lines: [],
    status: 'labelled',
    carrier: 'yurtici',
    trackingNumber,
    events: [],
  };
  await createShipmentActivities(pool).recordShipment({ orderId, view });
  return view;
}

/** The carrier's scans of the parcel, each recorded as the shipment workflow records it. */
export async function scanParcel(pool: Pool, orderId: string, view: ShipmentView, steps: TrackingStatus[]): Promise<void> {
  for (const status of steps) {
    view.status = status;
    view.events = [
      ...view.events,
      { eventId: `${status}-${view.events.length}`, trackingNumber: view.trackingNumber!, status, occurredAt: new Date().toISOString() },
    ];
    await createShipmentActivities(pool).recordShipment({ orderId, view });
  }
}

/** What the subscriber did with each of the order's events, oldest first: delivered, pending, refused, dropped. */
export async function deliveriesOf(pool: Pool, subscriberId: string, orderId: string): Promise<string[]> {
  const { rows } = await pool.query<{ status: string }>(
    `SELECT d.status FROM webhook_deliveries d JOIN outbound_events e ON e.event_id = d.event_id
      WHERE d.subscriber_id = $1 AND e.order_id = $2 ORDER BY d.seq`,
    [subscriberId, orderId],
  );
  return rows.map((r) => r.status);
}

/** The order's events of a type, oldest first, as the dispatcher hands them to a subscriber's push. */
export async function outboundEvents(pool: Pool, orderId: string, type: OutboundEvent['type']): Promise<OutboundEvent[]> {
  const { rows } = await pool.query<{ event_id: string; type: OutboundEvent['type']; occurred_at: Date; data: OutboundEvent['data'] }>(
    `SELECT event_id, type, occurred_at, data FROM outbound_events WHERE order_id = $1 AND type = $2 ORDER BY seq`,
    [orderId, type],
  );
  return rows.map((r) => ({ id: r.event_id, type: r.type, occurredAt: r.occurred_at.toISOString(), data: r.data }));
}

/**
 * A pushback account for an intake stack's file (useIntakeStack's `workerOptions` and
 * `beforeTeardown`): connected before the workers start, its subscriber heard by them and woken by an
 * outbox pump, as workers/main.ts makes them at start; afterwards its dispatcher, subscriber and
 * account are gone or disabled (the test database outlives the run).
 */
export function pushbackAccount(accountId: string, taskQueue: string, connect: (pool: Pool) => Promise<void>) {
  const subscriberId = `mkt-${accountId}`;
  let pump: OutboxPump | undefined;
  let env: TestWorkflowEnvironment | undefined;
  let pool: Pool | undefined;
  return {
    subscriberId,
    workerOptions: async (stack: { env: TestWorkflowEnvironment; pool: Pool }): Promise<Partial<OrderWorkerOptions>> => {
      ({ env, pool } = stack);
      await connect(stack.pool);
      const subscribers = (await marketplaceSubscribers(stack.pool)).filter((s) => s.accountId === accountId);
      const silent = logger.child({}, { level: 'silent' });
      pump = await startOutboxPump({ client: env.client, pool, databaseUrl: TEST_DATABASE_URL, subscribers, taskQueue, logger: silent });
      return { webhooks: { subscribers, publicBaseUrl: 'https://track.shop.example' } };
    },
    beforeTeardown: async (): Promise<void> => {
      await pump?.stop();
      await env?.client.workflow
        .getHandle(webhookDispatcherWorkflowId(subscriberId))
        .terminate('test over')
        .catch(() => undefined);
      await pool?.query('DELETE FROM webhook_subscribers WHERE subscriber_id = $1', [subscriberId]);
      await pool?.query(`UPDATE marketplace_accounts SET status = 'disabled' WHERE account_id = $1`, [accountId]);
    },
  };
}

/** A package as intake leaves it once its order started: what the pushback reads of it. */
export interface StartedPackage {
  accountId: string;
  packageId: string;
  marketplaceOrderId: string;
  /** The marketplace's status of it (Amazon's Unshipped, Hepsiburada's Packaged, Trendyol's Created). */
  status: string;
  channel: string;
  orderId: string;
  /** Our SKU and quantity under the marketplace's line id. */
  lines: { lineId: string; sku: string; quantity: number }[];
}

/** The package's row and lines as intake records them, its order recorded and its stock held in IST-1: the order's own workflow is not run. */
export async function recordStartedPackage(pool: Pool, pkg: StartedPackage): Promise<OrderInput> {
  const { accountId, packageId, orderId, lines } = pkg;
  const order = sampleOrder({
    orderId,
    channel: pkg.channel,
    lines: lines.map(({ sku, quantity }) => ({ sku, quantity, unitPrice: 100 })),
  });
  await createOrderActivities(pool).recordOrder({ order, workflowId: `order-${orderId}`, receivedAt: new Date().toISOString() });
  await pool.query(
    `INSERT INTO marketplace_packages (account_id, package_id, order_id, marketplace_order_id, status, state, package, order_input, last_modified)
     VALUES ($1, $2, $3, $4, $5, 'started', '{}', $6, now())`,
    [accountId, packageId, orderId, pkg.marketplaceOrderId, pkg.status, JSON.stringify(order)],
  );
  for (const line of lines) {
    await pool.query(
      `INSERT INTO marketplace_package_lines (account_id, package_id, line_id, marketplace_sku, quantity) VALUES ($1, $2, $3, $4, $5)`,
      [accountId, packageId, line.lineId, line.sku, line.quantity],
    );
    await pool.query(`INSERT INTO reservations (order_id, warehouse_id, sku, quantity) VALUES ($1, 'IST-1', $2, $3)`, [
      orderId,
      line.sku,
      line.quantity,
    ]);
  }
  return order;
}
