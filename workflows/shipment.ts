// One parcel, from packing to delivery: pack → book a carrier (falling back down the ranked
// quotes, never leaving two live bookings) → label → notify → follow tracking to the end,
// flagging a parcel that is late or has gone silent. Started by the order workflow, one per
// warehouse the order ships from.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ActivityOptions, Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { Activities, CarrierActivities } from '../activities';
import { rankQuotes, type CarrierPolicy } from '../domain/carrier-policy';
import type { Address } from '../domain/order';
import type { NotificationEvent } from '../activities/notifications';
import type { Allocation, Booking, Parcel, Quote, ShipmentRequest, ShipmentStatus, ShipmentView, TrackingEvent } from '../domain/shipment';
import { handedToCarrier } from '../domain/statuses';
import {
  ADDRESS_REJECTED,
  addressCorrectedSignal,
  cancelShipmentSignal,
  carrierTaskQueue,
  NOTICE_ACTIVITY_OPTIONS,
  packedSignal,
  pollTrackingSignal,
  retryBookingSignal,
  searchAttributes,
  shipmentProgressSignal,
  shipmentQuery,
  trackingEventSignal,
} from './definitions';

// Short PostgreSQL reads and writes (records, stock, carrier rules) run as local activities on the
// order worker: one marker in the history each instead of three events and a workflow task.
const records = proxyLocalActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: { maximumInterval: '1 minute' } });

/**
 * Calls to one carrier, on its own task queue (rate-limited there). Booking and tracking give up
 * after a few tries (the next carrier is tried, the next poll comes); a carrier that fails to
 * quote is left out of this round (quotes are asked again on the next); voiding a label is
 * retried until it is done. With `summaries`, each call reads in the UI's timeline as what it does.
 */
const carrier = (name: string, summaries: boolean) => {
  const taskQueue = carrierTaskQueue(workflowInfo().taskQueue, name);
  const options = (summary: string, retry: ActivityOptions['retry']): ActivityOptions => ({ taskQueue, startToCloseTimeout: '30 seconds', retry, ...(summaries ? { summary } : {}) });
  const fewTries: ActivityOptions['retry'] = { initialInterval: '2 seconds', maximumAttempts: 3 };
  return {
    quote: proxyActivities<CarrierActivities>(options(`Ask ${name} for a price`, { maximumAttempts: 1 })).quoteCarrier,
    book: proxyActivities<CarrierActivities>(options(`Book the parcel with ${name}`, fewTries)).bookShipment,
    createReturn: proxyActivities<CarrierActivities>(options(`Book the return with ${name}`, fewTries)).createReturn,
    track: proxyActivities<CarrierActivities>(options(`Ask ${name} for scans`, fewTries)).trackShipment,
    void: proxyActivities<CarrierActivities>(options(`Void the ${name} label`, { maximumInterval: '1 minute' })).cancelBooking,
  };
};
// Notifications never hold a parcel up: they run beside it (notify below).
const notifications = proxyActivities<Activities>(NOTICE_ACTIVITY_OPTIONS);

export interface ShipmentTimers {
  /** First poll of a carrier without push tracking; the interval doubles up to `maxPollInterval`. */
  pollInterval: Duration;
  maxPollInterval: Duration;
  /** After the promised delivery date plus this, an undelivered parcel is flagged delayed. */
  lateGrace: Duration;
  /** With no carrier scan for this long, the parcel is flagged lost. */
  lostAfter: Duration;
  /** A manually packed parcel not packed within this alerts ops (and keeps waiting). */
  packEscalation: Duration;
  /** How long a parcel whose address every carrier rejected waits for a correction before it is cancelled. */
  addressTimeout: Duration;
  /** Past this many history events, tracking continues in a fresh run. */
  maxHistoryEvents: number;
  /** A return label not handed to the carrier within this is voided and the return ends unused. */
  returnLabelValidity?: Duration;
  /** Carrier calls carry a summary for the UI's timeline. Off under the Java time-skipping test server, which stalls on them. */
  activitySummaries?: boolean;
}

const DEFAULT_RETURN_LABEL_VALIDITY = '30 days';

