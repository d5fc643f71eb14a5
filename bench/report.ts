// The bench's figures: one JSON document (--json) and one table, each line with its target
// from issue 8 where there is one.
import { cpus, totalmem } from 'node:os';
import type { FloorResult } from './floor';
import { formatProfiles, type ThreadProfile } from './cpu-profile';
import { PATH_STEPS, type PathProfile, type PathStep } from './critical-path';
import type { HistoryCost } from './history';
import type { ScaleStep } from './scale';
import type { Latency } from './stats';
import type { LoadResult, StartRates } from './throughput';

export interface Target {
  figure: string;
  target: string;
  value: number;
  /** Undefined when the run did not reach the target's scale: the figure says nothing of the target. */
  met: boolean | undefined;
  /** Why it was not measured, e.g. "not measured at 50,000 (the largest size was 150)". */
  note?: string;
}

export interface BenchReport {
  runId: string;
  startedAt: string;
  machine: { cores: number; memoryGiB: number; node: string };
  options: {
    orders: number;
    concurrency: number;
    open: number[];
    scaleSamples: number;
    reusedTemporal: boolean;
    workerTuning: Record<string, string>;
  };
  throughput: {
    /** Closed loop, `concurrency` in flight: POST → labelled. */
    labelledPerSecond: number;
    /** Scans pushed by webhook until delivered, `concurrency` parcels at a time. */
    scansToDeliveredPerSecond: number;
    /** Orders taken from POST all the way to delivered: orders / (labelled phase + delivery phase). */
    deliveredPerSecond: number;
    labelled: Omit<LoadResult, 'latency'>;
    delivered: Omit<LoadResult, 'latency'>;
  };
  latency: { fullLoad: Latency; halfRate: Latency & { perSecond: number; targetPerSecond: number; failed: number } };
  history: HistoryCost;
  worker: { cpuSecondsPer1000: number; peakRssMiB: number; runPeakRssMiB: number; apiCpuSecondsPer1000: number };
  floor: FloorResult & { ratio: number };
  /** The floor's shape before issue 24, frozen (bench/floor-workflows.ts): ratio = engine / floor-v1. */
  floorV1: FloorResult & { ratio: number };
  /** Orders one at a time, nothing else running: POST → labelled. */
  lone: Latency;
  /** Where those orders' time went, from their start to labelled, read from their histories. */
  lonePath: PathProfile;
  /** The worker's CPU by part, over the whole run, when it was profiled (--profile-worker). */
  workerProfile?: ThreadProfile[];
  api: StartRates;
  scale: ScaleStep[];
  targets: Target[];
}

export interface ReportInput {
  runId: string;
  startedAt: Date;
  options: BenchReport['options'];
  full: LoadResult;
  delivered: LoadResult;
  half: LoadResult & { targetPerSecond: number };
  history: HistoryCost;
  worker: { cpuSeconds: number; apiCpuSeconds: number; ordersMeasured: number; peakRssMiB: number; runPeakRssMiB: number };
  floor: FloorResult;
  floorV1: FloorResult;
  lone: LoadResult;
  lonePath: PathProfile;
  workerProfile?: ThreadProfile[];
  starts: StartRates;
  scale: ScaleStep[];
  floorTaskQueue: string;
}

const withoutLatency = ({ latency: _latency, ...rest }: LoadResult): Omit<LoadResult, 'latency'> => rest;

/**
 * An order's cost before issue 24 (half the cost): its billable actions as the issue counted them
 * when it was filed (62, at 8652464; this bench counted 77 on 2026-12-04 at 1c1754d, before the
 * change), and its workflow tasks to labelled as this bench counted them at 1c1754d. The targets are
 * half of these. Counts, not speeds: they do not vary with the machine's load.
 */
export const BEFORE_ISSUE_24 = { actions: 62, tasksToLabelled: 11 };

