// npm run deploy:check (deploy/check.ts, issue 17): an operator replays the running orders of a live
// Temporal against the release about to ship. Here the live Temporal is the CLI dev server with an
// order open at labelled; the release is today's code (compatible) or a variant that would break
// every open order (it must name them), and each misconfiguration is an error, not a verdict.
import { payloadDataConverter } from '../../lib/payload-codec';
import { orderWorkflowId } from '../../workflows/definitions';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { checkDeploy, DeployCheckError, type DeployCheckOptions } from '../../deploy/check';
import { devServerAddress } from '../helpers/env';
import { eventually, startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { MemoryCarrier } from '../helpers/memory-carrier';
import { stockedOrder } from '../helpers/stock';
import { bundleWorkflows } from '../helpers/time-skipping';
import { BREAKING_EDIT, bundleVariant } from '../helpers/workflow-variants';

let harness: ApiHarness;
let today: WorkflowBundleWithSourceMap;
let breaking: WorkflowBundleWithSourceMap;
let options: DeployCheckOptions;
let orderId: string;

beforeAll(async () => {
  [harness, today, breaking] = await Promise.all([
    startApiHarness([new MemoryCarrier('cargo', 50)]),
    bundleWorkflows(),
    bundleVariant([BREAKING_EDIT]),
  ]);
  const { order } = await stockedOrder(harness.pool);
  orderId = order.orderId;
  await harness.api.post('/v1/orders').send(order).expect(202);
  await eventually(
    () => harness.api.get(`/v1/orders/${orderId}`),
    (res) => res.body.status === 'labelled',
  );
  // One workflow: an order from one warehouse runs its parcel inside it (workflows/order/parcel.ts).
  const query = `WorkflowId = "${orderWorkflowId(orderId)}"`;
  options = {
    address: devServerAddress(),
    namespace: 'default',
    query,
    sample: 10,
    dataConverter: payloadDataConverter(),
    progress: () => {},
  };
  // Visibility trails the start by a moment.
  await eventually(
    () => harness.client.workflow.count(query),
    (c) => c.count === 1,
  );
}, 180_000);

afterAll(async () => {
  await harness?.client.workflow
    .getHandle(orderWorkflowId(orderId))
    .terminate('test over')
    .catch(() => undefined);
  await harness?.stop();
});

test('the release being shipped replays the open order, its parcel inside it: 0 incompatible', async () => {
  expect(await checkDeploy(options, today)).toEqual({ checked: 1, incompatible: [] });
});

test('a release that changes what open orders do is named, with the first mismatch', async () => {
  const report = await checkDeploy(options, breaking);
  expect(report.checked).toBe(1);
  expect(report.incompatible).toEqual([
    expect.objectContaining({
      workflowId: orderWorkflowId(orderId),
      workflowType: 'orderWorkflow',
      error: expect.stringMatching(/nondetermin/i),
    }),
  ]);
});

test('a wrong address, query or payload key is an error naming it, not a verdict', async () => {
  await expect(checkDeploy({ ...options, address: '127.0.0.1:1' }, today)).rejects.toThrow(/cannot reach Temporal at 127\.0\.0\.1:1/);
  await expect(checkDeploy({ ...options, query: 'NoSuchField = 1' }, today)).rejects.toThrow(DeployCheckError);
  const otherKey = payloadDataConverter({ PAYLOAD_KEYS: `other:${Buffer.alloc(32, 7).toString('base64')}`, PAYLOAD_KEY_ID: 'other' });
  await expect(checkDeploy({ ...options, dataConverter: otherKey }, today)).rejects.toThrow(/cannot decode the payloads/);
});
