// The end-of-day close, started by the Temporal Schedule `handover-close` (workers/handover-schedule.ts)
// every few minutes: closes each warehouse's day for each carrier once its cut-off has passed, and
// reports the parcels no carrier scanned by the next day's cut-off, each to its shipment (NeedsAttention).
// A run is one activity and its signals; the schedule skips a run while the previous one is still going.
import { ApplicationFailure, getExternalWorkflowHandle, patched, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { HandoverCloseResult, HandoverCloseRun } from '../activities/handovers';
import { notAcceptedSignal } from './definitions';
import { PATCHES } from './patches';

export interface HandoverCloseInput {
  /** Only these warehouses (a test, or ops closing one by hand); every warehouse when absent. */
  warehouseIds?: string[];
}

// Retried until PostgreSQL answers again, never failed: the schedule skips its next runs meanwhile,
// and a failed run would only show ops (and the chaos run's check) a red workflow for a day closed later.
const handovers = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function handoverCloseWorkflow(input: HandoverCloseInput = {}): Promise<HandoverCloseResult> {
  const { parcels = [], ...result } = await handovers.closeDueHandovers(input);
  if (parcels.length > 0 && patched(PATCHES.notAcceptedOnParcel)) await Promise.all(parcels.map(flagParcel));
  return result;
}

/** The parcel's shipment shows it; one that has ended since (delivered after all, cancelled) has nothing to show. */
async function flagParcel({ shipmentId, workflowId, message }: HandoverCloseRun['parcels'][number]): Promise<void> {
  try {
    await getExternalWorkflowHandle(workflowId ?? shipmentId).signal(notAcceptedSignal, { message });
  } catch (err) {
    if (!(err instanceof ApplicationFailure && err.type === 'ExternalWorkflowExecutionNotFound')) throw err;
  }
}
