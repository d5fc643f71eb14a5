-- Up Migration

-- The notification ledger now has one row per order, shipment, event and real channel (email,
-- sms) with what happened to it: a row is claimed before sending and marked after, so a retried
-- activity sends only what is not marked sent yet.
ALTER TABLE notifications
  ADD COLUMN status       text NOT NULL DEFAULT 'sent' CHECK (status IN ('sending', 'sent', 'failed', 'skipped')),
  ADD COLUMN attempts     integer NOT NULL DEFAULT 1,
  ADD COLUMN last_error   text,
  ADD COLUMN provider_ref text,
  ADD COLUMN sent_at      timestamptz;

-- Customers who asked not to hear from us on a channel: the normalized address (lower-case
-- email, E.164 phone).
CREATE TABLE notification_opt_outs (
  channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
  address     text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, address)
);

-- Return parcels travel too: the kind tells a return label from an outbound one.
ALTER TABLE shipments ADD COLUMN kind text NOT NULL DEFAULT 'outbound' CHECK (kind IN ('outbound', 'return'));

-- Outbound webhooks: a transactional outbox. Triggers on the business records write an event in
-- the same transaction as the change itself, so an event exists exactly when its change does,
-- in the order the changes were made; each subscriber gets a delivery row to work through.
CREATE TABLE webhook_subscribers (
  subscriber_id  text PRIMARY KEY,
  channels       text[] NOT NULL DEFAULT '{}',  -- empty: every channel
  events         text[] NOT NULL DEFAULT '{}',  -- empty: every event type
  active         boolean NOT NULL DEFAULT true, -- false once dropped from the configuration
  paused_at      timestamptz,
  paused_reason  text,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outbound_events (
  event_id     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq          bigserial NOT NULL UNIQUE,
  order_id     text NOT NULL,
  channel      text NOT NULL,
  type         text NOT NULL,
  data         jsonb NOT NULL,
  occurred_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbound_events_order_idx ON outbound_events (order_id, seq);

CREATE TABLE webhook_deliveries (
  subscriber_id  text NOT NULL REFERENCES webhook_subscribers (subscriber_id) ON DELETE CASCADE,
  event_id       uuid NOT NULL REFERENCES outbound_events (event_id),
  seq            bigint NOT NULL,
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered')),
  attempts       integer NOT NULL DEFAULT 0,
  last_error     text,
  delivered_at   timestamptz,
  PRIMARY KEY (subscriber_id, event_id)
);
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (subscriber_id, seq) WHERE status = 'pending';

-- Records one event and a delivery for each subscriber that wants it, then wakes the dispatchers.
CREATE FUNCTION publish_outbound_event(p_order_id text, p_type text, p_data jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_channel text;
  v_event   outbound_events;
BEGIN
  SELECT channel INTO v_channel FROM orders WHERE order_id = p_order_id;
  INSERT INTO outbound_events (order_id, channel, type, data)
  VALUES (p_order_id, coalesce(v_channel, 'unknown'), p_type, p_data)
  RETURNING * INTO v_event;
  INSERT INTO webhook_deliveries (subscriber_id, event_id, seq)
  SELECT subscriber_id, v_event.event_id, v_event.seq
    FROM webhook_subscribers
   WHERE active
     AND (cardinality(channels) = 0 OR v_event.channel = ANY (channels))
     AND (cardinality(events) = 0 OR p_type = ANY (events));
  IF FOUND THEN
    PERFORM pg_notify('outbound_events', v_event.order_id);
  END IF;
END;
$$;

CREATE FUNCTION orders_publish_status() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    PERFORM publish_outbound_event(NEW.order_id, 'order.status_changed',
      jsonb_build_object('orderId', NEW.order_id, 'from', OLD.status, 'to', NEW.status));
    IF NEW.status = 'cancelled' THEN
      PERFORM publish_outbound_event(NEW.order_id, 'order.cancelled', jsonb_build_object('orderId', NEW.order_id));
    END IF;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER orders_publish_status AFTER UPDATE OF status ON orders
  FOR EACH ROW EXECUTE FUNCTION orders_publish_status();

-- A label (a tracking number appearing) and a delivery are what storefronts act on.
CREATE FUNCTION shipments_publish() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_shipment jsonb := jsonb_build_object('orderId', NEW.order_id, 'shipmentId', NEW.shipment_id,
    'carrier', NEW.carrier, 'trackingNumber', NEW.tracking_number, 'status', NEW.status);
  v_old_tracking text := CASE WHEN TG_OP = 'UPDATE' THEN OLD.tracking_number END;
  v_old_status   text := CASE WHEN TG_OP = 'UPDATE' THEN OLD.status END;
BEGIN
  IF NEW.tracking_number IS NOT NULL AND NEW.tracking_number IS DISTINCT FROM v_old_tracking THEN
    PERFORM publish_outbound_event(NEW.order_id, CASE NEW.kind WHEN 'return' THEN 'return.created' ELSE 'shipment.labelled' END, v_shipment);
  END IF;
  IF NEW.kind = 'outbound' AND NEW.status = 'delivered' AND v_old_status IS DISTINCT FROM 'delivered' THEN
    PERFORM publish_outbound_event(NEW.order_id, 'shipment.delivered', v_shipment);
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER shipments_publish AFTER INSERT OR UPDATE ON shipments
  FOR EACH ROW EXECUTE FUNCTION shipments_publish();

-- Every new carrier scan, once: a resent scan inserts nothing and so publishes nothing.
CREATE FUNCTION tracking_events_publish() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_shipment shipments;
BEGIN
  SELECT * INTO v_shipment FROM shipments WHERE shipment_id = NEW.shipment_id;
  IF NOT FOUND THEN
    RETURN NEW; -- scans of a parcel not recorded yet are published with its first record
  END IF;
  PERFORM publish_outbound_event(v_shipment.order_id, 'shipment.tracking_updated', jsonb_build_object(
    'orderId', v_shipment.order_id, 'shipmentId', NEW.shipment_id, 'carrier', v_shipment.carrier,
    'trackingNumber', NEW.tracking_number, 'status', NEW.status, 'carrierCode', NEW.raw_code,
    'location', NEW.location, 'scannedAt', NEW.occurred_at));
  RETURN NEW;
END;
$$;
CREATE TRIGGER tracking_events_publish AFTER INSERT ON tracking_events
  FOR EACH ROW EXECUTE FUNCTION tracking_events_publish();

-- Down Migration
DROP TRIGGER tracking_events_publish ON tracking_events;
DROP FUNCTION tracking_events_publish();
DROP TRIGGER shipments_publish ON shipments;
DROP FUNCTION shipments_publish();
DROP TRIGGER orders_publish_status ON orders;
DROP FUNCTION orders_publish_status();
DROP FUNCTION publish_outbound_event(text, text, jsonb);
DROP TABLE webhook_deliveries;
DROP TABLE outbound_events;
DROP TABLE webhook_subscribers;
ALTER TABLE shipments DROP COLUMN kind;
DROP TABLE notification_opt_outs;
ALTER TABLE notifications DROP COLUMN sent_at, DROP COLUMN provider_ref, DROP COLUMN last_error, DROP COLUMN attempts, DROP COLUMN status;
