// One time-skipping environment (Temporal's Java test server, real) and one workflow
// bundle per test file: both are slow to make, and tests in a file share them.
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { TEST_SERVER_SCRIPT } from './env';
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
  return env;
}

export function bundleWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath,
    failureConverterPath,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
}
