// One bench run, start to finish: the stack up, each measurement in turn, everything stopped.
// bench/run.ts is its command line; test/bench/bench-smoke.test.ts runs it with a handful of orders.
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { payloadDataConverter } from '../lib/payload-codec';
import { seedStock, StatusWatcher } from './engine';
import { FLOOR_TASK_QUEUE, runFloor } from './floor';
import { summarizeProfiles } from './cpu-profile';
import { happyPathOrders, historyCost, pathProfile } from './history';
import { buildReport, type BenchReport } from './report';
import { measureOpenOrders, type ScaleStep } from './scale';
import { startStack, type BenchProcess } from './stack';
import { atRate, startRates, toDelivered, toLabelled, type Driver } from './throughput';

export interface BenchOptions {
  /** Orders in the full-load run (and skeletons in the floor run). */
  orders: number;
  /** Orders in flight at once under full load. */
  concurrency: number;
  /** Open-order sizes to measure at, beyond the orders the run leaves open by itself. */
  open: number[];
  /** Webhook → visible samples at each open-order size. */
  scaleSamples: number;
  /** Reuse this Temporal server instead of starting a dev server. */
  temporalAddress?: string;
  database: string;
  /** Profile the engine's worker (node --cpu-prof) into this directory, and report its CPU by part. */
  profileWorker?: string;
  /** No progress lines (tests). */
  quiet: boolean;
  log?: (line: string) => void;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  orders: 100,
  concurrency: 20,
  open: [],
  scaleSamples: 30,
  database: 'order_engine_bench',
  quiet: false,
};

const MiB = 1024 * 1024;

/** The worker's cache and concurrency settings the run used (the worker reads them from the environment it inherits). */
const workerTuningFromEnv = (): Record<string, string> =>
  Object.fromEntries(Object.entries(process.env).filter(([name, value]) => name.startsWith('WORKER_MAX_') && value) as [string, string][]);

/** Samples a process's resident memory every 200 ms, keeping the peak. */
function rssSampler(proc: BenchProcess) {
  let peak = 0;
  const sample = () => {
    try {
      peak = Math.max(peak, proc.rssBytes());
    } catch {
      /* the process has exited */
    }
  };
  const timer = setInterval(sample, 200);
  sample();
  return {
    peakMiB: () => (sample(), peak / MiB),
    reset: () => void (peak = 0),
    stop: () => clearInterval(timer),
  };
}

