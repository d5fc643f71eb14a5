// The end-of-day close, started by the Temporal Schedule `handover-close` (workers/handover-schedule.ts)
// every few minutes: closes each warehouse's day for each carrier once its cut-off has passed, and
// reports the parcels no carrier scanned by the next day's cut-off. A run is one activity; the
// schedule skips a run while the previous one is still going.
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { HandoverCloseResult } from '../activities/handovers';

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
  return handovers.closeDueHandovers(input);
}
