-- Up Migration
-- Customer notices a parcel queues with its record (issue 24): its workflow no longer runs an
-- activity per notice. The worker's notice pump (workers/notice-pump.ts) sends each, a row per
-- channel, in the order the parcel queued them on that channel (an SMS outage holds no email up),
-- retrying with backoff; the ledger (notifications) still keeps each message once per channel.
-- Only the workers of the task queue that queued a notice send it.
CREATE TABLE notice_queue (
  seq              bigserial PRIMARY KEY,
  task_queue       text NOT NULL,
  order_id         text NOT NULL,
  shipment_id      text NOT NULL,
  event            text NOT NULL,
  channel          text NOT NULL,
  tracking_number  text,
  carrier          text,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'given_up')), -- done: the ledger has its outcome (sent, skipped)
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  leased_until     timestamptz,
  last_error       text,
  queued_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_id, shipment_id, event, channel)
);
CREATE INDEX notice_queue_pending_idx ON notice_queue (task_queue, next_attempt_at) WHERE status = 'pending';
CREATE INDEX notice_queue_order_idx ON notice_queue (order_id, channel, seq) WHERE status = 'pending';

-- Down Migration
DROP TABLE notice_queue;
