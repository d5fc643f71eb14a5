-- Up Migration
-- Courier pickups (issue 21, item 4): a carrier's driver collects a warehouse's parcels on a day.
-- One row per carrier, warehouse and day (its unique key): the first label of the day claims it, so
-- two labels at once book one pickup; a cancelled or failed one is booked again on the same row.

CREATE TABLE pickups (
  pickup_id          text PRIMARY KEY,              -- <carrier>.<warehouse>.<date>
  carrier            text NOT NULL,
  warehouse_id       text NOT NULL REFERENCES warehouses (warehouse_id),
  date               date NOT NULL,
  status             text NOT NULL CHECK (status IN ('booking', 'scheduled', 'cancelled', 'failed')),
  -- The carrier's number for the pickup (UPS: the PRN); kept after a cancel, for the call centre.
  carrier_pickup_id  text,
  -- The window in the warehouse's local time.
  ready_time         time NOT NULL,
  close_time         time NOT NULL CHECK (close_time > ready_time),
  parcels            integer NOT NULL CHECK (parcels > 0),
  origin             text NOT NULL CHECK (origin IN ('label', 'api')),
  -- While failed: the carrier's reason, and whether asking again may book (the carrier was down or slow).
  failure            text,
  retryable          boolean NOT NULL DEFAULT false,
  -- Counts bookings of the row: each new one after a cancel is a new key for the carrier.
  attempt            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (carrier, warehouse_id, date)
);
-- The schedule's pass asks again for pickups left failed or half-booked: few rows, found without a scan.
CREATE INDEX pickups_unfinished_idx ON pickups (date) WHERE status IN ('booking', 'failed');

-- Down Migration
DROP TABLE pickups;
