// Production mode (NODE_ENV=production) refuses development and missing secrets (issue 18,
// finding 1): the real API and worker processes, started as a deployment would start them.
import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { CARRIERS, carrierSecrets } from '../../carriers/registry';
import { loadConfig } from '../../lib/config';
import { devServerAddress, ROOT, TEST_DATABASE_URL } from '../helpers/env';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const carriers = { connectors: CARRIERS, secretsOf: carrierSecrets };
const DEV_SHOPIFY_SECRET = 'shopify-webhook-secret-dev-only';

/** Every secret a production deployment sets, none of them a development default. */
function productionEnv(): Record<string, string> {
  const real = (name: string) => `${name.toLowerCase()}-real-value-0123456789`;
  return {
    NODE_ENV: 'production',
    DATABASE_URL: TEST_DATABASE_URL,
    TEMPORAL_ADDRESS: devServerAddress(),
    API_KEYS: `oms:orders:${createHash('sha256').update('a-real-key').digest('hex')}`,
    SHOPIFY_WEBHOOK_SECRET: real('SHOPIFY_WEBHOOK_SECRET'),
    WOOCOMMERCE_WEBHOOK_SECRET: real('WOOCOMMERCE_WEBHOOK_SECRET'),
    WEBHOOK_SUBSCRIBERS: JSON.stringify([{ id: 'oms', kind: 'webhook', url: 'https://oms.example/hooks', secret: real('oms') }]),
    PAYLOAD_KEYS: `prod-1:${Buffer.alloc(32, 7).toString('base64')}`,
    PAYLOAD_KEY_ID: 'prod-1',
    SMS_API_KEY: real('SMS_API_KEY'),
    RATING_TOKEN_SECRET: real('RATING_TOKEN_SECRET'),
    ...Object.fromEntries(CARRIERS.flatMap((c) => c.secrets).map((name) => [name, real(name)])),
  };
}

/** Every variable production mode must name when nothing is set. */
const EVERY_SECRET = [
  'DATABASE_URL',
  'API_KEYS',
  'SHOPIFY_WEBHOOK_SECRET',
  'WOOCOMMERCE_WEBHOOK_SECRET',
  'WEBHOOK_SUBSCRIBERS',
  'PAYLOAD_KEYS',
  'RATING_TOKEN_SECRET',
  'SMS_API_KEY',
  ...CARRIERS.flatMap((c) => c.secrets),
];

const refusedNames = (env: Record<string, string>) => {
  try {
    loadConfig(env, carriers);
    return [];
  } catch (err) {
    return [...(err as Error).message.matchAll(/^ {2}([A-Z_]+):/gm)].map((m) => m[1]);
  }
};

test('development mode keeps its defaults; production mode with real secrets starts', () => {
  expect(() => loadConfig({}, carriers)).not.toThrow();
  expect(refusedNames(productionEnv())).toEqual([]);
});

test.each([
  ['API_KEYS', 'dev:orders+ops+wms:57c8139db7290a9064aa57837c951138a32df40cca3aca526319f55651368823'],
  ['SHOPIFY_WEBHOOK_SECRET', DEV_SHOPIFY_SECRET],
  ['WOOCOMMERCE_WEBHOOK_SECRET', 'woocommerce-webhook-secret-dev-only'],
  ['PAYLOAD_KEYS', `prod-1:${Buffer.alloc(32, 7).toString('base64')},dev-2026:ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE=`],
  ['WEBHOOK_SUBSCRIBERS', '[{"id":"oms","kind":"webhook","url":"https://oms.example/hooks","secret":"oms-webhook-secret-dev-only"}]'],
  ['UPS_WEBHOOK_SECRET', 'sandbox-ups-webhook-secret-dev-only'],
  ['CODEC_KEYLESS_FROM_UI', 'true'],
  ['RATING_TOKEN_SECRET', 'rating-token-secret-dev-only'],
])('production mode refuses %s set to its development value, naming only it', (name, value) => {
  expect(refusedNames({ ...productionEnv(), [name]: value })).toEqual([name]);
});

/** A free local port for a process under test. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  exitCode: Promise<number | null>;
  output: () => string;
  stop: () => void;
}

/** A process of ours with exactly `env` (nothing inherited but PATH and HOME). */
function start(entry: string, env: Record<string, string>): Started {
  const child = spawn(TSX, [entry], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    exitCode: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    output: () => output,
    stop: () => child.kill('SIGTERM'),
  };
}

test.each([['api/main.ts'], ['workers/main.ts']])(
  '%s with NODE_ENV=production and no secrets exits non-zero within seconds, one line per missing variable',
  async (entry) => {
    const child = start(entry, { NODE_ENV: 'production' });
    expect(await child.exitCode).toBe(1);
    const lines = child.output().split('\n');
    for (const name of EVERY_SECRET) expect(lines.filter((line) => line.startsWith(`  ${name}: `))).toHaveLength(1);
  },
  30_000,
);

/** A Shopify orders/create delivery signed with `secret`. */
function shopifyDelivery(port: number, secret: string) {
  const body = readFileSync(path.join(ROOT, 'test/fixtures/storefronts/shopify-orders-create.json'), 'utf8');
  return fetch(`http://127.0.0.1:${port}/v1/webhooks/storefronts/shopify`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body).digest('base64'),
    },
    body,
  });
}

/** Whether the process logs `line` within 20 s without exiting first. */
async function logs(child: Started, line: string): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (child.output().includes(line)) return true;
    const exited = await Promise.race([child.exitCode.then(() => true), new Promise((r) => setTimeout(() => r(false), 200))]);
    if (exited) return false;
  }
  return false;
}

test('the development Shopify secret cannot create an order in production mode: the API refuses to start with it, and one started with a real secret answers a delivery signed with it 401', async () => {
  const devPort = await freePort();
  const withDevSecret = start('api/main.ts', { ...productionEnv(), API_PORT: String(devPort), SHOPIFY_WEBHOOK_SECRET: DEV_SHOPIFY_SECRET });
  expect(await withDevSecret.exitCode).toBe(1);
  expect(withDevSecret.output()).toMatch(/^ {2}SHOPIFY_WEBHOOK_SECRET: /m);
  await expect(shopifyDelivery(devPort, DEV_SHOPIFY_SECRET)).rejects.toThrow(); // nothing listens

  const port = await freePort();
  const api = start('api/main.ts', { ...productionEnv(), API_PORT: String(port) });
  try {
    expect(await logs(api, 'api listening')).toBe(true);
    const res = await shopifyDelivery(port, DEV_SHOPIFY_SECRET);
    expect([res.status, ((await res.json()) as { error: string }).error]).toEqual([401, 'invalid_signature']);
  } finally {
    api.stop();
    await api.exitCode;
  }
}, 60_000);

test('the worker with every secret set starts in production mode', async () => {
  // No metrics endpoint: a dev stack on this machine may hold the default port.
  const worker = start('workers/main.ts', { ...productionEnv(), WORKER_METRICS_ADDRESS: '', WORKER_VERSIONING: 'false' });
  try {
    expect(await logs(worker, 'worker started')).toBe(true);
  } finally {
    worker.stop();
    await worker.exitCode;
  }
}, 60_000);
