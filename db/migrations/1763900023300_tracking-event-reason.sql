-- Up Migration
-- Why an on_hold scan holds the parcel, where the carrier says (customs, issue 25): the public
-- tracking page shows "In customs" rather than a bare "On hold".
ALTER TABLE tracking_events ADD COLUMN reason text;

-- Down Migration
ALTER TABLE tracking_events DROP COLUMN reason;
