// One subscriber's outbound webhooks, delivered in the order they happened: wait for the outbox
// pump's wake-up → deliver what is pending (retried with backoff) → wait again. When every retry
// has failed the subscriber is paused (NeedsAttention in the UI) and waits for ops to resume it;
// its events stay in the outbox meanwhile, so nothing is lost. The history stays bounded in every
// state: past a number of rounds or events the run continues as new, carrying a pause and any
// pending wake-up, so a subscriber paused for days is not killed by the pump's wake-ups.
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { outboxWakeSignal, resumeDeliveriesSignal, searchAttributes } from './definitions';
import { PATCHES } from './patches';

export interface DispatcherLimits {
  /** Delivery rounds before the history is started afresh. */
  roundsPerRun: number;
  /** History events before the history is started afresh, paused or not. */
  maxHistoryEvents: number;
}

export const DEFAULT_DISPATCHER_LIMITS: DispatcherLimits = { roundsPerRun: 200, maxHistoryEvents: 2_000 };

export interface WebhookDispatcherInput {
  subscriberId: string;
  /** Tries of one delivery before the subscriber is paused. */
  maxAttempts: number;
  /** The defaults unless given (tests set small ones). */
  limits?: Partial<DispatcherLimits>;
  /** Set by continue-as-new: the previous run was waiting for ops, and so does this one. */
  paused?: boolean;
  /** Set by continue-as-new: wake-ups the previous run had not handled (a first run delivers once). */
  pendingWakeups?: number;
}

/** Events delivered per activity; the history stays short however busy the subscriber is. */
const BATCH = 50;

const bookkeeping = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds' });

const setNeedsAttention = (value: boolean) => upsertSearchAttributes([{ key: searchAttributes.NeedsAttention, value }]);

export async function webhookDispatcherWorkflow(input: WebhookDispatcherInput): Promise<void> {
  const { subscriberId, maxAttempts } = input;
  const limits = { ...DEFAULT_DISPATCHER_LIMITS, ...input.limits };
  const delivery = proxyActivities<Activities>({
    startToCloseTimeout: '5 minutes',
    heartbeatTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: maxAttempts },
  });
  let wakeups = input.pendingWakeups ?? 1; // a first run delivers at once: the pump wakes us because something is pending
  let resumed = false;
  setHandler(outboxWakeSignal, () => void wakeups++);
  setHandler(resumeDeliveriesSignal, () => {
    resumed = true;
    wakeups++;
  });
  const historyFull = () => workflowInfo().historyLength >= limits.maxHistoryEvents;

  if (input.paused && !(await waitForOps())) return continueAsNewWith(true);
  for (let round = 0; round < limits.roundsPerRun && !historyFull(); round++) {
    await condition(() => wakeups > 0);
    wakeups = 0;
    try {
      const { more } = await delivery.deliverPending({ subscriberId, max: BATCH });
      if (more) wakeups++;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await pause(err.cause?.message ?? err.message);
      if (!(await waitForOps())) return continueAsNewWith(true);
    }
  }
  return continueAsNewWith(false);

  /**
   * Records the pause. The attribute goes first, so whoever sees the pause in PostgreSQL finds it
   * in the UI too, and a resume sent from then on counts (the old path forgot one that came
   * while the pause was being recorded).
   */
  async function pause(reason: string): Promise<void> {
    const attributeFirst = patched(PATCHES.pausedDispatcherBounded);
    if (attributeFirst) {
      setNeedsAttention(true);
      resumed = false;
    }
    await bookkeeping.pauseSubscriber({ subscriberId, reason });
    if (attributeFirst) return;
    setNeedsAttention(true);
    resumed = false;
  }

  /** Waits for ops to resume the subscriber: true once resumed, false when the history filled first. */
  async function waitForOps(): Promise<boolean> {
    await condition(() => resumed || historyFull());
    // A run paused before the patch replays its old wait; its first new wake-up takes the patch.
    while (!resumed) {
      if (patched(PATCHES.pausedDispatcherBounded)) return false;
      const seen = wakeups;
      await condition(() => resumed || wakeups > seen);
    }
    await bookkeeping.resumeSubscriber({ subscriberId });
    setNeedsAttention(false);
    wakeups = 1;
    return true;
  }

  /** Starts the history afresh once every signal handler has run; a pause keeps NeedsAttention set. */
  async function continueAsNewWith(paused: boolean): Promise<never> {
    await condition(allHandlersFinished);
    const next: WebhookDispatcherInput = { subscriberId, maxAttempts, limits: input.limits, pendingWakeups: wakeups };
    if (!paused) return makeContinueAsNewFunc<typeof webhookDispatcherWorkflow>()(next);
    const attention = { typedSearchAttributes: [{ key: searchAttributes.NeedsAttention, value: true }] };
    return makeContinueAsNewFunc<typeof webhookDispatcherWorkflow>(attention)({ ...next, paused });
  }
}
