// The run's orders: made from the seed, spread over the carriers by destination, service, cash
// on delivery and preferred carriers, and submitted either through the API (POST /v1/orders, as
// the OMS does) or straight to Temporal with short timers (see README.md: why both).
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client, type Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import type { OrderInput } from '../domain/order';
import { ORDER_TASK_QUEUE, orderWorkflowId, searchAttributes } from '../workflows/definitions';
import type { orderWorkflow, OrderWorkflowOptions } from '../workflows/order';
import type { Random } from './random';
import { DEV_API_KEY } from './stack';

/** The warehouse the run ships from: first in priority, stocked for every order. */
export const CHAOS_WAREHOUSE = 'CHAOS-1';

/**
 * Timers for the orders the runner starts itself: carriers without push tracking are polled
 * every few seconds instead of from one hour on, and a delivered order closes after seconds
 * instead of a 14-day return window, so an order completes within the run. Everything else is
 * the engine's own code path.
 */
export const CHAOS_ORDER_OPTIONS: OrderWorkflowOptions = {
  returnWindow: '2 seconds',
  backorderTimeout: '1 hour',
  shipment: {
    pollInterval: '2 seconds',
    maxPollInterval: '8 seconds',
    lateGrace: '1 day',
    lostAfter: '1 hour',
    packEscalation: '1 hour',
    addressTimeout: '1 hour',
    maxHistoryEvents: 2_000,
    returnLabelValidity: '1 day',
  },
};

export type Door = 'api' | 'direct';

export interface PlannedOrder {
  order: OrderInput;
  door: Door;
  /** Sent again through the API after it was accepted (an OMS resend): must be answered 200, not start a second order. */
  resend: boolean;
  /** Sent with an Idempotency-Key header (the API then also needs PostgreSQL). */
  idempotencyKey?: string;
}

export interface Submission {
  planned: PlannedOrder;
  /** When the engine accepted it (ms since the run began); undefined if it never did. */
  acceptedAt?: number;
  attempts: number;
  /** Why earlier attempts failed (status or error), for the report. */
  failures: string[];
  /** The resend's answer: 200 expected. */
  resendStatus?: number;
}

const TR_ADDRESSES = [
  { city: 'İstanbul', district: 'Kadıköy', postalCode: '34710', line1: 'Bağdat Cad. No: 12 D: 4' },
  { city: 'Ankara', district: 'Çankaya', postalCode: '06690', line1: 'Atatürk Bulvarı No: 101' },
  { city: 'İzmir', district: 'Konak', postalCode: '35250', line1: 'Cumhuriyet Bulvarı No: 7' },
  { city: 'Bursa', district: 'Osmangazi', postalCode: '16010', line1: 'Altıparmak Cad. No: 33' },
];
const EU_ADDRESSES = [
  { city: 'Berlin', postalCode: '10115', countryCode: 'DE', line1: 'Invalidenstraße 1' },
  { city: 'Amsterdam', postalCode: '1012 JS', countryCode: 'NL', line1: 'Damrak 1' },
];
const NAMES = ['Ayşe Yılmaz', 'Mehmet Öztürk', 'Zeynep Çelik', 'Emre Şahin', 'Elif Güneş', 'Jonas Müller'];
const SKUS = ['TSHIRT-RED-M', 'MUG-WHITE', 'SNEAKER-42']; // seeded by db/migrations

/**
 * One order. The mix reaches every carrier: EU destinations only UPS takes; express only UPS and
 * MNG; cash on delivery only the Turkish carriers; otherwise preferred carriers rotate, and some
 * orders name none (the cheapest wins).
 */