/** Where a continued run picks up. */
interface TrackingState {
  view: ShipmentView;
  booking: Booking;
  lastScanAt: number;
  pollEvery: number;
  /** Null for a carrier that pushes its scans. */
  nextPollAt: number | null;
  stockShipped: boolean;
}

export interface ShipmentInput {
  /** A return parcel is booked with `returnCarrier` from the customer back to the warehouse. */
  kind?: 'outbound' | 'return';
  returnCarrier?: string;
  orderId: string;
  shipmentId: string;
  allocation: Allocation;
  to: Address;
  service: string;
  cashOnDelivery?: ShipmentRequest['cashOnDelivery'];
  preferredCarriers?: string[];
  carrierPolicy?: CarrierPolicy;
  /** The order's sales channel: merchant carrier rules may be per channel. */
  channel?: string;
  promisedDeliveryDate?: string;
  timers: ShipmentTimers;
  resume?: TrackingState;
}

const FINISHED: ShipmentStatus[] = ['delivered', 'returned', 'cancelled'];

export async function shipmentWorkflow(input: ShipmentInput): Promise<ShipmentView> {
  const notices: Promise<void>[] = [];
  try {
    return await followParcel(input, notices);
  } finally {
    await Promise.all(notices); // the customer hears of the last step before the parcel's workflow ends (or continues as new)
  }
}

