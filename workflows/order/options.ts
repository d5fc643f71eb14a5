// The order workflow's timers, and the defaults the worker starts orders with.
import type { Duration } from '@temporalio/common';
import type { ShipmentTimers } from '../shipment/state';

export interface OrderWorkflowOptions {
  /** How long a delivered order stays open for returns. */
  returnWindow: Duration;
  /** How long a backordered order waits for stock before it is cancelled. */
  backorderTimeout: Duration;
  /** History events before the order continues as new while its parcels travel (tests set small ones). */
  maxHistoryEvents?: number;
  shipment: ShipmentTimers;
}

export const defaultOrderOptions: OrderWorkflowOptions = {
  returnWindow: '14 days',
  backorderTimeout: '7 days',
  maxHistoryEvents: 2_000,
  shipment: {
    pollInterval: '1 hour',
    maxPollInterval: '12 hours',
    lateGrace: '1 day',
    lostAfter: '5 days',
    lostFinalAfter: '30 days',
    packEscalation: '4 hours',
    addressTimeout: '3 days',
    transientRetryWindow: '30 minutes',
    maxHistoryEvents: 2_000,
    returnLabelValidity: '30 days',
    activitySummaries: true,
  },
};
