// One marketplace's intake on real components, as its test file uses them: the Temporal dev server,
// the project's PostgreSQL test database, the marketplace's double over HTTP, and the workers
// workers/order-worker.ts builds polling the file's own queue. The orders the pulls start go to the
// `orders` queue, which none of these workers polls: intake tests are about their being started once.
// A file that kills workers or restarts Temporal (`processes`) gets a dev server of its own and its
// workers as child processes (test/helpers/intake-worker-process.ts), both chaos/processes.ts's.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Pool } from 'pg';
import { logReady, ManagedProcess } from '../../chaos/processes';
import { temporalServer } from '../../chaos/stack';
import type { OrderStart } from '../../domain/order';
import { createPool } from '../../lib/db';
import { freePort } from '../../lib/ports';
import type { MarketplacePackage } from '../../marketplaces/adapter';
import { createOrderWorker, type OrderWorkerOptions, type OrderWorkers } from '../../workers/order-worker';
import { orderWorkflowId, type MarketplacePullInput } from '../../workflows/definitions';
import { marketplacePullWorkflow, type MarketplacePullResult } from '../../workflows/marketplace-pull';
import type { DoubleSandbox } from './carrier-sandbox';
import { ROOT, TEST_DATABASE_URL } from './env';
import { bundleWorkflows, devServerEnv } from './time-skipping';

type PullPlan = Omit<MarketplacePullInput, 'accountId' | 'marketplace'>;

export interface PackageRow {
  package_id: string;
  order_id: string;
  state: string;
  status: string;
  ship_by: Date | null;
  attention_field: string | null;
  attention_reason: string | null;
  package: MarketplacePackage;
  order_input: OrderStart | null;
}

/** A double whose state a test can start again. */
type Resettable = { reset(): void };

export interface IntakeStack<State extends Resettable> {
  env: TestWorkflowEnvironment;
  pool: Pool;
  sandbox: DoubleSandbox<State>;
  /** The accounts a test connected: disabled after it (the test database outlives the run: no later run makes them schedules). */
  accounts: string[];
  /** The account's packages as intake stored them, by package id. */
  packages: (accountId: string) => Promise<PackageRow[]>;
  /** Whether the pulls started this order (its workflow exists). */
  orderExists: (orderId: string) => Promise<boolean>;
  /**
   * Two pulls at once over the account's just-placed packages (`packageIds`, sorted), then a third
   * after the first package's start was lost (a crash before its row was marked): one order each,
   * none twice. The packages' rows, for what each file checks of its marketplace's reading.
   */
  expectOneOrderEach: (accountId: string, packageIds: string[], orderIdOf: (packageId: string) => string) => Promise<PackageRow[]>;
  /**
   * The account's one package, just placed with `unknownSku` (one unit at 50), neither mapped nor a
   * product: the next pull holds it for ops naming the line and starts no order; once ops map the SKU
   * to `sku`, the pull after starts it.
   */
  expectHeldUntilSkuMapped: (accountId: string, held: { unknownSku: string; orderId: string; sku: string }) => Promise<void>;
  /** One run of the account's pull, as its schedule starts one; `plan` changes the file's. */
  pull: (accountId: string, plan?: Partial<PullPlan>, workflowId?: string) => Promise<MarketplacePullResult>;
  /** With `processes`: the file's dev server, to kill or stop and start again (the same database file, the same port). */
  temporal: ManagedProcess;
  /** With `processes`: a new worker process on the file's queue, once it polls; killed after the file if still running. */
  startWorker: () => Promise<ManagedProcess>;
}

export interface IntakeStackOptions<State extends Resettable> {
  marketplace: string;
  taskQueue: string;
  /** The double, started once for the file; reset before each test. */
  startDouble: () => Promise<DoubleSandbox<State>>;
  /** The workers' marketplaces, reaching the double at its address. */
  marketplaces: (baseUrl: string) => NonNullable<OrderWorkerOptions['marketplaces']>;
  /** Products of our catalogue the tests' SKUs name. */
  skus: string[];
  plan: PullPlan;
  /** What else the workers take, once the database and the double are there (the pushback tests' subscribers). */
  workerOptions?: (stack: IntakeStack<State>) => Promise<Partial<OrderWorkerOptions>>;
  /** Stops what the file started on the stack (an outbox pump), before the workers and the server go. */
  beforeTeardown?: () => Promise<void>;
  /**
   * A dev server of the file's own (a free port, its workflows in a SQLite file of a new temporary
   * directory, so a restart keeps them) and no workers in this process: the file starts each worker
   * process with `startWorker`. The shared dev server and in-process workers otherwise.
   */
  processes?: boolean;
}

