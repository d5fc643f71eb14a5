// Trendyol (order integration): the connector. The protocol is client.ts, its errors errors.ts, its
// statuses statuses.ts, its packages in our terms adapter.ts; spec/ holds the recipe and the facts of
// the definitions (not vendored: no licence) and README.md the assumptions until tested on stage.
import { z } from 'zod';
import { defineMarketplace } from '../connector';
import { createTrendyolAdapter } from './adapter';
import { createTrendyolClient } from './client';

export { createTrendyolAdapter } from './adapter';
export { createTrendyolClient, type TrendyolClientConfig } from './client';

export const trendyolConnector = defineMarketplace({
  name: 'trendyol',
  displayName: 'Trendyol',
  channel: 'trendyol',
  // getShipmentPackages allows 30 calls a minute on the smallest listing tier (spec/README.md), and
  // both the listing's pages and each taken package's details call it: the queue runs 0.4 activities
  // a second (24 a minute) to leave room, a run reads up to five pages back to back and then one
  // every ten seconds, and at most 60 packages' details.
  pull: { every: '5 minutes', pagesPerRun: 10, pagesAtOnce: 5, pageSpacing: '10 seconds', detailsPerRun: 60, activitiesPerSecond: 0.4 },
  // A parcel labelled is told as Picking; at the carrier's first scan, its tracking number
  // (updateTrackingNumber: from public integrations, not the definition: README.md). Package status
  // and tracking number allow 300 calls a minute each on the smallest tier.
  push: { events: ['shipment.labelled', 'shipment.tracking_updated'], perSecond: 5 },
  // The defaults are the sandbox double's development values (sandbox/marketplaces/trendyol).
  credentials: z.object({
    baseUrl: z.url().default('http://127.0.0.1:4010/trendyol/integration'),
    apiKey: z.string().min(1).default('sandbox-trendyol-api-key'),
    apiSecret: z.string().min(1).default('sandbox-trendyol-api-secret'),
  }),
  accountSettings: z.object({
    /** The seller id (supplier id) of the seller panel's "Entegrasyon Bilgileri": every path carries it. */
    sellerId: z.string().regex(/^\d{1,19}$/, 'must be the numeric seller id'),
    /** The User-Agent's name: the integrator's (alphanumeric, at most 30), or SelfIntegration. */
    integrator: z
      .string()
      .regex(/^[A-Za-z0-9]{1,30}$/, 'must be alphanumeric, at most 30 characters')
      .default('SelfIntegration'),
    /** getShipmentPackages' size: 1-200, Trendyol's default 200. */
    pageSize: z.number().int().min(1).max(200).default(200),
  }),
  orderId: (_account, packageId) => `ty-${packageId}`,
  create: (account, credentials, { timeoutMs }) =>
    createTrendyolAdapter(
      createTrendyolClient({ ...credentials, sellerId: account.settings.sellerId, integrator: account.settings.integrator, timeoutMs }),
      account.settings,
    ),
});
