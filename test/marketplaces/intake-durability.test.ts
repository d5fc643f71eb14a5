// Marketplace intake through a crash (issue 20's Done-when: exactly one order per package under a
// killed worker and a restarted Temporal; overlapping polls are the marketplace files' own tests).
// Real components: a Temporal dev server of this file's own, persisted to a SQLite file so that it can
// be restarted; the worker as a child process (test/helpers/intake-worker-process.ts), SIGKILLed like
// a crash; the project's PostgreSQL test database; the Trendyol double over HTTP, answering slowly so
// that the crash lands mid-pull. Each account's pulls are run by its Temporal Schedule (every three
// seconds here), as in production; the orders go to the `orders` queue, which no worker polls.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { temporal } from '@temporalio/proto';
import { ensureMarketplaceSchedule } from '../../api/marketplace-schedules';
import { trendyolConnector } from '../../marketplaces/trendyol';
import { trendyolDouble } from '../../sandbox/marketplaces/trendyol';
import { marketplacePullScheduleId } from '../../workflows/definitions';
import type { MarketplacePullResult } from '../../workflows/marketplace-pull';
import { startDouble } from '../helpers/carrier-sandbox';
import { useIntakeStack, type PackageRow } from '../helpers/marketplace-intake';
import { connectTrendyolAccount, placeTrendyolPackage, trendyolAgainstDouble } from '../helpers/trendyol';

const RUN = randomUUID().slice(0, 8);
const SKU = `TYD-${RUN}`;
/** Four pages of three. */
const PACKAGES = 12;
const PAGE_SIZE = 3;
/** Each call to the double, listing and details alike, while the crash is to land mid-pull. */
const SLOW_MS = 1_500;

const taskQueue = `ty-durable-${RUN}`;
const stack = useIntakeStack({
  marketplace: 'trendyol',
  taskQueue,
  startDouble: () => startDouble(trendyolDouble, { rateLimits: { getShipmentPackages: { limit: 10_000, windowMs: 1_000 } } }),
  marketplaces: trendyolAgainstDouble,
  skus: [SKU],
  plan: { pagesPerRun: 10, pagesAtOnce: 10, pageSpacing: '1 second', detailsPerRun: 60 },
  processes: true,
});
const { accounts, packages, orderExists } = stack;

/** Trendyol's connector on a schedule every three seconds, reading every page of a run at once. */
const FAST = { ...trendyolConnector, pull: { ...trendyolConnector.pull, every: '3 seconds' as const, pagesAtOnce: 10 } };

