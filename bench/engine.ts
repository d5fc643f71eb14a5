// How the bench drives the engine from outside, as an OMS and a carrier would: orders POSTed
// to the API, UPS scans moved in the sandbox and pushed to the API's tracking webhook (Track Alert),
// statuses read back from the engine's own records (order_status_history, written by the
// workflow with the workflow's time of each change) or from GET /v1/orders/:orderId.
import type { Pool } from 'pg';
import type { OrderInput } from '../domain/order';
import { pushTrackAlert, trackingEventJson } from '../sandbox/ups/webhooks';
import type { RunningSandbox } from '../sandbox/main';
import { sleep } from './stats';

/** The development key (API_KEYS default) and the Track Alert client registered for the API (UPS_WEBHOOK_CLIENT_ID, UPS_WEBHOOK_SECRET defaults). */
const API_KEY = process.env.BENCH_API_KEY ?? 'dev-key-change-me';
const UPS_TRACK_ALERT = {
  clientId: process.env.UPS_WEBHOOK_CLIENT_ID ?? 'sandbox-ups-track-alert',
  clientSecret: process.env.UPS_WEBHOOK_SECRET ?? 'sandbox-ups-webhook-secret-dev-only',
};
export const BENCH_WAREHOUSE = 'BENCH-1';
const SKUS = 20;

/** A warehouse with stock that never runs out, for SKUs of its own, spread so allocations rarely queue on one row. */
export async function seedStock(pool: Pool): Promise<void> {
  await pool.query(
    `INSERT INTO warehouses (warehouse_id, name, city, country_code, priority) VALUES ($1, $1, 'İstanbul', 'TR', 1) ON CONFLICT DO NOTHING`,
    [BENCH_WAREHOUSE],
  );
  for (let i = 0; i < SKUS; i++) {
    await pool.query(
      `INSERT INTO skus (sku, weight_grams, length_cm, width_cm, height_cm) VALUES ($1, 400, 20, 15, 10) ON CONFLICT DO NOTHING`,
      [`BENCH-${i}`],
    );
    await pool.query(`INSERT INTO inventory (warehouse_id, sku, on_hand) VALUES ($1, $2, 100000000) ON CONFLICT DO NOTHING`, [
      BENCH_WAREHOUSE,
      `BENCH-${i}`,
    ]);
  }
}

/** A happy-path order: one line, in stock, booked with UPS (which pushes its scans by webhook). */
export function benchOrder(orderId: string, i: number): OrderInput {
  return {
    orderId,
    channel: 'shopify',
    service: 'standard',
    customer: { name: 'Bench Customer', email: 'bench@example.com', phone: '+905551112233' },
    shippingAddress: { name: 'Bench Customer', line1: 'Bağdat Cad. 12', city: 'İstanbul', postalCode: '34710', countryCode: 'TR' },
    lines: [{ sku: `BENCH-${i % SKUS}`, quantity: 1, unitPrice: 99.9 }],
    preferredCarriers: ['ups'],
  };
}

