-- Up Migration
-- Wave printing (issue 21): the merged document of a print batch (one PDF, or one ZPL stream),
-- fetched by the station's print agent at the URL the batch's answer names. Labels carry names
-- and addresses: a document is served for an hour only and deleted after (each new batch deletes
-- the expired ones); printing again is another batch, from the renditions already kept.
CREATE TABLE label_batches (
  batch_id     uuid PRIMARY KEY,
  format       text NOT NULL CHECK (format IN ('pdf', 'zpl')),
  content      bytea NOT NULL,
  labels       integer NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX label_batches_created_idx ON label_batches (created_at);

-- Down Migration
DROP TABLE label_batches;
