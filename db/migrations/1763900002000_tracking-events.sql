-- Up Migration
-- Every carrier scan a shipment has seen, once, by the carrier's event id.
CREATE TABLE tracking_events (
  shipment_id      text NOT NULL,
  event_id         text NOT NULL,
  tracking_number  text NOT NULL,
  status           text NOT NULL,
  raw_code         text,
  location         text,
  occurred_at      timestamptz NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shipment_id, event_id)
);
CREATE INDEX tracking_events_number_idx ON tracking_events (tracking_number, occurred_at);

-- Down Migration
DROP TABLE tracking_events;
