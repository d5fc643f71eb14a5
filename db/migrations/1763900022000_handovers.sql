-- Up Migration
-- End-of-day handover (issue 21, item 3). Each warehouse hands its parcels to each carrier's driver
-- once a day: parcels labelled before the warehouse's cut-off go on that day's list, later ones on
-- the next day's. A list is written once, when the day is closed, and never changes after: it is
-- the paper the driver and the warehouse sign.

-- The daily cut-off, in the warehouse's own time zone (an IANA name, as PostgreSQL's AT TIME ZONE reads it).
-- A zone PostgreSQL does not know is refused when written: at close time it would stop every warehouse's close.
ALTER TABLE warehouses
  ADD COLUMN cutoff_time time NOT NULL DEFAULT '17:00',
  ADD COLUMN time_zone text NOT NULL DEFAULT 'Europe/Istanbul'
    CONSTRAINT warehouses_time_zone_known CHECK ((timestamptz '2000-01-01 00:00+00' AT TIME ZONE time_zone) IS NOT NULL);

-- One list per carrier, warehouse and day: the unique key makes a second closer find the first one's list.
-- accept_by: the next day's cut-off, by when the carrier must have scanned every parcel of the list.
CREATE TABLE handovers (
  handover_id            text PRIMARY KEY,              -- <carrier>.<warehouse>.<day>
  carrier                text NOT NULL,
  warehouse_id           text NOT NULL REFERENCES warehouses (warehouse_id),
  day                    date NOT NULL,
  cutoff_at              timestamptz NOT NULL,
  accept_by              timestamptz NOT NULL,
  closed_at              timestamptz NOT NULL DEFAULT now(),
  acceptance_checked_at  timestamptz,
  UNIQUE (carrier, warehouse_id, day)
);
CREATE INDEX handovers_unchecked_idx ON handovers (accept_by) WHERE acceptance_checked_at IS NULL;

-- The parcels of a list as they were when the day closed. A parcel is handed over once (its key).
CREATE TABLE handover_parcels (
  shipment_id      text PRIMARY KEY,
  handover_id      text NOT NULL REFERENCES handovers (handover_id),
  order_id         text NOT NULL,
  tracking_number  text NOT NULL,
  pieces           integer NOT NULL CHECK (pieces > 0),
  weight_grams     integer NOT NULL CHECK (weight_grams >= 0),
  cod_amount       numeric(12, 2),
  cod_currency     text,
  labelled_at      timestamptz NOT NULL,
  -- Set when the carrier had not scanned the parcel by the list's accept_by.
  not_accepted_at  timestamptz
);
CREATE INDEX handover_parcels_handover_idx ON handover_parcels (handover_id);

-- Each close looks for parcels labelled in the week before the cut-off: found by their label time,
-- not by reading every shipment the warehouse ever sent (the schedule asks every 5 minutes).
CREATE INDEX shipment_milestones_labelled_idx ON shipment_milestones (at) WHERE status = 'labelled';

-- Down Migration
DROP INDEX shipment_milestones_labelled_idx;
DROP TABLE handover_parcels;
DROP TABLE handovers;
ALTER TABLE warehouses DROP COLUMN time_zone, DROP COLUMN cutoff_time;
