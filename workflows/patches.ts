// Every patch in the workflow code, one line each (docs/upgrading.md, "The patch lifecycle").
// A behaviour change that would alter the commands of an order already open goes behind
// patched(id): orders started before the release keep the old path on replay, new ones take the
// new path. Each entry says when it landed and when its old path can go: once no order started
// before that release can still be open (an order lives until its return window closes, plus the
// return parcel's journey), deprecatePatch(id) replaces patched(id), and a release later both go.
import { patched } from '@temporalio/workflow';

export const PATCHES = {
  /**
   * Landed in 0.2.0 (issue 16, defect 4): a cancel that lost to the pick-up scan is forgotten, so
   * a later return is not cancelled by it and the parcel can continue as new again. Old path
   * removable once no order started under 0.1.x is open.
   */
  lostCancelForgotten: 'lost-cancel-forgotten',
  /**
   * Landed in 0.2.0 (issue 16, defect 6): the void of a failed booking attempt runs beside the
   * next carrier's booking, bounded, instead of holding the fallback until the failed carrier
   * answers. Old path removable once no order started under 0.1.x is open.
   */
  voidBesideFallback: 'void-beside-fallback',
  /**
   * Landed in 0.2.0 (issue 16, defect 10): a booking round whose every failure was transient is
   * asked again, backing off, for the transient window before needs_attention. Old path
   * removable once no order started under 0.1.x is open.
   */
  transientFaultsRetried: 'transient-faults-retried',
  /**
   * Landed in 0.2.0 (issue 16, defect 3): a parcel flagged lost that stays silent past the final
   * deadline ends lost instead of being polled for ever. Old path removable once no order started
   * under 0.1.x is open.
   */
  lostParcelEnds: 'lost-parcel-ends',
  /**
   * Landed in 0.2.x (issue 16, defect 7): a paused webhook dispatcher continues as new when its
   * history is full, still paused (its wake-ups had grown the history without bound), and sets
   * NeedsAttention before recording the pause. Old path removable once every dispatcher has
   * continued as new under this release (a dispatcher never ends; a paused one takes the patch at
   * its next wake-up, a running one at its next continue-as-new).
   */
  pausedDispatcherBounded: 'paused-dispatcher-bounded',
  /**
   * Landed in 0.2.x (issue 16, defect 6's replay fault): a void beside the fallback that fails is
   * recorded by activities, not local activities, since it runs beside the parcel's own steps.
   * Old path removable once no order started under 0.2.0 is open.
   */
  unvoidedRecordedByActivities: 'unvoided-recorded-by-activities',
  /**
   * Landed in 0.2.x (issue 16, the 1,000-order chaos run's lost UPS parcels): a parcel of a carrier
   * that pushes scans is subscribed by a retried activity when tracking starts, and polled at the
   * short interval when that fails. Old path removable once no order started under 0.2.0 is open.
   */
  trackingSubscribed: 'tracking-subscribed',
  /**
   * Landed in 0.2.x (issue 16, defect 5): an address corrected while a carrier was booking voids
   * that booking (to the old address) and books again to the new one. Old path removable once no
   * order started under 0.2.0 is open.
   */
  correctionRebooks: 'correction-rebooks',
  /**
   * Landed in 0.2.x (issue 16, defect 11): a return booking that failed is voided by its key beside
   * the cancel, since the carrier may have issued the label though its answer was lost. Old path
   * removable once no order started under 0.2.0 is open.
   */
  failedReturnVoided: 'failed-return-voided',
  /**
   * Landed in 0.2.x (issue 16, defect 11): a parcel tells its order what changed (shipmentChanged:
   * its picture without the timeline, and the new scans) instead of the whole picture each time, so
   * history grows by each scan once. Old path removable once no order started under 0.2.0 is open;
   * the order's shipmentProgress handler goes with it.
   */
  progressCarriesChanges: 'progress-carries-changes',
  /**
   * Landed in 0.2.x (issue 18, finding 9): an order whose record the database refuses (a data
   * error, now non-retryable) ends rejected naming the field, flagged NeedsAttention, instead of
   * failing. On the old path (an order started before, still retrying its record) the refusal,
   * no longer retried, fails the workflow: find those with ExecutionStatus = "Failed". Old path
   * removable once no order started under 0.2.0 is open.
   */
  dataRefusedRejects: 'data-refused-rejects',
  /**
   * Landed in 0.2.x (issue 16, defects 2 and 9): an order's shipment children are started with
   * parentClosePolicy and cancellationType ABANDON, so they outlive the order's run; only such an
   * order continues as new when its history fills while its parcels travel. Checked once, at the
   * first parcel's start. Old path removable once no order started under 0.2.0 is open.
   */
  childrenOutliveRun: 'children-outlive-run',
  /**
   * Landed in 0.2.x (issue 16, defect 2): a Temporal cancel of an order (UI or CLI) is undone as
   * POST /cancel undoes it (parcels called back, stock released, customer told), or refused once a
   * parcel is with the carrier; the order ended cancelled by Temporal with nothing undone before.
   * Never taken by an order whose parcels started before children-outlive-run. Old path removable
   * once no order started under 0.2.0 is open.
   */
  temporalCancelUndone: 'temporal-cancel-undone',
  /**
   * Landed in 0.2.x (issue 16, defect 9, the shipment's side): before continuing as new a parcel
   * waits for its notices and handlers, and a scan, poll or cancel that came meanwhile is handled in
   * this run instead of being left out of the new run's input. Old path removable once no order
   * started under 0.2.0 is open.
   */
  signalsKeptAcrossContinueAsNew: 'signals-kept-across-continue-as-new',
  /**
   * Landed in 0.2.x (issue 26): a return parcel's scans no longer notify the customer ("out for
   * delivery", "delivered, rate it" for a parcel on its way back); its label and arrival still do.
   * Old path removable once no order started under 0.2.0 is open.
   */
  returnScansNotNotified: 'return-scans-not-notified',
  /**
   * Landed in 0.2.x (issue 16, the 1,000-order chaos run: a lost UPS parcel): a carrier pushes only
   * the scans made after a subscription, so a parcel subscribed late (its carrier or our worker down
   * meanwhile) asks the carrier once for what it missed instead of waiting for the 12-hour poll.
   * Old path removable once no order started under 0.2.0 is open.
   */
  lateSubscriptionCatchesUp: 'late-subscription-catches-up',
  /**
   * Landed in 0.2.x (issue 21, item 3): the end-of-day check signals each parcel it finds not
   * accepted by the carrier, which then shows NeedsAttention until its first scan; before, only an
   * ops alert was raised. Old path removable once no handover-close run started under 0.2.0 is open
   * (runs last seconds).
   */
  notAcceptedOnParcel: 'not-accepted-on-parcel',
  /**
   * Landed in 0.2.x (issue 25): a scan saying customs hold the parcel (on_hold with the customs
   * reason) tells the customer "in customs", once per parcel (the notification ledger). Old path
   * removable once no order started under 0.2.0 is open.
   */
  customsHoldNotified: 'customs-hold-notified',
  /**
   * Landed in 0.2.x (issue 16, the replay fault "No command scheduled for event …
   * WorkflowExecutionContinuedAsNew"): an order following its parcels continues as new only once
   * an event woke it (a parcel's signal, a child's end), never because the history's length alone
   * reached the limit during a refused update's workflow task, which replay never sees. Old path
   * removable once no order started under 0.2.0 is open.
   */
  continueAsNewOnEvents: 'continue-as-new-on-events',
  /**
   * Landed in 0.2.x (issue 16, the replay fault of stop 33): a parcel decides to continue as new
   * on the history's length read where a signal or a timer woke it, never once a local activity is
   * done (a query during one moves the rest of the work to a new workflow task, live only). Old
   * path removable once no parcel started under 0.2.0 is open.
   */
  historyReadOnWakes: 'history-read-on-wakes',
  /**
   * Landed in 0.2.x (issue 16, the replay fault of stop 33): a run takes its workflow's patches in
   * its first workflow task (takePatchesAtStart). Old path (each patch taken where the code first
   * asks) removable once no order started under 0.2.0 is open.
   */
  patchesAtRunStart: 'patches-at-run-start',
  /**
   * Landed in 0.2.x (issue 20): a marketplace pull whose page cannot be read records the failure
   * (an ops alert from the third in a row) before it fails. Old path removable a release later: a
   * pull run lives minutes.
   */
  pullFailuresCounted: 'pull-failures-counted',
  /**
   * Landed in 0.2.x (issue 20): a pull whose pages show started orders the marketplace cancelled
   * cancels them here. Old path removable a release later: a pull run lives minutes.
   */
  marketplaceCancelsFollowed: 'marketplace-cancels-followed',
  /**
   * Landed in 0.2.x (issue 20): a parcel on a marketplace's own carrier contract takes the
   * marketplace's carrier, number and label instead of booking ours. Asked only by such parcels, in
   * their first task (Shipment's constructor): a parcel an older worker began on our carriers during
   * a deploy's ramp keeps that path when a new worker replays it. Old path removable once no worker
   * of a release before it runs.
   */
  marketplaceContract: 'marketplace-contract',
  /**
   * Landed in 0.3.0 (issue 24): every patch of the order and its parcels, taken as one. Each patch
   * a run takes costs it a marker and an upsert of the SDK's TemporalChangeVersion search attribute
   * (two events, one billable action): the 20 patches above were 40 events and 20 actions an order.
   * A run started on this release records this one patch and takes every other (RunPatches); a run
   * recorded before it has no such marker and replays each patch by its own, as before. Removable
   * with the last patch it stands for.
   */
  everyPatchOf03: 'every-patch-of-0.3',
  /**
   * Landed in 0.3.0 (issue 24, half the cost): a parcel reports to its order only what the order
   * needs (its status moving to another order status, attention, alerts, its label; never its
   * packing, its booking or a scan within the same status: the API reads those from PostgreSQL),
   * starts with its search attributes set, and quotes by local activities; an order records the
   * statuses it passes within one workflow task without upserting each. Taken by runs of 0.3 as
   * part of everyPatchOf03. Old path removable once no order started under 0.2 is open.
   */
  halfTheCost: 'half-the-cost',
} as const;

