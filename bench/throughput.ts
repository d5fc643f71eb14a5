// The engine under load: orders/s to `labelled` (a closed loop of `concurrency` orders in
// flight), then to `delivered` (every labelled parcel scanned through to delivery by webhook),
// latency POST → labelled at full load and at half that rate (an open loop), and the API's
// start rate (one order per request, and in batches) against a bare client.workflow.start on the
// same server.
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { fingerprint } from '../lib/fingerprint';
import type { RunningSandbox } from '../sandbox/main';
import { ORDER_TASK_QUEUE, orderWorkflowId, searchAttributes } from '../workflows/definitions';
import { benchOrder, DELIVERY_SCANS, postOrder, postOrderBatch, pushScan, StatusWatcher, trackingNumberOf } from './engine';
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

/**
 * One phase's tally: each order's latency or its failure, ticked on a progress line, and the
 * phase's figures once it is over.
 */
class Tally {
  private readonly progress: Progress;
  private readonly samples: number[] = [];
  private readonly errors: string[] = [];
  readonly started = Date.now();

  constructor(driver: Driver, label: string, count: number) {
    this.progress = new Progress(label, count, driver.quiet);
  }

  /** Runs `timed` (it returns the order's latency in ms); true when it got there, false when it failed. */
  async time(timed: () => Promise<number>): Promise<boolean> {
    let ok = true;
    try {
      this.samples.push(Math.max(0, await timed()));
    } catch (err) {
      this.errors.push((err as Error).message);
      ok = false;
    }
    this.progress.tick();
    return ok;
  }

  finish(orders: number): LoadResult {
    const ms = Date.now() - this.started;
    this.progress.finish();
    return {
      orders,
      failed: this.errors.length,
      seconds: ms / 1000,
      perSecond: perSecond(this.samples.length, ms),
      latency: latency(this.samples),
      firstError: this.errors[0],
    };
  }
}

/** POST one order and wait until it is `labelled`: ms from the API's answer to the label. */
async function postUntilLabelled(driver: Driver, orderId: string, i: number): Promise<number> {
  await postOrder(driver.apiUrl, benchOrder(orderId, i));
  const accepted = Date.now();
  return (await driver.watcher.waitFor(orderId, 'labelled')) - accepted;
}

/** `count` orders, `concurrency` at a time, each from POST until `labelled`. */
export async function toLabelled(
  driver: Driver,
  phase: string,
  count: number,
  concurrency: number,
): Promise<LoadResult & { orderIds: string[] }> {
  const tally = new Tally(driver, `${phase}: POST → labelled`, count);
  const orderIds: string[] = [];
  await inPool(count, concurrency, async (i) => {
    const orderId = driver.orderId(phase, i);
    if (await tally.time(() => postUntilLabelled(driver, orderId, i))) orderIds.push(orderId);
  });
  return { ...tally.finish(count), orderIds };
}

/** Each labelled order's parcel scanned P, I, I, O, D by webhook, `concurrency` parcels at a time, until the order is `delivered`. */
export async function toDelivered(driver: Driver, orderIds: string[], concurrency: number): Promise<LoadResult> {
  const tally = new Tally(driver, 'scans → delivered', orderIds.length);
  await inPool(orderIds.length, concurrency, async (i) => {
    const orderId = orderIds[i];
    await tally.time(async () => {
      const trackingNumber = await trackingNumberOf(driver.db, orderId);
      const first = Date.now();
      for (const code of DELIVERY_SCANS) await pushScan(driver.apiUrl, driver.sandbox, trackingNumber, code);
      return (await driver.watcher.waitFor(orderId, 'delivered')) - first;
    });
  });
  return tally.finish(orderIds.length);
}

