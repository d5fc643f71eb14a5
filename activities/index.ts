// Every activity the worker registers, built from the resources they share.
import type { Pool } from 'pg';
import type { Logger } from '../lib/logger';
import type { CarrierAdapter } from '../carriers/adapter';
import { createCarrierActivities } from './carriers';
import { createCarrierSelectionActivities } from './carriers/selection';
import { createHandoverActivities } from './handovers';
import { createInventoryActivities } from './inventory';
import { createNotificationActivities, type NotificationChannels } from './notifications';
import { createOrderActivities } from './orders';
import { createShipmentActivities } from './shipments';
import { createWebhookActivities } from './webhooks';
import type { Subscriber } from '../domain/webhooks';
import type { MarketplacePushDeps } from './webhooks/marketplace';

export interface ActivityDeps {
  pool: Pool;
  logger: Logger;
  carriers: CarrierAdapter[];
  /** Email and SMS senders with their templates; without them notifications are recorded as skipped. */
  notifications?: NotificationChannels;
  /** Outbound webhook subscribers (WEBHOOK_SUBSCRIBERS) and the public base URL their tracking links use. */
  webhooks?: { subscribers: Subscriber[]; publicBaseUrl: string };
  /** How marketplace accounts among the subscribers are reached; needed when there are any. */
  marketplaceAdapterOf?: MarketplacePushDeps['adapterOf'];
}

/** The order task queue's activities: records, stock, notifications, webhooks, choosing carriers, end-of-day handovers. */
export function createActivities({
  pool,
  logger,
  carriers,
  notifications,
  webhooks = { subscribers: [], publicBaseUrl: '' },
  marketplaceAdapterOf,
}: ActivityDeps) {
  const carrierCalls = createCarrierActivities(carriers, pool, logger);
  return {
    /** A tariff lookup with no call to the carrier (CarrierCapabilities.pricesByContract): a local activity of the shipment. */
    quoteByContract: (quote: Parameters<typeof carrierCalls.quoteCarrier>[0]) => carrierCalls.quoteCarrier(quote),
    ...createOrderActivities(pool),
    ...createInventoryActivities(pool),
    ...createShipmentActivities(pool),
    ...createCarrierSelectionActivities(carriers, pool),
    ...createNotificationActivities(pool, logger, notifications),
    ...createWebhookActivities(pool, logger, webhooks.subscribers, webhooks.publicBaseUrl, marketplaceAdapterOf),
    ...createHandoverActivities(pool, logger, carriers),
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** What each carrier's task queue runs: the calls to the carrier. */
export { createCarrierActivities };
export type CarrierActivities = ReturnType<typeof createCarrierActivities>;
