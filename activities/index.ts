// Every activity the worker registers, built from the resources they share.
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger';
import type { CarrierAdapter } from './carriers/adapter';
import { createCarrierActivities } from './carriers';
import { createInventoryActivities } from './inventory';
import { createNotificationActivities } from './notifications';
import { createOrderActivities } from './orders';
import { createShipmentActivities } from './shipments';

export interface ActivityDeps {
  pool: Pool;
  logger: Logger;
  carriers: CarrierAdapter[];
}

export function createActivities({ pool, logger, carriers }: ActivityDeps) {
  return {
    ...createOrderActivities(pool),
    ...createInventoryActivities(pool),
    ...createShipmentActivities(pool),
    ...createCarrierActivities(carriers, pool),
    ...createNotificationActivities(pool, logger),
  };
}

export type Activities = ReturnType<typeof createActivities>;
