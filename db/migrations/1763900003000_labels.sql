-- Up Migration
-- Shipping labels, kept out of workflow histories: a workflow holds only the label's URL.
CREATE TABLE labels (
  shipment_id   text NOT NULL,
  format        text NOT NULL CHECK (format IN ('pdf', 'zpl')),
  content       bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shipment_id, format)
);

-- Down Migration
DROP TABLE labels;
