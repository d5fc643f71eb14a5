// One subscriber's outbound webhooks, delivered in the order they happened: wait for the outbox
// pump's wake-up → deliver what is pending (retried with backoff) → wait again. When every retry
// has failed the subscriber is paused (NeedsAttention in the UI) and waits for ops to resume it;
// its events stay in the outbox meanwhile, so nothing is lost.
import {
  ActivityFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { outboxWakeSignal, resumeDeliveriesSignal, searchAttributes } from './definitions';

export interface WebhookDispatcherInput {
  subscriberId: string;
  /** Tries of one delivery before the subscriber is paused. */
  maxAttempts: number;
}

/** Events delivered per activity; the history stays short however busy the subscriber is. */
const BATCH = 50;
/** Deliveries handled, or history events, before the history is started afresh. */
const ROUNDS_PER_RUN = 200;
const MAX_HISTORY_EVENTS = 2_000;

const bookkeeping = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds' });

export async function webhookDispatcherWorkflow(input: WebhookDispatcherInput): Promise<void> {
  const { subscriberId, maxAttempts } = input;
  const delivery = proxyActivities<Activities>({
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: maxAttempts },
  });
  let wakeups = 1; // deliver once at start: the pump wakes us because something is pending
  let resumed = false;
  setHandler(outboxWakeSignal, () => void wakeups++);
  setHandler(resumeDeliveriesSignal, () => {
    resumed = true;
    wakeups++;
  });

  for (let round = 0; round < ROUNDS_PER_RUN && workflowInfo().historyLength < MAX_HISTORY_EVENTS; round++) {
    await condition(() => wakeups > 0);
    wakeups = 0;
    try {
      const { more } = await delivery.deliverPending({ subscriberId, max: BATCH });
      if (more) wakeups++;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await bookkeeping.pauseSubscriber({ subscriberId, reason: err.cause?.message ?? err.message });
      await waitForOps();
    }
  }
  await continueAsNew<typeof webhookDispatcherWorkflow>({ subscriberId, maxAttempts });

  async function waitForOps(): Promise<void> {
    upsertSearchAttributes([{ key: searchAttributes.NeedsAttention, value: true }]);
    resumed = false;
    await condition(() => resumed);
    await bookkeeping.resumeSubscriber({ subscriberId });
    upsertSearchAttributes([{ key: searchAttributes.NeedsAttention, value: false }]);
    wakeups = 1;
  }
}
