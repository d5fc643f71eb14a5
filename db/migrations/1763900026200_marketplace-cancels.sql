-- Up Migration
-- Orders the marketplace cancelled after we started them (issue 20: the buyer cancels on Amazon):
-- what asking our order to cancel gave. cancelled: the order cancelled (it voided, released and told
-- the customer itself); too_late: its parcel is already with the carrier (an ops alert says to
-- intercept it or take the return); ended: the order had already ended.
ALTER TABLE marketplace_packages
  ADD COLUMN cancel_outcome text CHECK (cancel_outcome IN ('cancelled', 'too_late', 'ended')),
  ADD COLUMN cancel_outcome_at timestamptz;
-- Each pull asks which started packages wait for their cancel: few rows, found without a scan.
CREATE INDEX marketplace_packages_cancel_idx ON marketplace_packages (account_id)
  WHERE state = 'started' AND cancel_outcome IS NULL AND (package ->> 'cancelled')::boolean;

-- Down Migration
DROP INDEX marketplace_packages_cancel_idx;
ALTER TABLE marketplace_packages DROP COLUMN cancel_outcome, DROP COLUMN cancel_outcome_at;
