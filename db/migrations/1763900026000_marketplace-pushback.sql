-- Up Migration
-- Marketplace pushback (issue 20, docs/design/marketplaces.md section 6). Each connected account is
-- a subscriber of the outbox (mkt-<accountId>); what its marketplace refuses is held for ops instead
-- of stopping every other package: `refused` (with the reason in last_error) until ops retry it
-- (back to pending) or drop it (`dropped`), and later events of the same order wait behind it.
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_status_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_status_check
  CHECK (status IN ('pending', 'delivered', 'refused', 'dropped'));
-- Every pending query asks whether the order has a refused delivery: few rows, found without a scan.
CREATE INDEX webhook_deliveries_refused_idx ON webhook_deliveries (subscriber_id) WHERE status = 'refused';

-- What each account's marketplace has been told, once per parcel and command: a later event of the
-- same parcel (every scan after the first) sends nothing, and ops see what was sent when.
CREATE TABLE marketplace_pushes (
  account_id   text NOT NULL REFERENCES marketplace_accounts (account_id),
  package_id   text NOT NULL,
  shipment_id  text NOT NULL,
  -- 'shipped': the parcel was handed to its carrier (Amazon: confirmShipment).
  command      text NOT NULL,
  event_id     uuid NOT NULL REFERENCES outbound_events (event_id),
  -- pushed: the marketplace took it; dropped: ops gave up a refused push (told by hand, or never to be).
  settled      text NOT NULL DEFAULT 'pushed' CHECK (settled IN ('pushed', 'dropped')),
  pushed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, shipment_id, command)
);

-- Down Migration
DROP TABLE marketplace_pushes;
-- The old check knows neither: a refused push goes back in line, a dropped one counts as delivered.
UPDATE webhook_deliveries SET status = CASE status WHEN 'refused' THEN 'pending' ELSE 'delivered' END WHERE status IN ('refused', 'dropped');
DROP INDEX webhook_deliveries_refused_idx;
ALTER TABLE webhook_deliveries DROP CONSTRAINT webhook_deliveries_status_check;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_status_check CHECK (status IN ('pending', 'delivered'));
