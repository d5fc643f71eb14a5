// The history corpus (test/histories/, docs/upgrading.md): real histories of every path the workflow
// tests drive, kept from each release so that `npm test` replays them against today's workflow
// code. A change that would break an order still open in production fails here first.
//
// Capturing: `npm run histories:capture` runs the workflow tests with HISTORY_CORPUS_DIR set; each
// test hands its workflows' histories to keepForCorpus, which writes them there as JSON (the format
// `temporal workflow show -o json` writes). Payloads stay encrypted, under the corpus's own
// test-only key (test/histories/payload-keys.txt), so replaying needs nothing from a developer's env.
import { readFileSync, readdirSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import { ROOT } from './env';

type History = temporal.api.history.v1.IHistory;

export const CORPUS_ROOT = path.join(ROOT, 'test', 'histories');
const KEYS_FILE = path.join(CORPUS_ROOT, 'payload-keys.txt');

/** The corpus's payload keys, as PAYLOAD_KEYS/PAYLOAD_KEY_ID take them: one test-only key, committed on purpose. */
export function corpusPayloadKeys(): { PAYLOAD_KEYS: string; PAYLOAD_KEY_ID: string } {
  const keys = readFileSync(KEYS_FILE, 'utf8').trim();
  return { PAYLOAD_KEYS: keys, PAYLOAD_KEY_ID: keys.split(':')[0] };
}

/** How a captured run stood when the test left it: finished, or still open (terminated by the test at that point). */
function ending(history: History): string {
  const last = history.events?.at(-1);
  if (last?.workflowExecutionCompletedEventAttributes) return 'completed';
  if (last?.workflowExecutionContinuedAsNewEventAttributes) return 'continued-as-new';
  if (last?.workflowExecutionFailedEventAttributes) return 'failed';
  return 'open';
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);

/** True while `npm run histories:capture` runs the tests. */
export const capturingCorpus = (): boolean => Boolean(process.env.HISTORY_CORPUS_DIR);

export const isOpen = (history: History): boolean => ending(history) === 'open';

/**
 * When capturing, writes one history to the corpus as <scenario>/<role>.<ending>.json; otherwise
 * does nothing. `role` names the run within its scenario (order, shipment-1, dispatcher, …).
 */
export function keepForCorpus(scenario: string, role: string, history: History): void {
  const dir = process.env.HISTORY_CORPUS_DIR;
  if (!dir) return;
  const scenarioDir = path.join(dir, slug(scenario));
  mkdirSync(scenarioDir, { recursive: true });
  // Compact: the same JSON the CLI writes, without its indentation (half the bytes in git).
  writeFileSync(path.join(scenarioDir, `${role}.${ending(history)}.json`), JSON.stringify(JSON.parse(historyToJSON(history))) + '\n');
}

export interface CorpusEntry {
  /** release/scenario/file, as it should appear in a failure. */
  name: string;
  workflowId: string;
  history: History;
}

function* jsonFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* jsonFiles(full);
    else if (entry.name.endsWith('.json') && entry.name !== 'release.json') yield full;
  }
}

/** Every history of every release in the corpus. */
export function loadCorpus(root = CORPUS_ROOT): CorpusEntry[] {
  if (!existsSync(root)) return [];
  return [...jsonFiles(root)].sort().map((file) => {
    const name = path.relative(root, file);
    return { name, workflowId: name, history: historyFromJSON(JSON.parse(readFileSync(file, 'utf8'))) };
  });
}

/** Every run of a workflow, first to last: a run that continued as new names the one before it. */
export async function everyRun(client: Client, workflowId: string, runId?: string): Promise<History[]> {
  const history = await client.workflow
    .getHandle(workflowId, runId)
    .fetchHistory()
    .catch(() => undefined);
  if (!history) return [];
  const previous = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
  return [...(previous ? await everyRun(client, workflowId, previous) : []), history];
}

/** The patch ids of the history's `patched()` markers, in order (each marker's details hold `{ id }` as plain JSON). */
export function patchMarkers(history: History): string[] {
  return (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
  });
}

/**
 * A history as one line, for a replay failure's message: each event's id and type, with what tells
 * the runs apart (a workflow task's attempt, a signal's name, an update's). Nondeterminism seen once
 * under load must be readable from the CI log alone.
 */
export function outline(history: History): string {
  return (history.events ?? [])
    .map((e) => {
      const type = String(temporal.api.enums.v1.EventType[e.eventType ?? 0]).replace('EVENT_TYPE_', '');
      const detail =
        e.workflowExecutionSignaledEventAttributes?.signalName ??
        e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ??
        ((e.workflowTaskScheduledEventAttributes?.attempt ?? 1) > 1 ? `attempt ${e.workflowTaskScheduledEventAttributes?.attempt}` : '');
      return `${String(e.eventId)} ${type}${detail ? `(${detail})` : ''}`;
    })
    .join(' · ');
}