type PatchId = (typeof PATCHES)[keyof typeof PATCHES];

/** The patches the order's own code asks for (not its parcels'). */
export const ORDER_PATCHES: readonly PatchId[] = [
  PATCHES.halfTheCost,
  PATCHES.dataRefusedRejects,
  PATCHES.childrenOutliveRun,
  PATCHES.continueAsNewOnEvents,
  PATCHES.lostCancelForgotten,
  PATCHES.temporalCancelUndone,
];

/** The patches a parcel's code asks for. */
export const SHIPMENT_PATCHES: readonly PatchId[] = [
  PATCHES.halfTheCost,
  PATCHES.lostCancelForgotten,
  PATCHES.voidBesideFallback,
  PATCHES.transientFaultsRetried,
  PATCHES.correctionRebooks,
  PATCHES.failedReturnVoided,
  PATCHES.progressCarriesChanges,
  PATCHES.trackingSubscribed,
  PATCHES.lateSubscriptionCatchesUp,
  PATCHES.signalsKeptAcrossContinueAsNew,
  PATCHES.lostParcelEnds,
  PATCHES.customsHoldNotified,
  PATCHES.returnScansNotNotified,
  PATCHES.unvoidedRecordedByActivities,
  PATCHES.historyReadOnWakes,
];

/** The patches only a parcel on a marketplace's contract asks for, in its first task (workflows/shipment/state.ts). */
export const CONTRACT_PATCHES: readonly PatchId[] = [PATCHES.marketplaceContract];

