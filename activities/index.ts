// Every activity the worker registers, built from the resources they share.
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger';
import type { CarrierAdapter } from './carriers/adapter';
import { createCarrierActivities } from './carriers';
import { createCarrierSelectionActivities } from './carriers/selection';
import { createInventoryActivities } from './inventory';
import { createNotificationActivities } from './notifications';
import { createOrderActivities } from './orders';
import { createShipmentActivities } from './shipments';

export interface ActivityDeps {
  pool: Pool;
  logger: Logger;
  carriers: CarrierAdapter[];
}

/** The order task queue's activities: records, stock, notifications, choosing carriers. */
export function createActivities({ pool, logger, carriers }: ActivityDeps) {
  return {
    ...createOrderActivities(pool),
    ...createInventoryActivities(pool),
    ...createShipmentActivities(pool),
    ...createCarrierSelectionActivities(carriers, pool),
    ...createNotificationActivities(pool, logger),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** What each carrier's task queue runs: the calls to the carrier. */
export { createCarrierActivities };
export type CarrierActivities = ReturnType<typeof createCarrierActivities>;
