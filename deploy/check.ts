// The operator's pre-flight check (docs/upgrading.md): before a release goes out, replay a sample
// of the workflows running in a live Temporal against the workflow code about to ship. A history
// the new code cannot replay is an order that would be stuck the moment a new worker picks it up.
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { workflowsPath } from '../workers/order-worker';

type History = temporal.api.history.v1.IHistory;

export interface DeployCheckOptions {
  address: string;
  namespace: string;
  /** A visibility query choosing the workflows to check. */
  query: string;
  /** At most this many of them, newest first. */
  sample: number;
  dataConverter: DataConverter;
  /** Progress, one line at a time (the command line writes it to stderr). */
  progress(line: string): void;
}

export interface Incompatible {
  workflowId: string;
  runId: string;
  workflowType: string;
  /** The SDK's words for the first mismatch (which command the history has, which the code gave). */
  error: string;
}

export interface DeployCheckReport {
  checked: number;
  incompatible: Incompatible[];
}

/** A problem with the check itself (address, query, keys), not with the release: exit 2, not 1. */
export class DeployCheckError extends Error {}

export async function checkDeploy(options: DeployCheckOptions, bundle?: WorkflowBundleWithSourceMap): Promise<DeployCheckReport> {
  const connection = await connect(options.address);
  try {
    const client = new Client({ connection, namespace: options.namespace, dataConverter: options.dataConverter });
    const runs = await download(client, options);
    options.progress(`bundling the workflow code about to ship (${workflowsPath})`);
    const workflowBundle = bundle ?? (await bundleWorkflowCode({ workflowsPath, logger: quiet }));
    const incompatible = await replay(runs, workflowBundle, options);
    return { checked: runs.length, incompatible };
  } finally {
    await connection.close();
  }
}

async function connect(address: string): Promise<Connection> {
  try {
    return await Connection.connect({ address, connectTimeout: '5s' });
  } catch (error) {
    throw new DeployCheckError(`cannot reach Temporal at ${address}: ${(error as Error).message}`);
  }
}

interface Run {
  workflowId: string;
  runId: string;
  workflowType: string;
  history: History;
}

async function download(client: Client, options: DeployCheckOptions): Promise<Run[]> {
  const runs: Run[] = [];
  options.progress(`listing workflows matching: ${options.query}`);
  try {
    for await (const execution of client.workflow.list({ query: options.query, pageSize: Math.min(options.sample, 1000) })) {
      if (runs.length >= options.sample) break;
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      runs.push({ workflowId: execution.workflowId, runId: execution.runId, workflowType: execution.type, history });
      if (runs.length % 50 === 0) options.progress(`downloaded ${runs.length} histories`);
    }
  } catch (error) {
    const message = (error as Error).message;
    if (isKeyProblem(message)) throw undecodable('the listed workflows', message);
    throw new DeployCheckError(`cannot list or download workflows (query ${JSON.stringify(options.query)}): ${message}`);
  }
  options.progress(`downloaded ${runs.length} histories`);
  return runs;
}

async function replay(runs: Run[], workflowBundle: WorkflowBundleWithSourceMap, options: DeployCheckOptions): Promise<Incompatible[]> {
  const byId = new Map(runs.map((run) => [`${run.workflowId}/${run.runId}`, run]));
  const histories = runs.map((run) => ({ workflowId: `${run.workflowId}/${run.runId}`, history: run.history }));
  const incompatible: Incompatible[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle, dataConverter: options.dataConverter }, histories)) {
    if (++replayed % 50 === 0) options.progress(`replayed ${replayed} of ${runs.length}`);
    if (!result.error) continue;
    if (isKeyProblem(result.error.message)) throw undecodable(result.workflowId, result.error.message);
    const run = byId.get(result.workflowId)!;
    incompatible.push({
      workflowId: run.workflowId,
      runId: run.runId,
      workflowType: run.workflowType,
      error: firstLine(result.error.message),
    });
  }
  options.progress(`replayed ${replayed} of ${runs.length}`);
  return incompatible;
}

/** The SDK wraps the mismatch in a paragraph; the core's own sentence names the event and command. */
const firstLine = (text: string) => /\[TMPRL1100\] ([^"]+)/.exec(text)?.[1] ?? text.split('\n')[0];

// A payload the keys cannot open says nothing about the release: the check is misconfigured.
const isKeyProblem = (message: string) => /PAYLOAD_KEYS|Unsupported state or unable to authenticate/.test(message);
const undecodable = (what: string, message: string) =>
  new DeployCheckError(`cannot decode the payloads of ${what}: ${message} (set PAYLOAD_KEYS to the keys production uses)`);

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