/** An open loop: one order every 1/rate s whatever the engine does, each timed POST → labelled. */
export async function atRate(driver: Driver, phase: string, count: number, rate: number): Promise<LoadResult & { orderIds: string[] }> {
  const tally = new Tally(driver, `${phase}: ${rate.toFixed(1)}/s → labelled`, count);
  const orderIds: string[] = [];
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = tally.started + (i * 1000) / rate;
    if (due > Date.now()) await sleep(due - Date.now());
    const orderId = driver.orderId(phase, i);
    inFlight.push(
      (async () => {
        if (await tally.time(() => postUntilLabelled(driver, orderId, i))) orderIds.push(orderId);
      })(),
    );
  }
  await Promise.all(inFlight);
  return { ...tally.finish(count), orderIds };
}

export interface StartRates {
  orders: number;
  apiPerSecond: number;
  barePerSecond: number;
  ratio: number;
  /** The same starts through POST /v1/orders/batch: one HTTP request per `batchSize` orders. */
  batchSize: number;
  batchPerSecond: number;
  batchRatio: number;
}

/**
 * Workflow starts only, with no worker polling: `count` POST /v1/orders, `count` bare
 * client.workflow.start calls with the options the API's start uses (same codec, memo, search
 * attributes), and `count` orders through POST /v1/orders/batch, `concurrency` starts in flight
 * each (the batches: two requests of half that). Every workflow started here is terminated after.
 */
export async function startRates(driver: Driver, client: Client, count: number, concurrency: number): Promise<StartRates> {
  /** `units` calls, `inFlight` at a time; each starts the orders it returns. */
  const measure = async (label: string, units: number, inFlight: number, start: (i: number) => Promise<string[]>) => {
    const progress = new Progress(label, count, driver.quiet);
    const ids: string[] = [];
    const began = Date.now();
    await inPool(units, inFlight, async (i) => {
      const started = await start(i);
      ids.push(...started);
      progress.tick(started.length);
    });
    const rate = perSecond(ids.length, Date.now() - began);
    progress.finish();
    return { rate, ids };
  };
  const api = await measure('starts-api POST /v1/orders', count, concurrency, async (i) => {
    const orderId = driver.orderId('starts-api', i);
    await postOrder(driver.apiUrl, benchOrder(orderId, i));
    return [orderId];
  });
  const bare = await measure('starts-bare workflow.start', count, concurrency, async (i) => {
    const order = benchOrder(driver.orderId('starts-bare', i), i);
    await client.workflow.start('orderWorkflow', {
      workflowId: orderWorkflowId(order.orderId),
      taskQueue: ORDER_TASK_QUEUE,
      args: [order],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      memo: { requestFingerprint: fingerprint(order) },
      typedSearchAttributes: [
        { key: searchAttributes.SalesChannel, value: order.channel },
        { key: searchAttributes.OrderStatus, value: 'received' },
      ],
      staticSummary: `Order ${order.orderId} from ${order.channel}: ${order.lines.length} line(s), ${order.service}`,
    });
    return [order.orderId];
  });
  const batchSize = Math.max(1, Math.floor(concurrency / 2));
  const batch = await measure('starts-batch POST …/batch', Math.ceil(count / batchSize), 2, async (b) => {
    const indexes = Array.from({ length: Math.min(batchSize, count - b * batchSize) }, (_, j) => b * batchSize + j);
    const orders = indexes.map((i) => benchOrder(driver.orderId('starts-batch', i), i));
    await postOrderBatch(driver.apiUrl, orders);
    return orders.map((o) => o.orderId);
  });
  const started = [...api.ids, ...bare.ids, ...batch.ids];
  await inPool(started.length, concurrency, async (i) => {
    await client.workflow
      .getHandle(orderWorkflowId(started[i]))
      .terminate('bench: start rate only')
      .catch(() => undefined);
  });
  return {
    orders: count,
    apiPerSecond: api.rate,
    barePerSecond: bare.rate,
    ratio: api.rate / bare.rate,
    batchSize,
    batchPerSecond: batch.rate,
    batchRatio: batch.rate / bare.rate,
  };
}
