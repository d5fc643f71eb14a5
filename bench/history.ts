// What one happy-path order costs in Temporal history: the order workflow's events and its
// shipment workflow's, counted by type, and their size in bytes as the server reports it.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { orderWorkflowId, shipmentWorkflowId } from '../workflows/definitions';
import { billableActions, type BillableActions } from './actions';
import { meanPath, millisOf, pathToLabelled, upsertedStatus, type PathProfile } from './critical-path';
import { benchOrder, DELIVERY_SCANS, ORDER_STATUS_AFTER_SCAN, postOrder, pushScan, trackingNumberOf, waitForRecordedScans } from './engine';
import type { Driver } from './throughput';

export interface HistoryCost {
  /** Orders sampled (the figures are the median one's, by total events). */
  sampled: number;
  orderEvents: number;
  shipmentEvents: number;
  totalEvents: number;
  totalBytes: number;
  /** Events by type over order + shipment, for the first sampled order. */
  byType: Record<string, number>;
  /**
   * Bytes by event over order + shipment, for the same order: the type with the workflow, and the
   * marker, activity or signal it is for (each event as the server encodes it, payloads encrypted).
   */
  bytesByEvent: Record<string, number>;
  /** Activities scheduled, by activity type, and local activities (markers), for the first sampled order. */
  activities: Record<string, number>;
  /** Temporal Cloud's billable actions (its estimate from the histories), for the same order. */
  actions: BillableActions;
  /** Patch markers (each with the SDK's TemporalChangeVersion upsert), order + shipment, for the same order. */
  patchMarkers: number;
  /** Workflow tasks completed, order + shipment, from the start until the order's `labelled` (the task that upserted it included), and to delivered. */
  workflowTasks: { toLabelled: number; toDelivered: number };
}

const EVENT_NAMES = temporal.api.enums.v1.EventType;
/** The marker name the SDK gives patched(). */
const PATCH_MARKER = 'core_patch';

/** gRPC's status code NOT_FOUND. */
const GRPC_NOT_FOUND = 5;

/** The parcel's own workflow's history; none (empty) for a parcel that runs inside its order's workflow (workflows/order/parcel.ts). */
async function parcelHistoryOf(client: Client, orderId: string) {
  try {
    return await historyOf(client, shipmentWorkflowId(orderId, 1));
  } catch (err) {
    // Not found: describe() says so as WorkflowNotFoundError, fetchHistory() as the bare gRPC NOT_FOUND.
    if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === GRPC_NOT_FOUND) return { events: [], bytes: 0 };
    throw err;
  }
}

async function historyOf(client: Client, workflowId: string) {
  const handle = client.workflow.getHandle(workflowId);
  const [history, description] = await Promise.all([handle.fetchHistory(), handle.describe()]);
  const events = history.events ?? [];
  const bytes = description.historySize ?? temporal.api.history.v1.History.encode(history).finish().length;
  return { events, bytes };
}

/**
 * Orders taken through the happy path one at a time, each scan pushed only once the previous one
 * is applied, by the parcel and by its order (as scans hours apart arrive in production; a scan
 * that came while the order had not yet taken the last report would let it take both in one
 * workflow task, and the history would be shorter than production's). Returns their ids, delivered.
 */
export async function happyPathOrders(driver: Driver, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const orderId = driver.orderId('history', i);
    await postOrder(driver.apiUrl, benchOrder(orderId, i));
    await driver.watcher.waitFor(orderId, 'labelled');
    const trackingNumber = await trackingNumberOf(driver.db, orderId);
    for (const [n, code] of DELIVERY_SCANS.entries()) {
      await pushScan(driver.apiUrl, driver.sandbox, trackingNumber, code);
      await waitForRecordedScans(driver.db, orderId, n + 1);
      await driver.watcher.waitFor(orderId, ORDER_STATUS_AFTER_SCAN[n]);
    }
    ids.push(orderId);
  }
  return ids;
}

/** Where orders' time went from their start to labelled (bench/critical-path.ts), the mean over their histories. */
export async function pathProfile(client: Client, orderIds: string[]): Promise<PathProfile> {
  const paths = [];
  for (const orderId of orderIds) {
    const [order, parcel] = await Promise.all([historyOf(client, orderWorkflowId(orderId)), parcelHistoryOf(client, orderId)]);
    const path = pathToLabelled(order.events, parcel.events);
    if (path) paths.push(path);
  }
  return meanPath(paths);
}

