// The floor: a skeleton of the engine's happy path to `labelled` with the same shape (the same
// activities, in the same sequence and parallelism, the same workflows and signals, search
// attribute upserts and local activities), every step a no-op. How fast these run on a server
// is what Temporal itself allows there; bench/floor.ts compares the engine with it.
// Workflow code: imports the Temporal SDK only (@temporalio/workflow, and @temporalio/common for
// the search attribute keys, as workflows/definitions.ts does).
import {
  ParentClosePolicy,
  condition,
  defineSignal,
  getExternalWorkflowHandle,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey } from '@temporalio/common';

export interface FloorActivities {
  noop(step: string): Promise<void>;
}

const { noop } = proxyActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });
const local = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '10 seconds' });

// The engine's own search attribute names (registered on the server the bench starts).
const OrderStatus = defineSearchAttributeKey('OrderStatus', 'KEYWORD');
const Carrier = defineSearchAttributeKey('Carrier', 'KEYWORD');
const TrackingNumber = defineSearchAttributeKey('TrackingNumber', 'KEYWORD');
const WarehouseId = defineSearchAttributeKey('WarehouseId', 'KEYWORD');
const NeedsAttention = defineSearchAttributeKey('NeedsAttention', 'BOOL');

export const floorProgressSignal = defineSignal<[string]>('floorProgress');

/**
 * The order's path to labelled, its one parcel inside its workflow (workflows/order/parcel.ts):
 * record, received and allocated (recorded, not upserted: the next status follows in the same
 * task), fulfilling with the parcel's search attributes in one upsert; then the parcel's packing,
 * its plan and settings (one), booking, carrier rules, the contract quotes (one) (local activities),
 * two carrier quotes (activities), a booking (activity, which subscribed the parcel to pushed
 * scans), and labelled: one upsert and one record for the parcel and the order (its customer
 * notice queued by that record for the worker's notice pump: no activity).
 */
export async function floorOrderWorkflow(): Promise<void> {
  await local.noop('recordOrder');
  await local.noop('recordStatus'); // received
  await local.noop('allocateStock');
  await local.noop('recordStatus'); // allocated
  upsertSearchAttributes([
    { key: WarehouseId, value: 'FLOOR' },
    { key: NeedsAttention, value: false },
    { key: OrderStatus, value: 'fulfilling' },
  ]);
  await local.noop('recordStatus');
  await local.noop('recordShipment'); // packing
  await local.noop('packingPlan');
  await local.noop('recordShipment'); // booking
  await local.noop('eligibleCarriers');
  await local.noop('quotesByContract');
  await Promise.all([noop('quoteCarrier'), noop('quoteCarrier')]);
  await noop('bookShipment');
  upsertSearchAttributes([
    { key: Carrier, value: 'ups' },
    { key: TrackingNumber, value: workflowInfo().workflowId },
    { key: OrderStatus, value: 'labelled' },
  ]);
  await local.noop('recordShipment'); // labelled, with the order's status
}

// floor-v1: the shape above as it stood on 2026-12-04 (before issue 24), step for step, frozen.
// The bench reports engine / floor-v1 beside engine / floor: how far the engine has moved past
// what Temporal allowed the old shape. Never edit it; the floor above follows the engine.

/**
 * The order's path to labelled: record, received, allocate, allocated (short PostgreSQL writes:
 * local activities, as in the engine), one child, then fulfilling and labelled as the child reports.
 */
export async function floorV1OrderWorkflow(): Promise<void> {
  const reports: string[] = [];
  setHandler(floorProgressSignal, (status) => void reports.push(status));
  const status = async (value: string) => {
    upsertSearchAttributes([{ key: OrderStatus, value }]);
    await local.noop('recordStatus');
  };
  await local.noop('recordOrder');
  await status('received');
  await local.noop('allocateStock');
  await status('allocated');
  await startChild(floorV1ShipmentWorkflow, {
    workflowId: `${workflowInfo().workflowId}-shipment`,
    parentClosePolicy: ParentClosePolicy.ABANDON, // the parcel outlives this skeleton, as in the engine it outlives `labelled`
  });
  let seen = 0;
  let labelled = false;
  while (!labelled) {
    await condition(() => reports.length > seen);
    const latest = reports[reports.length - 1];
    seen = reports.length;
    if (latest === 'packing') await status('fulfilling'); // packing and booking both read as fulfilling: recorded once
    if (latest === 'labelled') {
      upsertSearchAttributes([
        { key: Carrier, value: 'ups' },
        { key: TrackingNumber, value: workflowInfo().workflowId },
      ]);
      await status('labelled');
      labelled = true;
    }
  }
}

/**
 * The shipment's path to labelled: packing, plan, settings, booking, carrier rules (all local
 * activities), four parallel quotes and a booking (activities), labelled; the customer's notice
 * runs beside the parcel, then one more local activity (does the carrier push scans).
 */
export async function floorV1ShipmentWorkflow(): Promise<void> {
  const parent = getExternalWorkflowHandle(workflowInfo().parent!.workflowId);
  const moveTo = async (status: string) => {
    await local.noop('recordShipment');
    await parent.signal(floorProgressSignal, status);
  };
  upsertSearchAttributes([{ key: WarehouseId, value: 'FLOOR' }]);
  upsertSearchAttributes([{ key: NeedsAttention, value: false }]); // once: the engine upserts it when it changes
  await moveTo('packing');
  await local.noop('planParcel');
  await local.noop('warehouseSettings');
  await moveTo('booking');
  await local.noop('eligibleCarriers');
  await Promise.all(['ups', 'yurtici', 'aras', 'mng'].map(() => noop('quoteCarrier')));
  await noop('bookShipment');
  upsertSearchAttributes([
    { key: Carrier, value: 'ups' },
    { key: TrackingNumber, value: workflowInfo().workflowId },
  ]);
  await moveTo('labelled');
  const notice = noop('notifyCustomer');
  await local.noop('carrierPushesTracking');
  await notice;
}
