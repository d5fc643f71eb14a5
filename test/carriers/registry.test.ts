// The carrier registry is the one list everything loops over: adding a carrier is its folder and
// one line in carriers/registry.ts. A made-up connector, registered beside the real ones, gets its
// settings read, an adapter, a worker on its own rate-limited queue, its webhook served and its
// name shown, with no other file touched.
import { NativeConnection } from '@temporalio/worker';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { CarrierWebhook } from '../../carriers/adapter';
import { defineCarrier } from '../../carriers/connector';
import { CARRIERS, carrierAdapters, carrierDisplayName, carrierRateLimits, carrierSecrets, carrierWebhooks } from '../../carriers/registry';
import { createPool } from '../../lib/db';
import { CARRIER_DOUBLES } from '../../sandbox/carriers';
import { createCarrierWorkers } from '../../workers/order-worker';
import { devServerAddress, TEST_DATABASE_URL } from '../helpers/env';
import { MemoryCarrier } from '../helpers/memory-carrier';

const fakeWebhook: CarrierWebhook = { carrier: 'kargofake', receive: () => ({ deliveryId: 'x', events: [] }) };
const fake = defineCarrier({
  name: 'kargofake',
  displayName: 'Kargo Fake',
  capabilities: new MemoryCarrier('kargofake', 10).capabilities,
  rateLimit: 3,
  settings: z.object({
    KARGOFAKE_PRICE: z.coerce.number().positive().default(42),
    KARGOFAKE_TOKEN: z.string().min(8).default('fake-token-dev-only'),
  }),
  secrets: ['KARGOFAKE_TOKEN'],
  create: (s) => new MemoryCarrier('kargofake', s.KARGOFAKE_PRICE),
  webhook: () => fakeWebhook,
});
const registered = [...CARRIERS, fake];

test('every registered carrier builds from the development defaults, under its own name and capabilities', () => {
  const adapters = carrierAdapters({}, { timeoutMs: 1_000 });
  expect(adapters.map((a) => a.name)).toEqual(CARRIERS.map((c) => c.name));
  for (const [i, adapter] of adapters.entries()) expect(adapter.capabilities).toEqual(CARRIERS[i].capabilities);
  expect(new Set(CARRIERS.map((c) => c.name)).size).toBe(CARRIERS.length);
});

test('a registered connector gets its settings, an adapter, a rate limit, its webhook and its name', async () => {
  const adapters = carrierAdapters({ KARGOFAKE_PRICE: '7' }, { timeoutMs: 1_000 }, registered);
  const adapter = adapters.find((a) => a.name === 'kargofake')!;
  const quote = await adapter.quote({ service: 'standard' } as Parameters<typeof adapter.quote>[0]);
  expect(quote.amount).toBe(7);

  expect(carrierRateLimits({}, registered)).toMatchObject({ ups: 20, kargofake: 3 });
  expect(carrierRateLimits({ kargofake: 9 }, registered).kargofake).toBe(9);
  expect(carrierWebhooks({}, registered)).toContain(fakeWebhook);
  expect(carrierDisplayName('kargofake', registered)).toBe('Kargo Fake');
  expect(carrierDisplayName('yurtici')).toBe('Yurtiçi Kargo');
  expect(carrierSecrets({ KARGOFAKE_TOKEN: 'a-real-secret-token' }, registered)).toContain('a-real-secret-token');
});

test('a bad setting fails at start-up, naming the carrier and the variable, never its value', () => {
  expect(() => carrierAdapters({ KARGOFAKE_PRICE: '-1' }, { timeoutMs: 1_000 }, registered)).toThrow(
    /invalid configuration for kargofake: KARGOFAKE_PRICE/,
  );
  expect(() => carrierAdapters({ UPS_BASE_URL: 'not a url' }, { timeoutMs: 1_000 })).toThrow(/invalid configuration for ups: UPS_BASE_URL/);
});

describe('on the Temporal dev server', () => {
  let pool: Pool;
  let connection: NativeConnection;
  beforeAll(async () => {
    pool = createPool(TEST_DATABASE_URL);
    connection = await NativeConnection.connect({ address: devServerAddress() });
  });
  afterAll(async () => {
    await Promise.all([pool?.end(), connection?.close()]);
  });

  test('the registered connector gets a worker on its own queue, held to its rate limit', async () => {
    const carriers = carrierAdapters({}, { timeoutMs: 1_000 }, registered);
    const workers = await Promise.all(
      createCarrierWorkers({
        connection,
        pool,
        carriers,
        carrierRateLimits: carrierRateLimits({}, registered),
        taskQueue: 'registry-test',
      }),
    );
    const queues = Object.fromEntries(workers.map((w) => [w.options.taskQueue, w.options.maxTaskQueueActivitiesPerSecond]));
    expect(queues).toMatchObject({
      'registry-test.carrier.kargofake': 3,
      'registry-test.carrier.ups': 20,
      'registry-test.carrier.mng': 10,
    });
    await Promise.all(workers.map((w) => w.runUntil(Promise.resolve())));
  });
});

test('the sandbox serves a double for exactly the registered carriers', () => {
  expect(CARRIER_DOUBLES.map((d) => d.name).sort()).toEqual(CARRIERS.map((c) => c.name).sort());
});
