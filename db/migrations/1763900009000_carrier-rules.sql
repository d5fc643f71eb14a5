-- Up Migration
-- Merchant rules for choosing carriers, per sales channel and/or warehouse (NULL = any):
-- `prefer` ranks a carrier first (lower position first), `exclude` never books it,
-- `pin` books only the pinned carriers. Ops edit these rows; every new shipment reads them.
CREATE TABLE carrier_rules (
  rule_id       bigserial PRIMARY KEY,
  channel       text,
  warehouse_id  text REFERENCES warehouses (warehouse_id),
  carrier       text NOT NULL,
  action        text NOT NULL CHECK (action IN ('prefer', 'exclude', 'pin')),
  position      integer NOT NULL DEFAULT 0,
  note          text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carrier_rules_scope_idx ON carrier_rules (channel, warehouse_id);

-- Carrier webhook deliveries already handled, by the carrier's event id: a resent event is
-- acknowledged and dropped.
CREATE TABLE carrier_webhook_events (
  carrier          text NOT NULL,
  event_id         text NOT NULL,
  tracking_number  text NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (carrier, event_id)
);

-- Down Migration
DROP TABLE carrier_webhook_events;
DROP TABLE carrier_rules;
