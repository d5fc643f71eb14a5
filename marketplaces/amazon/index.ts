// Amazon (Selling Partner API, Orders v0): the connector. The protocol is client.ts, its errors
// errors.ts, its statuses statuses.ts, its orders in our terms adapter.ts; spec/ holds the
// definitions and README.md the assumptions until tested with real credentials.
import { z } from 'zod';
import { defineMarketplace } from '../connector';
import { createAmazonAdapter } from './adapter';
import { createAmazonClient } from './client';

export { createAmazonAdapter } from './adapter';
export { createAmazonClient, type AmazonClientConfig } from './client';

export const amazonConnector = defineMarketplace({
  name: 'amazon',
  displayName: 'Amazon',
  channel: 'amazon',
  // getOrders refills one call a minute with a burst of 20 (spec/README.md): a run every five minutes
  // spends about one; a backlog reads four pages at once, then one a minute, and leaves the rest.
  // getOrderItems and getOrderAddress allow 0.5 calls a second each: one order's details (both) every
  // two seconds, so a run reads at most 100 orders' details (200 s) and leaves the rest to the next.
  pull: { every: '5 minutes', pagesPerRun: 10, pagesAtOnce: 4, pageSpacing: '1 minute', detailsPerRun: 100, activitiesPerSecond: 0.5 },
  // confirmShipment allows 2 a second, with a burst of 10; only the carrier's first scan of a parcel is told.
  push: { events: ['shipment.tracking_updated'], perSecond: 2 },
  // The defaults are the sandbox double's development values (sandbox/marketplaces/amazon).
  credentials: z.object({
    baseUrl: z.url().default('http://127.0.0.1:4010/amazon'),
    lwaUrl: z.url().default('http://127.0.0.1:4010/amazon/auth/o2/token'),
    clientId: z.string().min(1).default('amzn1.application-oa2-client.sandbox'),
    clientSecret: z.string().min(1).default('sandbox-amazon-client-secret'),
    refreshToken: z.string().min(1).default('Atzr|sandbox-amazon-refresh-token'),
  }),
  accountSettings: z.object({
    /** Amazon.com.tr is A33AVAJ2PDY3EV (Amazon's developer docs; not in the model). */
    marketplaceId: z.string().min(1),
    /** getOrders' MaxResultsPerPage: 1-100, Amazon's default 100. */
    pageSize: z.number().int().min(1).max(100).default(100),
  }),
  orderId: (_account, packageId) => `amz-${packageId}`,
  create: (account, credentials, { timeoutMs }) => createAmazonAdapter(createAmazonClient({ ...credentials, timeoutMs }), account.settings),
});
