-- Up Migration
-- Customer satisfaction (issue 26): the customer's own rating of a delivery, one per parcel,
-- given through the signed link in the delivered notice and changeable for a week. A low rating
-- (1-2 stars) is published as `shipment.rated` like every other business event (the outbox), so
-- the OMS or a helpdesk can follow up; the API raises the ops alert.
CREATE TABLE delivery_ratings (
  shipment_id  text PRIMARY KEY,
  order_id     text NOT NULL,
  stars        smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
  reasons      text[] NOT NULL DEFAULT '{}',
  comment      text CHECK (char_length(comment) <= 500),
  language     text NOT NULL,
  rated_at     timestamptz NOT NULL DEFAULT now(), -- the first rating: the week to change it runs from here
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delivery_ratings_order_idx ON delivery_ratings (order_id);

CREATE FUNCTION delivery_ratings_publish() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.stars <= 2 THEN
    PERFORM publish_outbound_event(NEW.order_id, 'shipment.rated', jsonb_build_object(
      'orderId', NEW.order_id, 'shipmentId', NEW.shipment_id, 'stars', NEW.stars,
      'reasons', to_jsonb(NEW.reasons), 'comment', NEW.comment));
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER delivery_ratings_publish AFTER INSERT OR UPDATE ON delivery_ratings
  FOR EACH ROW EXECUTE FUNCTION delivery_ratings_publish();

-- Down Migration
DROP TRIGGER delivery_ratings_publish ON delivery_ratings;
DROP FUNCTION delivery_ratings_publish();
DROP TABLE delivery_ratings;
