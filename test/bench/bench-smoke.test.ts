// The bench's core with a handful of orders: every figure is there and sane. No timing
// thresholds: speed goals live in the benchmark (npm run bench, docs/performance.md), never here.
import { runBench } from '../../bench/core';
import { formatTable, type BenchReport } from '../../bench/report';

const positive = (value: number) => expect(Number.isFinite(value) && value > 0).toBe(true);

describe('npm run bench, small', () => {
  let report: BenchReport;

  beforeAll(async () => {
    // Its own dev server, database, sandbox, API and worker processes: nothing shared with other tests.
    report = await runBench({
      orders: 4,
      concurrency: 2,
      scaleSamples: 2,
      database: 'order_engine_bench_smoke',
      quiet: true,
      log: () => undefined,
    });
  }, 300_000);

  it('moves every order to labelled and to delivered', () => {
    expect(report.throughput.labelled).toMatchObject({ orders: 4, failed: 0 });
    expect(report.throughput.delivered).toMatchObject({ orders: 4, failed: 0 });
    positive(report.throughput.labelledPerSecond);
    positive(report.throughput.deliveredPerSecond);
    expect(report.throughput.deliveredPerSecond).toBeLessThanOrEqual(report.throughput.labelledPerSecond);
  });

  it('has latency percentiles in order, at full load and at half rate', () => {
    for (const l of [report.latency.fullLoad, report.latency.halfRate]) {
      expect(l.samples).toBeGreaterThan(0);
      positive(l.p50Ms);
      expect(l.p50Ms).toBeLessThanOrEqual(l.p95Ms);
      expect(l.p95Ms).toBeLessThanOrEqual(l.p99Ms);
      expect(l.p99Ms).toBeLessThanOrEqual(l.maxMs);
    }
    expect(report.latency.halfRate.failed).toBe(0);
    expect(report.latency.halfRate.targetPerSecond).toBeCloseTo(report.throughput.labelledPerSecond / 2);
  });

  it('counts history per order: one workflow, its parcel inside it, with the five scans signalled', () => {
    expect(report.history.sampled).toBeGreaterThan(0);
    expect(report.history.orderEvents).toBeGreaterThan(10);
    expect(report.history.shipmentEvents).toBe(0); // a single-warehouse order's parcel has no workflow of its own
    expect(report.history.totalEvents).toBe(report.history.orderEvents);
    positive(report.history.totalBytes);
    expect(report.history.byType.START_CHILD_WORKFLOW_EXECUTION_INITIATED).toBeUndefined();
    expect(report.history.byType.WORKFLOW_EXECUTION_SIGNALED).toBe(5);
    // Cloud's action estimate: the order's start and the five scans; no child, no report between workflows.
    expect(report.history.actions.byKind).toMatchObject({ starts: 1, signals: 5 });
    expect(report.history.actions.byKind.children).toBeUndefined();
    expect(report.history.actions.total).toBeLessThan(report.history.totalEvents);
    // A run of this release takes every patch by one marker (each costs an event and a search attribute upsert).
    expect(report.history.patchMarkers).toBe(1);
    expect(report.history.byType.UPSERT_WORKFLOW_SEARCH_ATTRIBUTES).toBeLessThan(10);
    expect(Object.keys(report.history.bytesByEvent).every((event) => event.startsWith('order: '))).toBe(true);
    positive(report.history.bytesByEvent['order: WORKFLOW_EXECUTION_SIGNALED trackingEvent']);
    // Workflow tasks: some before the label, one more for each of the five scans after it.
    const tasks = report.history.workflowTasks;
    expect(tasks.toLabelled).toBeGreaterThanOrEqual(2);
    expect(tasks.toDelivered).toBeGreaterThanOrEqual(tasks.toLabelled + 5);
  });

  it('measures the worker, the floor, the API overhead and open orders', () => {
    positive(report.worker.cpuSecondsPer1000);
    positive(report.worker.peakRssMiB);
    expect(report.floor).toMatchObject({ workflows: 4, failed: 0 });
    positive(report.floor.perSecond);
    expect(report.floor.ratio).toBeCloseTo(report.throughput.labelledPerSecond / report.floor.perSecond);
    expect(report.floorV1).toMatchObject({ workflows: 4, failed: 0 });
    expect(report.floorV1.ratio).toBeCloseTo(report.throughput.labelledPerSecond / report.floorV1.perSecond);
    expect(report.lone.samples).toBe(4);
    positive(report.api.apiPerSecond);
    positive(report.api.barePerSecond);
    positive(report.api.batchPerSecond);
    expect(report.api.batchRatio).toBeCloseTo(report.api.batchPerSecond / report.api.barePerSecond);
    expect(report.scale).toHaveLength(1);
    expect(report.scale[0].openOrders).toBeGreaterThan(0);
    positive(report.scale[0].workerRssMiB);
    positive(report.scale[0].postgresMiB);
    expect(report.scale[0].webhookToVisible.samples).toBe(2);
    expect(report.scale[0].webhookToVisible.p99Ms).toBeGreaterThanOrEqual(report.scale[0].webhookAck.p99Ms);
  });

  it("cuts the lone orders' way to labelled into steps that add up to it, the carriers' calls among them", () => {
    const path = report.lonePath;
    expect(path.samples).toBe(report.lone.samples);
    positive(path.totalMs);
    expect(Object.values(path.byStep).reduce((sum, ms) => sum + ms, 0)).toBeCloseTo(path.totalMs, 3);
    positive(path.byStep.activityRuns); // quotes and the booking
    positive(path.byStep.taskRuns);
    positive(path.byStep.taskWaits);
  });

  it('prints one table with every figure and the targets', () => {
    const table = formatTable(report);
    for (const figure of [
      'POST → labelled',
      'POST → delivered',
      'half rate',
      'history events',
      'history bytes',
      'billable actions',
      'CPU s per 1,000',
      'peak RSS',
      'floor',
      'ratio engine / floor',
      'ratio engine / floor-v1',
      'one order alone',
      'workflow tasks per order',
      'bare start',
      '/v1/orders/batch',
      'open orders',
      'start → labelled',
      'an activity runs',
      'by event',
    ]) {
      expect(table).toContain(figure);
    }
    expect(table).not.toMatch(/NaN|undefined/);
    expect(report.targets).toHaveLength(12);
    // A handful of open orders says nothing of a target at 50,000: neither met nor missed.
    const rss = report.targets.find((t) => t.figure.startsWith('worker RSS'))!;
    expect(rss.met).toBeUndefined();
    expect(table).toContain(`not measured at 50,000 (the largest size was ${report.scale[0].openOrders})`);
  });
});
