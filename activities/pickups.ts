// Courier pickups booked without a person (issue 21, item 4): at the day's first label for a carrier
// at a warehouse (activities/carriers' bookShipment), and asked again by the scheduled close's pass
// when the carrier was down or a crash left one half-booked. A pickup never holds a label up or
// fails it: a failure is written on the pickup, logged and raised to ops.
import type { Pool } from 'pg';
import type { CarrierAdapter } from '../carriers/adapter';
import type { Logger } from '../lib/logger';
import { bookClaimed, claimAtLabel, claimUnfinished, raisePickupAlert, type ClaimedPickup } from '../lib/pickups/store';

/** Books a claimed pickup; a failure is on the row already (bookClaimed writes it), here it is logged and ops are alerted. */
async function bookOrAlert(pool: Pool, carrier: CarrierAdapter, claimed: ClaimedPickup, logger: Logger): Promise<boolean> {
  const where = { pickupId: claimed.pickupId, carrier: claimed.carrier, warehouseId: claimed.warehouseId, date: claimed.date };
  try {
    const pickup = await bookClaimed(pool, carrier, claimed);
    logger.info({ ...where, carrierPickupId: pickup.carrierPickupId, origin: pickup.origin }, 'courier pickup scheduled');
    return true;
  } catch (err) {
    const reason = (err as Error).message;
    const retryable = (err as { retryable?: boolean }).retryable === true;
    await raisePickupAlert(pool, claimed, reason).catch(() => false);
    logger.warn({ kind: 'pickup_failed', ...where, retryable, reason }, 'ops alert: courier pickup not booked');
    return false;
  }
}

export function createPickupActivities(pool: Pool, carriers: CarrierAdapter[], logger: Logger) {
  const byName = new Map(carriers.map((c) => [c.name, c]));

  return {
    /**
     * At a label: claims the day's pickup when the carrier offers them and none is claimed yet (the
     * unique key makes it once, however many labels come at once), then books it beside the label,
     * not in its way: the label is back to the workflow at once, and a booking a crash cut short is
     * asked again by the schedule's pass. Never throws.
     */
    async atLabel(carrier: CarrierAdapter, warehouseId: string): Promise<void> {
      try {
        const claimed = await claimAtLabel(pool, carrier, warehouseId);
        if (claimed) void bookOrAlert(pool, carrier, claimed, logger);
      } catch (err) {
        logger.warn({ carrier: carrier.name, warehouseId, err: (err as Error).message }, 'courier pickup not claimed');
      }
    },

    /** The schedule's pass (at these warehouses, or all): pickups failed for a reason that may pass, or left half-booked, for a day not yet past. */
    async retryUnfinished(warehouseIds?: string[]): Promise<string[]> {
      const offering = carriers.filter((c) => c.capabilities.pickups).map((c) => c.name);
      if (offering.length === 0) return [];
      const booked: string[] = [];
      for (const claimed of await claimUnfinished(pool, offering, warehouseIds)) {
        if (await bookOrAlert(pool, byName.get(claimed.carrier)!, claimed, logger)) booked.push(claimed.pickupId);
      }
      return booked;
    },
  };
}

export type PickupActivities = ReturnType<typeof createPickupActivities>;
