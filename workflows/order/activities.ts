// The order's activities: PostgreSQL records and stock, and the customer's last word.
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { NOTICE_ACTIVITY_OPTIONS } from '../definitions';

// Short PostgreSQL writes run as local activities on this worker: one marker in the history instead
// of an activity's three events and the workflow task that follows (docs/performance.md).
export const { recordOrder, recordRejectedOrder, recordStatus, allocateStock, releaseStock } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// The last word to the customer (cancelled) rides out a provider or database outage, then the order ends anyway.
export const { notifyCustomer } = proxyActivities<Activities>(NOTICE_ACTIVITY_OPTIONS);
