// The servers a bench run measures against: a Temporal dev server (started on free ports, or an
// address to reuse), a fresh PostgreSQL database of its own on the project's cluster, the carrier
// sandbox in this process (no latency, no faults: none are injected), and the API and the engine's
// worker as child processes, so their CPU and memory can be read from /proc apart from the
// bench's own. Everything started here is stopped by stop().
import { freePort } from '../lib/ports';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { TypedSearchAttributes } from '@temporalio/common';
import { searchAttributes } from '../workflows/definitions';
import { startSandbox, type RunningSandbox } from '../sandbox/main';

export const ROOT = path.resolve(__dirname, '..');
const TEMPORAL_CLI = path.join(ROOT, '.tools/bin/temporal');
const PG_PORT = Number(process.env.PG_PORT ?? 54320);
const PG_SUPERUSER_PASSWORD = process.env.PG_SUPERUSER_PASSWORD ?? 'postgres-dev-only';

export interface StackOptions {
  /** A running Temporal server to reuse (no other worker may poll its `orders` queue); a fresh dev server otherwise. */
  temporalAddress?: string;
  /** The bench's own database on the project's cluster, dropped and created again for each run. */
  database: string;
  /** Where child processes write their logs. */
  logDir?: string;
}

/** A child process the bench started, with its /proc figures. */
export class BenchProcess {
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  /** User + system CPU seconds so far (from /proc/<pid>/stat, clock ticks of 1/100 s). */
  cpuSeconds(): number {
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  /** Resident memory now, in bytes (VmRSS). */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface Stack {
  temporalAddress: string;
  databaseUrl: string;
  sandbox: RunningSandbox;
  api: { url: string; process: BenchProcess };
  /** The environment every child process gets (carriers at the sandbox, the bench database). */
  env: NodeJS.ProcessEnv;
  logDir: string;
  /** Starts a child running a bench entry point (bench/<file>.ts), with Node flags `node` (e.g. --cpu-prof); resolves once it sends 'ready'. */
  startChild(name: string, file: string, env?: NodeJS.ProcessEnv, node?: string[]): Promise<BenchProcess>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exitCode(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve) => spawn(cmd, args, { stdio: 'ignore' }).on('exit', (code) => resolve(code ?? 1)));
}

async function startDevServer(logDir: string): Promise<{ address: string; child: ChildProcess }> {
  if (!existsSync(TEMPORAL_CLI)) throw new Error(`${TEMPORAL_CLI} is missing: run npm run setup first`);
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const registered = Object.values(searchAttributes).map(
    (key) => `--search-attribute=${key.name}=${TypedSearchAttributes.toMetadataType(key.type)}`,
  );
  const log = openSync(path.join(logDir, 'temporal.log'), 'a');
  const child = spawn(
    TEMPORAL_CLI,
    ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error', ...registered],
    { stdio: ['ignore', log, log] },
  );
  const deadline = Date.now() + 60_000;
  while ((await exitCode(TEMPORAL_CLI, ['operator', 'cluster', 'health', '--address', address])) !== 0) {
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`the Temporal dev server at ${address} did not start (see ${logDir}/temporal.log)`);
    await sleep(250);
  }
  return { address, child };
}

/** Drops and creates the bench's database, then applies the project's migrations to it. */
async function freshDatabase(name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${name} must be lower-case letters, digits and _`);
  const admin = new PgClient({
    host: '127.0.0.1',
    port: PG_PORT,
    user: 'postgres',
    password: PG_SUPERUSER_PASSWORD,
    database: 'postgres',
    connectionTimeoutMillis: 5_000,
  });
  try {
    await admin.connect();
  } catch (err) {
    const hint = `PostgreSQL on 127.0.0.1:${PG_PORT} does not answer (${(err as Error).message}): run npm run setup first`;
    throw new Error(hint, { cause: err });
  }
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name} OWNER order_engine`);
  } finally {
    await admin.end();
  }
  const url = `postgres://order_engine:order_engine_dev@127.0.0.1:${PG_PORT}/${name}`;
  const migrate = path.join(ROOT, 'node_modules/.bin/node-pg-migrate');
  const code = await new Promise<number>((resolve) =>
    spawn(migrate, ['up', '-m', 'db/migrations', '--migration-file-language', 'sql', '-d', 'DATABASE_URL', '--no-check-order'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
      stdio: 'ignore',
    }).on('exit', (c) => resolve(c ?? 1)),
  );
  if (code !== 0) throw new Error(`migrating ${name} failed`);
  return url;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const logDir = options.logDir ?? mkdtempSync(path.join(tmpdir(), 'order-engine-bench-'));
  const started: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const undo of started.reverse()) await undo().catch(() => undefined);
    started.length = 0;
  };
  try {
    let temporalAddress = options.temporalAddress;
    if (!temporalAddress) {
      const server = await startDevServer(logDir);
      temporalAddress = server.address;
      started.push(async () => {
        const exited = new Promise((r) => server.child.once('exit', r));
        server.child.kill('SIGTERM');
        await Promise.race([exited, sleep(10_000).then(() => server.child.kill('SIGKILL'))]);
      });
    }
    const databaseUrl = await freshDatabase(options.database);
    const sandbox = await startSandbox({ port: 0 }); // no webhook subscription: the bench pushes UPS scans itself (throughput.ts)
    started.push(() => sandbox.close());

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      UPS_BASE_URL: `${sandbox.url}/ups`,
      YURTICI_BASE_URL: `${sandbox.url}/yurtici`,
      ARAS_ORDER_URL: `${sandbox.url}/aras/arascargoservice/arascargoservice.asmx`,
      ARAS_QUERY_URL: `${sandbox.url}/aras/ArasCargoIntegrationService.svc`,
      MNG_BASE_URL: `${sandbox.url}/mng`,
      SURAT_BASE_URL: `${sandbox.url}/surat`,
      PTT_BASE_URL: `${sandbox.url}/ptt`,
      LOG_LEVEL: 'warn',
    };
    const children: BenchProcess[] = [];
    started.push(async () => void (await Promise.all(children.map((c) => c.stop()))));
    const startChild = async (name: string, file: string, extra: NodeJS.ProcessEnv = {}, node: string[] = []) => {
      const log = openSync(path.join(logDir, `${name}.log`), 'a');
      const child = spawn(process.execPath, [...node, '--import', 'tsx', path.join(__dirname, file)], {
        cwd: ROOT,
        env: { ...env, ...extra },
        stdio: ['ignore', log, log, 'ipc'],
      });
      const proc = new BenchProcess(name, child);
      children.push(proc);
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready: see ${logDir}/${name}.log`)));
      });
      child.removeAllListeners('exit');
      return proc;
    };

    const apiPort = await freePort();
    const api = await startChild('api', 'api-main.ts', { API_PORT: String(apiPort) });
    return {
      temporalAddress,
      databaseUrl,
      sandbox,
      api: { url: `http://127.0.0.1:${apiPort}`, process: api },
      env,
      logDir,
      startChild,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
