// Starts one Temporal CLI dev server (the real one, built by scripts/setup) for the whole
// test run, and checks that PostgreSQL is up. Tests that need time skipping start the Java
// test server themselves, one per file.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Client } from 'pg';
import { TypedSearchAttributes } from '@temporalio/common';
import { TEMPORAL_CLI, TEST_DATABASE_URL, TEST_SERVER_SCRIPT } from './helpers/env';
import { freePort } from '../lib/ports';
import { searchAttributes } from '../workflows/definitions';

function run(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve) => spawn(cmd, args, { stdio: 'ignore' }).on('exit', (code) => resolve(code ?? 1)));
}

async function waitForHealthy(address: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if ((await run(TEMPORAL_CLI, ['operator', 'cluster', 'health', '--address', address])) === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the Temporal dev server at ${address} did not become healthy in ${seconds} s`);
}

async function checkPostgres(): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1 FROM orders LIMIT 1');
  } catch (err) {
    throw new Error(`PostgreSQL test database unavailable (${(err as Error).message}); run scripts/setup or npm test`, { cause: err });
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default async function globalSetup(): Promise<void> {
  for (const tool of [TEMPORAL_CLI, TEST_SERVER_SCRIPT]) {
    if (!existsSync(tool)) throw new Error(`${tool} is missing; run scripts/setup (npm test does)`);
  }
  await checkPostgres();

  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const registered = Object.values(searchAttributes).map(
    (key) => `--search-attribute=${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`,
  );
  const server = spawn(
    TEMPORAL_CLI,
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error', ...registered],
    { stdio: ['ignore', 'ignore', 'inherit'], detached: true },
  );
  (globalThis as { __temporalDevServer?: typeof server }).__temporalDevServer = server;
  await waitForHealthy(address, 60);
  process.env.TEST_TEMPORAL_ADDRESS = address;
  console.log(`\n[tests] Temporal CLI dev server ${TEMPORAL_CLI} on ${address}; Java test server via ${TEST_SERVER_SCRIPT}`);
}
