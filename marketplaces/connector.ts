// What a marketplace connector tells the rest of the engine about itself. Each marketplace folder's
// index.ts exports one; registry.ts lists them, and the workers, the schedules and configuration
// loop over that one list (as carriers/connector.ts does for carriers).
import type { Duration } from '@temporalio/common';
import type { z } from 'zod';
import type { OutboundEventType } from '../domain/webhooks';
import type { MarketplaceAdapter } from './adapter';

/** One connected seller account, as marketplace_accounts holds it. */
export interface MarketplaceAccount {
  accountId: string;
  marketplace: string;
  sellerRef: string;
  /** The connector's account settings (non-secret), as its `accountSettings` reads them. */
  settings: unknown;
}

export interface MarketplaceContext {
  /** Per HTTP call. */
  timeoutMs: number;
}

/** How one account is pulled: by the account's Temporal Schedule, each run a few pages (design section 3). */
export interface PullPlan {
  /** The schedule's interval, e.g. '5 minutes'. */
  every: Duration;
  /** The most pages one run reads; the rest waits for the next run. */
  pagesPerRun: number;
  /** Pages read back to back before each next one waits `pageSpacing` (the marketplace's burst). */
  pagesAtOnce: number;
  pageSpacing: Duration;
  /** The most packages whose details one run reads; the rest wait for the next run. */
  detailsPerRun: number;
  /** Activities a second on the marketplace's queue, across all workers: its per-order limit over the calls one package's details make. */
  activitiesPerSecond: number;
}

/** How the engine's news reaches the marketplace: through the outbox, as a subscriber per account (design section 6). */
export interface PushPlan {
  /**
   * The outbound events the marketplace acts on; the account's subscriber hears only these. At least
   * one: an outbox subscriber with no events hears every event.
   */
  events: [OutboundEventType, ...OutboundEventType[]];
  /** Calls a second one account's pushes make (one dispatcher per account pushes, one call at a time). */
  perSecond: number;
}

export interface MarketplaceConnector<Credentials extends z.ZodObject = z.ZodObject, Settings extends z.ZodObject = z.ZodObject> {
  /** The code used everywhere (account ids, channels, order ids' prefix source): lower-case, stable. */
  readonly name: string;
  readonly displayName: string;
  /** The sales channel of its orders (OrderInput.channel). */
  readonly channel: string;
  readonly pull: PullPlan;
  readonly push: PushPlan;
  /** One account's credentials, from MARKETPLACE_CREDENTIALS under its account id. */
  readonly credentials: Credentials;
  /** One account's non-secret settings (marketplace_accounts.settings). */
  readonly accountSettings: Settings;
  /** The order id of a package: deterministic, so a second start of the same package is a duplicate. */
  orderId(account: MarketplaceAccount, packageId: string): string;
  create(
    account: MarketplaceAccount & { settings: z.infer<Settings> },
    credentials: z.infer<Credentials>,
    context: MarketplaceContext,
  ): MarketplaceAdapter;
}

/** Types a connector's credentials and settings through to its factory. */
export const defineMarketplace = <Credentials extends z.ZodObject, Settings extends z.ZodObject>(
  connector: MarketplaceConnector<Credentials, Settings>,
): MarketplaceConnector<Credentials, Settings> => connector;
