-- Up Migration
-- Papers that travel with a parcel besides its label (issue 25): the commercial invoice of a parcel
-- across a customs border, rendered at booking, served at GET /v1/shipments/:id/documents/<kind>.
-- Kept out of workflow histories, as labels are; a new booking of the shipment replaces it.
CREATE TABLE shipment_documents (
  shipment_id   text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('commercial_invoice')),
  content       bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shipment_id, kind)
);

-- Down Migration
DROP TABLE shipment_documents;