async function followParcel(input: ShipmentInput, notices: Promise<void>[]): Promise<ShipmentView> {
  const { orderId, shipmentId, allocation, timers } = input;
  const summaries = timers.activitySummaries === true;
  const kind = input.kind ?? 'outbound';
  const view: ShipmentView = input.resume?.view ?? {
    shipmentId, kind, warehouseId: allocation.warehouseId, lines: allocation.lines, status: 'packing', events: [],
  };
  const order = getExternalWorkflowHandle(workflowInfo().parent!.workflowId);
  let cancelRequested = false;
  let retryRequest: { carrier?: string } | undefined;
  let packed: Partial<Parcel> | undefined;
  let correctedAddress: Address | undefined;
  let corrections = 0; // a wait for a correction wakes on a new one only
  const inbox: TrackingEvent[] = [];
  let pollRequested = false;
  let attentionPublished = input.resume !== undefined; // a continued run inherits its search attributes

  setHandler(shipmentQuery, () => view);
  setHandler(cancelShipmentSignal, () => void (cancelRequested = true));
  setHandler(retryBookingSignal, (request) => void (retryRequest = request));
  setHandler(trackingEventSignal, (event) => void inbox.push(event));
  setHandler(packedSignal, (parcel) => void (packed = parcel));
  setHandler(pollTrackingSignal, () => void (pollRequested = true));
  setHandler(addressCorrectedSignal, (address) => {
    correctedAddress = address;
    corrections++;
  });

  const cancellable = () => cancelRequested && !handedToCarrier(view.status);

  async function moveTo(status: ShipmentStatus, attention?: string): Promise<void> {
    const needsAttention = attention !== undefined;
    // Upserted when it changes only (and once at the start, so the query finds every parcel): each upsert is an event.
    if (needsAttention !== (view.attention !== undefined) || !attentionPublished) {
      upsertSearchAttributes([{ key: searchAttributes.NeedsAttention, value: needsAttention }]);
      attentionPublished = true;
    }
    view.status = status;
    view.attention = attention;
    await publish();
  }

  /** The shipment's picture to PostgreSQL and to its order. */
  async function publish(): Promise<void> {
    await records.recordShipment({ orderId, view });
    await order.signal(shipmentProgressSignal, view);
  }

  if (input.resume) return followTracking(input.resume);

  upsertSearchAttributes([{ key: searchAttributes.WarehouseId, value: allocation.warehouseId }]);
  await moveTo('packing');
  const parcel = kind === 'return' ? await records.planParcel(allocation) : await pack();
  if (!parcel) return cancelled('cancelled while packing');
  view.parcel = parcel;
  const request: ShipmentRequest = {
    shipmentId, orderId, warehouseId: allocation.warehouseId, to: correctedAddress ?? input.to, parcel,
    service: input.service, cashOnDelivery: kind === 'return' ? undefined : input.cashOnDelivery,
  };

  const booking = kind === 'return' ? await bookReturn(request) : await bookUntilDoneOrCancelled(request);
  if (!booking) return view; // cancelled: bookUntilDoneOrCancelled said why
  Object.assign(view, { carrier: booking.carrier, trackingNumber: booking.trackingNumber, labelRef: booking.labelRef });
  upsertSearchAttributes([
    { key: searchAttributes.Carrier, value: booking.carrier },
    { key: searchAttributes.TrackingNumber, value: booking.trackingNumber },
  ]);
  await moveTo('labelled');
  notify(kind === 'return' ? 'return_label' : 'shipped');

  // A carrier that pushes scans is still polled, rarely: webhooks can lag or go missing.
  const pushes = await records.carrierPushesTracking({ carrier: booking.carrier });
  const pollEvery = msToNumber(pushes ? timers.maxPollInterval : timers.pollInterval);
  return followTracking({ view, booking, lastScanAt: Date.now(), pollEvery, nextPollAt: Date.now() + pollEvery, stockShipped: false });

  async function cancelled(outcome: string): Promise<ShipmentView> {
    view.outcome = outcome;
    await moveTo('cancelled');
    return view;
  }

  /**
   * The parcel from SKU master data, or, for a warehouse that packs by hand, the WMS's
   * `packed` signal with the real weight; ops are alerted when packing takes too long.
   * Undefined when cancelled first.
   */
  async function pack(): Promise<Parcel | undefined> {
    const planned = await records.planParcel(allocation);
    const { manualPacking } = await records.warehouseSettings({ warehouseId: allocation.warehouseId });
    if (!manualPacking) return planned;
    await moveTo('awaiting_pack');
    const done = () => packed !== undefined || cancelRequested;
    if (!(await condition(done, timers.packEscalation))) {
      const message = `not packed within ${timers.packEscalation}: the WMS must send packed`;
      await records.alertOps({ orderId, shipmentId, kind: 'packing_overdue', message });
      await moveTo('awaiting_pack', message);
      await condition(done);
    }
    return cancelRequested ? undefined : { ...planned, ...packed };
  }

  /**
   * Books with the best carrier that accepts. When every carrier rejects the address, waits for
   * a corrected one (and cancels after the timeout); when they refuse for other reasons, waits
   * for ops. Undefined when the shipment was cancelled instead.
   */
  async function bookUntilDoneOrCancelled(request: ShipmentRequest): Promise<Booking | undefined> {
    for (let round = 1; ; round++) {
      if (cancelRequested) return cancelled('cancelled before booking').then(() => undefined);
      await moveTo('booking');
      if (correctedAddress) request.to = correctedAddress;
      const only = retryRequest?.carrier ? [retryRequest.carrier] : undefined;
      retryRequest = undefined; // a retry that arrives during this round asks for another
      const quotes = await quoteAndRank(request, only);
      const refusals: string[] = [];
      for (const quote of quotes) {
        if (cancelRequested) break;
        const attempt = await tryBooking(request, quote.carrier, `${shipmentId}:${quote.carrier}:${round}`);
        if (typeof attempt !== 'string') return attempt;
        refusals.push(attempt);
      }
      if (cancelRequested) continue;
      if (refusals.length > 0 && refusals.every((type) => type === ADDRESS_REJECTED)) {
        if (!(await awaitCorrectedAddress())) return cancelled('address never corrected').then(() => undefined);
        continue;
      }
      const why = quotes.length === 0 ? 'no carrier can take this parcel' : `every carrier refused (${quotes.map((q) => q.carrier).join(', ')})`;
      if (retryRequest) continue;
      await moveTo('needs_attention', `${why}: send retryBooking, optionally naming a carrier`);
      await condition(() => retryRequest !== undefined || cancelRequested);
    }
  }

  /** Quotes from every eligible carrier, in parallel, ranked by the order's policy; the decision is kept on the shipment. */
  async function quoteAndRank(request: ShipmentRequest, only?: string[]): Promise<Quote[]> {
    const eligible = await records.eligibleCarriers({ request, channel: input.channel, only });
    const settled = await Promise.allSettled(eligible.carriers.map((name) => carrier(name, summaries).quote({ carrier: name, request })));
    const quotes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const preferred = [...(input.preferredCarriers ?? []), ...eligible.preferred];
    const policy = input.carrierPolicy ?? (preferred.length > 0 ? 'preferred' : 'cheapest');
    const today = new Date().toISOString().slice(0, 10); // workflow time: deterministic on replay
    const { ranked, decision } = rankQuotes({ quotes, policy, preferred, promisedBy: input.promisedDeliveryDate, today });
    view.quotes = ranked;
    view.decision = { ...decision, excluded: eligible.excluded };
    return ranked;
  }

  /** One carrier's booking, or the failure's type; a failed attempt's possible booking is cancelled first. */
  async function tryBooking(request: ShipmentRequest, name: string, idempotencyKey: string): Promise<Booking | string> {
    let failure = 'Cancelled';
    try {
      const booking = await carrier(name, summaries).book({ carrier: name, request, idempotencyKey });
      if (!cancelRequested) return booking;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      failure = err.cause instanceof ApplicationFailure ? err.cause.type ?? 'Error' : 'Error';
    }
    // The carrier may have booked even though we saw a failure (response lost): void by key.
    await carrier(name, summaries).void({ carrier: name, idempotencyKey });
    return failure;
  }

  /** A return label from the parcel's carrier; a refusal ends the return as cancelled, with the carrier's reason. */
  async function bookReturn(request: ShipmentRequest): Promise<Booking | undefined> {
    try {
      const name = input.returnCarrier!;
      return await carrier(name, summaries).createReturn({ carrier: name, request, idempotencyKey: `${shipmentId}:return` });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await cancelled(`return label refused: ${err.cause?.message ?? err.message}`);
      return undefined;
    }
  }

  /** The customer (through the OMS) corrects the address; false when the timeout passes first or the parcel is cancelled. */
  async function awaitCorrectedAddress(): Promise<boolean> {
    const seen = corrections;
    await moveTo('address_invalid', 'every carrier rejected the shipping address: correct it with PUT /v1/orders/:orderId/shipping-address');
    notify('address_invalid');
    await condition(() => corrections > seen || cancelRequested, timers.addressTimeout);
    return corrections > seen && !cancelRequested;
  }

  /**
   * Scans arrive by signal (webhooks) or by polling; between them, durable timers catch a
   * parcel that misses its promised date or goes silent. Ends when the parcel does.
   */
  async function followTracking(state: TrackingState): Promise<ShipmentView> {
    const { booking } = state;
    const lateAt = input.promisedDeliveryDate ? Date.parse(`${input.promisedDeliveryDate}T23:59:59Z`) + msToNumber(timers.lateGrace) : Infinity;
    const wake = () => inbox.length > 0 || pollRequested || cancellable();
    while (!FINISHED.includes(view.status)) {
      if (workflowInfo().historyLength > timers.maxHistoryEvents && inbox.length === 0 && !cancelRequested) {
        await continueAsNew<typeof shipmentWorkflow>({ ...input, resume: state });
      }
      // A return label the customer has not used yet is not a lost parcel: it expires instead.
      const unusedReturnLabel = kind === 'return' && !handedToCarrier(view.status);
      const lostAt = view.alert === 'lost' || unusedReturnLabel ? Infinity : state.lastScanAt + msToNumber(timers.lostAfter);
      const expiresAt = unusedReturnLabel ? state.lastScanAt + msToNumber(timers.returnLabelValidity ?? DEFAULT_RETURN_LABEL_VALIDITY) : Infinity;
      const lateDue = view.alert || view.status === 'delivered' ? Infinity : lateAt;
      const wakeAt = Math.min(state.nextPollAt ?? Infinity, lostAt, lateDue, expiresAt);
      const woken = wakeAt === Infinity ? await condition(wake).then(() => true) : await condition(wake, Math.max(wakeAt - Date.now(), 1));
      if (!woken) await onTimer(state, lostAt, lateDue);
      if (pollRequested) {
        pollRequested = false; // ops asked: the carrier is asked now, the schedule stays
        inbox.push(...(await pollCarrier(booking)));
      }
      if (inbox.length === 0 && Date.now() >= expiresAt) {
        await carrier(booking.carrier, summaries).void({ carrier: booking.carrier, idempotencyKey: booking.idempotencyKey });
        return cancelled('the return label expired unused: voided');
      }
      // Scans first: a pick-up that arrived with the cancel means the parcel is already gone.
      if (await applyEvents(inbox.splice(0))) state.lastScanAt = Date.now();
      if (cancellable()) {
        await carrier(booking.carrier, summaries).void({ carrier: booking.carrier, idempotencyKey: booking.idempotencyKey });
        return cancelled('cancelled after labelling: label voided');
      }
      await moveStock(state);
    }
    return view;
  }

  /** Stock leaves the shelf when the carrier takes the parcel, and comes back with a returned one. */
  async function moveStock(state: TrackingState): Promise<void> {
    const arrivedBack = (kind === 'return' && view.status === 'delivered') || (kind === 'outbound' && view.status === 'returned');
    if (kind === 'outbound' && !state.stockShipped && handedToCarrier(view.status)) {
      await records.shipStock({ orderId, warehouseId: allocation.warehouseId });
      state.stockShipped = true;
    }
    if (!arrivedBack) return;
    if (kind === 'outbound') return records.restock({ orderId, warehouseId: allocation.warehouseId });
    // A return parcel holds what the customer sent back: exactly those lines go on the shelf.
    await records.restockReturn({ orderId, warehouseId: allocation.warehouseId, shipmentId, lines: allocation.lines });
    await moveTo('returned');
    notify('return_received');
  }

  async function onTimer(state: TrackingState, lostAt: number, lateDue: number): Promise<void> {
    const now = Date.now();
    if (state.nextPollAt !== null && now >= state.nextPollAt) {
      inbox.push(...(await pollCarrier(state.booking)));
      state.pollEvery = Math.min(state.pollEvery * 2, msToNumber(timers.maxPollInterval));
      state.nextPollAt = now + state.pollEvery;
    }
    if (inbox.length > 0) return; // fresh scans speak for the parcel
    if (now >= lostAt) await raiseAlert('lost', `no carrier scan since ${new Date(state.lastScanAt).toISOString()}`);
    else if (now >= lateDue) await raiseAlert('delayed', `not delivered by the promised date ${input.promisedDeliveryDate}`);
  }

  /** A carrier whose tracking is down is asked again at the next poll; the parcel is not failed for it. */
  async function pollCarrier({ carrier: name, trackingNumber }: Booking): Promise<TrackingEvent[]> {
    try {
      return await carrier(name, summaries).track({ carrier: name, trackingNumber });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      return [];
    }
  }

  async function raiseAlert(kind: 'delayed' | 'lost', message: string): Promise<void> {
    view.alert = kind;
    await records.alertOps({ orderId, shipmentId, kind, message });
    await publish();
    if (kind === 'delayed') notify('delayed');
  }

  /**
   * Duplicates are dropped by event id; the status is the newest scan's, whatever order scans
   * arrive in. Returns whether any scan was new.
   */
  async function applyEvents(events: TrackingEvent[]): Promise<boolean> {
    const known = new Set(view.events.map((e) => e.eventId));
    const fresh = events.filter((e) => e.trackingNumber === view.trackingNumber && !known.has(e.eventId) && known.add(e.eventId));
    if (fresh.length === 0) return false;
    view.events = [...view.events, ...fresh].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    if (view.alert === 'lost') view.alert = undefined; // heard from again
    const latest = view.events[view.events.length - 1].status;
    if (latest === view.status) {
      await publish(); // older scans fill the timeline in
      return true;
    }
    await moveTo(latest);
    if (latest === 'out_for_delivery' || latest === 'delivered' || latest === 'delivery_failed' || latest === 'ready_for_pickup') {
      notify(latest);
    }
    return true;
  }

  /** Tells the customer without holding the parcel up: the notice retries on its own (for minutes, through outages). */
  function notify(event: NotificationEvent): void {
    const notice = notifications.notifyCustomer({ orderId, shipmentId, event, trackingNumber: view.trackingNumber, carrier: view.carrier });
    notices.push(notice.then(
      () => undefined,
      (err) => {
        if (!(err instanceof ActivityFailure)) throw err; // given up: the ledger shows what was not sent
      },
    ));
  }
}
