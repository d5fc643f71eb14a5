// The real Temporal cluster under the chaos run (--temporal cluster): scripts/cluster on free ports,
// its five services (two of them history) persisted in a PostgreSQL server of the run's own. Not the
// engine's server: a production Temporal keeps its own database, and the engine's PostgreSQL restart
// stays the engine's outage, as it is beside the dev server. The services are scripts/cluster's
// children; a fault kills one by its pid and starts it again with the command line and environment
// it had (read from /proc before the kill), as a supervisor would.
import { readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { freePort, freePortRange } from '../lib/ports';
import { logReady, ManagedProcess, until } from './processes';

/** A process the runner can kill, stop and start again: a ManagedProcess or a cluster service. */
export interface Restartable {
  readonly name: string;
  readonly running: boolean;
  start(timeoutMs?: number): Promise<void>;
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
}

/** Alive, and not a zombie its parent (scripts/cluster's supervise loop) has yet to reap. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function portOpen(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1_000);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

/** One service of the cluster: first the process scripts/cluster started, then the runner's own restarts. */
export class ClusterService implements Restartable {
  private pid: number | undefined;
  private restarted?: ManagedProcess;
  private readonly command: string[];
  private readonly env: NodeJS.ProcessEnv;
  private readonly cwd: string;

  constructor(
    readonly name: string,
    pid: number,
    /** Its gRPC address: what a history process writes into the shards it owns. */
    readonly address: string,
    private readonly logFile: string,
  ) {
    this.pid = pid;
    const split = (file: string) => readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0').filter(Boolean);
    this.command = split('cmdline');
    this.env = Object.fromEntries(split('environ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
    this.cwd = readlinkSync(`/proc/${pid}/cwd`);
  }

  get running(): boolean {
    return this.restarted ? this.restarted.running : this.pid !== undefined && alive(this.pid);
  }

  async kill(): Promise<void> {
    if (this.restarted) return this.restarted.kill();
    await this.signalOriginal('SIGKILL', 10_000);
  }

  async stop(graceMs = 15_000): Promise<void> {
    if (this.restarted) return this.restarted.stop(graceMs);
    if (!(await this.signalOriginal('SIGTERM', graceMs))) await this.signalOriginal('SIGKILL', 10_000);
  }

  /** Started again as it was started first, its output appended to its log; ready once its gRPC port listens. */
  async start(timeoutMs = 120_000): Promise<void> {
    this.restarted ??= new ManagedProcess({
      name: `temporal ${this.name}`,
      command: this.command[0],
      args: this.command.slice(1),
      env: this.env,
      cwd: this.cwd,
      logFile: this.logFile,
      stopSignal: 'SIGTERM',
      ready: () => until(() => portOpen(this.address), 250),
    });
    await this.restarted.start(timeoutMs);
  }

  /** Signals the process scripts/cluster started; true once it is gone within `waitMs`. */
  private async signalOriginal(signal: NodeJS.Signals, waitMs: number): Promise<boolean> {
    const pid = this.pid;
    if (pid === undefined) return true;
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
    for (const until = Date.now() + waitMs; alive(pid) && Date.now() < until;) await sleep(100);
    if (alive(pid)) return false;
    this.pid = undefined;
    return true;
  }
}

export interface TemporalCluster {
  /** scripts/cluster itself: started first, stopped last (it stops the services it started). */
  script: ManagedProcess;
  address: string;
  history: ClusterService[];
  matching: ClusterService;
  frontend: ClusterService;
  /** How many of the history shards a history process owns now, and of how many. */
  shardsOf(service: ClusterService): Promise<{ owned: number; total: number }>;
  /** One mark a service for the progress line: `history-1 ✓ history-2 ✗ …`. */
  describe(): string;
  stop(): Promise<void>;
}

/** scripts/cluster's table of its processes: "name pid gRPC-address" a line. */
function readProcesses(clusterDir: string): { name: string; pid: number; address: string }[] {
  return readFileSync(path.join(clusterDir, 'processes'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' '))
    .map(([name, pid, address]) => ({ name, pid: Number(pid), address }));
}

export async function startCluster({
  root,
  dir,
  postgres,
  logFile,
}: {
  root: string;
  dir: string;
  /** The run's PostgreSQL server for Temporal: its port and superuser password (scripts/cluster creates the role and databases). */
  postgres: { port: number; superuserPassword: string };
  logFile: string;
}): Promise<TemporalCluster> {
  const clusterDir = path.join(dir, 'cluster');
  const frontendPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLUSTER_SKIP_SETUP: '1', // the chaos run uses the tools scripts/setup built; it never builds them
    CLUSTER_DIR: clusterDir,
    CLUSTER_FRONTEND_PORT: String(frontendPort),
    CLUSTER_PORT_BASE: String(await freePortRange(10)),
    CLUSTER_UI_PORT: String(await freePort()), // its Web UI, off the default a developer's npm run cluster holds
    PG_PORT: String(postgres.port),
    PG_SUPERUSER_PASSWORD: postgres.superuserPassword,
    PG_EXTERNAL: '1',
  };
  // scripts/lib.sh derives these from PG_PORT: the cluster's databases are on the run's server.
  delete env.DATABASE_URL;
  delete env.TEST_DATABASE_URL;
  const script = new ManagedProcess({
    name: 'temporal',
    command: 'bash',
    args: [path.join(root, 'scripts/cluster'), '--reset'],
    env,
    cwd: root,
    logFile,
    stopSignal: 'SIGTERM', // it drains every service (history hands its shards over), then exits
    ready: logReady(logFile, 'Ctrl-C stops the cluster'),
  });
  await script.start(180_000);

  const services = readProcesses(clusterDir).map(
    (p) => new ClusterService(p.name, p.pid, p.address, path.join(clusterDir, 'logs', `${p.name}.log`)),
  );
  const named = (name: string) => services.find((s) => s.name === name)!;
  const temporalDb = `postgres://postgres:${postgres.superuserPassword}@127.0.0.1:${postgres.port}/temporal`;
  return {
    script,
    address: `127.0.0.1:${frontendPort}`,
    history: services.filter((s) => s.name.startsWith('history')),
    matching: named('matching'),
    frontend: named('frontend'),
    async shardsOf(service) {
      const db = new Client({ connectionString: temporalDb });
      await db.connect();
      try {
        const { rows } = await db.query<{ data: Buffer }>('SELECT data FROM shards');
        // A shard's record names its owner as "<gRPC address>-<uuid>" (test/cluster does the same).
        return { owned: rows.filter((r) => r.data.includes(`${service.address}-`)).length, total: rows.length };
      } finally {
        await db.end();
      }
    },
    describe: () => services.map((s) => `${s.name} ${s.running ? '✓' : '✗'}`).join(' '),
    async stop() {
      // The script stops what it started; a service the runner restarted is the runner's to stop.
      await script.stop(25_000);
      for (const s of services) await s.stop(10_000);
    },
  };
}