export function buildReport(input: ReportInput): BenchReport {
  const { full, delivered, half, worker, floor, floorV1, starts, scale, history, lone } = input;
  const ratio = full.perSecond / floor.perSecond;
  const ratioV1 = full.perSecond / floorV1.perSecond;
  const largest = scale[scale.length - 1];
  const atScale = (met: boolean) => (largest.openOrders >= 50_000 ? { met } : { met: undefined, note: notAt50k(largest.openOrders) });
  const cpuPer1000 = (worker.cpuSeconds / worker.ordersMeasured) * 1000;
  const halfActions = BEFORE_ISSUE_24.actions / 2;
  const halfTasks = BEFORE_ISSUE_24.tasksToLabelled / 2;
  const targets: Target[] = [
    { figure: 'history events per order', target: '≤ 90', value: history.totalEvents, met: history.totalEvents <= 90 },
    { figure: 'history bytes per order', target: '≤ 30,000', value: history.totalBytes, met: history.totalBytes <= 30_000 },
    {
      figure: 'billable actions per order',
      target: `≤ ${halfActions} (half of ${BEFORE_ISSUE_24.actions})`,
      value: history.actions.total,
      met: history.actions.total <= halfActions,
    },
    {
      figure: 'workflow tasks per order to labelled',
      target: `≤ ${halfTasks} (half of ${BEFORE_ISSUE_24.tasksToLabelled})`,
      value: history.workflowTasks.toLabelled,
      met: history.workflowTasks.toLabelled <= halfTasks,
    },
    { figure: 'throughput ratio engine / floor-v1', target: '≥ 1.4', value: ratioV1, met: ratioV1 >= 1.4 },
    { figure: 'throughput ratio engine / floor', target: '≥ 0.8', value: ratio, met: ratio >= 0.8 },
    { figure: 'API overhead ratio POST / bare start', target: '≥ 0.8', value: starts.ratio, met: starts.ratio >= 0.8 },
    { figure: 'p99 POST → labelled at half rate (ms)', target: '≤ 500', value: half.latency.p99Ms, met: half.latency.p99Ms <= 500 },
    { figure: 'p50 POST → labelled, one order alone (ms)', target: '≤ 300', value: lone.latency.p50Ms, met: lone.latency.p50Ms <= 300 },
    { figure: 'worker CPU s per 1,000 orders to delivered', target: '≤ 100', value: cpuPer1000, met: cpuPer1000 <= 100 },
    {
      figure: `worker RSS at ${largest.openOrders} open orders (MiB)`,
      target: '≤ 1024 at 50,000',
      value: largest.workerRssMiB,
      ...atScale(largest.workerRssMiB <= 1024),
    },
    {
      figure: `p99 webhook → visible at ${largest.openOrders} open (ms)`,
      target: '≤ 500 at 50,000',
      value: largest.webhookToVisible.p99Ms,
      ...atScale(largest.webhookToVisible.p99Ms <= 500),
    },
  ];
  const per1000 = (seconds: number) => (seconds / worker.ordersMeasured) * 1000;
  return {
    runId: input.runId,
    startedAt: input.startedAt.toISOString(),
    machine: { cores: cpus().length, memoryGiB: totalmem() / 1024 ** 3, node: process.version },
    options: input.options,
    throughput: {
      labelledPerSecond: full.perSecond,
      scansToDeliveredPerSecond: delivered.perSecond,
      deliveredPerSecond: (full.orders - full.failed - delivered.failed) / (full.seconds + delivered.seconds),
      labelled: withoutLatency(full),
      delivered: withoutLatency(delivered),
    },
    latency: {
      fullLoad: full.latency,
      halfRate: { ...half.latency, perSecond: half.perSecond, targetPerSecond: half.targetPerSecond, failed: half.failed },
    },
    history: input.history,
    worker: {
      cpuSecondsPer1000: per1000(worker.cpuSeconds),
      peakRssMiB: worker.peakRssMiB,
      runPeakRssMiB: worker.runPeakRssMiB,
      apiCpuSecondsPer1000: per1000(worker.apiCpuSeconds),
    },
    floor: { ...floor, ratio },
    floorV1: { ...floorV1, ratio: ratioV1 },
    lone: lone.latency,
    lonePath: input.lonePath,
    ...(input.workerProfile && { workerProfile: input.workerProfile }),
    api: starts,
    scale,
    targets,
  };
}

const notAt50k = (open: number) => `not measured at 50,000 (the largest size was ${open.toLocaleString('en')})`;
const verdict = (t: Target) => (t.met === undefined ? (t.note ?? 'not measured') : t.met ? 'yes' : 'no');
const n = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const ms = (l: Latency) => `${n(l.p50Ms, 0)} / ${n(l.p95Ms, 0)} / ${n(l.p99Ms, 0)}`;

/** Where an order's history bytes go: the events that hold 2 % or more of them, largest first. */
function formatBytes(history: HistoryCost): string[] {
  const total = Object.values(history.bytesByEvent).reduce((sum, bytes) => sum + bytes, 0);
  const rows = Object.entries(history.bytesByEvent)
    .filter(([, bytes]) => bytes >= total / 50)
    .sort((a, b) => b[1] - a[1]);
  return [
    `| history bytes per order, by event (one delivered order, ${total} bytes encoded) | bytes | share |`,
    '| --- | --- | --- |',
    ...rows.map(([event, bytes]) => `| ${event} | ${bytes} | ${Math.round((100 * bytes) / total)} % |`),
  ];
}

/** Where a lone order's time goes, step by step, as a table of its own. */
function formatPath(path: PathProfile): string[] {
  const share = (ms: number) => (path.totalMs > 0 ? `${Math.round((100 * ms) / path.totalMs)} %` : 'n/a');
  const steps = (Object.keys(PATH_STEPS) as PathStep[]).sort((a, b) => path.byStep[b] - path.byStep[a]);
  return [
    `| one order alone, start → labelled (mean of ${path.samples}, from its histories) | ms | share |`,
    '| --- | --- | --- |',
    ...steps.map((step) => `| ${PATH_STEPS[step]} | ${n(path.byStep[step], 0)} | ${share(path.byStep[step])} |`),
    `| the whole path | ${n(path.totalMs, 0)} | |`,
  ];
}