function makeOrder(orderId: string, random: Random, door: Door): OrderInput {
  const name = random.pick(NAMES);
  const email = `customer${random.int(1, 9999)}@example.com`;
  const phone = `+90555${String(random.int(1_000_000, 9_999_999))}`;
  const lines = random
    .pick([[SKUS[0]], [SKUS[1]], [SKUS[2]], [SKUS[0], SKUS[1]]])
    .map((sku) => ({ sku, quantity: random.int(1, 2), unitPrice: 99.9 }));
  // Orders through the API lean to UPS, whose pushed scans reach them without the short timers.
  const eu = random.chance(door === 'api' ? 0.3 : 0.12);
  if (eu) {
    const a = random.pick(EU_ADDRESSES);
    return {
      orderId,
      channel: 'woocommerce',
      customer: { name, email, phone }, // across a border UPS needs the receiver's phone (the order's fills the address's)
      shippingAddress: { name, ...a },
      lines,
      service: random.chance(0.3) ? 'express' : 'standard',
    };
  }
  const a = random.pick(TR_ADDRESSES);
  const order: OrderInput = {
    orderId,
    channel: random.pick(['shopify', 'trendyol', 'woocommerce']),
    customer: { name, email, phone },
    shippingAddress: { name, ...a, countryCode: 'TR' },
    lines,
    service: 'standard',
  };
  const roll = random.next();
  if (roll < 0.12) order.service = 'express';
  else if (roll < 0.3) order.cashOnDelivery = { amount: 150, currency: 'TRY' };
  const preferred =
    door === 'api' && random.chance(0.6)
      ? ['ups']
      : random.pick([['ups'], ['yurtici'], ['aras'], ['mng'], ['mng', 'ups'], ['surat'], ['ptt'], undefined]);
  if (preferred) order.preferredCarriers = preferred;
  return order;
}

export function planOrders({
  count,
  apiShare,
  runTag,
  random,
}: {
  count: number;
  apiShare: number;
  runTag: string;
  random: Random;
}): PlannedOrder[] {
  return Array.from({ length: count }, (_, i) => {
    const door: Door = random.chance(apiShare) ? 'api' : 'direct';
    const orderId = `${runTag}-${String(i + 1).padStart(5, '0')}`;
    const planned: PlannedOrder = { order: makeOrder(orderId, random, door), door, resend: door === 'api' && random.chance(0.2) };
    if (door === 'api' && random.chance(0.3)) planned.idempotencyKey = `chaos-${orderId}`;
    return planned;
  });
}

/** An extra order the outage checks post (expected to be refused while a dependency is down; followed like the others if accepted). */
export function probeOrder(runTag: string, n: number, random: Random): PlannedOrder {
  const orderId = `${runTag}-probe-${n}`;
  return { order: makeOrder(orderId, random, 'api'), door: 'api', resend: false, idempotencyKey: `chaos-${orderId}` };
}

/** The run's warehouse, first in priority, with stock for every order (every order ships as one parcel). */
export async function seedStock(pool: Pool, orders: number): Promise<void> {
  await pool.query(
    `INSERT INTO warehouses (warehouse_id, name, city, country_code, priority) VALUES ($1, 'Chaos Istanbul', 'İstanbul', 'TR', 1)`,
    [CHAOS_WAREHOUSE],
  );
  await pool.query(`INSERT INTO inventory (warehouse_id, sku, on_hand) SELECT $1, sku, $2 FROM skus`, [CHAOS_WAREHOUSE, orders * 4 + 100]);
}

export interface PostResult {
  status: number | 'timeout' | 'network';
  ms: number;
  body?: { status?: string; error?: string };
}

/** POST /v1/orders, bounded: a hang shows as 'timeout'. */
export async function postOrder(apiUrl: string, planned: PlannedOrder, timeoutMs = 20_000): Promise<PostResult> {
  const started = performance.now();
  const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${DEV_API_KEY}` };
  if (planned.idempotencyKey) headers['idempotency-key'] = planned.idempotencyKey;
  try {
    const res = await fetch(`${apiUrl}/v1/orders`, {
      method: 'POST',
      headers,
      body: JSON.stringify(planned.order),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json().catch(() => undefined)) as PostResult['body'];
    return { status: res.status, ms: performance.now() - started, body };
  } catch (err) {
    return { status: (err as Error).name === 'TimeoutError' ? 'timeout' : 'network', ms: performance.now() - started };
  }
}

/**
 * Starts the order's workflow as the API does (same id, reuse policy, search attributes), with
 * the run's short timers as its options. True when it runs (a start that already happened counts).
 */
export async function startDirect(client: Client, connection: Connection, order: OrderInput): Promise<true> {
  try {
    await connection.withDeadline(Date.now() + 5_000, () =>
      client.workflow.start<typeof orderWorkflow>('orderWorkflow', {
        workflowId: orderWorkflowId(order.orderId),
        taskQueue: ORDER_TASK_QUEUE,
        args: [order, CHAOS_ORDER_OPTIONS],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: searchAttributes.SalesChannel, value: order.channel },
          { key: searchAttributes.OrderStatus, value: 'received' },
        ],
        staticSummary: `Chaos order ${order.orderId} (short timers)`,
      }),
    );
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  return true;
}
