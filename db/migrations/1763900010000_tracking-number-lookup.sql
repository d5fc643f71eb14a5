-- Up Migration
-- The public tracking page finds a parcel by its number alone, typed by a customer in any case;
-- the unique index on (carrier, tracking_number) cannot serve that.
CREATE INDEX shipments_tracking_number_upper_idx ON shipments (upper(tracking_number));

-- Down Migration
DROP INDEX shipments_tracking_number_upper_idx;
