-- Up Migration
-- What the carrier KPIs (GET /v1/kpis) need beyond the current picture of a shipment: when it
-- first reached each status (labelled, address_invalid, needs_attention…). The shipment activity
-- upserts only the current status, so a trigger keeps the history: every write the workflows
-- already make feeds it, and no workflow changes.

-- The first time each shipment reached each status (database time of the write that recorded it).
CREATE TABLE shipment_milestones (
  shipment_id  text NOT NULL,
  status       text NOT NULL,
  at           timestamptz NOT NULL,
  PRIMARY KEY (shipment_id, status)
);

-- Retried writes repeat a status: only its first arrival counts.
CREATE FUNCTION shipments_record_milestone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO shipment_milestones (shipment_id, status, at) VALUES (NEW.shipment_id, NEW.status, now())
  ON CONFLICT (shipment_id, status) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER shipments_record_milestone AFTER INSERT OR UPDATE OF status ON shipments
  FOR EACH ROW EXECUTE FUNCTION shipments_record_milestone();

-- Shipments recorded before this migration. Those recorded before shipments.kind
-- (1763900011000) all read outbound: a parcel last written after its order's return request is
-- its return parcel (every outbound parcel had finished by then). Their current status is the
-- only milestone known.
UPDATE shipments s SET kind = 'return'
 WHERE EXISTS (SELECT 1 FROM order_status_history h WHERE h.order_id = s.order_id AND h.status = 'return_requested' AND h.at < s.updated_at);
INSERT INTO shipment_milestones (shipment_id, status, at) SELECT shipment_id, status, updated_at FROM shipments
ON CONFLICT DO NOTHING;

-- KPIs select a period of orders by when they were placed, across channels.
CREATE INDEX orders_created_idx ON orders (created_at);

-- Down Migration
DROP INDEX orders_created_idx;
DROP TRIGGER shipments_record_milestone ON shipments;
DROP FUNCTION shipments_record_milestone();
DROP TABLE shipment_milestones;
