// Names shared by the workflows, the worker and the API: task queue, workflow ids,
// search attributes, signals, updates and queries. Defined once here so no caller
// repeats them as strings.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType, type ActivityOptions, type Duration } from '@temporalio/common';
import type { Address, OrderStatus, OrderView, ReturnLabel, ReturnRequest } from '../domain/order';
import type { MarketplaceShipping, Parcel, ShipmentView, TrackingEvent } from '../domain/shipment';

export const ORDER_TASK_QUEUE = 'orders';

/**
 * Each carrier's calls run on their own task queue beside the order queue (orders.carrier.ups),
 * so the carrier's API rate limit holds across every worker (maxTaskQueueActivitiesPerSecond).
 */
export function carrierTaskQueue(orderTaskQueue: string, carrier: string): string {
  return `${orderTaskQueue}.carrier.${carrier}`;
}

/** Each marketplace's calls run on their own queue beside the order queue (orders.marketplace.amazon). */
export function marketplaceTaskQueue(orderTaskQueue: string, marketplace: string): string {
  return `${orderTaskQueue}.marketplace.${marketplace}`;
}

/** One pull schedule per connected account; each run's workflow id is the schedule's id (docs/design/marketplaces.md section 3). */
export function marketplacePullScheduleId(accountId: string): string {
  return `marketplace-pull-${accountId}`;
}

/** One pull of one account (workflows/marketplace-pull.ts), as its schedule starts it. */
export interface MarketplacePullInput {
  accountId: string;
  marketplace: string;
  /** The connector's pull plan (marketplaces/connector.ts PullPlan), fixed when the schedule was made. */
  pagesPerRun: number;
  pagesAtOnce: number;
  pageSpacing: Duration;
  detailsPerRun: number;
}

export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

/** The n-th parcel of an order (from 1): each is tracked by its own child workflow. */
export function shipmentWorkflowId(orderId: string, n: number): string {
  return `shipment-${orderId}-${n}`;
}

/** One dispatcher per outbound webhook subscriber delivers its events in order. */
export function webhookDispatcherWorkflowId(subscriberId: string): string {
  return `webhooks-${subscriberId}`;
}

/** Registered on the dev server (scripts/dev, test/global-setup.ts) so ops can filter in the UI. */
export const searchAttributes = {
  OrderStatus: defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD),
  SalesChannel: defineSearchAttributeKey('SalesChannel', SearchAttributeType.KEYWORD),
  Carrier: defineSearchAttributeKey('Carrier', SearchAttributeType.KEYWORD),
  TrackingNumber: defineSearchAttributeKey('TrackingNumber', SearchAttributeType.KEYWORD),
  WarehouseId: defineSearchAttributeKey('WarehouseId', SearchAttributeType.KEYWORD),
  NeedsAttention: defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL),
};

// --- order workflow ---
export const statusQuery = defineQuery<OrderView>('status');
/** Accepted until a parcel is with the carrier; rejected after with the current status. */
export const cancelUpdate = defineUpdate<OrderStatus, [{ reason: string }]>('cancel');
/** A new shipping address, accepted until a parcel is with the carrier. */
export const correctAddressUpdate = defineUpdate<OrderStatus, [{ address: Address }]>('correctAddress');
/** Within the return window after delivery: return labels for the parcels; rejected after it. */
export const requestReturnUpdate = defineUpdate<ReturnLabel[], [ReturnRequest]>('requestReturn');
/** From the WMS stock sync: a backordered order tries to allocate again. */
export const stockReplenishedSignal = defineSignal('stockReplenished');
/** A shipment child reports its new picture to its order (the whole of it: runs from before shipmentChanged). */
export const shipmentProgressSignal = defineSignal<[ShipmentView]>('shipmentProgress');
/** A shipment's new picture without its timeline (and, in a lean run, without its quotes and size), and the scans its order has not been sent yet. */
export interface ShipmentChange {
  view: Omit<ShipmentView, 'events'>;
  newEvents: TrackingEvent[];
}
/** A shipment child reports what changed to its order: history grows by each scan once, not by the timeline each time. */
export const shipmentChangedSignal = defineSignal<[ShipmentChange]>('shipmentChanged');

// --- shipment workflow ---
export const shipmentQuery = defineQuery<ShipmentView>('shipment');
export const trackingEventSignal = defineSignal<[TrackingEvent]>('trackingEvent');
/** Ops: book again after every carrier failed, optionally with one named carrier. */
export const retryBookingSignal = defineSignal<[{ carrier?: string }]>('retryBooking');
export const cancelShipmentSignal = defineSignal('cancelShipment');
/** Ops: ask the carrier for scans now instead of at the next scheduled poll. */
export const pollTrackingSignal = defineSignal('pollTracking');
export const addressCorrectedSignal = defineSignal<[Address]>('addressCorrected');
/** From the WMS, for warehouses that pack by hand: the real weight (and size) of the parcel. */
export const packedSignal = defineSignal<[Pick<Parcel, 'weightGrams'> & Partial<Parcel>]>('packed');
/** From the end-of-day check (workflows/handover-close.ts): the carrier had not scanned the handed-over parcel by the next cut-off. */
export const notAcceptedSignal = defineSignal<[{ message: string }]>('notAccepted');
/** From the marketplace's pull: the marketplace moved a parcel on its own contract to another carrier or tracking number. */
export const marketplaceReassignedSignal = defineSignal<[Pick<MarketplaceShipping, 'carrier' | 'trackingNumber'>]>('marketplaceReassigned');

// --- webhook dispatcher ---
/** New events are waiting in the outbox (sent by the outbox pump, workers/outbox-pump.ts). */
export const outboxWakeSignal = defineSignal('outboxWake');
/** Ops: a paused subscriber is reachable again; deliver what waited. */
export const resumeDeliveriesSignal = defineSignal('resumeDeliveries');

/**
 * Customer notices (order and shipment alike) never hold anything up and ride out an outage of the
 * mail or SMS provider or of PostgreSQL: retried from 5 s, doubling to 5 minutes, about 20 minutes in all.
 */
export const NOTICE_ACTIVITY_OPTIONS: ActivityOptions = {
  // Past the mail server's 50 s to accept a message (activities/notifications/email.ts): an attempt
  // timed out while the server still stores the message would send it twice on retry.
  startToCloseTimeout: '60 seconds',
  // The worker heartbeats while a notice is sent (workers/heartbeats.ts): one that dies mid-send is
  // retried after 30 s (a 12-minute attempt made the chaos run send 'shipped' 9 minutes after 'delivered').
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
};
