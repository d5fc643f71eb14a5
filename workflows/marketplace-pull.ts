// One pull of one marketplace account, started by the account's Temporal Schedule
// (api/marketplace-schedules.ts; overlap SKIP, so one run at a time): pages from the durable
// cursor until the window is read or the run's page budget is spent, the marketplace's burst at
// once and then one page per spacing (Amazon's getOrders refills a call a minute); then the details
// of the packages taken, one activity each (the queue's limit paces them at the marketplace's
// per-order rate); then the orders of what was mapped are started. What a budget leaves waits for
// the next run: the cursor and the packages' states keep it.
import type { RetryPolicy } from '@temporalio/common';
import { ActivityFailure, patched, proxyActivities, sleep, workflowInfo, type ActivityInterfaceFor } from '@temporalio/workflow';
import type { CancelOrdersResult, MarketplaceActivities, PullPageResult, StartOrdersResult } from '../activities/marketplaces';
import { marketplaceTaskQueue, type MarketplacePullInput } from './definitions';

export type { MarketplacePullInput };
import { PATCHES } from './patches';

export interface MarketplacePullResult extends StartOrdersResult {
  /** Orders the marketplace cancelled, asked to cancel here (none when no page showed any). */
  cancels?: CancelOrdersResult;
  pages: number;
  packages: number;
  /** Packages whose details were read this run, and those whose reading failed (retried next run). */
  detailed: number;
  detailsFailed: number;
}

/**
 * Retried with backoff (Amazon's 429 names no Retry-After: the bucket refills meanwhile); refused
 * credentials fail the run after five attempts, and the schedule keeps ticking, so a fixed
 * credential recovers by itself.
 */
const RETRY: RetryPolicy = { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 };

export async function marketplacePullWorkflow(input: MarketplacePullInput): Promise<MarketplacePullResult> {
  const intake = proxyActivities<MarketplaceActivities>({
    taskQueue: marketplaceTaskQueue(workflowInfo().taskQueue, input.marketplace),
    startToCloseTimeout: '2 minutes',
    // The worker heartbeats while each runs (workers/heartbeats.ts): one that dies mid-call is retried
    // after 30 s, not at the end of its 2 minutes, the schedule skipping its ticks meanwhile
    // (test/marketplaces/intake-durability.test.ts).
    heartbeatTimeout: '30 seconds',
    retry: RETRY,
  });
  let pages = 0;
  let packages = 0;
  let cancelsWaiting = 0;
  for (let more = true; more && pages < input.pagesPerRun; pages++) {
    if (pages >= input.pagesAtOnce) await sleep(input.pageSpacing);
    const page = await pullPage(intake, input.accountId);
    packages += page.packages;
    cancelsWaiting = page.cancels ?? 0;
    more = page.more;
  }
  const { detailed, detailsFailed } = await fetchDetails(intake, input);
  const started = await intake.startMarketplaceOrders({ accountId: input.accountId });
  // Asked only when a page showed some: most runs have none, and pay no activity for it.
  if (cancelsWaiting > 0 && patched(PATCHES.marketplaceCancelsFollowed)) {
    const cancels = await intake.cancelMarketplaceOrders({ accountId: input.accountId });
    return { pages, packages, detailed, detailsFailed, ...started, cancels };
  }
  return { pages, packages, detailed, detailsFailed, ...started };
}

/** A page; a page that cannot be read fails the run, counted first so that pulls failing run after run reach ops. */
async function pullPage(intake: ActivityInterfaceFor<MarketplaceActivities>, accountId: string): Promise<PullPageResult> {
  try {
    return await intake.pullMarketplacePage({ accountId });
  } catch (err) {
    if (err instanceof ActivityFailure && patched(PATCHES.pullFailuresCounted))
      await intake.recordPullFailure({ accountId, reason: err.cause?.message ?? err.message });
    throw err;
  }
}

/** One package at a time: a package whose details keep failing (after its retries) holds up no other; the next run asks again. */
async function fetchDetails(intake: ActivityInterfaceFor<MarketplaceActivities>, { accountId, detailsPerRun }: MarketplacePullInput) {
  const packageIds = await intake.packagesToFetch({ accountId, limit: detailsPerRun });
  let detailsFailed = 0;
  for (const packageId of packageIds) {
    try {
      await intake.fetchPackageDetails({ accountId, packageId });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      detailsFailed += 1;
    }
  }
  return { detailed: packageIds.length - detailsFailed, detailsFailed };
}
