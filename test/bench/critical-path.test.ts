// A lone order's path to labelled, cut into steps from its two histories (bench/critical-path.ts).
import { temporal } from '@temporalio/proto';
import { meanPath, pathToLabelled } from '../../bench/critical-path';

const T = temporal.api.enums.v1.EventType;
type Event = temporal.api.history.v1.IHistoryEvent;

const at = (eventType: temporal.api.enums.v1.EventType, ms: number, attributes: Partial<Event> = {}): Event => ({
  eventType,
  // The server sends seconds as a Long; a number reads the same.
  eventTime: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 } as unknown as Event['eventTime'],
  ...attributes,
});
const labelledUpsert = (ms: number) =>
  at(T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, ms, {
    upsertWorkflowSearchAttributesEventAttributes: {
      searchAttributes: { indexedFields: { OrderStatus: { data: Buffer.from(JSON.stringify('labelled')) } } },
    },
  });

// The order starts its parcel, which quotes by activity and reports its label; the order's next
// task says labelled. Times in ms from the order's start.
const order = [
  at(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 1_000),
  at(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 1_000),
  at(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, 1_010),
  at(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 1_030),
  at(T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED, 1_030),
  at(T.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED, 1_035),
  at(T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED, 1_200),
  at(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 1_200),
  at(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, 1_215),
  at(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 1_240),
  labelledUpsert(1_240),
];
const parcel = [
  at(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 1_034),
  at(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 1_034),
  at(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, 1_045),
  at(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 1_060),
  at(T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, 1_060),
  at(T.EVENT_TYPE_ACTIVITY_TASK_STARTED, 1_070),
  at(T.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, 1_150),
  at(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 1_150),
  at(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, 1_160),
  at(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 1_190),
  at(T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED, 1_190),
  at(T.EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED, 1_198),
  // After the order's labelled task began: not on the path.
  at(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 1_300),
  at(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, 1_400),
];

test("the two workflows' events on one timeline: each gap goes to the step its later event ends, and the steps add up to the path", () => {
  expect(pathToLabelled(order, parcel)).toEqual({
    totalMs: 215, // to the start of the order's labelled task: where the bench's latency ends
    byStep: { taskWaits: 45, taskRuns: 65, activityWaits: 10, activityRuns: 80, child: 5, signals: 10, other: 0 },
  });
});

test('an order that never said labelled has no path', () => {
  expect(pathToLabelled(order.slice(0, -1), parcel)).toBeUndefined();
});

test('several orders: the mean of each step, and of the whole', () => {
  const one = pathToLabelled(order, parcel)!;
  const slower = { totalMs: 415, byStep: { ...one.byStep, activityRuns: 280 } };
  expect(meanPath([one, slower])).toEqual({ samples: 2, totalMs: 315, byStep: { ...one.byStep, activityRuns: 180 } });
});