/**
 * What everyPatchOf03 stands for: the order's and its parcels' patches as of 0.3.0. Frozen: a patch
 * of a later release is not in it (a 0.3 run took its old path), and is asked by its own marker.
 */
const EVERY_PATCH_OF_03: ReadonlySet<PatchId> = new Set([
  PATCHES.lostCancelForgotten,
  PATCHES.voidBesideFallback,
  PATCHES.transientFaultsRetried,
  PATCHES.lostParcelEnds,
  PATCHES.unvoidedRecordedByActivities,
  PATCHES.trackingSubscribed,
  PATCHES.correctionRebooks,
  PATCHES.failedReturnVoided,
  PATCHES.progressCarriesChanges,
  PATCHES.dataRefusedRejects,
  PATCHES.childrenOutliveRun,
  PATCHES.temporalCancelUndone,
  PATCHES.signalsKeptAcrossContinueAsNew,
  PATCHES.returnScansNotNotified,
  PATCHES.lateSubscriptionCatchesUp,
  PATCHES.customsHoldNotified,
  PATCHES.continueAsNewOnEvents,
  PATCHES.historyReadOnWakes,
  PATCHES.patchesAtRunStart,
  PATCHES.marketplaceContract,
  PATCHES.halfTheCost,
]);

/**
 * The patches of one run, as its first task decided them. A run that took everyPatchOf03 there
 * takes every patch without a marker of its own; any other run asks patched(id), as it always did.
 * Order and shipment code asks `taken`, never patched(), so a run of this release records one
 * patch marker in all. The bundle is asked at the start only: asked first wherever the code asks
 * for a patch, it would land in an older run going on live after a local activity (the trap above).
 */
export class RunPatches {
  constructor(private readonly bundled: boolean) {}

  taken(id: PatchId): boolean {
    return (this.bundled && EVERY_PATCH_OF_03.has(id)) || patched(id);
  }
}

/**
 * Takes `ids` at the start of a run, before any local activity: a run of this release takes them
 * all by one marker (everyPatchOf03). When a query comes while a local
 * activity runs, the worker answers it and hands the activity's result on in a new workflow task;
 * a replay resolves it in the task before. A patch first asked for after that result finds its
 * marker a task later than the replay looks for it, and the replay fails (the SDK's lookahead
 * covers one task). Taken at the start, each patch is decided once per run where nothing can move
 * it. Runs recorded before this patch keep their markers where they are, and their old path.
 */
export function takePatchesAtStart(ids: readonly PatchId[]): RunPatches {
  if (patched(PATCHES.everyPatchOf03)) return new RunPatches(true);
  if (patched(PATCHES.patchesAtRunStart)) for (const id of ids) patched(id);
  return new RunPatches(false);
}
