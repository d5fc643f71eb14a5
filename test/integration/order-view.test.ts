// GET /v1/orders/:id's picture of each parcel (api/order-view.ts): the order workflow's view with
// each parcel as PostgreSQL records it, against the project's PostgreSQL.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createShipmentActivities } from '../../activities/shipments';
import { withRecordedParcels } from '../../api/order-view';
import type { OrderView } from '../../domain/order';
import type { ShipmentView } from '../../domain/shipment';
import { createPool } from '../../lib/db';
import { TEST_DATABASE_URL } from '../helpers/env';

let pool: Pool;
beforeAll(() => void (pool = createPool(TEST_DATABASE_URL)));
afterAll(() => pool?.end());

const parcel = (orderId: string, status: ShipmentView['status'], extra: Partial<ShipmentView> = {}): ShipmentView => ({
  shipmentId: `shipment-${orderId}-1`,
  kind: 'outbound',
  warehouseId: 'WH-1',
  lines: [{ sku: 'SKU-1', quantity: 1 }],
  status,
  events: [],
  ...extra,
});

const orderWith = (orderId: string, shipment: ShipmentView): OrderView => ({
  orderId,
  channel: 'oms',
  status: 'labelled',
  lines: [{ sku: 'SKU-1', quantity: 1 }],
  allocations: [],
  shipments: [shipment],
  history: [],
  pendingActions: [],
});

/** A parcel recorded as its workflow records it, and the order's view of it from its last milestone. */
async function recordedAs(recorded: ShipmentView, heard: ShipmentView): Promise<ShipmentView> {
  const orderId = recorded.shipmentId.replace(/^shipment-|-1$/g, '');
  await createShipmentActivities(pool).recordShipment({ orderId, view: recorded });
  const [shipment] = (await withRecordedParcels(pool, orderWith(orderId, heard))).shipments;
  return shipment;
}

test('a scan within the same order status shows from the record, before the parcel reports its next milestone', async () => {
  const orderId = `V-${randomUUID()}`;
  const trackingNumber = `TN-${randomUUID()}`; // tracking numbers are unique across the records
  const scan = { eventId: 'e1', trackingNumber, status: 'in_transit' as const, occurredAt: '2026-12-04T10:00:00.000Z' };
  const shipment = await recordedAs(
    parcel(orderId, 'in_transit', { carrier: 'cargo', trackingNumber, events: [scan] }),
    parcel(orderId, 'labelled', { carrier: 'cargo', trackingNumber }),
  );
  expect(shipment).toMatchObject({ status: 'in_transit', carrier: 'cargo', trackingNumber, events: [scan] });
});

test('a parcel whose workflow failed stays needs_attention, as only the order knows, whatever its record last said', async () => {
  const orderId = `V-${randomUUID()}`;
  const failed = 'shipment workflow failed: a bug';
  const shipment = await recordedAs(parcel(orderId, 'booking'), parcel(orderId, 'needs_attention', { attention: failed }));
  expect(shipment).toMatchObject({ status: 'needs_attention', attention: failed });
});
