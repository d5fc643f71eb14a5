-- Up Migration
-- A package whose details the marketplace keeps refusing (or failing) is asked after the others, so
-- a few such packages never hold up every newer one (each run reads a limited number of details);
-- the count and the last reason show ops which, and from the fifth in a row an alert names it.
ALTER TABLE marketplace_packages
  ADD COLUMN details_failures int NOT NULL DEFAULT 0,
  ADD COLUMN last_details_error text;

-- Down Migration
ALTER TABLE marketplace_packages DROP COLUMN details_failures, DROP COLUMN last_details_error;
