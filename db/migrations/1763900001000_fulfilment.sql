-- Up Migration
-- Stock, parcels and shipments: what allocation, packing and carriers need.

CREATE TABLE warehouses (
  warehouse_id    text PRIMARY KEY,
  name            text NOT NULL,
  city            text NOT NULL,
  country_code    char(2) NOT NULL,
  priority        integer NOT NULL DEFAULT 100,   -- lower ships first when several can
  manual_packing  boolean NOT NULL DEFAULT false  -- waits for the WMS's `packed` call
);

-- SKU master data: what a parcel weighs and measures.
CREATE TABLE skus (
  sku           text PRIMARY KEY,
  weight_grams  integer NOT NULL CHECK (weight_grams > 0),
  length_cm     integer NOT NULL CHECK (length_cm > 0),
  width_cm      integer NOT NULL CHECK (width_cm > 0),
  height_cm     integer NOT NULL CHECK (height_cm > 0)
);

-- available = on_hand - reserved; both change only inside allocation transactions.
CREATE TABLE inventory (
  warehouse_id  text NOT NULL REFERENCES warehouses (warehouse_id),
  sku           text NOT NULL,
  on_hand       integer NOT NULL CHECK (on_hand >= 0),
  reserved      integer NOT NULL DEFAULT 0 CHECK (reserved >= 0 AND reserved <= on_hand),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (warehouse_id, sku)
);
CREATE INDEX inventory_sku_idx ON inventory (sku);

-- Stock held for an order. One row per order, warehouse and SKU, so a retried allocation
-- finds what the first attempt reserved instead of reserving twice.
CREATE TABLE reservations (
  order_id      text NOT NULL,
  warehouse_id  text NOT NULL REFERENCES warehouses (warehouse_id),
  sku           text NOT NULL,
  quantity      integer NOT NULL CHECK (quantity > 0),
  state         text NOT NULL DEFAULT 'held' CHECK (state IN ('held', 'released', 'shipped', 'returned')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, warehouse_id, sku)
);

CREATE TABLE shipments (
  shipment_id      text PRIMARY KEY,               -- shipment-<orderId>-<n>
  order_id         text NOT NULL,
  warehouse_id     text NOT NULL,
  status           text NOT NULL,
  carrier          text,
  tracking_number  text,
  label_ref        text,
  parcel           jsonb,
  quotes           jsonb,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shipments_order_idx ON shipments (order_id);
CREATE UNIQUE INDEX shipments_tracking_idx ON shipments (carrier, tracking_number) WHERE tracking_number IS NOT NULL;

-- Notification ledger: one row per order, shipment, event and channel, so a customer is
-- told once however often an activity retries or an event arrives.
CREATE TABLE notifications (
  order_id     text NOT NULL,
  shipment_id  text NOT NULL DEFAULT '',
  event        text NOT NULL,
  channel      text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_id, shipment_id, event, channel)
);

-- What ops must look at: late, lost, overdue packing. One row per shipment and kind.
CREATE TABLE ops_alerts (
  shipment_id  text NOT NULL,
  kind         text NOT NULL,
  order_id     text NOT NULL,
  message      text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  resolved_at  timestamptz,
  PRIMARY KEY (shipment_id, kind)
);

-- Development sample data: two warehouses and a few SKUs, so a fresh stack can ship.
INSERT INTO warehouses (warehouse_id, name, city, country_code, priority) VALUES
  ('IST-1', 'Istanbul Tuzla', 'İstanbul', 'TR', 10),
  ('ANK-1', 'Ankara Sincan', 'Ankara', 'TR', 20);
INSERT INTO skus (sku, weight_grams, length_cm, width_cm, height_cm) VALUES
  ('TSHIRT-RED-M', 250, 30, 25, 3),
  ('MUG-WHITE', 450, 12, 12, 11),
  ('SNEAKER-42', 1100, 35, 22, 13);
INSERT INTO inventory (warehouse_id, sku, on_hand) VALUES
  ('IST-1', 'TSHIRT-RED-M', 500), ('IST-1', 'MUG-WHITE', 200), ('IST-1', 'SNEAKER-42', 50),
  ('ANK-1', 'TSHIRT-RED-M', 300), ('ANK-1', 'MUG-WHITE', 100);

-- Down Migration
DROP TABLE ops_alerts;
DROP TABLE notifications;
DROP TABLE shipments;
DROP TABLE reservations;
DROP TABLE inventory;
DROP TABLE skus;
DROP TABLE warehouses;
