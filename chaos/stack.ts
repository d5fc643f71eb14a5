// The whole engine, started by the chaos run itself as child processes on free ports in a
// temporary directory: PostgreSQL, the Temporal dev server (persisted to a SQLite file there, so
// a restart keeps every workflow) or the real cluster (chaos/cluster.ts), the carrier sandbox, the
// worker and the API. The developer's dev stack and the test cluster are never touched.
import { freePort } from '../lib/ports';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TypedSearchAttributes } from '@temporalio/common';
import { SANDBOX_INBOX_SECRETS } from '../sandbox/inbox';
import { searchAttributes } from '../workflows/definitions';
import { startCluster, type TemporalCluster } from './cluster';
import { startPostgres, startPostgresServer } from './postgres';
import { httpReady, logReady, ManagedProcess, until } from './processes';

const run = promisify(execFile);

export const ROOT = path.resolve(__dirname, '..');

export const DEV_API_KEY = 'dev-key-change-me'; // the development key lib/config.ts's API_KEYS default accepts
const TEMPORAL_CLI = path.join(ROOT, '.tools/bin/temporal');

/** Every carrier the worker books with (carriers/registry.ts), each under its prefix in the sandbox; chaos knows each one's admin API, so a new carrier gets its entries here (the compiler asks for them). */
export const CARRIERS = ['ups', 'yurtici', 'aras', 'mng', 'surat', 'ptt'] as const;
export type CarrierName = (typeof CARRIERS)[number];

export interface StackSettings {
  /** Per carrier call (CARRIER_TIMEOUT_MS): short, so a hang costs little. */
  carrierTimeoutMs: number;
  /** Where the run's directory goes (a new temporary one by default). */
  dir?: string;
  /** The CLI's dev server (one process, SQLite) or the real cluster of scripts/cluster. */
  temporal: 'dev' | 'cluster';
}

export interface Stack {
  dir: string;
  apiUrl: string;
  sandboxUrl: string;
  temporalAddress: string;
  databaseUrl: string;
  /** The environment every engine process got (the runner's own Temporal client reads its payload keys). */
  env: NodeJS.ProcessEnv;
  postgres: ManagedProcess;
  /** The dev server, or scripts/cluster itself (its services are in `cluster`). */
  temporal: ManagedProcess;
  cluster?: TemporalCluster;
  sandbox: ManagedProcess;
  worker: ManagedProcess;
  api: ManagedProcess;
  logs: Record<'postgres' | 'temporal' | 'sandbox' | 'worker' | 'api', string>;
  stop(): Promise<void>;
}

async function temporalHealthy(address: string): Promise<boolean> {
  return run(TEMPORAL_CLI, ['operator', 'cluster', 'health', '--address', address], { timeout: 5_000 }).then(
    () => true,
    () => false,
  );
}

/** The dev server on `port`, its workflows kept in `dir`/temporal.db across restarts (test/helpers/marketplace-intake.ts starts one too). */
export function temporalServer(dir: string, port: number, logFile: string): ManagedProcess {
  if (!existsSync(TEMPORAL_CLI)) throw new Error(`${TEMPORAL_CLI} is missing: run scripts/setup (npm test and npm run dev do)`);
  // The search attributes scripts/dev and test/global-setup.ts register, from workflows/definitions.ts.
  const registered = Object.values(searchAttributes).map(
    (key) => `--search-attribute=${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`,
  );
  const address = `127.0.0.1:${port}`;
  return new ManagedProcess({
    name: 'temporal',
    command: TEMPORAL_CLI,
    args: [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--db-filename',
      path.join(dir, 'temporal.db'),
      '--log-level',
      'warn',
      ...registered,
    ],
    env: process.env,
    cwd: dir,
    logFile,
    stopSignal: 'SIGTERM',
    ready: () => until(() => temporalHealthy(address), 300),
  });
}

interface TemporalSide {
  temporal: ManagedProcess;
  temporalAddress: string;
  cluster?: TemporalCluster;
  /** The cluster's own PostgreSQL server. */
  postgres?: ManagedProcess;
}

async function devServer(dir: string, port: number, logFile: string): Promise<TemporalSide> {
  const temporal = temporalServer(dir, port, logFile);
  await temporal.start(120_000);
  return { temporal, temporalAddress: `127.0.0.1:${port}` };
}

async function clusterOnItsOwnPostgres(dir: string, logFile: string): Promise<TemporalSide> {
  const port = await freePort();
  const postgres = await startPostgresServer({ dir, name: 'temporal-postgres', port, logFile: path.join(dir, 'temporal-postgres.log') });
  const cluster = await startCluster({ root: ROOT, dir, postgres: { port, superuserPassword: postgres.superuserPassword }, logFile });
  return { temporal: cluster.script, temporalAddress: cluster.address, cluster, postgres: postgres.process };
}

