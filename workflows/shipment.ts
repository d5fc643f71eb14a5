// One parcel, from packing to delivery: pack → book a carrier (falling back down the ranked
// quotes, never leaving two live bookings) → label → notify → follow tracking to the end.
// Started by the order workflow, one per warehouse the order ships from.
import {
  ActivityFailure,
  condition,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { Activities } from '../activities';
import type { Address } from '../domain/order';
import type { Allocation, Booking, ShipmentRequest, ShipmentStatus, ShipmentView, TrackingEvent } from '../domain/shipment';
import { handedToCarrier } from '../domain/shipment';
import {
  cancelShipmentSignal,
  retryBookingSignal,
  searchAttributes,
  shipmentProgressSignal,
  shipmentQuery,
  trackingEventSignal,
} from './definitions';

const records = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: { maximumInterval: '1 minute' } });
// A carrier that keeps failing is given up after a few tries: the next one is tried instead.
const carriers = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
});
// Notifications never hold a parcel up: a few tries, then the shipment moves on.
const notifications = proxyActivities<Activities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 5 } });

export interface TrackingOptions {
  /** First poll of a carrier without push tracking; the interval doubles up to `maxPollInterval`. */
  pollInterval: Duration;
  maxPollInterval: Duration;
}

export interface ShipmentInput {
  orderId: string;
  shipmentId: string;
  allocation: Allocation;
  to: Address;
  service: string;
  cashOnDelivery?: ShipmentRequest['cashOnDelivery'];
  preferredCarriers?: string[];
  tracking: TrackingOptions;
}

const FINISHED: ShipmentStatus[] = ['delivered', 'returned', 'cancelled'];

export async function shipmentWorkflow(input: ShipmentInput): Promise<ShipmentView> {
  const { orderId, shipmentId, allocation } = input;
  const view: ShipmentView = { shipmentId, warehouseId: allocation.warehouseId, lines: allocation.lines, status: 'packing', events: [] };
  const order = getExternalWorkflowHandle(workflowInfo().parent!.workflowId);
  let cancelRequested = false;
  let retryRequest: { carrier?: string } | undefined;
  const inbox: TrackingEvent[] = [];

  setHandler(shipmentQuery, () => view);
  setHandler(cancelShipmentSignal, () => void (cancelRequested = true));
  setHandler(retryBookingSignal, (request) => void (retryRequest = request));
  setHandler(trackingEventSignal, (event) => void inbox.push(event));

  const cancellable = () => cancelRequested && !handedToCarrier(view.status);

  async function moveTo(status: ShipmentStatus, attention?: string): Promise<void> {
    view.status = status;
    view.attention = attention;
    upsertSearchAttributes([{ key: searchAttributes.NeedsAttention, value: status === 'needs_attention' }]);
    await publish();
  }

  /** The shipment's picture to PostgreSQL and to its order. */
  async function publish(): Promise<void> {
    await records.recordShipment({ orderId, view });
    await order.signal(shipmentProgressSignal, view);
  }

  upsertSearchAttributes([{ key: searchAttributes.WarehouseId, value: allocation.warehouseId }]);
  await moveTo('packing');
  view.parcel = await records.planParcel(allocation);
  const request: ShipmentRequest = {
    shipmentId, orderId, warehouseId: allocation.warehouseId, to: input.to, parcel: view.parcel,
    service: input.service, cashOnDelivery: input.cashOnDelivery,
  };

  const booking = await bookUntilDoneOrCancelled();
  if (!booking) {
    await moveTo('cancelled');
    return view;
  }
  Object.assign(view, { carrier: booking.carrier, trackingNumber: booking.trackingNumber, labelRef: booking.labelRef });
  upsertSearchAttributes([
    { key: searchAttributes.Carrier, value: booking.carrier },
    { key: searchAttributes.TrackingNumber, value: booking.trackingNumber },
  ]);
  await moveTo('labelled');
  await notify('shipped');

  await followTracking(booking);
  return view;

  /** Books with the best carrier that accepts; when all refuse, waits for ops. Undefined when cancelled first. */
  async function bookUntilDoneOrCancelled(): Promise<Booking | undefined> {
    for (let round = 1; ; round++) {
      if (cancelRequested) return undefined;
      await moveTo('booking');
      const only = retryRequest?.carrier ? [retryRequest.carrier] : undefined;
      const quotes = await carriers.quoteCarriers({ request, preferred: input.preferredCarriers, only });
      view.quotes = quotes;
      for (const quote of quotes) {
        if (cancelRequested) return undefined;
        const booking = await tryBooking(quote.carrier, `${shipmentId}:${quote.carrier}:${round}`);
        if (booking) return booking;
      }
      const why = quotes.length === 0 ? 'no carrier can take this parcel' : `every carrier refused (${quotes.map((q) => q.carrier).join(', ')})`;
      retryRequest = undefined;
      await moveTo('needs_attention', `${why}: send retryBooking, optionally naming a carrier`);
      await condition(() => retryRequest !== undefined || cancelRequested);
    }
  }

  /** One carrier's booking; a failed attempt's possible booking is cancelled before the next carrier is tried. */
  async function tryBooking(carrier: string, idempotencyKey: string): Promise<Booking | undefined> {
    try {
      const booking = await carriers.bookShipment({ carrier, request, idempotencyKey });
      if (!cancelRequested) return booking;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
    }
    // The carrier may have booked even though we saw a failure (response lost): void by key.
    await records.cancelBooking({ carrier, idempotencyKey });
    return undefined;
  }

  async function followTracking(booking: Booking): Promise<void> {
    const pushes = await records.carrierPushesTracking({ carrier: booking.carrier });
    let pollEvery: Duration = input.tracking.pollInterval;
    while (!FINISHED.includes(view.status)) {
      const wake = () => inbox.length > 0 || cancellable();
      const woken = pushes ? await condition(wake).then(() => true) : await condition(wake, pollEvery);
      if (cancellable()) {
        await records.cancelBooking({ carrier: booking.carrier, idempotencyKey: booking.idempotencyKey });
        await moveTo('cancelled');
        return;
      }
      if (!woken) {
        inbox.push(...(await carriers.trackShipment({ carrier: booking.carrier, trackingNumber: booking.trackingNumber })));
        pollEvery = doubled(pollEvery, input.tracking.maxPollInterval);
      }
      await applyEvents(inbox.splice(0));
    }
  }

  /** Duplicates are dropped by event id; the status is the newest scan's, whatever order scans arrive in. */
  async function applyEvents(events: TrackingEvent[]): Promise<void> {
    const known = new Set(view.events.map((e) => e.eventId));
    const fresh = events.filter((e) => e.trackingNumber === view.trackingNumber && !known.has(e.eventId) && known.add(e.eventId));
    if (fresh.length === 0) return;
    view.events = [...view.events, ...fresh].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    const latest = view.events[view.events.length - 1].status;
    if (latest === view.status) return publish(); // older scans fill the timeline in
    await moveTo(latest);
    if (latest === 'out_for_delivery' || latest === 'delivered' || latest === 'delivery_failed' || latest === 'ready_for_pickup') {
      await notify(latest);
    }
  }

  async function notify(event: 'shipped' | 'out_for_delivery' | 'delivered' | 'delivery_failed' | 'ready_for_pickup'): Promise<void> {
    try {
      await notifications.notifyCustomer({ orderId, shipmentId, event, trackingNumber: view.trackingNumber, carrier: view.carrier });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err; // the parcel moves on; the ledger shows what was not sent
    }
  }
}

function doubled(interval: Duration, max: Duration): number {
  return Math.min(msToNumber(interval) * 2, msToNumber(max));
}
