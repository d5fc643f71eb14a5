// A short run of the contract fuzzer (npm run fuzz:contract runs the long one against the dev
// stack): Schemathesis, from scripts/setup's virtualenv, reads /openapi.json and sends what it
// generates from it to the app wired to the real dev server, a worker and PostgreSQL, with every
// check it has: no 5xx, every status and content type documented, requests valid by the contract
// accepted and invalid ones refused, 401 without a key, 405 with Allow for undeclared methods.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { createUpsAdapter } from '../../carriers/ups';
import { SANDBOX_UPS_CREDENTIALS, upsDouble, type UpsState } from '../../sandbox/ups';
import { startApiHarness, TEST_KEYS, type ApiHarness } from '../helpers/api-harness';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';
import { ROOT } from '../helpers/env';
import { MemoryCarrier } from '../helpers/memory-carrier';

const SCHEMATHESIS = path.join(ROOT, '.tools/venv/bin/schemathesis');
const started = new Set<string>();
let harness: ApiHarness;
let double: DoubleSandbox<UpsState>;
let server: Server;
let base: string;

beforeAll(async () => {
  // The API as deployed books courier pickups with UPS (api/deps.ts): here with UPS's double.
  double = await startDouble(upsDouble);
  const ups = createUpsAdapter({ ...SANDBOX_UPS_CREDENTIALS, baseUrl: double.baseUrl, timeoutMs: 3_000 });
  harness = await startApiHarness([new MemoryCarrier('cargo', 50)], {
    updateWaitMs: 3_000,
    returnLabelWaitMs: 3_000,
    pickupCarriers: [ups],
  });
  // In front of the app: notes the orders the fuzzer starts, so they are ended after it.
  const outer = express();
  outer.use((_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: { workflowId?: unknown }) => {
      if (res.statusCode === 202 && typeof body?.workflowId === 'string') started.add(body.workflowId);
      return json(body);
    };
    next();
  });
  outer.use(harness.app);
  server = outer.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  for (const id of started)
    await harness?.client.workflow
      .getHandle(id)
      .terminate('contract fuzz done')
      .catch(() => undefined);
  await harness?.stop();
  await double?.close();
});

function schemathesis(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(SCHEMATHESIS, args, { cwd: path.join(ROOT, '.data'), env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return once(child, 'close').then(([code]) => ({ code: code as number | null, output }));
}

test('every operation holds to its published contract under generated requests (issue 18, finding 9)', async () => {
  const { code, output } = await schemathesis([
    '--config-file',
    path.join(ROOT, 'scripts/fuzz-contract/schemathesis.toml'),
    'run',
    `${base}/openapi.json`,
    '--checks',
    'all',
    '--max-examples',
    '2',
    '--seed',
    process.env.FUZZ_SEED ?? '20261202',
    '--header',
    `Authorization: Bearer ${TEST_KEYS.all}`,
    '--generation-database',
    'none',
    '--no-color',
  ]);
  const summary = output.slice(output.lastIndexOf('SUMMARY'));
  console.log(`[contract-fuzz] ${summary.match(/Test cases:\s*\n\s*(.*)/)?.[1] ?? 'no summary'}`);
  expect({ code, failures: code === 0 ? '' : output.slice(-8_000) }).toEqual({ code: 0, failures: '' });
}, 120_000);