/** The file's stack: started before its tests, stopped after them; its fields are filled in by the time the tests run. */
export function useIntakeStack<State extends Resettable>(options: IntakeStackOptions<State>): IntakeStack<State> {
  const stack = {
    accounts: [] as string[],
    pull: (accountId: string, plan: Partial<PullPlan> = {}, workflowId = `pull-${accountId}-${randomUUID().slice(0, 6)}`) =>
      stack.env.client.workflow.execute(marketplacePullWorkflow, {
        taskQueue: options.taskQueue,
        workflowId,
        args: [{ accountId, marketplace: options.marketplace, ...options.plan, ...plan }],
      }),
    packages: async (accountId: string) =>
      (
        await stack.pool.query<PackageRow>(
          `SELECT package_id, order_id, state, status, ship_by, attention_field, attention_reason, package, order_input
             FROM marketplace_packages WHERE account_id = $1 ORDER BY package_id`,
          [accountId],
        )
      ).rows,
    async orderExists(orderId: string) {
      try {
        await stack.env.client.workflow.getHandle(orderWorkflowId(orderId)).describe();
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },
    async expectOneOrderEach(accountId: string, packageIds: string[], orderIdOf: (packageId: string) => string) {
      const runs: MarketplacePullResult[] = await Promise.all([stack.pull(accountId), stack.pull(accountId)]);
      await stack.pool.query(`UPDATE marketplace_packages SET state = 'seen' WHERE account_id = $1 AND package_id = $2`, [
        accountId,
        packageIds[0],
      ]);
      runs.push(await stack.pull(accountId));

      expect(runs.reduce((n, r) => n + r.started, 0)).toBe(packageIds.length);
      expect(runs[2]).toMatchObject({ started: 0, duplicates: 1, unmappable: 0 });
      const rows = await stack.packages(accountId);
      expect(rows.map((r) => [r.package_id, r.order_id, r.state])).toEqual(packageIds.map((id) => [id, orderIdOf(id), 'started']));
      for (const id of packageIds) expect(await stack.orderExists(orderIdOf(id))).toBe(true);
      return rows;
    },
    async expectHeldUntilSkuMapped(accountId: string, { unknownSku, orderId, sku }: { unknownSku: string; orderId: string; sku: string }) {
      expect(await stack.pull(accountId)).toMatchObject({ started: 0, unmappable: 1 });
      const [held] = await stack.packages(accountId);
      expect(held).toMatchObject({ state: 'unmappable', attention_field: 'lines.0.sku', order_input: null });
      expect(held.attention_reason).toContain(unknownSku);
      expect(await stack.orderExists(orderId)).toBe(false);

      await stack.pool.query('INSERT INTO marketplace_sku_map (account_id, marketplace_sku, sku) VALUES ($1, $2, $3)', [
        accountId,
        unknownSku,
        sku,
      ]);
      expect(await stack.pull(accountId)).toMatchObject({ started: 1, unmappable: 0 });
      expect((await stack.packages(accountId))[0].order_input!.lines).toEqual([{ sku, quantity: 1, unitPrice: 50 }]);
    },
  } as IntakeStack<State>;
  let workers: OrderWorkers | undefined;
  let running: Promise<void> | undefined;
  let dir: string | undefined;
  const workerProcesses: ManagedProcess[] = [];

  /** The file's dev server, started before its client connects. */
  async function ownServer(): Promise<string> {
    dir = mkdtempSync(path.join(tmpdir(), 'order-engine-intake-'));
    const port = await freePort();
    stack.temporal = temporalServer(dir, port, path.join(dir, 'temporal.log'));
    await stack.temporal.start(60_000);
    return `127.0.0.1:${port}`;
  }

  beforeAll(async () => {
    const address = options.processes ? await ownServer() : undefined;
    const [env, bundle] = await Promise.all([devServerEnv(address), bundleWorkflows()]);
    Object.assign(stack, { env, pool: createPool(TEST_DATABASE_URL), sandbox: await options.startDouble() });
    for (const sku of options.skus) {
      await stack.pool.query(
        `INSERT INTO products (sku, description, hs_code, origin_country, unit_value, currency) VALUES ($1, 'Towel', '630260', 'TR', 100, 'TRY')`,
        [sku],
      );
    }
    if (address && dir) {
      const bundlePath = path.join(dir, 'workflows.js');
      writeFileSync(bundlePath, bundle.code);
      const logFile = path.join(dir, 'workers.log');
      stack.startWorker = async () => {
        const worker = new ManagedProcess({
          name: `intake worker ${workerProcesses.length + 1}`,
          command: process.execPath,
          args: ['--import', 'tsx', path.join(ROOT, 'test/helpers/intake-worker-process.ts')],
          env: {
            ...process.env,
            TEMPORAL_ADDRESS: address,
            TASK_QUEUE: options.taskQueue,
            MARKETPLACE: options.marketplace,
            DOUBLE_URL: stack.sandbox.baseUrl,
            DATABASE_URL: TEST_DATABASE_URL,
            WORKFLOW_BUNDLE: bundlePath,
          },
          cwd: ROOT,
          logFile,
          ready: logReady(logFile, 'intake worker ready'),
        });
        workerProcesses.push(worker);
        await worker.start(60_000);
        return worker;
      };
      return;
    }
    workers = await createOrderWorker({
      connection: env.nativeConnection,
      pool: stack.pool,
      taskQueue: options.taskQueue,
      workflowBundle: bundle,
      marketplaces: options.marketplaces(stack.sandbox.baseUrl),
      ...(await options.workerOptions?.(stack)),
    });
    running = workers.run();
  }, 120_000);

  afterAll(async () => {
    await options.beforeTeardown?.();
    workers?.shutdown();
    await running;
    for (const worker of workerProcesses) await worker.kill();
    await stack.sandbox?.close();
    await stack.pool?.end();
    await stack.env?.teardown();
    await stack.temporal?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    stack.sandbox.state.reset();
    stack.sandbox.calls.length = 0;
  });
  afterEach(async () => {
    await stack.pool.query(`UPDATE marketplace_accounts SET status = 'disabled' WHERE account_id = ANY($1)`, [stack.accounts.splice(0)]);
  });
  return stack;
}
