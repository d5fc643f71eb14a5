// The production-shaped Temporal of scripts/cluster (npm run cluster): the real server, each service a
// process of its own, two history processes sharing the shards, on PostgreSQL. An order goes to
// labelled through the real worker and API; the history process that owns the order's shard is killed
// (kill -9) with the order waiting for its parcel; the carrier's scans, pushed by webhook right after,
// still reach it and the order is delivered: the surviving history process took the dead one's shards.
// Beside the services, the Web UI's server serves the UI's pages and lists the cluster's namespace.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express, { type Express } from 'express';
import { Client as PgClient } from 'pg';
import request from 'supertest';
import { createUpsAdapter } from '../../carriers/ups';
import { createUpsWebhook } from '../../carriers/ups/webhook';
import type { OrderView } from '../../domain/order';
import { freePort, freePortRange } from '../../lib/ports';
import { SANDBOX_UPS_CREDENTIALS } from '../../sandbox/app';
import { startSandbox, type RunningSandbox } from '../../sandbox/main';
import { orderWorkflowId } from '../../workflows/definitions';
import { authorized, eventually, startApiHarness, type ApiHarness } from '../helpers/api-harness';
import { ROOT, TEST_DATABASE_URL } from '../helpers/env';
import { stockedOrder } from '../helpers/stock';
import { gatherOutput, type ScriptOutput } from '../helpers/script-output';
import { parcelWorkflowId } from '../../lib/parcels';

const PG_PORT = new URL(TEST_DATABASE_URL).port;
// Databases of the test's own: a developer's `npm run cluster` keeps temporal and temporal_visibility.
const CLUSTER_DB = 'temporal_test';
const TRACK_ALERT = { clientId: 'test-ups-track-alert', clientSecret: 'test-ups-webhook-secret-0123456789' };

// Kept after the run (git-ignored, replaced by the next): the services' logs, when something failed.
const clusterDir = path.join(ROOT, '.data/cluster-test');
let cluster: ChildProcess;
let exited: Promise<void>;
let output: ScriptOutput;
let sandbox: RunningSandbox;
let harness: ApiHarness;
let server: Server;
/** The harness's app behind the count of unanswered requests, and the same with the test key. */
let app: Express;
let api: ReturnType<typeof authorized>;
/** The cluster's Web UI, http://127.0.0.1:<CLUSTER_UI_PORT>. */
let ui: string;