/** The report as one plain-text table (Markdown-compatible, so docs/performance.md can hold it as printed). */
export function formatTable(r: BenchReport): string {
  const tuning = Object.entries(r.options.workerTuning)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  const rows: [string, string, string][] = [
    ['worker tuning', tuning || 'SDK defaults', 'WORKER_MAX_* from the environment (lib/config.ts)'],
    [
      'orders/s POST → labelled (full load)',
      n(r.throughput.labelledPerSecond),
      `${r.options.orders} orders, ${r.options.concurrency} in flight, ${r.throughput.labelled.failed} failed`,
    ],
    [
      'orders/s POST → delivered',
      n(r.throughput.deliveredPerSecond),
      `labelled phase + delivery phase (5 webhook scans each: ${n(r.throughput.scansToDeliveredPerSecond)} parcels/s), ${r.throughput.delivered.failed} failed`,
    ],
    ['latency POST → labelled, full load (ms)', ms(r.latency.fullLoad), 'p50 / p95 / p99'],
    ['latency POST → labelled, one order alone (ms)', ms(r.lone), `p50 / p95 / p99 of ${r.lone.samples} orders, one at a time`],
    [
      'latency POST → labelled, half rate (ms)',
      ms(r.latency.halfRate),
      `p50 / p95 / p99 at ${n(r.latency.halfRate.targetPerSecond)} orders/s offered, ${r.latency.halfRate.failed} failed`,
    ],
    [
      'history events per order',
      `${r.history.totalEvents}`,
      `order ${r.history.orderEvents} + shipment ${r.history.shipmentEvents}, at delivered, scans applied one at a time (median of ${r.history.sampled})`,
    ],
    [
      'workflow tasks per order',
      `${r.history.workflowTasks.toLabelled} to labelled`,
      `order + shipment; ${r.history.workflowTasks.toDelivered} to delivered`,
    ],
    ['history bytes per order', `${r.history.totalBytes}`, 'order + shipment, as the server counts them (payloads encrypted)'],
    [
      'billable actions per order',
      `${r.history.actions.total}`,
      `Temporal Cloud's estimate from the same histories: ${Object.entries(r.history.actions.byKind)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', ')}; queries not counted`,
    ],
    [
      'worker CPU s per 1,000 orders',
      n(r.worker.cpuSecondsPer1000),
      `POST → delivered; the API process: ${n(r.worker.apiCpuSecondsPer1000)} s`,
    ],
    ['worker peak RSS (MiB)', n(r.worker.peakRssMiB, 0), `during the full-load run; whole run ${n(r.worker.runPeakRssMiB, 0)} MiB`],
    [
      'floor skeletons/s → labelled',
      n(r.floor.perSecond),
      `same shape, no-op steps, ${r.options.concurrency} in flight, ${r.floor.failed} failed; start → labelled ${ms(r.floor.latency)} ms`,
    ],
    ['ratio engine / floor', n(r.floor.ratio, 2), 'target ≥ 0.8'],
    [
      'floor-v1 skeletons/s → labelled',
      n(r.floorV1.perSecond),
      `the shape before issue 24, frozen; ${r.floorV1.failed} failed; start → labelled ${ms(r.floorV1.latency)} ms`,
    ],
    ['ratio engine / floor-v1', n(r.floorV1.ratio, 2), 'target ≥ 1.4'],
    [
      'starts/s POST /v1/orders vs bare start',
      `${n(r.api.apiPerSecond)} vs ${n(r.api.barePerSecond)}`,
      `ratio ${n(r.api.ratio, 2)} (target ≥ 0.8), ${r.api.orders} each, no worker polling`,
    ],
    [
      'starts/s POST /v1/orders/batch vs bare start',
      `${n(r.api.batchPerSecond)} vs ${n(r.api.barePerSecond)}`,
      `ratio ${n(r.api.batchRatio, 2)}, batches of ${r.api.batchSize} orders, 2 requests in flight`,
    ],
    ...r.scale.map((s): [string, string, string] => [
      `open orders ${s.openOrders}`,
      `RSS ${n(s.workerRssMiB, 0)} MiB, PG ${n(s.postgresMiB, 0)} MiB`,
      `webhook → visible ${ms(s.webhookToVisible)} ms (webhook answered p99 ${n(s.webhookAck.p99Ms, 0)} ms, ${s.webhookToVisible.samples} samples)`,
    ]),
  ];
  const lines = ['| figure | value | notes |', '| --- | --- | --- |', ...rows.map((row) => `| ${row.join(' | ')} |`)];
  lines.push('', ...formatBytes(r.history));
  lines.push('', ...formatPath(r.lonePath));
  if (r.workerProfile) lines.push('', ...formatProfiles(r.workerProfile));
  lines.push('', '| target | wanted | measured | met |', '| --- | --- | --- | --- |');
  for (const t of r.targets) lines.push(`| ${t.figure} | ${t.target} | ${n(t.value, 2)} | ${verdict(t)} |`);
  return lines.join('\n');
}