export async function runBench(given: Partial<BenchOptions> = {}): Promise<BenchReport> {
  const options = { ...DEFAULT_OPTIONS, ...given };
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const runId = randomUUID().slice(0, 8);
  const startedAt = new Date();
  log(`bench ${runId}: ${options.orders} orders, ${options.concurrency} in flight, on ${cpus().length} cores`);
  const stack = await startStack({ temporalAddress: options.temporalAddress, database: options.database });
  log(
    `stack: Temporal ${stack.temporalAddress}, database ${options.database}, sandbox ${stack.sandbox.url}, API ${stack.api.url}, logs ${stack.logDir}`,
  );
  const db = new Pool({ connectionString: stack.databaseUrl, max: 4 });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection, dataConverter: payloadDataConverter() });
  const watcher = new StatusWatcher(db);
  const driver: Driver = {
    apiUrl: stack.api.url,
    sandbox: stack.sandbox,
    db,
    watcher,
    quiet: options.quiet,
    orderId: (phase, i) => `B${runId}-${phase}-${i}`,
  };
  const samplers: ReturnType<typeof rssSampler>[] = [];
  try {
    await seedStock(db);
    const { orders, concurrency } = options;

    // Starts alone, before any worker polls, so the two are measured on an idle server.
    const starts = await startRates(driver, client, orders, concurrency);

    const profiling = options.profileWorker ? ['--cpu-prof', `--cpu-prof-dir=${options.profileWorker}`] : [];
    const worker = await stack.startChild('worker', 'worker-main.ts', {}, profiling);
    const workerRss = rssSampler(worker);
    samplers.push(workerRss);
    const warm = await toLabelled(driver, 'warmup', Math.min(10, orders), Math.min(concurrency, 5));
    await toDelivered(driver, warm.orderIds, Math.min(concurrency, 5));

    workerRss.reset();
    const cpuBefore = { worker: worker.cpuSeconds(), api: stack.api.process.cpuSeconds() };
    const full = await toLabelled(driver, 'full', orders, concurrency);
    const delivered = await toDelivered(driver, full.orderIds, concurrency);
    const cpu = { worker: worker.cpuSeconds() - cpuBefore.worker, api: stack.api.process.cpuSeconds() - cpuBefore.api };
    const peakRssMiB = workerRss.peakMiB();

    const halfRate = full.perSecond / 2;
    const half = await atRate(driver, 'half', Math.max(10, Math.ceil(orders / 2)), halfRate);

    // Orders alone, one at a time: what one order takes when nothing else is running.
    const lone = await toLabelled(driver, 'lone', Math.min(10, orders), 1);
    const lonePath = await pathProfile(client, lone.orderIds);
    const history = await historyCost(client, await happyPathOrders(driver, 3));

    // Every order of the half-rate run stays open, labelled and awaiting its parcel's scans.
    const parked = [...half.orderIds];
    let open = half.orderIds.length;
    const scale: ScaleStep[] = [];
    // Each size's figures are logged as soon as they are measured: parking 50,000 takes hours here.
    const measureAt = async (size: number) => {
      const step = await measureOpenOrders(driver, worker, size, parked, options.scaleSamples);
      scale.push(step);
      log(
        `open ${size}: worker RSS ${step.workerRssMiB.toFixed(0)} MiB, PostgreSQL ${step.postgresMiB.toFixed(0)} MiB, webhook → visible p50/p99 ${step.webhookToVisible.p50Ms}/${step.webhookToVisible.p99Ms} ms`,
      );
    };
    await measureAt(open);
    for (const size of options.open.filter((s) => s > open).sort((a, b) => a - b)) {
      const more = await toLabelled(driver, `park${size}`, size - open, concurrency);
      parked.push(...more.orderIds);
      open += more.orderIds.length;
      if (more.failed > 0) log(`parking to ${size}: ${more.failed} order(s) failed (${more.firstError})`);
      log(`parked ${more.orderIds.length} more at ${more.perSecond.toFixed(1)} orders/s`);
      await measureAt(open);
    }
    const runPeakRssMiB = workerRss.peakMiB();
    workerRss.stop();
    await worker.stop();
    const workerProfile = options.profileWorker ? summarizeProfiles(options.profileWorker) : undefined;

    const floorWorker = await stack.startChild('floor-worker', 'floor-worker.ts');
    await runFloor(client, 'floorOrderWorkflow', `floor-${runId}-warmup`, Math.min(10, orders), Math.min(concurrency, 5), true);
    const floor = await runFloor(client, 'floorOrderWorkflow', `floor-${runId}`, orders, concurrency, options.quiet);
    const floorV1 = await runFloor(client, 'floorV1OrderWorkflow', `floor-v1-${runId}`, orders, concurrency, options.quiet);
    await floorWorker.stop();

    return buildReport({
      runId,
      startedAt,
      options: {
        orders,
        concurrency,
        open: options.open,
        scaleSamples: options.scaleSamples,
        reusedTemporal: Boolean(options.temporalAddress),
        workerTuning: workerTuningFromEnv(),
      },
      full,
      delivered,
      half: { ...half, targetPerSecond: halfRate },
      history,
      worker: { cpuSeconds: cpu.worker, apiCpuSeconds: cpu.api, ordersMeasured: full.orders, peakRssMiB, runPeakRssMiB },
      floor,
      floorV1,
      lone,
      lonePath,
      workerProfile,
      starts,
      scale,
      floorTaskQueue: FLOOR_TASK_QUEUE,
    });
  } finally {
    for (const s of samplers) s.stop();
    watcher.stop();
    await db.end().catch(() => undefined);
    await connection.close().catch(() => undefined);
    await stack.stop();
  }
}
