// The scheduled end-of-day close (workflows/handover-close.ts): every carrier's day at every
// warehouse whose cut-off has passed is closed into its handover list, and the lists whose next
// cut-off has passed are checked for parcels the carrier never scanned. No carrier the engine books
// with publishes a close or manifest operation (each connector's README says why), so the list is
// ours alone: nothing is sent to the carrier. The same pass asks again for the courier pickups the
// carrier could not book at the day's first label (activities/pickups.ts).
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger';
import { checkAcceptance, closeHandover, dueCloses, notAcceptedMessage } from '../lib/handovers/store';
import type { CarrierAdapter } from '../carriers/adapter';
import { parcelWorkflowIds } from '../lib/parcels';
import { createPickupActivities } from './pickups';

export interface HandoverCloseResult {
  /** The lists this run closed. */
  closed: string[];
  /** Tracking numbers found not accepted by the carrier in this run. */
  notAccepted: string[];
  /** Pickups booked in this run after the carrier had failed them (or a crash cut their booking short). */
  pickupsBooked: string[];
}

/**
 * What the activity tells its workflow besides: each parcel not accepted, for its shipment to show
 * NeedsAttention with why, signalled in the workflow it runs in (lib/parcels.ts; absent from runs
 * recorded before: the shipment's own).
 */
export interface HandoverCloseRun extends HandoverCloseResult {
  parcels: { shipmentId: string; workflowId?: string; message: string }[];
}

export function createHandoverActivities(pool: Pool, logger: Logger, carriers: CarrierAdapter[] = []) {
  const pickups = createPickupActivities(pool, carriers, logger);
  return {
    /** Idempotent: a retry closes nothing twice (each list has its unique key) and checks each list once. */
    async closeDueHandovers({ warehouseIds }: { warehouseIds?: string[] } = {}): Promise<HandoverCloseRun> {
      const closed: string[] = [];
      for (const request of await dueCloses(pool, warehouseIds)) {
        const { handover, created } = await closeHandover(pool, request);
        if (!created) continue;
        closed.push(handover.handoverId);
        logger.info({ handoverId: handover.handoverId, ...request, parcels: handover.totals.parcels }, 'handover closed');
      }
      const notAccepted = await checkAcceptance(pool, warehouseIds);
      for (const { carrier, trackingNumber, warehouseId, handoverId, shipmentId, orderId } of notAccepted) {
        logger.warn(
          { kind: 'not_accepted', carrier, trackingNumber, warehouseId, handoverId, shipmentId, orderId },
          'ops alert: parcel not accepted by the carrier',
        );
      }
      const pickupsBooked = await pickups.retryUnfinished(warehouseIds);
      const workflows = await parcelWorkflowIds(
        pool,
        notAccepted.map((n) => n.shipmentId),
      );
      return {
        closed,
        notAccepted: notAccepted.map((n) => n.trackingNumber),
        pickupsBooked,
        parcels: notAccepted.map((n) => ({
          shipmentId: n.shipmentId,
          workflowId: workflows.get(n.shipmentId),
          message: notAcceptedMessage(n),
        })),
      };
    },
  };
}
