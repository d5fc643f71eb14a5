-- Up Migration
-- Pulls that keep failing (issue 20): each failed run of an account's pull counts here, a page read
-- sets it back to 0; at three in a row ops get an alert (ops_alerts.kind = 'marketplace_pull_failing').
ALTER TABLE marketplace_accounts
  ADD COLUMN failed_pulls integer NOT NULL DEFAULT 0,
  ADD COLUMN last_pull_error text;

-- Down Migration
ALTER TABLE marketplace_accounts DROP COLUMN failed_pulls, DROP COLUMN last_pull_error;
