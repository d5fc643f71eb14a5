-- Up Migration
-- An order slow to answer its cancel (its carrier cannot void yet) is asked again by the next pull:
-- when it was last asked, so that each run asks the longest-waiting ones first and a few slow
-- orders never hold the others back.
ALTER TABLE marketplace_packages ADD COLUMN cancel_asked_at timestamptz;

-- Down Migration
ALTER TABLE marketplace_packages DROP COLUMN cancel_asked_at;
