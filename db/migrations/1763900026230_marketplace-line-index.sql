-- Up Migration
-- A package whose lines another started package already holds (a re-pack, a split) is held for ops:
-- each mapping asks by line id.
CREATE INDEX marketplace_package_lines_line_idx ON marketplace_package_lines (account_id, line_id);

-- Down Migration
DROP INDEX marketplace_package_lines_line_idx;
