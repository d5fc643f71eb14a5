-- Up Migration
-- Marketplace intake (issue 20, docs/design/marketplaces.md sections 3-5): the connected seller
-- accounts, each one's pull cursor, every package (Amazon: order) seen and what became of it, its
-- lines (the marketplace's line ids every pushback addresses) and the SKU map. Credentials are not
-- here: MARKETPLACE_CREDENTIALS, keyed by account id.

CREATE TABLE marketplace_accounts (
  -- <marketplace>-<seller_ref>: amazon-<sellerId>-<marketplaceId>, trendyol-<sellerId>.
  account_id     text PRIMARY KEY CHECK (account_id ~ '^[a-z0-9-]{1,64}$'),
  marketplace    text NOT NULL,
  seller_ref     text NOT NULL,
  display_name   text NOT NULL,
  -- Non-secret settings of the account, as its connector's schema reads them (Amazon: marketplaceId).
  settings       jsonb NOT NULL DEFAULT '{}',
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'disabled')),
  paused_reason  text,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE marketplace_cursors (
  account_id    text PRIMARY KEY REFERENCES marketplace_accounts (account_id),
  -- The connector's own cursor (Amazon: {until, windowEnd?, nextToken?}).
  cursor        jsonb NOT NULL,
  -- Bumped by every write: a pull writes its next cursor only over the one it read, so two runs
  -- racing on one account (a manual run beside the schedule's) cannot move it backwards.
  version       integer NOT NULL DEFAULT 1,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE marketplace_packages (
  account_id            text NOT NULL REFERENCES marketplace_accounts (account_id),
  package_id            text NOT NULL,
  -- The order it starts (amz-<AmazonOrderId>): one order per package, whatever repeats.
  order_id              text NOT NULL UNIQUE,
  marketplace_order_id  text NOT NULL,
  -- The marketplace's status at the last sighting (Amazon's OrderStatus).
  status                text NOT NULL,
  -- waiting: not ours to take yet (Amazon Pending); skipped: never ours (shipped or cancelled before
  -- we took it); fetching: ours, its lines and address not read yet; unmappable: held for ops
  -- (attention_field says what); seen: mapped, order not yet started; started.
  state                 text NOT NULL CHECK (state IN ('waiting', 'skipped', 'fetching', 'unmappable', 'seen', 'started')),
  attention_field       text,
  attention_reason      text,
  ship_by               timestamptz,
  -- The marketplace-neutral reading (marketplaces/adapter.ts): the listing at each sighting, with the details once read.
  package               jsonb NOT NULL,
  -- Written once, when first mapped: every later start sends the same body (its fingerprint).
  order_input           jsonb,
  first_seen_at         timestamptz NOT NULL DEFAULT now(),
  last_seen_at          timestamptz NOT NULL DEFAULT now(),
  last_modified         timestamptz NOT NULL,
  PRIMARY KEY (account_id, package_id),
  CHECK ((state = 'unmappable') = (attention_field IS NOT NULL)),
  CHECK (state NOT IN ('seen', 'started') OR order_input IS NOT NULL)
);
-- Each run reads details, starts what is mapped and retries what ops may have fixed: few rows, found without a scan.
CREATE INDEX marketplace_packages_pending_idx ON marketplace_packages (account_id) WHERE state IN ('fetching', 'seen', 'unmappable');

CREATE TABLE marketplace_package_lines (
  account_id       text NOT NULL,
  package_id       text NOT NULL,
  line_id          text NOT NULL,
  marketplace_sku  text NOT NULL,
  quantity         integer NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (account_id, package_id, line_id),
  FOREIGN KEY (account_id, package_id) REFERENCES marketplace_packages (account_id, package_id)
);

-- No row: the marketplace SKU is our SKU.
CREATE TABLE marketplace_sku_map (
  account_id       text NOT NULL REFERENCES marketplace_accounts (account_id),
  marketplace_sku  text NOT NULL,
  sku              text NOT NULL,
  PRIMARY KEY (account_id, marketplace_sku)
);

-- Down Migration
DROP TABLE marketplace_sku_map;
DROP TABLE marketplace_package_lines;
DROP TABLE marketplace_packages;
DROP TABLE marketplace_cursors;
DROP TABLE marketplace_accounts;