/** Histories of delivered orders (the order workflow still waits out its return window, the shipment has completed). */
export async function historyCost(client: Client, orderIds: string[]): Promise<HistoryCost> {
  const rows: (Pick<HistoryCost, 'byType' | 'bytesByEvent' | 'activities' | 'actions' | 'workflowTasks' | 'patchMarkers'> & {
    order: number;
    shipment: number;
    bytes: number;
  })[] = [];
  for (const orderId of orderIds) {
    const order = await historyOf(client, orderWorkflowId(orderId));
    const shipment = await parcelHistoryOf(client, orderId);
    const byType: Record<string, number> = {};
    const bytesByEvent: Record<string, number> = {};
    const activities: Record<string, number> = {};
    const count = (into: Record<string, number>, key: string, n = 1) => void (into[key] = (into[key] ?? 0) + n);
    for (const [workflow, events] of [
      ['order', order.events],
      ['shipment', shipment.events],
    ] as const) {
      for (const event of events) {
        count(byType, String(EVENT_NAMES[event.eventType ?? 0] ?? event.eventType).replace(/^EVENT_TYPE_/, ''));
        count(bytesByEvent, `${workflow}: ${eventName(event)}`, temporal.api.history.v1.HistoryEvent.encode(event).finish().length);
        const activity = event.activityTaskScheduledEventAttributes?.activityType?.name;
        if (activity) count(activities, `${workflow}: ${activity}`);
        if (event.markerRecordedEventAttributes?.markerName === PATCH_MARKER) count(activities, `${workflow}: patch`);
        else if (event.markerRecordedEventAttributes) count(activities, `${workflow}: local activity`);
      }
    }
    const actions = billableActions([order.events, shipment.events]);
    const workflowTasks = tasksOf(order.events, shipment.events);
    const patchMarkers = (activities['order: patch'] ?? 0) + (activities['shipment: patch'] ?? 0);
    rows.push({
      patchMarkers,
      workflowTasks,
      order: order.events.length,
      shipment: shipment.events.length,
      bytes: order.bytes + shipment.bytes,
      byType,
      bytesByEvent,
      activities,
      actions,
    });
  }
  // One order's figures, the median by total events: medians taken figure by figure would not add up.
  const none = {
    order: 0,
    shipment: 0,
    bytes: 0,
    byType: {},
    bytesByEvent: {},
    activities: {},
    actions: billableActions([]),
    workflowTasks: { toLabelled: 0, toDelivered: 0 },
    patchMarkers: 0,
  };
  const typical = [...rows].sort((a, b) => a.order + a.shipment - (b.order + b.shipment))[Math.floor((rows.length - 1) / 2)] ?? none;
  return {
    sampled: rows.length,
    orderEvents: typical.order,
    shipmentEvents: typical.shipment,
    totalEvents: typical.order + typical.shipment,
    totalBytes: typical.bytes,
    byType: typical.byType,
    bytesByEvent: typical.bytesByEvent,
    activities: typical.activities,
    actions: typical.actions,
    workflowTasks: typical.workflowTasks,
    patchMarkers: typical.patchMarkers,
  };
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** An event's type, with the marker, activity or signal it is for. */
function eventName(event: HistoryEvent): string {
  const type = String(EVENT_NAMES[event.eventType ?? 0] ?? event.eventType).replace(/^EVENT_TYPE_/, '');
  const what =
    event.markerRecordedEventAttributes?.markerName ??
    event.activityTaskScheduledEventAttributes?.activityType?.name ??
    event.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName ??
    event.workflowExecutionSignaledEventAttributes?.signalName;
  return what ? `${type} ${what}` : type;
}

/**
 * Workflow tasks completed in both histories: all of them (to delivered), and those up to the one
 * in which the order upserted `OrderStatus` labelled (by event time across the two workflows).
 */
function tasksOf(order: HistoryEvent[], shipment: HistoryEvent[]): HistoryCost['workflowTasks'] {
  const completed = (e: HistoryEvent) => e.eventType === EVENT_NAMES.EVENT_TYPE_WORKFLOW_TASK_COMPLETED;
  const labelled = order.find((e) => upsertedStatus(e) === 'labelled');
  const labelledAt = labelled ? millisOf(labelled) : Infinity;
  const all = [...order, ...shipment].filter(completed);
  return { toLabelled: all.filter((e) => millisOf(e) <= labelledAt).length, toDelivered: all.length };
}
