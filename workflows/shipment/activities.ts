// The shipment's activities: PostgreSQL records, each carrier's calls, customer notices.
import { proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { ActivityOptions, Duration } from '@temporalio/common';
import type { Activities, CarrierActivities } from '../../activities';
import { carrierTaskQueue, NOTICE_ACTIVITY_OPTIONS } from '../definitions';

// Short PostgreSQL reads and writes (records, stock, carrier rules) run as local activities on the
// order worker: one marker in the history each instead of three events and a workflow task.
export const records = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: { maximumInterval: '1 minute' } });
export type Records = Pick<typeof records, 'alertOps' | 'recordShipment'>;

/**
 * The same records for a branch that runs beside the parcel's own steps (a void beside the
 * fallback): as activities, whose results come back at the same point live and on replay.
 */
export const besideRecords: Records = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '1 minute' },
});

/**
 * Calls to one carrier, on its own task queue (rate-limited there). Booking and tracking give up
 * after a few tries (the next carrier is tried, the next poll comes); a carrier that fails to
 * quote is left out of this round (quotes are asked again on the next); voiding a label is
 * retried until it is done, except beside a fallback (`voidBeside`), where it gives up after
 * VOID_BESIDE_BOUND and the booking is recorded for reconciliation. With `summaries`, each call
 * reads in the UI's timeline as what it does.
 */
/** How long the void of a failed attempt's booking is retried beside the fallback before ops are asked to reconcile it. */
export const VOID_BESIDE_BOUND = '1 hour';

/**
 * How long a quote may wait, queue included: a carrier whose queue is backlogged (its worker gone,
 * its rate limit far behind) is left out of the round instead of holding every booking up.
 */
export const QUOTE_BOUND = '2 minutes';

export const carrierCalls = (name: string, summaries: boolean, quoteBound: Duration = QUOTE_BOUND) => {
  const taskQueue = carrierTaskQueue(workflowInfo().taskQueue, name);
  const options = (summary: string, retry: ActivityOptions['retry']): ActivityOptions => ({
    taskQueue,
    startToCloseTimeout: '30 seconds',
    retry,
    ...(summaries ? { summary } : {}),
  });
  const fewTries: ActivityOptions['retry'] = { initialInterval: '2 seconds', maximumAttempts: 3 };
  return {
    quote: proxyActivities<CarrierActivities>({
      ...options(`Ask ${name} for a price`, { maximumAttempts: 1 }),
      scheduleToCloseTimeout: quoteBound,
    }).quoteCarrier,
    book: proxyActivities<CarrierActivities>(options(`Book the parcel with ${name}`, fewTries)).bookShipment,
    createReturn: proxyActivities<CarrierActivities>(options(`Book the return with ${name}`, fewTries)).createReturn,
    track: proxyActivities<CarrierActivities>(options(`Ask ${name} for scans`, fewTries)).trackShipment,
    subscribe: proxyActivities<CarrierActivities>(
      options(`Subscribe to ${name}'s pushed scans`, { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 8 }),
    ).subscribeTracking,
    void: proxyActivities<CarrierActivities>(options(`Void the ${name} label`, { maximumInterval: '1 minute' })).cancelBooking,
    voidBeside: proxyActivities<CarrierActivities>({
      ...options(`Void the ${name} booking left by a failed attempt`, { maximumInterval: '1 minute' }),
      scheduleToCloseTimeout: VOID_BESIDE_BOUND,
    }).cancelBooking,
  };
};

/**
 * Quotes from the carriers that price by their contract's tariff (no call to a carrier): one local
 * activity for all of a round's, so they take no workflow task and one marker. Tried once, as a quote is.
 */
export const quotesByContract = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 1 },
}).quotesByContract;

// Notifications never hold a parcel up: they run beside it (Shipment.notify).
export const notifications = proxyActivities<Activities>(NOTICE_ACTIVITY_OPTIONS);
