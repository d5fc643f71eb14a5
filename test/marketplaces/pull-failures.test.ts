// Pulls that keep failing reach ops (issue 20): the Amazon double down for getOrders, the pull
// workflow on Temporal's time-skipping test server (its retries' backoff skipped), the project's
// PostgreSQL. One or two failed runs are an outage the schedule rides out; the third in a row
// raises an alert, and the next page read clears it.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import type { Pool } from 'pg';
import { createPool } from '../../lib/db';
import { amazonDouble, TURKEY_MARKETPLACE_ID, type AmazonState } from '../../sandbox/marketplaces/amazon';
import { createOrderWorker, type OrderWorkers } from '../../workers/order-worker';
import { marketplacePullWorkflow } from '../../workflows/marketplace-pull';
import { authorized, createTestApp } from '../helpers/api-harness';
import { amazonAgainstDouble, connectAmazonAccount } from '../helpers/amazon';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import { devServerAddress, TEST_DATABASE_URL } from '../helpers/env';
import { keepForCorpus } from '../helpers/history-corpus';
import { bundleWorkflows, startTimeSkippingEnv } from '../helpers/time-skipping';

const RUN = randomUUID().slice(0, 8);
const accountId = `amazon-pf${RUN}-${TURKEY_MARKETPLACE_ID.toLowerCase()}`;
const taskQueue = `mkt-failures-${RUN}`;

let env: TestWorkflowEnvironment;
let pool: Pool;
let sandbox: DoubleSandbox<AmazonState>;
let workers: OrderWorkers;
let running: Promise<void>;

beforeAll(async () => {
  let bundle;
  [env, bundle] = await Promise.all([startTimeSkippingEnv(), bundleWorkflows()]);
  pool = createPool(TEST_DATABASE_URL);
  sandbox = await startDouble(amazonDouble);
  await connectAmazonAccount(pool, accountId, { name: 'Amazon TR (pull failures)' });
  workers = await createOrderWorker({
    connection: env.nativeConnection,
    pool,
    taskQueue,
    workflowBundle: bundle,
    marketplaces: amazonAgainstDouble(sandbox.baseUrl),
  });
  running = workers.run();
}, 120_000);

afterAll(async () => {
  await pool?.query(`UPDATE marketplace_accounts SET status = 'disabled' WHERE account_id = $1`, [accountId]);
  workers?.shutdown();
  await running;
  await sandbox?.close();
  await pool?.end();
  await env?.teardown();
});

/** One run of the account's pull, as its schedule starts it: whether it failed. */
async function pull(): Promise<'failed' | 'completed'> {
  const workflowId = `pull-${accountId}-${randomUUID().slice(0, 6)}`;
  const args = [{ accountId, marketplace: 'amazon', pagesPerRun: 2, pagesAtOnce: 2, pageSpacing: '1 minute', detailsPerRun: 10 }] as const;
  try {
    await env.client.workflow.execute(marketplacePullWorkflow, { taskQueue, workflowId, args: [...args] });
    return 'completed';
  } catch (err) {
    if (!(err instanceof WorkflowFailedError)) throw err;
    return 'failed';
  } finally {
    keepForCorpus('marketplace pull failures', 'pull', await env.client.workflow.getHandle(workflowId).fetchHistory());
  }
}

async function alert(): Promise<{ message: string; resolved_at: Date | null } | undefined> {
  const { rows } = await pool.query<{ message: string; resolved_at: Date | null }>(
    `SELECT message, resolved_at FROM ops_alerts WHERE shipment_id = $1 AND kind = 'marketplace_pull_failing'`,
    [`account:${accountId}`],
  );
  return rows[0];
}

test('three failed pulls in a row alert ops with the reason; the next page read clears the count and resolves the alert', async () => {
  sandbox.state.faults.add({ kind: 'down', on: ['getOrders'], probability: 1, seed: 1 });
  expect(await pull()).toBe('failed');
  expect(await pull()).toBe('failed');
  expect(await alert()).toBeUndefined(); // two: an outage the schedule rides out
  expect(await pull()).toBe('failed');
  expect(await alert()).toMatchObject({
    message: expect.stringMatching(/^3 pulls of .* failed in a row; the last: .*getOrders/),
    resolved_at: null,
  });

  // The API describes each account's schedule: the dev server has schedules, the test server has none.
  const client = new Client({ connection: await Connection.connect({ address: devServerAddress() }) });
  const api = authorized(createTestApp(client, pool));
  const listed = await api.get('/v1/marketplace-accounts').expect(200);
  const account = listed.body.accounts.find((a: { accountId: string }) => a.accountId === accountId);
  expect(account).toMatchObject({ failedPulls: 3, lastPullError: expect.stringContaining('getOrders') });

  sandbox.state.faults.clear();
  expect(await pull()).toBe('completed');
  expect((await alert())!.resolved_at).not.toBeNull();
  const after = await api.get('/v1/marketplace-accounts').expect(200);
  expect(after.body.accounts.find((a: { accountId: string }) => a.accountId === accountId)).toMatchObject({
    failedPulls: 0,
    lastPullError: null,
  });
  await client.connection.close();
}, 180_000);
