-- Up Migration
-- The workflow a parcel runs in, when it is not its own (shipment_id): a lean order's one parcel
-- runs inside the order's workflow (workflows/order/parcel.ts). Webhooks, the WMS, the end-of-day
-- check and ops signal the parcel there: COALESCE(workflow_id, shipment_id).
ALTER TABLE shipments ADD COLUMN workflow_id text;

-- Down Migration
ALTER TABLE shipments DROP COLUMN workflow_id;
