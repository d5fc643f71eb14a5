-- Up Migration
-- Customs defaults per SKU (issue 25): what a parcel across a customs border declares for each unit
-- unless the order line says otherwise. Maintained by PUT /v1/products/:sku; read by the booking
-- activity when a parcel leaves the customs area of its warehouse.
CREATE TABLE products (
  sku                text PRIMARY KEY,
  description        text NOT NULL,
  hs_code            text NOT NULL CHECK (hs_code ~ '^[0-9]{6,10}$'),
  origin_country     text NOT NULL CHECK (origin_country ~ '^[A-Z]{2}$'),
  unit_value         numeric(12, 2) NOT NULL CHECK (unit_value > 0),
  currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  unit_weight_grams  integer CHECK (unit_weight_grams > 0),
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE products;
