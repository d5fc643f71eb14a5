// Billable actions counted from histories as Temporal Cloud's estimate counts them.
import { temporal } from '@temporalio/proto';
import { billableActions } from '../../bench/actions';

const T = temporal.api.enums.v1.EventType;
type Event = temporal.api.history.v1.IHistoryEvent;

const event = (eventType: temporal.api.enums.v1.EventType, attributes: Partial<Event> = {}): Event => ({ eventType, ...attributes });
const task = [T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, T.EVENT_TYPE_WORKFLOW_TASK_STARTED, T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED].map((t) =>
  event(t),
);
const marker = event(T.EVENT_TYPE_MARKER_RECORDED);

test('an order run: its start, one action per workflow task that records markers, a child start counts twice, each activity attempt', () => {
  const order = [
    event(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, { workflowExecutionStartedEventAttributes: {} }),
    ...task,
    marker,
    marker, // the same task's local activities: one action with the first
    event(T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES),
    event(T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED),
    event(T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED),
    ...task,
    marker, // another task's: another action
    event(T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
    event(T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
    ...task,
    event(T.EVENT_TYPE_TIMER_STARTED),
    event(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
    event(T.EVENT_TYPE_ACTIVITY_TASK_STARTED, { activityTaskStartedEventAttributes: { attempt: 3 } }),
    event(T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED),
    event(T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
  ];

  expect(billableActions([order])).toEqual({
    total: 13,
    byKind: { starts: 1, localActivities: 2, upserts: 1, children: 2, signals: 2, timers: 1, activities: 3, updates: 1 },
  });
});

test("a child's first run is paid by its parent's start; a run it continued as new is a start of its own", () => {
  const parent = { workflowId: 'order-1', runId: 'r' };
  const first = [
    event(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, { workflowExecutionStartedEventAttributes: { parentWorkflowExecution: parent } }),
  ];
  const continued = [
    event(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, {
      workflowExecutionStartedEventAttributes: { parentWorkflowExecution: parent, continuedExecutionRunId: 'r1' },
    }),
  ];

  expect(billableActions([first, continued])).toEqual({ total: 1, byKind: { starts: 1 } });
});