/** Starts scripts/cluster on free ports with fresh databases (--reset); resolves with its frontend's address. */
async function startCluster(): Promise<string> {
  const frontendPort = await freePort();
  const uiPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLUSTER_SKIP_SETUP: '1', // npm test ran scripts/setup
    CLUSTER_DIR: clusterDir,
    CLUSTER_FRONTEND_PORT: String(frontendPort),
    CLUSTER_PORT_BASE: String(await freePortRange(10)),
    CLUSTER_UI_PORT: String(uiPort),
    CLUSTER_DB,
    CLUSTER_VISIBILITY_DB: 'temporal_visibility_test',
    PG_PORT,
    KEEP_POSTGRES: '1',
  };
  delete env.DATABASE_URL; // scripts/lib.sh derives it from PG_PORT: the cluster's PostgreSQL is the tests'
  cluster = spawn('bash', ['scripts/cluster', '--reset'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  output = gatherOutput(cluster, 'scripts/cluster');
  exited = new Promise((resolve) => cluster.once('exit', () => resolve()));
  await output.waitFor('Ctrl-C stops the cluster', 120);
  ui = `http://127.0.0.1:${uiPort}`;
  return `127.0.0.1:${frontendPort}`;
}

beforeAll(async () => {
  const started = Date.now();
  const address = await startCluster();
  sandbox = await startSandbox({ port: 0 });
  const ups = createUpsAdapter({ baseUrl: `${sandbox.url}/ups`, ...SANDBOX_UPS_CREDENTIALS, timeoutMs: 5_000 });
  harness = await startApiHarness([ups], { carrierWebhooks: [createUpsWebhook(TRACK_ALERT)] }, {}, address);
  app = counted(harness.app);
  api = authorized(app);
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  // The sandbox's UPS pushes each scan to the API (Track Alert), as it does under npm run dev.
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/webhooks/carriers/ups`;
  await request(sandbox.app)
    .put('/_admin/ups/webhook')
    .send({ url, tokenUrl: `${url}/token`, ...TRACK_ALERT })
    .expect(200);
  console.log(`[cluster] up with worker and API in ${((Date.now() - started) / 1000).toFixed(1)} s at ${address}`);
}, 180_000);

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  // A call dropped while the shard moved (a Track Alert the sandbox gave up on after 5 s, a status read
  // past its 10 s) still has its handler retrying on the Temporal client (gRPC retries, up to ~20 s):
  // closing the connection under it throws from a timer, uncaught, and ends jest.
  const [waiting, since] = [handling, Date.now()];
  for (let i = 0; i < 300 && handling > 0; i++) await new Promise((r) => setTimeout(r, 100));
  if (waiting > 0) console.log(`[cluster] waited ${Date.now() - since} ms for ${waiting} unanswered call(s) before closing`);
  await harness?.stop();
  await sandbox?.close();
  if (cluster && cluster.exitCode === null) {
    cluster.kill('SIGTERM'); // scripts/cluster stops every service it started
    await exited;
  }
}, 60_000);

/** The app, counting the requests whose handler has not answered yet (`handling`), even those the caller dropped. */
let handling = 0;
function counted(app: Express): Express {
  const outer = express();
  outer.use((_req, res, next) => {
    handling++;
    const end = res.end.bind(res);
    let ended = false;
    res.end = ((...args: Parameters<typeof end>) => {
      if (!ended) handling--;
      ended = true;
      return end(...args);
    }) as typeof res.end;
    next();
  });
  outer.use(app);
  return outer;
}

interface ClusterProcess {
  name: string;
  pid: number;
  address: string;
}

/** scripts/cluster's table of its processes: "name pid gRPC-address" a line. */
function processes(): ClusterProcess[] {
  return readFileSync(path.join(clusterDir, 'processes'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .map(([name, pid, address]) => ({ name, pid: Number(pid), address }));
}

/** The history process that owns the workflow's shard: its gRPC address is in the shard's record. */
async function historyOwning(workflowId: string): Promise<ClusterProcess> {
  const db = new PgClient({ connectionString: `postgres://temporal:temporal_dev_only@127.0.0.1:${PG_PORT}/${CLUSTER_DB}` });
  await db.connect();
  try {
    const { rows } = await db.query<{ data: Buffer }>(
      'SELECT s.data FROM shards s JOIN executions e ON e.shard_id = s.shard_id WHERE e.workflow_id = $1',
      [workflowId],
    );
    const owner = processes().find((p) => p.name.startsWith('history') && rows[0]?.data.includes(`${p.address}-`));
    if (!owner) throw new Error(`no history process owns the shard of ${workflowId}`);
    return owner;
  } finally {
    await db.end();
  }
}

async function orderReaching(orderId: string, status: string, seconds: number): Promise<OrderView> {
  const res = await eventually(
    () => api.get(`/v1/orders/${orderId}`).timeout(10_000), // a hung call fails, with the cluster's logs named
    (r) => r.status === 200 && r.body.status === status,
    seconds,
  );
  if (res.body.status !== status)
    throw new Error(`order ${orderId} is ${res.body.status}, not ${status}, after ${seconds} s (logs: ${clusterDir}/logs)`);
  return res.body;
}

test("the Web UI's server serves the UI and lists the cluster's namespace", async () => {
  expect(output.text()).toContain(`Web UI       ${ui}`);
  const page = await fetch(`${ui}/`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  const html = await page.text();
  // The UI's pages are built into the server: its entry script is served from them.
  const script = html.match(/\/_app\/immutable\/entry\/start\.[\w-]+\.js/)?.[0];
  expect(script).toBeDefined();
  const asset = await fetch(`${ui}${script}`);
  expect([asset.status, asset.headers.get('content-type')]).toEqual([200, expect.stringContaining('javascript')]);
  // Its API proxies the frontend: the namespace scripts/cluster registered, and the codec the browser is given.
  const { namespaces } = (await (await fetch(`${ui}/api/v1/namespaces`)).json()) as { namespaces: { namespaceInfo: { name: string } }[] };
  expect(namespaces.map((n) => n.namespaceInfo.name)).toContain('default');
  const settings = (await (await fetch(`${ui}/api/v1/settings`)).json()) as { Codec: { Endpoint: string } };
  expect(settings.Codec.Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/codec$/);
});

test('an order reaches labelled on the cluster, and is delivered after the history process owning its shard is killed -9', async () => {
  const alive = (pid: number) => {
    try {
      return process.kill(pid, 0);
    } catch {
      return false;
    }
  };
  expect(processes().map((p) => [p.name, alive(p.pid)])).toEqual(
    ['history-1', 'history-2', 'matching', 'frontend', 'worker'].map((name) => [name, true]),
  );
  const { order } = await stockedOrder(harness.pool);
  await api.post('/v1/orders').send(order).expect(202);
  const labelled = await orderReaching(order.orderId, 'labelled', 60);
  const { trackingNumber, carrier } = labelled.shipments[0];
  expect(carrier).toBe('ups');

  const victim = await historyOwning(orderWorkflowId(order.orderId));
  const survivor = processes().find((p) => p.name.startsWith('history') && p.name !== victim.name)!;
  process.kill(victim.pid, 'SIGKILL');
  const killedAt = Date.now();

  // Scans pushed at once: the frontend routes the API's signals to the dead process until the
  // membership ring drops it and the survivor takes its shards; the carrier retries meanwhile.
  for (const code of ['I/PU', 'I/OR', 'I/OT', 'D/FS']) {
    await request(sandbox.app).post(`/_admin/ups/shipments/${trackingNumber}/advance`).send({ code }).expect(201);
    await request(sandbox.app).get('/_admin/ups/webhook/deliveries?wait=true').expect(200);
  }
  const delivered = await orderReaching(order.orderId, 'delivered', 90);
  console.log(`[cluster] killed ${victim.name} (pid ${victim.pid}); delivered ${((Date.now() - killedAt) / 1000).toFixed(1)} s later`);
  expect(delivered.shipments[0].status).toBe('delivered');

  expect(output.text()).toContain(`${victim.name} (pid ${victim.pid}) exited with code 137; the others go on`);
  expect(await historyOwning(orderWorkflowId(order.orderId))).toEqual(survivor);
  // The parcel's workflow too: its order's, when it runs inside it (its record says which).
  expect(await historyOwning(await parcelWorkflowId(harness.pool, labelled.shipments[0].shipmentId))).toEqual(survivor);
}, 240_000);