/** An account of PACKAGES packages placed in the double, its schedule made: the pulls begin at its next tick. */
async function scheduledAccount(): Promise<{ accountId: string; orderIds: string[] }> {
  const accountId = `trendyol-d${randomUUID().slice(0, 8)}`;
  await connectTrendyolAccount(stack.pool, accountId, { pageSize: PAGE_SIZE });
  accounts.push(accountId);
  const ids = Array.from({ length: PACKAGES }, (_, i) =>
    String(
      placeTrendyolPackage(stack.sandbox.state, {
        lines: [{ merchantSku: SKU, quantity: 1, price: 100 + i }],
        lastModifiedDate: Date.now() - (30 - i) * 60_000,
      }).id,
    ),
  );
  stack.sandbox.state.faults.add({ kind: 'latency', ms: SLOW_MS, on: ['getShipmentPackages'], probability: 1, seed: 1 });
  await ensureMarketplaceSchedule(
    stack.env.client,
    { account_id: accountId, marketplace: 'trendyol', paused: false, paused_reason: null },
    { taskQueue, connectors: [FAST] },
  );
  return { accountId, orderIds: ids.sort().map((id) => `ty-${id}`) };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs / 1000} s: ${what}`);
    await sleep(100);
  }
}

const { PendingActivityState } = temporal.api.enums.v1;
const count = (rows: PackageRow[], state: string) => rows.filter((r) => r.state === state).length;

/**
 * Mid-pull: every page read (the packages stored, awaiting details), some packages' details read
 * and others not, and so no order started yet (they start once the run's details are read); a
 * moment later, so that the next package's details call is under way at the slow double. The
 * schedule's run then, and the activities a worker was running for it.
 */
async function midPull(accountId: string): Promise<{ run: string; running: string[] }> {
  await waitFor(
    'the pull mid-way through the details',
    async () => {
      const rows = await packages(accountId);
      return rows.length === PACKAGES && count(rows, 'seen') >= 2 && count(rows, 'fetching') >= 3 ? true : undefined;
    },
    60_000,
  );
  await sleep(SLOW_MS / 3);
  const { info } = await stack.env.client.schedule.getHandle(marketplacePullScheduleId(accountId)).describe();
  expect(info.runningActions).toHaveLength(1);
  const run = info.runningActions[0].workflow.workflowId;
  const { raw } = await stack.env.client.workflow.getHandle(run).describe();
  const running = (raw.pendingActivities ?? [])
    .filter((a) => a.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
    .map((a) => a.activityType?.name ?? '');
  return { run, running };
}

/** What the crash interrupted: the packages stored, a package's details call under way, others' details still to read, no order started. */
async function expectInterrupted(accountId: string, { running }: { running: string[] }, orderIds: string[]): Promise<void> {
  expect(running).toEqual(['fetchPackageDetails']);
  const rows = await packages(accountId);
  expect(rows).toHaveLength(PACKAGES);
  expect(count(rows, 'fetching')).toBeGreaterThanOrEqual(2);
  expect(count(rows, 'started')).toBe(0);
  for (const orderId of orderIds) expect(await orderExists(orderId)).toBe(false);
}

/**
 * After the crash, the schedule's runs finish the intake: every package started, its order workflow
 * there once under its id; the runs together created each order once (the others' starts found it
 * there); none left out. The schedule's completed runs and their results, by workflow id.
 */
async function expectOneOrderEach(accountId: string, orderIds: string[]): Promise<Map<string, MarketplacePullResult>> {
  await waitFor(
    'every package started',
    async () => ((await packages(accountId)).every((r) => r.state === 'started') ? true : undefined),
    90_000,
  );
  const rows = await packages(accountId);
  expect(rows.map((r) => r.order_id).sort()).toEqual(orderIds);
  for (const orderId of orderIds) expect(await orderExists(orderId)).toBe(true);
  // Every order workflow of the server, this file's other tests' too: ours once each. Visibility
  // lags a little behind the starts, so the list is asked until it shows them all.
  const ours = new Set(orderIds.map((id) => `order-${id}`));
  const listed = await waitFor(
    'every order workflow listed',
    async () => {
      const found: string[] = [];
      for await (const wf of stack.env.client.workflow.list({ query: `WorkflowType = 'orderWorkflow'` }))
        if (ours.has(wf.workflowId)) found.push(wf.workflowId);
      return found.length >= PACKAGES ? found : undefined;
    },
    30_000,
  );
  expect(listed.sort()).toEqual([...ours].sort());

  const scheduleId = marketplacePullScheduleId(accountId);
  await stack.env.client.schedule.getHandle(scheduleId).delete();
  const runs = new Map<string, MarketplacePullResult>();
  for await (const run of stack.env.client.workflow.list({ query: `TemporalScheduledById = '${scheduleId}'` })) {
    if (run.status.name === 'COMPLETED') runs.set(run.workflowId, await stack.env.client.workflow.getHandle(run.workflowId).result());
  }
  expect([...runs.values()].reduce((n, r) => n + r.started, 0)).toBe(PACKAGES);
  return runs;
}

test('a worker SIGKILLed mid-pull: a new worker and the next runs of the schedule start one order per package, none lost', async () => {
  const { accountId, orderIds } = await scheduledAccount();
  const worker = await stack.startWorker();
  const interrupted = await midPull(accountId);
  await worker.kill();
  await expectInterrupted(accountId, interrupted, orderIds);

  stack.sandbox.state.faults.clear();
  const next = await stack.startWorker();
  const runs = await expectOneOrderEach(accountId, orderIds);
  // The interrupted run went on on the new worker (its details call retried once the dead worker's heartbeats stopped).
  expect(runs.get(interrupted.run)).toMatchObject({ packages: PACKAGES, detailed: PACKAGES });
  await next.stop();
}, 150_000);

test('Temporal SIGKILLed mid-pull and started again on its database file and port: the worker reconnects and one order per package starts, none lost', async () => {
  const { accountId, orderIds } = await scheduledAccount();
  const worker = await stack.startWorker();
  const interrupted = await midPull(accountId);
  await stack.temporal.kill();
  await expectInterrupted(accountId, interrupted, []); // the server is down: no order is started before the run's details are read
  await sleep(3_000);
  stack.sandbox.state.faults.clear();
  await stack.temporal.start(60_000);
  const runs = await expectOneOrderEach(accountId, orderIds);
  // The run under way at the kill, kept in the server's database file, went on after the restart.
  expect(runs.get(interrupted.run)).toMatchObject({ packages: PACKAGES, detailed: PACKAGES });
  expect(worker.running).toBe(true); // the same worker process, reconnected
  await worker.stop();
}, 150_000);
