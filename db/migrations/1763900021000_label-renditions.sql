-- Up Migration
-- A shipment's label in the formats the carrier did not give (issue 21): rendered once on the
-- first request and kept, so a station printing again does not render again. The carrier's own
-- label stays in `labels`; a new booking of the shipment deletes its renditions.
-- variant: the page of a PDF ('4x6', 'a4'), the resolution of ZPL and PNG ('203dpi', '300dpi').
CREATE TABLE label_renditions (
  shipment_id   text NOT NULL,
  format        text NOT NULL CHECK (format IN ('pdf', 'zpl', 'png')),
  variant       text NOT NULL CHECK (variant IN ('4x6', 'a4', '203dpi', '300dpi')),
  content       bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (shipment_id, format, variant)
);

-- Down Migration
DROP TABLE label_renditions;
