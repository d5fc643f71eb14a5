-- Up Migration
-- Storefront webhook deliveries that started an order, kept for good: Shopify's
-- X-Shopify-Webhook-Id and WooCommerce's X-WC-Webhook-Delivery-ID. Temporal forgets a closed
-- order's workflow after its retention, and neither storefront's signature carries a time, so a
-- delivery replayed at any age must find its order here (or in orders) and start nothing.
CREATE TABLE storefront_deliveries (
  storefront   text NOT NULL,
  delivery_id  text NOT NULL,
  order_id     text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (storefront, delivery_id)
);
CREATE INDEX storefront_deliveries_order_id ON storefront_deliveries (order_id);

-- Down Migration
DROP TABLE storefront_deliveries;
