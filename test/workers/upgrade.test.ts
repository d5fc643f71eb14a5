// Rolling out a release with Worker Versioning (issue 17, docs/upgrading.md), on the real dev server
// in real time: orders start on version A (the previous release's workflow code), version B (today's)
// rolls out and becomes current, A's workers are retired, and then A's open orders finish on B while
// new orders start on B. Nothing fails: B replays A's histories (the patches and the corpus see to it).
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Pool } from 'pg';
import type { OrderView } from '../../domain/order';
import { createPool } from '../../lib/db';
import { payloadDataConverter } from '../../lib/payload-codec';
import { makeCurrent } from '../../workers/deployment';
import { createOrderWorker, type OrderWorkers } from '../../workers/order-worker';
import { orderWorkflowId, statusQuery, trackingEventSignal } from '../../workflows/definitions';
import { orderWorkflow, type OrderWorkflowOptions } from '../../workflows/order';
import { eventually } from '../helpers/api-harness';
import { devServerAddress, TEST_DATABASE_URL } from '../helpers/env';
import { MemoryCarrier, scan } from '../helpers/memory-carrier';
import { stockedOrder, uniqueName } from '../helpers/stock';
import { bundleWorkflows } from '../helpers/time-skipping';
import { bundleVariant, PREVIOUS_RELEASE } from '../helpers/workflow-variants';
import { parcelHandle } from '../helpers/parcels';

const { EventType, VersioningBehavior } = temporal.api.enums.v1;

let pool: Pool;
let connection: Connection;
let nativeConnection: NativeConnection;
let client: Client;
let previous: WorkflowBundleWithSourceMap;
let today: WorkflowBundleWithSourceMap;
const running: { workers: OrderWorkers; done: Promise<void> }[] = [];

beforeAll(async () => {
  pool = createPool(TEST_DATABASE_URL);
  [connection, nativeConnection, previous, today] = await Promise.all([
    Connection.connect({ address: devServerAddress() }),
    NativeConnection.connect({ address: devServerAddress() }),
    bundleVariant(PREVIOUS_RELEASE),
    bundleWorkflows(),
  ]);
  client = new Client({ connection, dataConverter: payloadDataConverter() });
}, 120_000);

afterAll(async () => {
  for (const { workers } of running) workers.shutdown();
  await Promise.allSettled(running.map((r) => r.done));
  await pool?.end();
  await connection?.close();
  await nativeConnection?.close();
});

const cargo = new MemoryCarrier('cargo', 50);
const deploymentName = uniqueName('upgrade').replace(/[^\w-]/g, '-');
const taskQueue = uniqueName('orders');

/** One release's workers, running as `buildId` of the test's deployment. */
async function startVersion(
  buildId: string,
  workflowBundle: WorkflowBundleWithSourceMap,
): Promise<{ workers: OrderWorkers; done: Promise<void> }> {
  const deployment: WorkerDeploymentVersion = { deploymentName, buildId };
  const workers = await createOrderWorker({ connection: nativeConnection, pool, carriers: [cargo], taskQueue, workflowBundle, deployment });
  const version = { workers, done: workers.run() };
  running.push(version);
  await makeCurrent(client, deployment);
  return version;
}

async function startOrder(): Promise<WorkflowHandle<typeof orderWorkflow>> {
  const { order } = await stockedOrder(pool);
  const options: Partial<OrderWorkflowOptions> = { returnWindow: '2 seconds' };
  return client.workflow.start(orderWorkflow, { taskQueue, workflowId: orderWorkflowId(order.orderId), args: [order, options] });
}

async function reaching(handle: WorkflowHandle, status: OrderView['status']): Promise<OrderView> {
  const view = await eventually(
    () => handle.query(statusQuery),
    (v) => v.status === status,
    60,
  );
  expect(view.status).toBe(status);
  return view;
}

/** The build id the server last ran the workflow on, and its versioning behaviour. */
async function versionOf(workflowId: string): Promise<{ buildId?: string | null; behavior?: number | null }> {
  const info = (await client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo?.versioningInfo;
  return { buildId: info?.deploymentVersion?.buildId, behavior: info?.behavior };
}

async function deliver(view: OrderView): Promise<void> {
  const trackingNumber = view.shipments[0].trackingNumber!;
  const shipment = await parcelHandle(client, pool, view.orderId);
  await shipment.signal(trackingEventSignal, scan(trackingNumber, 'picked_up', new Date().toISOString()));
  await shipment.signal(trackingEventSignal, scan(trackingNumber, 'delivered', new Date(Date.now() + 1000).toISOString()));
}

test('orders of version A finish on version B after A is retired; new orders run on B; no workflow task fails', async () => {
  const a = await startVersion('A', previous);
  const openOnA = [await startOrder(), await startOrder()];
  const labelledOnA = await Promise.all(openOnA.map((h) => reaching(h, 'labelled')));
  for (const h of openOnA)
    expect(await versionOf(h.workflowId)).toEqual({ buildId: 'A', behavior: VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE });

  await startVersion('B', today); // rolled out and made current
  a.workers.shutdown(); // A retired: its orders auto-upgrade to B at their next task
  await a.done;

  const startedOnB = await startOrder();
  const labelledOnB = await reaching(startedOnB, 'labelled');
  for (const view of labelledOnA) await deliver(view);
  await deliver(labelledOnB);

  const results = await Promise.all([...openOnA, startedOnB].map((h) => h.result()));
  expect(results.map((r) => r.status)).toEqual(['closed', 'closed', 'closed']);
  for (const { orderId } of results) {
    // The parcel's own workflow, or its order's when it runs inside it.
    for (const workflowId of new Set([orderWorkflowId(orderId), (await parcelHandle(client, pool, orderId)).workflowId])) {
      expect((await versionOf(workflowId)).buildId).toBe('B');
      const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
      expect(events!.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toEqual([]);
    }
  }
}, 180_000);
