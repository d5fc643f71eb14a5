// Where the tests find the real servers. test/global-setup.ts starts the Temporal CLI dev
// server and exports its address; PostgreSQL and the Java test server come from scripts/setup.
import path from 'node:path';
import { randomUUID } from 'node:crypto';

export const ROOT = path.resolve(__dirname, '../..');
export const TEMPORAL_CLI = path.join(ROOT, '.tools/bin/temporal');
export const TEST_SERVER_SCRIPT = path.join(ROOT, 'scripts/test-server/run');

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://order_engine:order_engine_dev@127.0.0.1:54320/order_engine_test';

export function devServerAddress(): string {
  const address = process.env.TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEST_TEMPORAL_ADDRESS is unset: run the tests through jest (test/global-setup.ts starts the dev server)');
  return address;
}

/** Order ids unique across runs: the test database outlives each run. */
export function uniqueOrderId(prefix = 'T'): string {
  return `${prefix}-${randomUUID().slice(0, 13)}`;
}
