-- Up Migration
-- A return may bring back part of what shipped: each return parcel's lines are put back on the
-- shelf once (keyed by the return shipment and SKU, so a retried activity adds nothing), and the
-- reservation counts what came back.
ALTER TABLE reservations ADD COLUMN returned_quantity integer NOT NULL DEFAULT 0 CHECK (returned_quantity >= 0);
CREATE TABLE restocks (
  shipment_id   text NOT NULL,
  warehouse_id  text NOT NULL,
  sku           text NOT NULL,
  quantity      integer NOT NULL CHECK (quantity > 0),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shipment_id, sku)
);

-- Down Migration
DROP TABLE restocks;
ALTER TABLE reservations DROP COLUMN returned_quantity;
