// Hepsiburada (order integration, "Sipariş Oluşturma Entegrasyonu"): the connector, for
// merchant-shipped packages (we book with our own carriers). The protocol is client.ts, its errors
// errors.ts, its statuses statuses.ts, its packages in our terms adapter.ts; spec/ holds the recipe
// of the definition and README.md the assumptions until tested with real credentials.
import { z } from 'zod';
import { defineMarketplace } from '../connector';
import { createHepsiburadaAdapter } from './adapter';
import { createHepsiburadaClient } from './client';

export { createHepsiburadaAdapter } from './adapter';
export { createHepsiburadaClient, type HepsiburadaClientConfig } from './client';

const AccountSettingsSchema = z.object({
  /** The merchant's id at Hepsiburada (a UUID): Basic's username and every path's {merchantId}. */
  merchantId: z.string().min(1),
  /** The listing's `limit`: at most and by default 10 (the definition). */
  pageSize: z.number().int().min(1).max(10).default(10),
});

export const hepsiburadaConnector = defineMarketplace({
  name: 'hepsiburada',
  displayName: 'Hepsiburada',
  channel: 'hepsiburada',
  // No rate limit is published (spec/README.md): one call a second on the queue (the design's
  // conservative default) until SIT shows the real one; that limit paces pages and addresses alike,
  // so the workflow spaces nothing itself (pagesAtOnce = pagesPerRun). A run every two minutes reads
  // up to 30 pages of 10 packages and 100 orders' addresses; a backlog waits for the next runs.
  pull: { every: '2 minutes', pagesPerRun: 30, pagesAtOnce: 30, pageSpacing: '1 second', detailsPerRun: 100, activitiesPerSecond: 1 },
  // Only the carrier's first scan of a parcel is told (intransit), with a read of the package before it.
  push: { events: ['shipment.tracking_updated'], perSecond: 1 },
  // The defaults are the sandbox double's development values (sandbox/marketplaces/hepsiburada).
  credentials: z.object({
    baseUrl: z.url().default('http://127.0.0.1:4010/hepsiburada'),
    serviceKey: z.string().min(1).default('sandboxkey12'),
    /** The integrator's username at Hepsiburada, sent as User-Agent. */
    userAgent: z.string().min(1).default('sandbox_integrator'),
  }),
  accountSettings: AccountSettingsSchema,
  orderId: (account, packageId) => `hb-${AccountSettingsSchema.parse(account.settings).merchantId}-${packageId}`,
  create: (account, credentials, { timeoutMs }) =>
    createHepsiburadaAdapter(
      createHepsiburadaClient({ ...credentials, merchantId: account.settings.merchantId, timeoutMs }),
      account.settings,
    ),
});
