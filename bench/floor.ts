// The floor: the skeleton workflows of bench/floor-workflows.ts (the engine's path to
// `labelled`, every step a no-op) run on the same server, `concurrency` at a time, on their own
// worker process. Their rate is what Temporal allows this shape on this machine.
import type { Client } from '@temporalio/client';
import { Progress } from './progress';
import { latency, perSecond, pool as inPool, type Latency } from './stats';

export const FLOOR_TASK_QUEUE = 'bench-floor';

export interface FloorResult {
  workflows: number;
  failed: number;
  seconds: number;
  perSecond: number;
  latency: Latency;
}

/** The floor that follows the engine's shape, and floor-v1, the shape before issue 24, frozen. */
export type FloorShape = 'floorOrderWorkflow' | 'floorV1OrderWorkflow';

/** `idPrefix` must be unique to the run and phase: workflow ids are never reused. */
export async function runFloor(
  client: Client,
  shape: FloorShape,
  idPrefix: string,
  count: number,
  concurrency: number,
  quiet: boolean,
): Promise<FloorResult> {
  const progress = new Progress(`${shape === 'floorOrderWorkflow' ? 'floor' : 'floor-v1'}: skeleton → labelled`, count, quiet);
  const samples: number[] = [];
  let failed = 0;
  const started = Date.now();
  await inPool(count, concurrency, async (i) => {
    const began = Date.now();
    try {
      await client.workflow.execute(shape, { workflowId: `${idPrefix}-${i}`, taskQueue: FLOOR_TASK_QUEUE, args: [] });
      samples.push(Date.now() - began);
    } catch {
      failed++;
    }
    progress.tick();
  });
  const ms = Date.now() - started;
  progress.finish();
  return { workflows: count, failed, seconds: ms / 1000, perSecond: perSecond(samples.length, ms), latency: latency(samples) };
}
