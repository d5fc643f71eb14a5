// Activities scheduled with a heartbeat timeout are kept alive by the worker while they run (the
// customer notices: workflows/definitions.ts NOTICE_ACTIVITY_OPTIONS), on the real dev server.
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { heartbeatWhileRunning } from '../../workers/heartbeats';
import { devServerAddress } from '../helpers/env';
import { uniqueName } from '../helpers/stock';

let connection: Connection;
let nativeConnection: NativeConnection;
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  const address = devServerAddress();
  [connection, nativeConnection] = await Promise.all([Connection.connect({ address }), NativeConnection.connect({ address })]);
  bundle = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'fixtures/slow-call-workflow.ts'),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
});

afterAll(async () => {
  await Promise.all([connection?.close(), nativeConnection?.close()]);
});

/** Runs the slow call (3 s, its heartbeat timeout 1 s) on a worker with these interceptors. */
async function slowCall(interceptors: (typeof heartbeatWhileRunning)[]): Promise<string> {
  const taskQueue = uniqueName('heartbeats');
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: { slowCall: (ms: number) => new Promise<string>((resolve) => setTimeout(() => resolve('answered'), ms)) },
    interceptors: { activity: interceptors },
  });
  const client = new Client({ connection });
  return worker.runUntil(client.workflow.execute('slowCallWorkflow', { taskQueue, workflowId: uniqueName('slow-call'), args: [3_000] }));
}

test('a call slower than its heartbeat timeout completes: the worker heartbeats for it while it runs', async () => {
  expect(await slowCall([heartbeatWhileRunning])).toBe('answered');
});

test('without the heartbeats the same call times out, as a call on a dead worker would', async () => {
  await expect(slowCall([])).rejects.toBeInstanceOf(WorkflowFailedError);
});
