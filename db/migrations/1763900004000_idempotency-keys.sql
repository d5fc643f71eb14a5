-- Up Migration
-- Idempotency-Key headers on POST /v1/orders: a key names one order body for good.
CREATE TABLE api_idempotency_keys (
  key           text PRIMARY KEY,
  order_id      text NOT NULL,
  request_hash  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE api_idempotency_keys;
