// The engine under load: orders/s to `labelled` (a closed loop of `concurrency` orders in
// flight), then to `delivered` (every labelled parcel scanned through to delivery by webhook),
// latency POST → labelled at full load and at half that rate (an open loop), and the API's
// start rate against a bare client.workflow.start on the same server.
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { fingerprint } from '../domain/fingerprint';
import type { RunningSandbox } from '../sandbox/main';
import { ORDER_TASK_QUEUE, orderWorkflowId, searchAttributes } from '../workflows/definitions';
import { benchOrder, DELIVERY_SCANS, postOrder, pushScan, StatusWatcher, trackingNumberOf } from './engine';
import { Progress } from './progress';
import { latency, perSecond, pool as inPool, sleep, type Latency } from './stats';

export interface Driver {
  apiUrl: string;
  sandbox: RunningSandbox;
  db: Pool;
  watcher: StatusWatcher;
  quiet: boolean;
  /** Order ids unique to this run. */
  orderId(phase: string, i: number): string;
}

export interface LoadResult {
  orders: number;
  failed: number;
  seconds: number;
  perSecond: number;
  latency: Latency;
  /** The first failure's message, when any. */
  firstError?: string;
}

/** `count` orders, `concurrency` at a time, each from POST until `labelled`. */
export async function toLabelled(driver: Driver, phase: string, count: number, concurrency: number): Promise<LoadResult & { orderIds: string[] }> {
  const progress = new Progress(`${phase}: POST → labelled`, count, driver.quiet);
  const samples: number[] = [];
  const orderIds: string[] = [];
  const errors: string[] = [];
  const started = Date.now();
  await inPool(count, concurrency, async (i) => {
    const orderId = driver.orderId(phase, i);
    try {
      await postOrder(driver.apiUrl, benchOrder(orderId, i));
      const accepted = Date.now();
      const labelledAt = await driver.watcher.waitFor(orderId, 'labelled');
      samples.push(Math.max(0, labelledAt - accepted));
      orderIds.push(orderId);
    } catch (err) {
      errors.push((err as Error).message);
    }
    progress.tick();
  });
  const ms = Date.now() - started;
  progress.finish();
  return { orders: count, failed: errors.length, seconds: ms / 1000, perSecond: perSecond(samples.length, ms), latency: latency(samples), firstError: errors[0], orderIds };
}

/** Each labelled order's parcel scanned P, I, I, O, D by webhook, `concurrency` parcels at a time, until the order is `delivered`. */
export async function toDelivered(driver: Driver, orderIds: string[], concurrency: number): Promise<LoadResult> {
  const progress = new Progress('scans → delivered', orderIds.length, driver.quiet);
  const samples: number[] = [];
  const errors: string[] = [];
  const started = Date.now();
  await inPool(orderIds.length, concurrency, async (i) => {
    const orderId = orderIds[i];
    try {
      const trackingNumber = await trackingNumberOf(driver.db, orderId);
      const first = Date.now();
      for (const code of DELIVERY_SCANS) await pushScan(driver.apiUrl, driver.sandbox, trackingNumber, code);
      const deliveredAt = await driver.watcher.waitFor(orderId, 'delivered');
      samples.push(Math.max(0, deliveredAt - first));
    } catch (err) {
      errors.push((err as Error).message);
    }
    progress.tick();
  });
  const ms = Date.now() - started;
  progress.finish();
  return { orders: orderIds.length, failed: errors.length, seconds: ms / 1000, perSecond: perSecond(samples.length, ms), latency: latency(samples), firstError: errors[0] };
}

/** An open loop: one order every 1/rate s whatever the engine does, each timed POST → labelled. */
export async function atRate(driver: Driver, phase: string, count: number, rate: number): Promise<LoadResult & { orderIds: string[] }> {
  const progress = new Progress(`${phase}: ${rate.toFixed(1)}/s → labelled`, count, driver.quiet);
  const samples: number[] = [];
  const orderIds: string[] = [];
  const errors: string[] = [];
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    const orderId = driver.orderId(phase, i);
    inFlight.push(
      (async () => {
        try {
          await postOrder(driver.apiUrl, benchOrder(orderId, i));
          const accepted = Date.now();
          samples.push(Math.max(0, (await driver.watcher.waitFor(orderId, 'labelled')) - accepted));
          orderIds.push(orderId);
        } catch (err) {
          errors.push((err as Error).message);
        }
        progress.tick();
      })(),
    );
  }
  await Promise.all(inFlight);
  const ms = Date.now() - started;
  progress.finish();
  return { orders: count, failed: errors.length, seconds: ms / 1000, perSecond: perSecond(samples.length, ms), latency: latency(samples), firstError: errors[0], orderIds };
}

export interface StartRates {
  orders: number;
  apiPerSecond: number;
  barePerSecond: number;
  ratio: number;
}

/**
 * Workflow starts only, with no worker polling: `count` POST /v1/orders against `count` bare
 * client.workflow.start calls with the options the API's start uses (same codec, memo, search
 * attributes), `concurrency` at a time each. Every workflow started here is terminated after.
 */
export async function startRates(driver: Driver, client: Client, count: number, concurrency: number): Promise<StartRates> {
  const measure = async (label: string, start: (orderId: string, i: number) => Promise<void>) => {
    const progress = new Progress(label, count, driver.quiet);
    const ids: string[] = [];
    const began = Date.now();
    await inPool(count, concurrency, async (i) => {
      const orderId = driver.orderId(label.split(' ')[0], i);
      await start(orderId, i);
      ids.push(orderId);
      progress.tick();
    });
    const rate = perSecond(count, Date.now() - began);
    progress.finish();
    return { rate, ids };
  };
  const api = await measure('starts-api POST /v1/orders', (orderId, i) => postOrder(driver.apiUrl, benchOrder(orderId, i)));
  const bare = await measure('starts-bare workflow.start', async (orderId, i) => {
    const order = benchOrder(orderId, i);
    await client.workflow.start('orderWorkflow', {
      workflowId: orderWorkflowId(orderId),
      taskQueue: ORDER_TASK_QUEUE,
      args: [order],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      memo: { requestFingerprint: fingerprint(order) },
      typedSearchAttributes: [
        { key: searchAttributes.SalesChannel, value: order.channel },
        { key: searchAttributes.OrderStatus, value: 'received' },
      ],
      staticSummary: `Order ${orderId} from ${order.channel}: ${order.lines.length} line(s), ${order.service}`,
    });
  });
  await inPool(count * 2, concurrency, async (i) => {
    const id = i < count ? api.ids[i] : bare.ids[i - count];
    await client.workflow.getHandle(orderWorkflowId(id)).terminate('bench: start rate only').catch(() => undefined);
  });
  return { orders: count, apiPerSecond: api.rate, barePerSecond: bare.rate, ratio: api.rate / bare.rate };
}
