// Where a lone order's time goes on its way to `labelled`: the order's and its parcel's events on one
// timeline, each gap between two events put down to the step the later event ends. The two
// workflows overlap now and then (a report and the parcel's next task); cut on one timeline, the
// steps add up to the order's wall time, from its start to the workflow task that says labelled
// (the time the bench's latency ends at: order_status_history holds the workflow's time).
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;

/** The steps, as the report names them. */
export const PATH_STEPS = {
  taskWaits: 'a workflow task waits for the worker to poll it',
  taskRuns: 'the worker runs a workflow task (workflow code and its local activities)',
  activityWaits: 'an activity waits for a worker',
  activityRuns: 'an activity runs (carrier quote and booking)',
  child: "the parcel's workflow starts",
  signals: 'a signal between the two workflows',
  other: 'other (timers, updates, the server between events)',
} as const;

export type PathStep = keyof typeof PATH_STEPS;

export interface PathProfile {
  /** Orders profiled. */
  samples: number;
  /** Mean ms from the order's start to its labelled task. */
  totalMs: number;
  /** Mean ms per step; they add up to totalMs. */
  byStep: Record<PathStep, number>;
}

const STEP_ENDED_BY: [PathStep, number[]][] = [
  ['taskWaits', [T.EVENT_TYPE_WORKFLOW_TASK_STARTED]],
  ['taskRuns', [T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, T.EVENT_TYPE_WORKFLOW_TASK_FAILED, T.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT]],
  ['activityWaits', [T.EVENT_TYPE_ACTIVITY_TASK_STARTED]],
  ['activityRuns', [T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, T.EVENT_TYPE_ACTIVITY_TASK_FAILED, T.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT]],
  [
    'child',
    [
      T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
      T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED,
      T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
    ],
  ],
  [
    'signals',
    [
      T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED,
      T.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED,
      T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED,
    ],
  ],
];

function stepEndedBy(event: HistoryEvent): PathStep {
  return STEP_ENDED_BY.find(([, types]) => types.includes(event.eventType ?? 0))?.[0] ?? 'other';
}

const noSteps = (): Record<PathStep, number> =>
  Object.fromEntries(Object.keys(PATH_STEPS).map((step) => [step, 0])) as Record<PathStep, number>;

/**
 * One order's path: from its start to the start of the workflow task in which it upserted
 * `OrderStatus` labelled. Undefined when the order never did.
 */
export function pathToLabelled(
  order: HistoryEvent[],
  parcel: HistoryEvent[],
): { totalMs: number; byStep: Record<PathStep, number> } | undefined {
  const labelled = order.findIndex((e) => upsertedStatus(e) === 'labelled');
  if (labelled < 0 || order.length === 0) return undefined;
  const taskStart = order
    .slice(0, labelled)
    .reverse()
    .find((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_STARTED);
  const start = millisOf(order[0]);
  const end = millisOf(taskStart ?? order[labelled]);
  const timeline = [...order, ...parcel].filter((e) => millisOf(e) > start && millisOf(e) <= end).sort((a, b) => millisOf(a) - millisOf(b));
  const byStep = noSteps();
  let at = start;
  for (const event of timeline) {
    byStep[stepEndedBy(event)] += millisOf(event) - at;
    at = millisOf(event);
  }
  return { totalMs: end - start, byStep };
}

/** The mean of several orders' paths. */
export function meanPath(paths: { totalMs: number; byStep: Record<PathStep, number> }[]): PathProfile {
  const byStep = noSteps();
  const n = Math.max(paths.length, 1);
  for (const path of paths) for (const step of Object.keys(byStep) as PathStep[]) byStep[step] += path.byStep[step] / n;
  return { samples: paths.length, totalMs: paths.reduce((sum, p) => sum + p.totalMs, 0) / n, byStep };
}

/** The OrderStatus an upsert event set (search attributes are stored as JSON payloads, never encrypted). */
export function upsertedStatus(event: HistoryEvent): string | undefined {
  const data = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.OrderStatus?.data;
  return data ? JSON.parse(Buffer.from(data).toString()) : undefined;
}

export function millisOf(event: HistoryEvent): number {
  const { seconds, nanos } = event.eventTime ?? {};
  return Number(seconds ?? 0) * 1000 + (nanos ?? 0) / 1e6;
}
