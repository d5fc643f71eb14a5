// Every activity the worker registers, built from the resources they share.
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import { UNCLASSIFIED_FAILURE } from '../domain/carrier-failures';
import type { Quote, ShipmentRequest } from '../domain/shipment';
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

/** A contract-priced carrier's answer: its quote, or why it has none (a carrier failure type, domain/carrier-failures.ts). */
export type ContractQuote = { quote: Quote; failure?: undefined } | { quote?: undefined; failure: string };

/** A failure's type as the workflow would read it from a failed activity; a plain exception is unclassified. */
function failureTypeOf(err: unknown): string {
  return err instanceof ApplicationFailure ? (err.type ?? UNCLASSIFIED_FAILURE) : UNCLASSIFIED_FAILURE;
}

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
    /**
     * Tariff lookups with no call to the carriers (CarrierCapabilities.pricesByContract), every one of
     * a round in one local activity of the shipment: one marker, not one per carrier. A carrier whose
     * tariff cannot price the parcel is answered by its failure's type, as a failed quote would be.
     */
    async quotesByContract({ carriers, request }: { carriers: string[]; request: ShipmentRequest }): Promise<ContractQuote[]> {
      const settled = await Promise.allSettled(carriers.map((carrier) => carrierCalls.quoteCarrier({ carrier, request })));
      return settled.map((s) => (s.status === 'fulfilled' ? { quote: s.value } : { failure: failureTypeOf(s.reason) }));
    },
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