const authHeaders = { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' };

/** POST /v1/orders; resolves when the API answered 202 (the workflow is started). */
export async function postOrder(apiUrl: string, order: OrderInput): Promise<void> {
  const res = await fetch(`${apiUrl}/v1/orders`, { method: 'POST', headers: authHeaders, body: JSON.stringify(order) });
  const body = await res.text();
  if (res.status !== 202) throw new Error(`POST /v1/orders ${order.orderId}: ${res.status} ${body}`);
}

/** POST /v1/orders/batch; resolves when the API answered with every order created. */
export async function postOrderBatch(apiUrl: string, orders: OrderInput[]): Promise<void> {
  const res = await fetch(`${apiUrl}/v1/orders/batch`, { method: 'POST', headers: authHeaders, body: JSON.stringify({ orders }) });
  const body = await res.text();
  const created = res.status === 200 ? (JSON.parse(body) as { summary: { created: number } }).summary.created : 0;
  if (created !== orders.length) throw new Error(`POST /v1/orders/batch of ${orders.length}: ${res.status} ${body.slice(0, 500)}`);
}

export async function getOrderStatus(apiUrl: string, orderId: string): Promise<string> {
  const res = await fetch(`${apiUrl}/v1/orders/${encodeURIComponent(orderId)}`, { headers: authHeaders });
  const body = (await res.json()) as { status?: string };
  if (res.status !== 200) throw new Error(`GET /v1/orders/${orderId}: ${res.status} ${JSON.stringify(body)}`);
  return body.status!;
}

/**
 * Waits for orders to reach statuses, reading order_status_history for every waiting order in
 * one query every `everyMs`. Resolves with the workflow's own time of the change (epoch ms).
 */
export class StatusWatcher {
  private readonly waiting = new Map<
    string,
    { status: string; resolve: (at: number) => void; reject: (err: Error) => void; deadline: number }
  >();
  private timer?: NodeJS.Timeout;
  private polling = false;

  constructor(
    private readonly pool: Pool,
    private readonly everyMs = 50,
    private readonly timeoutMs = 180_000,
  ) {}

  waitFor(orderId: string, status: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.set(`${orderId}|${status}`, { status, resolve, reject, deadline: Date.now() + this.timeoutMs });
      this.timer ??= setInterval(() => void this.poll(), this.everyMs);
    });
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.waiting.size === 0) return;
    this.polling = true;
    try {
      const keys = [...this.waiting.keys()];
      const { rows } = await this.pool.query<{ order_id: string; status: string; at: Date }>(
        'SELECT order_id, status, at FROM order_status_history WHERE order_id = ANY($1) AND status = ANY($2)',
        [[...new Set(keys.map((k) => k.split('|')[0]))], [...new Set([...this.waiting.values()].map((w) => w.status))]],
      );
      for (const row of rows) {
        const key = `${row.order_id}|${row.status}`;
        const waiter = this.waiting.get(key);
        if (!waiter) continue;
        this.waiting.delete(key);
        waiter.resolve(row.at.getTime());
      }
      const now = Date.now();
      for (const [key, waiter] of this.waiting) {
        if (now < waiter.deadline) continue;
        this.waiting.delete(key);
        const { rows: current } = await this.pool.query('SELECT status FROM orders WHERE order_id = $1', [key.split('|')[0]]);
        waiter.reject(
          new Error(
            `order ${key.split('|')[0]} did not reach ${waiter.status} in ${this.timeoutMs / 1000} s (it is ${current[0]?.status ?? 'unrecorded'})`,
          ),
        );
      }
    } finally {
      this.polling = false;
    }
  }
}

export async function trackingNumberOf(pool: Pool, orderId: string): Promise<string> {
  const { rows } = await pool.query<{ tracking_number: string }>(
    `SELECT tracking_number FROM shipments WHERE order_id = $1 AND carrier = 'ups' AND tracking_number IS NOT NULL`,
    [orderId],
  );
  if (!rows[0]) throw new Error(`order ${orderId} has no UPS tracking number`);
  return rows[0].tracking_number;
}

/** The scans of a parcel delivered at once: pick-up, two hubs, out for delivery, delivered. */
export const DELIVERY_SCANS = ['I/PU', 'I/OR', 'I/AR', 'I/OT', 'D/FS'];
/** The order's status once each of DELIVERY_SCANS has reached it. */
export const ORDER_STATUS_AFTER_SCAN = ['picked_up', 'in_transit', 'in_transit', 'out_for_delivery', 'delivered'];

/**
 * The carrier's side of one scan: the sandbox records it, and the bench pushes it to the API's
 * UPS webhook exactly as the sandbox's own sender would (Track Alert, with a token). Resolves with the
 * API's answer, which comes once the scan is signalled to the shipment's workflow.
 */
export async function pushScan(apiUrl: string, sandbox: RunningSandbox, trackingNumber: string, code: string): Promise<void> {
  const shipment = sandbox.state.ups.get(trackingNumber);
  if (!shipment) throw new Error(`the sandbox has no UPS parcel ${trackingNumber}`);
  const scan = sandbox.state.ups.advance(shipment, code);
  if (!scan) throw new Error(`the sandbox refused scan ${code} for ${trackingNumber}`);
  const body = JSON.stringify(trackingEventJson(trackingNumber, scan));
  const url = `${apiUrl}/v1/webhooks/carriers/ups`;
  for (let attempt = 0; ; attempt++) {
    const res = await pushTrackAlert({ url, tokenUrl: `${url}/token`, ...UPS_TRACK_ALERT }, body);
    const answer = (await res.json()) as { status?: string };
    if (res.status === 200 && answer.status === 'accepted') return;
    // 404 unknown_tracking_number: the shipment's record may lag its booking; a carrier retries too.
    if (res.status >= 500 || res.status === 404) {
      if (attempt < 20) {
        await sleep(100);
        continue;
      }
    }
    throw new Error(`UPS webhook for ${trackingNumber} (${code}): ${res.status} ${JSON.stringify(answer)}`);
  }
}

/** Waits until the order's shipment has recorded `count` scans (its workflow has applied them). */
export async function waitForRecordedScans(pool: Pool, orderId: string, count: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tracking_events WHERE shipment_id IN (SELECT shipment_id FROM shipments WHERE order_id = $1)',
      [orderId],
    );
    if (rows[0].n >= count) return;
    if (Date.now() > deadline) throw new Error(`order ${orderId}: ${rows[0].n} of ${count} scans recorded after ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}
