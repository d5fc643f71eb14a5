// Follow tracking: scans arrive by signal (webhooks) or by polling; between them, durable timers
// catch a parcel that misses its promised date or goes silent, and stock moves with the parcel.
import { ActivityFailure, allHandlersFinished, condition, sleep, workflowInfo } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import type { NotificationEvent } from '../../activities/notifications';
import type { Booking, ShipmentView, TrackingEvent } from '../../domain/shipment';
import { isMarketplaceBooking } from '../../domain/booking';
import { handedToCarrier, LOST, shipmentFinished } from '../../domain/statuses';
import {
  alertDue,
  arrivedBack,
  customerHearsOf,
  deadlines,
  heldInCustoms,
  lateAfter,
  mergeScans,
  nextPollInterval,
  stockLeavesNow,
  type Deadlines,
  type TrackingLimits,
} from '../../domain/tracking';
import { PATCHES } from '../patches';
import { records } from './activities';
import { followReassignment, MARKETPLACE_LABEL_CANCELLED } from './marketplace';
import { expireReturnLabel, receiveReturn } from './returns';
import type { Shipment, ShipmentInput, TrackingState } from './state';

const DEFAULT_RETURN_LABEL_VALIDITY = '30 days';
const DEFAULT_LOST_FINAL_AFTER = '30 days';
/** A subscription made this long after tracking began may have missed scans: the carrier is asked for them once. */
const LATE_SUBSCRIPTION_MS = 30_000;

/**
 * A labelled parcel's tracking from now. A carrier that pushes scans is still polled, rarely: webhooks
 * can lag or go missing. A parcel on the marketplace's contract hears of its scans from the pull only.
 */
export async function startTracking(shipment: Shipment, booking: Booking): Promise<TrackingState> {
  const { timers } = shipment.input;
  const since = Date.now();
  if (shipment.contract) return { view: shipment.view, booking, lastScanAt: since, pollEvery: 0, nextPollAt: null, stockShipped: false };
  // A booking that subscribed the parcel itself (UPS) needs neither question: its carrier pushes, and the parcel is subscribed.
  const subscribedByBooking = shipment.lean && booking.trackingSubscribed === true;
  const pushes =
    subscribedByBooking || ((await records.carrierPushesTracking({ carrier: booking.carrier })) && (await subscribed(shipment, booking)));
  const pollEvery = msToNumber(pushes ? timers.maxPollInterval : timers.pollInterval);
  if (pushes && Date.now() - since > LATE_SUBSCRIPTION_MS && shipment.patches.taken(PATCHES.lateSubscriptionCatchesUp)) {
    shipment.inbox.push(...(await pollCarrier(shipment, booking))); // scans made before the subscription are never pushed
  }
  return { view: shipment.view, booking, lastScanAt: Date.now(), pollEvery, nextPollAt: Date.now() + pollEvery, stockShipped: false };
}

/**
 * The parcel subscribed to its carrier's pushed scans, retried through the carrier's faults: a
 * subscription lost to one would leave the parcel polled only 12 hours apart. False when it could
 * not be had: the parcel is then polled like a carrier that never pushes.
 */
async function subscribed(shipment: Shipment, { carrier, trackingNumber }: Booking): Promise<boolean> {
  if (!shipment.patches.taken(PATCHES.trackingSubscribed)) return true; // the booking subscribed, best-effort
  try {
    await shipment.carrier(carrier).subscribe({ carrier, trackingNumber });
    return true;
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return false;
  }
}

