// How the chaos run decides that a parcel went to needs_attention "by transient faults alone"
// (issue 16's Done-when): the failure types in the shipment's history, classified as the engine
// classifies them. A real refusal anywhere means a person was rightly called.
import type { temporal } from '@temporalio/proto';
import { onlyTransientFailures } from '../../domain/carrier-failures';
import { failureTypesOf } from '../../chaos/ops';

type Event = temporal.api.history.v1.IHistoryEvent;

const failed = (type?: string): Event => ({
  activityTaskFailedEventAttributes: { failure: { message: 'failed', ...(type ? { applicationFailureInfo: { type } } : {}) } },
});
const timedOut: Event = { activityTaskTimedOutEventAttributes: { failure: { message: 'activity timeout' } } };
const completed: Event = { activityTaskCompletedEventAttributes: {} };

test('5xx, 429, a hang past the timeout and a dropped connection are transient: ops should not have been called', () => {
  const types = failureTypesOf([failed('CarrierUnavailable'), failed('CarrierRateLimited'), timedOut, failed(), completed]);
  expect(types).toEqual(['CarrierUnavailable', 'CarrierRateLimited', 'CarrierTimeout', 'Error']);
  expect(onlyTransientFailures(types)).toBe(true);
});

test('a carrier that refused the parcel, or a malformed answer, makes the case one for a person', () => {
  expect(onlyTransientFailures(failureTypesOf([failed('CarrierUnavailable'), failed('CarrierRefused')]))).toBe(false);
  expect(onlyTransientFailures(failureTypesOf([timedOut, failed('CarrierMalformedResponse')]))).toBe(false);
});

test('a history without any failure is not counted as transient', () => {
  expect(onlyTransientFailures(failureTypesOf([completed]))).toBe(false);
});