/** A TypeScript entry point of the engine, run by node with tsx's loader (one process, so SIGKILL leaves nothing behind). */
function engineProcess(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  logFile: string,
  ready: (offset: number) => Promise<void>,
): ManagedProcess {
  return new ManagedProcess({
    name,
    command: process.execPath,
    args: ['--import', 'tsx', entry],
    env,
    cwd: ROOT,
    logFile,
    stopSignal: 'SIGTERM',
    ready,
  });
}

export async function startStack(settings: StackSettings, say: (line: string) => void = () => undefined): Promise<Stack> {
  const dir = settings.dir ?? mkdtempSync(path.join(tmpdir(), 'order-engine-chaos-'));
  chmodSync(dir, 0o711); // PostgreSQL's user must reach its data directory inside
  const [pgPort, temporalPort, sandboxPort, apiPort, smtpPort, metricsPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const logs = {
    postgres: path.join(dir, 'postgres.log'),
    temporal: path.join(dir, 'temporal.log'),
    sandbox: path.join(dir, 'sandbox.log'),
    worker: path.join(dir, 'worker.log'),
    api: path.join(dir, 'api.log'),
  };
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;

  say(`starting the stack in ${dir}${settings.temporal === 'cluster' ? ' (Temporal: the cluster of scripts/cluster)' : ''}`);
  const [pg, temporalSide] = await Promise.all([
    startPostgres({ root: ROOT, dir, port: pgPort, logFile: logs.postgres }),
    settings.temporal === 'cluster' ? clusterOnItsOwnPostgres(dir, logs.temporal) : devServer(dir, temporalPort, logs.temporal),
  ]);
  const { temporal, cluster, temporalAddress } = temporalSide;

  // lib/config.ts names every variable; the ones pointing anywhere are set here, so nothing of a
  // developer's own environment (a dev stack's ports) leaks in.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: pg.databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    API_PORT: String(apiPort),
    PUBLIC_BASE_URL: apiUrl,
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_HOST: '127.0.0.1',
    SANDBOX_UPS_WEBHOOK_URL: `${apiUrl}/v1/webhooks/carriers/ups`,
    UPS_BASE_URL: `${sandboxUrl}/ups`,
    YURTICI_BASE_URL: `${sandboxUrl}/yurtici`,
    ARAS_ORDER_URL: `${sandboxUrl}/aras/arascargoservice/arascargoservice.asmx`,
    ARAS_QUERY_URL: `${sandboxUrl}/aras/ArasCargoIntegrationService.svc`,
    MNG_BASE_URL: `${sandboxUrl}/mng`,
    SURAT_BASE_URL: `${sandboxUrl}/surat`,
    PTT_BASE_URL: `${sandboxUrl}/ptt`,
    // Customers and the OMS as the sandbox plays them: its mail catcher, SMS gateway and webhook inbox.
    WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
    // Each worker (re)start makes its own version current, as npm run dev does (docs/upgrading.md).
    WORKER_SET_CURRENT_VERSION: 'true',
    SANDBOX_SMTP_PORT: String(smtpPort),
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMS_BASE_URL: `${sandboxUrl}/sms`,
    WEBHOOK_SUBSCRIBERS: JSON.stringify([
      { id: 'oms', kind: 'webhook', url: `${sandboxUrl}/inbox/oms`, secret: SANDBOX_INBOX_SECRETS.oms },
    ]),
    CARRIER_TIMEOUT_MS: String(settings.carrierTimeoutMs),
    // The carriers' own limits are not what this run is about: high enough never to be the bottleneck.
    CARRIER_RATE_LIMITS: 'ups=50,yurtici=50,aras=50,mng=50,surat=50,ptt=50',
    // One key submits every order and ops call of the run.
    API_RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'warn',
  };
  delete env.TEST_DATABASE_URL;

  const sandbox = engineProcess('sandbox', 'sandbox/main.ts', env, logs.sandbox, httpReady(`${sandboxUrl}/healthz`));
  // The worker logs at info: its "customer notified" lines are the notifications it sent.
  const worker = engineProcess(
    'worker',
    'workers/main.ts',
    { ...env, LOG_LEVEL: 'info' },
    logs.worker,
    logReady(logs.worker, '"msg":"worker started"'),
  );
  const api = engineProcess('api', 'api/main.ts', env, logs.api, httpReady(`${apiUrl}/healthz`));
  await Promise.all([sandbox.start(), worker.start(180_000), api.start()]);

  const all = { postgres: pg.process, temporal, cluster, sandbox, worker, api };
  return {
    dir,
    apiUrl,
    sandboxUrl,
    temporalAddress,
    databaseUrl: pg.databaseUrl,
    env,
    ...all,
    logs,
    async stop() {
      for (const p of [api, worker, sandbox]) await p.stop(10_000);
      await (cluster ? cluster.stop() : temporal.stop(15_000));
      await temporalSide.postgres?.stop(15_000);
      await pg.process.stop(15_000);
    },
  };
}