/** Until the parcel ends (delivered, returned, cancelled); past the history limit, in a fresh run. */
export async function followTracking(shipment: Shipment, state: TrackingState): Promise<ShipmentView> {
  const { input, view, inbox } = shipment;
  const limits = trackingLimits(input);
  const wake = () =>
    inbox.length > 0 ||
    shipment.pollRequested ||
    shipment.cancellable ||
    shipment.notAccepted !== undefined ||
    shipment.reassigned !== undefined;
  // The history's length as it stood where a signal or a timer woke the run: read after a local
  // activity (a scan's record), it is longer live than in a replay whenever a query came meanwhile.
  const onWakes = shipment.patches.taken(PATCHES.historyReadOnWakes);
  let lengthAtTimer = 0;
  const historyLength = () => (onWakes ? Math.max(shipment.lengthAtLastSignal, lengthAtTimer) : workflowInfo().historyLength);
  while (!shipmentFinished(view.status)) {
    if (historyLength() > input.timers.maxHistoryEvents && nothingPending(shipment)) {
      await shipment.voidsSettled(); // a fresh run would not know of them
      if (!(await quietForNewRun(shipment))) continue;
      await shipment.continueAsNew(state);
    }
    const due = deadlines({ kind: shipment.kind, status: view.status, alert: view.alert }, state, limits);
    const woken =
      due.wakeAt === Infinity ? await condition(wake).then(() => true) : await condition(wake, Math.max(due.wakeAt - Date.now(), 1));
    if (!woken) {
      lengthAtTimer = workflowInfo().historyLength;
      await onTimer(shipment, state, due);
    }
    if (shipment.pollRequested) {
      shipment.pollRequested = false; // ops asked: the carrier is asked now, the schedule stays
      inbox.push(...(await pollCarrier(shipment, state.booking)));
    }
    if (inbox.length === 0 && Date.now() >= due.expiresAt) return expireReturnLabel(shipment, state.booking);
    // A move to another tracking number first: the scans that came with it carry the new one.
    if (shipment.reassigned) await followReassignment(shipment, state);
    // Scans first: a pick-up that arrived with the cancel means the parcel is already gone.
    if (await applyScans(shipment, inbox.splice(0))) state.lastScanAt = Date.now();
    // A cancel that lost to the pick-up is forgotten: an armed one would keep this run from continuing as new.
    if (shipment.cancelRequested && !shipment.cancellable && shipment.patches.taken(PATCHES.lostCancelForgotten))
      shipment.cancelRequested = false;
    if (shipment.cancellable) {
      await shipment.voidLabel(state.booking);
      return shipment.cancel(isMarketplaceBooking(state.booking) ? MARKETPLACE_LABEL_CANCELLED : 'cancelled after labelling: label voided');
    }
    if (shipment.notAccepted !== undefined) await flagNotAccepted(shipment);
    await moveStock(shipment, state);
  }
  return view;
}

/**
 * Whether nothing is left for this run before it continues as new: its notices sent (they are
 * waited for anyway, and signals that come meanwhile would miss the new run's input) and every
 * handler done. False when a scan, a poll or a cancel came in meanwhile: this run handles it first.
 */
async function quietForNewRun(shipment: Shipment): Promise<boolean> {
  if (!keepsSignals(shipment)) return true;
  await shipment.noticesSettled();
  // A lean run continues as new in a task a timer woke, never in one a local activity's result
  // carried on. A query during a scan's record moves the rest of that task's work to a task of its
  // own, live only; when the server refused that task's continue-as-new for a scan that came
  // meanwhile, the replay that followed reached the continue-as-new before the scan and lost it.
  if (shipment.lean) await sleep(1);
  // Inside its order, an update's handler may wait on this parcel (a cancel waits for it to end): what
  // it asked for is pending here, so the wait ends on that too, and the loop handles it first.
  await condition(() => allHandlersFinished() || !nothingPending(shipment));
  return nothingPending(shipment);
}

/**
 * Whether this run holds nothing a new run's input would miss. A poll asked for counts since
 * signals-kept-across-continue-as-new: before it the new run dropped it; with the patch but without
 * this check, a poll asked for while the run waited to continue as new looped here for ever.
 */
function nothingPending(shipment: Shipment): boolean {
  const { inbox, cancelRequested, notAccepted, pollRequested, reassigned } = shipment;
  if (inbox.length > 0 || cancelRequested || notAccepted !== undefined || reassigned !== undefined) return false;
  return !pollRequested || !keepsSignals(shipment);
}

const keepsSignals = (shipment: Shipment) => shipment.patches.taken(PATCHES.signalsKeptAcrossContinueAsNew);

/**
 * The end-of-day check found no carrier scan by the next cut-off: NeedsAttention with why, for ops
 * to call the carrier or find the parcel on the floor. The parcel's first scan clears it (moveTo).
 * Ignored when a scan came meanwhile: the carrier has it after all.
 */
async function flagNotAccepted(shipment: Shipment): Promise<void> {
  const why = shipment.notAccepted;
  shipment.notAccepted = undefined;
  if (handedToCarrier(shipment.view.status)) return;
  await shipment.moveTo(shipment.view.status, why);
}

function trackingLimits({ promisedDeliveryDate, timers }: ShipmentInput): TrackingLimits {
  return {
    lateAt: lateAfter(promisedDeliveryDate, msToNumber(timers.lateGrace)),
    lostAfterMs: msToNumber(timers.lostAfter),
    lostFinalMs: msToNumber(timers.lostFinalAfter ?? DEFAULT_LOST_FINAL_AFTER),
    returnLabelValidityMs: msToNumber(timers.returnLabelValidity ?? DEFAULT_RETURN_LABEL_VALIDITY),
  };
}

