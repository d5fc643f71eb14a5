// Temporal Cloud's billable actions, estimated from workflow histories the way Cloud's own
// estimate does (docs.temporal.io/cloud/actions): what a merchant on Cloud pays per order.
// Queries, activity heartbeats and refused updates leave no event, so they are not counted here
// (Cloud's estimate leaves them out too); the bench's orders make none of the last two.
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

export interface BillableActions {
  total: number;
  /** Actions by what caused them: starts, activities, localActivities, timers, signals, updates, upserts, children. */
  byKind: Record<string, number>;
}

/** The actions of the given runs (an order's and its parcels'), summed. */
export function billableActions(runs: HistoryEvent[][]): BillableActions {
  const byKind: Record<string, number> = {};
  const add = (kind: string, n = 1) => void (n > 0 && (byKind[kind] = (byKind[kind] ?? 0) + n));
  for (const events of runs) {
    let markersInTask = false; // every marker a workflow task records is one action together
    for (const event of events) {
      const [kind, n] = actionOf(event);
      if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) markersInTask = false;
      if (kind === 'localActivities' && markersInTask) continue;
      if (kind === 'localActivities') markersInTask = true;
      if (kind) add(kind, n);
    }
  }
  return { total: Object.values(byKind).reduce((sum, n) => sum + n, 0), byKind };
}

/** What one event costs, by itself. */
function actionOf(event: HistoryEvent): [string | undefined, number] {
  switch (event.eventType) {
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
      const started = event.workflowExecutionStartedEventAttributes;
      // A child's first run was paid for by its parent's start command (below).
      const childsFirstRun = started?.parentWorkflowExecution && !started.continuedExecutionRunId;
      return ['starts', childsFirstRun ? 0 : 1];
    }
    case EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
      return ['children', 2]; // the start, and the child's execution
    case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED:
      return ['activities', event.activityTaskStartedEventAttributes?.attempt || 1]; // each attempt, retries included
    case EventType.EVENT_TYPE_MARKER_RECORDED:
      return ['localActivities', 1];
    case EventType.EVENT_TYPE_TIMER_STARTED:
      return ['timers', 1];
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
      return ['signals', 1]; // counted where it lands: a signal between workflows is sent once
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
      return ['updates', 1];
    case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
      return ['upserts', 1];
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED:
      return ['options', 1];
    default:
      return [undefined, 0];
  }
}
