// Scale with open orders: with N orders parked awaiting delivery (labelled, their workflows
// open), the worker's memory, the database's size, and how long a tracking webhook takes to show
// in the order's status (POST webhook → signal → shipment and order workflows → GET /v1/orders/:id).
import type { Pool } from 'pg';
import type { BenchProcess } from './stack';
import type { Driver } from './throughput';
import { getOrderStatus, pushScan, trackingNumberOf } from './engine';
import { Progress } from './progress';
import { latency, sleep, type Latency } from './stats';

export interface ScaleStep {
  openOrders: number;
  workerRssMiB: number;
  postgresMiB: number;
  /** Webhook POST until the API answered (the scan is signalled). */
  webhookAck: Latency;
  /** Webhook POST until GET /v1/orders/:id shows picked_up. */
  webhookToVisible: Latency;
}

const MiB = 1024 * 1024;

export async function databaseBytes(db: Pool): Promise<number> {
  const { rows } = await db.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
  return Number(rows[0].size);
}

/** `samples` parked orders, one at a time: a pick-up scan pushed, then the order's status polled every 10 ms until it shows. */
export async function measureOpenOrders(
  driver: Driver,
  worker: BenchProcess,
  openOrders: number,
  parked: string[],
  samples: number,
): Promise<ScaleStep> {
  const picked = parked.splice(0, Math.min(samples, parked.length)); // these move on to picked_up: still open, no longer parked at labelled
  const progress = new Progress(`open ${openOrders}: webhook → visible`, picked.length, driver.quiet);
  const ack: number[] = [];
  const visible: number[] = [];
  for (const orderId of picked) {
    const trackingNumber = await trackingNumberOf(driver.db, orderId);
    const t0 = Date.now();
    await pushScan(driver.apiUrl, driver.sandbox, trackingNumber, 'I/PU');
    ack.push(Date.now() - t0);
    const deadline = t0 + 30_000;
    while ((await getOrderStatus(driver.apiUrl, orderId)) !== 'picked_up') {
      if (Date.now() > deadline) throw new Error(`order ${orderId} did not show picked_up within 30 s of its webhook`);
      await sleep(10);
    }
    visible.push(Date.now() - t0);
    progress.tick();
  }
  progress.finish();
  return {
    openOrders,
    workerRssMiB: worker.rssBytes() / MiB,
    postgresMiB: (await databaseBytes(driver.db)) / MiB,
    webhookAck: latency(ack),
    webhookToVisible: latency(visible),
  };
}