/** A timer fired: the scheduled poll (backing off), else the alert that is due. */
async function onTimer(shipment: Shipment, state: TrackingState, due: Deadlines): Promise<void> {
  const { inbox, input } = shipment;
  const now = Date.now();
  if (state.nextPollAt !== null && now >= state.nextPollAt) {
    inbox.push(...(await pollCarrier(shipment, state.booking)));
    state.pollEvery = nextPollInterval(state.pollEvery, msToNumber(input.timers.maxPollInterval));
    state.nextPollAt = now + state.pollEvery;
  }
  if (inbox.length > 0) return; // fresh scans speak for the parcel
  if (now >= due.finalAt && shipment.patches.taken(PATCHES.lostParcelEnds)) return endLost(shipment, state);
  const alert = alertDue(now, due);
  if (alert === 'lost') await raiseAlert(shipment, alert, `no carrier scan since ${new Date(state.lastScanAt).toISOString()}`);
  if (alert === 'delayed') await raiseAlert(shipment, alert, `not delivered by the promised date ${input.promisedDeliveryDate}`);
}

/**
 * Silent past the final deadline after the lost alert: the parcel ends lost, so its order can
 * close. The stock left the shelf with the carrier and stays gone; ops open a claim with the
 * carrier; the customer is told.
 */
async function endLost(shipment: Shipment, state: TrackingState): Promise<void> {
  const { orderId, shipmentId } = shipment.input;
  const { carrier, trackingNumber } = state.booking;
  const silentSince = new Date(state.lastScanAt).toISOString();
  const message = `${carrier} parcel ${trackingNumber}: no scan since ${silentSince}, past the final deadline: open a claim with the carrier`;
  await records.alertOps({ orderId, shipmentId, kind: 'lost_final', message });
  shipment.view.outcome = `lost by the carrier: no scan since ${silentSince}`;
  await shipment.moveTo(LOST, undefined, { tell: ['lost'] });
}

/**
 * A carrier whose tracking is down is asked again at the next poll; the parcel is not failed for it.
 * A parcel on the marketplace's contract is not ours to ask its carrier about: the pull brings its scans.
 */
async function pollCarrier(shipment: Shipment, { carrier: name, trackingNumber }: Booking): Promise<TrackingEvent[]> {
  if (shipment.contract) return [];
  try {
    return await shipment.carrier(name).track({ carrier: name, trackingNumber });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    return [];
  }
}

async function raiseAlert(shipment: Shipment, kind: 'delayed' | 'lost', message: string): Promise<void> {
  const { orderId, shipmentId } = shipment.input;
  shipment.view.alert = kind;
  await records.alertOps({ orderId, shipmentId, kind, message });
  await shipment.publish({ tell: kind === 'delayed' ? ['delayed'] : [] });
}

/** The new scans onto the timeline; the newest scan's status becomes the parcel's. Returns whether any scan was new. */
async function applyScans(shipment: Shipment, scans: TrackingEvent[]): Promise<boolean> {
  const { view } = shipment;
  const timeline = mergeScans(view.events, scans, view.trackingNumber);
  if (!timeline) return false;
  view.events = timeline;
  if (view.alert === 'lost') view.alert = undefined; // heard from again
  const newest = timeline[timeline.length - 1];
  const latest = newest.status;
  const moved = latest !== view.status;
  const scanNews = (): NotificationEvent[] => (moved && customerHearsOf(latest) && !scanOfReturnParcel(shipment) ? [latest] : []);
  // Also when the parcel was already on hold for another reason; not again for older scans filling the
  // timeline in after it (the ledger would drop the notice, but each call is an activity in the history).
  const heldNow = heldInCustoms(newest) && scans.some((scan) => scan.eventId === newest.eventId);
  const customsNews = (): NotificationEvent[] =>
    heldNow && !scanOfReturnParcel(shipment) && shipment.patches.taken(PATCHES.customsHoldNotified) ? ['in_customs'] : [];
  // A lean run queues both with the record. An older run decides and sends each after the record, in
  // the order it always did: a patch may be asked for there first, and its marker must not move.
  const tell = shipment.lean ? [...scanNews(), ...customsNews()] : [];
  if (moved) await shipment.moveTo(latest, undefined, { tell });
  else await shipment.publish({ tell }); // older scans fill the timeline in
  if (!shipment.lean) for (const news of [scanNews, customsNews]) for (const event of news()) shipment.notify(event);
  return true;
}

/** A return parcel's scans are not news to the customer: its label and its arrival back are (returns.ts). */
function scanOfReturnParcel(shipment: Shipment): boolean {
  return shipment.kind === 'return' && shipment.patches.taken(PATCHES.returnScansNotNotified);
}

/** Stock leaves the shelf when the carrier takes the parcel, and comes back with a returned one. */
async function moveStock(shipment: Shipment, state: TrackingState): Promise<void> {
  const {
    kind,
    view,
    input: { orderId, allocation },
  } = shipment;
  const back = arrivedBack(kind, view.status);
  if (stockLeavesNow(kind, view.status, state.stockShipped)) {
    await records.shipStock({ orderId, warehouseId: allocation.warehouseId });
    state.stockShipped = true;
  }
  if (!back) return;
  if (kind === 'outbound') return records.restock({ orderId, warehouseId: allocation.warehouseId });
  await receiveReturn(shipment);
}
