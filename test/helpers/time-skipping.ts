// One time-skipping environment (Temporal's Java test server, real) and one workflow
// bundle per test file: both are slow to make, and tests in a file share them.
import { isGrpcDeadlineError, WorkflowClient } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { devServerAddress, TEST_SERVER_SCRIPT } from './env';
import { failureConverterPath, payloadDataConverter } from '../../lib/payload-codec';
import { workflowsPath } from '../../workers/order-worker';
import { searchAttributes } from '../../workflows/definitions';

const { IndexedValueType } = temporal.api.enums.v1;
const indexedType = { KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD, BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL };

export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: TEST_SERVER_SCRIPT } },
    client: { dataConverter: payloadDataConverter() },
  });
  // The test server starts with no custom search attributes; the workflows set ours.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      Object.values(searchAttributes).map((key) => [key.name, key.type === 'BOOL' ? indexedType.BOOL : indexedType.KEYWORD]),
    ),
  });
  askAgainForResults(env);
  return env;
}

/**
 * The shared dev server (the real Temporal server, started by test/global-setup.ts) as a test
 * environment, for a scenario that needs no skipped time but continues as new: the Java test server
 * now and then leaves such a run open and stops its clock with it (below). Its teardown closes the
 * connections only. `address`: another dev server, a test file's own.
 */
export function devServerEnv(address = devServerAddress()): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({
    address,
    client: { dataConverter: payloadDataConverter() },
  });
}

/** How long one wait for a workflow's result may take before it is asked of the current run (real time). */
const RESULT_POLL_MS = 15_000;

/**
 * A wait for a workflow's result that has not answered within RESULT_POLL_MS is asked again of
 * the workflow's current run. The Java test server now and then leaves a run that continued as
 * new without its close event (the continue-as-new lands while an activity of the run starts or
 * fails, and the server, answering "workflow execution already completed", commits the new run but
 * not the old one's close): result(), following the runs from the first, then waits on that run
 * forever, though the last run has ended (order scenarios hung for their whole time limit, in CI
 * and on a quiet machine). The real server has no such gap. Time skipping stays unlocked while a
 * result is awaited, as before.
 */
function askAgainForResults(env: TestWorkflowEnvironment): void {
  const workflows = env.client.workflow;
  const clock = heldClock(env);
  // The plain client's result (no time skipping of its own): one unlock for the whole wait, and
  // the deadline bounds the long poll only, never the lock calls, which must stay balanced.
  const longPoll = WorkflowClient.prototype.result.bind(workflows);
  workflows.result = async (workflowId, runId, options) => {
    await clock.release();
    try {
      for (let run = runId; ; run = undefined) {
        try {
          return await env.client.withDeadline(Date.now() + RESULT_POLL_MS, () => longPoll(workflowId, run, options));
        } catch (err) {
          if (!isGrpcDeadlineError(err)) throw err;
          process.stderr.write(`[test] no result of ${workflowId} within ${RESULT_POLL_MS / 1000} s: asking its current run\n`);
        }
      }
    } finally {
      await clock.hold();
    }
  };
}

/**
 * The test's hold on the server's clock, released while any result is awaited: the first wait
 * unlocks time skipping, the last one done locks it again. The server holds the test's lock once;
 * an unlock per wait took two results awaited together (Promise.all) below it, into the locks the
 * server keeps for its own tasks, and it failed the next task that released one ("Unbalanced lock
 * and unlock calls"), its clock then running to the workflow's ten-year timeout. The calls go out
 * one after another, so a lock never overtakes the unlock before it.
 */
function heldClock(env: TestWorkflowEnvironment): { release(): Promise<void>; hold(): Promise<void> } {
  const testService = env.connection.testService!;
  let waits = 0;
  let calls = Promise.resolve();
  const inTurn = (call: () => Promise<unknown>) => (calls = calls.then(async () => void (await call())));
  return {
    release: () => (waits++ === 0 ? inTurn(() => testService.unlockTimeSkipping({})) : calls),
    hold: () => (--waits === 0 ? inTurn(() => testService.lockTimeSkipping({})) : calls),
  };
}

export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath,
    failureConverterPath,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
}
