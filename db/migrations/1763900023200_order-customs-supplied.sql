-- Up Migration
-- Customs data supplied after the order came (PUT /v1/orders/:id/customs, issue 25): the order's
-- terms and each SKU's fields, overriding what the order brought; the order as received stays as it was.
ALTER TABLE orders ADD COLUMN customs_supplied jsonb;

-- Down Migration
ALTER TABLE orders DROP COLUMN customs_supplied;
