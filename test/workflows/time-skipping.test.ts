// The time-skipping harness (test/helpers/time-skipping.ts) on Temporal's Java test server: awaiting
// several workflows at once must skip time as awaiting one does. Order scenarios await two orders
// together (Promise.all over cancelAndFinish).
import path from 'node:path';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTimeSkippingEnv } from '../helpers/time-skipping';
import { uniqueName } from '../helpers/stock';
import { payloadDataConverter } from '../../lib/payload-codec';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'fixtures/timer-workflow.ts'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  env = await startTimeSkippingEnv();
}, 120_000);

afterAll(() => env?.teardown());

function timerWorker(taskQueue: string): Promise<Worker> {
  // The environment's client encodes payloads as the project's clients do.
  return Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, dataConverter: payloadDataConverter() });
}

/** Starts a timer workflow per wait on one worker and awaits all their results at once. */
async function awaitTogether(waits: string[]): Promise<string[]> {
  const taskQueue = uniqueName('timers');
  const worker = await timerWorker(taskQueue);
  return worker.runUntil(async () => {
    const handles = await Promise.all(
      waits.map((wait) => env.client.workflow.start('timerWorkflow', { taskQueue, workflowId: uniqueName('timer'), args: [wait] })),
    );
    return Promise.all(handles.map((handle) => handle.result()));
  });
}

// Each wait unlocked the server's clock once: two at once unlocked it past its base lock, and the
// server failed the next task that released a lock ("Unbalanced lock and unlock calls"); the order
// awaited second then timed out after ten years of skipped time (CI of 7c256c8).
test('two workflows awaited together both end, their timers skipped', async () => {
  expect(await awaitTogether(['1 day', '2 days'])).toEqual(['waited 1 day', 'waited 2 days']);
});

test('after a joint wait the clock is held again: a timer nobody awaits does not fire', async () => {
  await awaitTogether(['3 days', '3 days']);
  const taskQueue = uniqueName('timers');
  const worker = await timerWorker(taskQueue);
  const status = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start('timerWorkflow', { taskQueue, workflowId: uniqueName('timer'), args: ['1 hour'] });
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // real time: a skipping clock is past the hour within it
    const { status } = await handle.describe();
    await handle.terminate('test over');
    return status.name;
  });
  expect(status).toBe('RUNNING');
});
