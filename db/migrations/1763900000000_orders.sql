-- Up Migration
-- Business records of orders. The workflow owns the process; these rows let the API
-- list and report without scanning workflows. Written only by activities, always as upserts.

CREATE TABLE orders (
  order_id      text PRIMARY KEY,                 -- the OMS's own id
  workflow_id   text NOT NULL UNIQUE,
  channel       text NOT NULL,                    -- shopify, woocommerce, trendyol, amazon, manual…
  status        text NOT NULL,
  service       text NOT NULL,
  request       jsonb NOT NULL,                   -- the validated order as received
  request_hash  text NOT NULL,                    -- tells a resend from a conflicting order
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_status_idx ON orders (status, created_at);
CREATE INDEX orders_channel_idx ON orders (channel, created_at);

CREATE TABLE order_lines (
  order_id    text NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
  line_no     integer NOT NULL,
  sku         text NOT NULL,
  quantity    integer NOT NULL CHECK (quantity > 0),
  unit_price  numeric(12, 2),
  PRIMARY KEY (order_id, line_no)
);

-- One row per status an order has been in; the (order, status, seq) key makes a retried write a no-op.
CREATE TABLE order_status_history (
  order_id    text NOT NULL REFERENCES orders (order_id) ON DELETE CASCADE,
  seq         integer NOT NULL,
  status      text NOT NULL,
  reason      text,
  at          timestamptz NOT NULL,
  PRIMARY KEY (order_id, seq)
);

-- Down Migration
DROP TABLE order_status_history;
DROP TABLE order_lines;
DROP TABLE orders;
