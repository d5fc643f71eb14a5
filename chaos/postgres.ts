// The chaos run's own PostgreSQL cluster, in the run's directory on a free port: never the
// project's cluster in .data/postgres (other tests use it). Debian's server binaries, found as
// scripts/postgres finds them; as root the server runs as the `postgres` user, as there.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { ManagedProcess, until } from './processes';

const run = promisify(execFile);

/** The newest installed server version's bin directory. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'postgres'))) : [];
  if (versions.length === 0) throw new Error('no PostgreSQL server in /usr/lib/postgresql/*/bin: run scripts/setup, which installs it');
  return path.join(root, versions.sort((a, b) => Number(a) - Number(b)).at(-1)!, 'bin');
}

/** PostgreSQL refuses to run as root: as root, it runs as the user Debian's package creates. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

export interface PostgresCluster {
  process: ManagedProcess;
  /** The engine's database, as its processes reach it. */
  databaseUrl: string;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** initdb and start a server of the run's own, in `<dir>/<name>`; `name` is its process's too. */
export async function startPostgresServer({
  dir,
  name,
  port,
  logFile,
}: {
  dir: string;
  name: string;
  port: number;
  logFile: string;
}): Promise<{ process: ManagedProcess; superuserUrl: string; superuserPassword: string }> {
  const bin = postgresBinDir();
  const user = serverUser();
  const dataDir = path.join(dir, name);
  mkdirSync(dataDir, { mode: 0o700 });
  if (user) chownSync(dataDir, user.uid, user.gid);

  const superuserPassword = randomBytes(12).toString('hex');
  const pwfile = path.join(dir, `${name}-password`);
  writeFileSync(pwfile, `${superuserPassword}\n`, { mode: 0o644 });
  try {
    await run(
      path.join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        'postgres',
        `--pwfile=${pwfile}`,
        '--auth-local=scram-sha-256',
        '--auth-host=scram-sha-256',
        '-E',
        'UTF8',
        '--locale=C.UTF-8',
      ],
      {
        cwd: dir,
        ...(user ?? {}),
      },
    );
  } finally {
    rmSync(pwfile, { force: true });
  }

  const superuserUrl = `postgres://postgres:${superuserPassword}@127.0.0.1:${port}/postgres`;
  const serverProcess = new ManagedProcess({
    name,
    command: path.join(bin, 'postgres'),
    // A throwaway cluster: no fsync (a restart here is the server's, never the machine's).
    args: [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
    ],
    env: { PATH: process.env.PATH, LANG: 'C.UTF-8' },
    cwd: dir,
    logFile,
    user,
    stopSignal: 'SIGINT', // fast shutdown: sessions are cut, as in a restart
    ready: () => until(() => canConnect(superuserUrl), 300),
  });
  await serverProcess.start(60_000);
  return { process: serverProcess, superuserUrl, superuserPassword };
}

/** The engine's server: its role and database, and the migrations (node-pg-migrate, as scripts/setup). */
export async function startPostgres({
  root,
  dir,
  port,
  logFile,
}: {
  root: string;
  dir: string;
  port: number;
  logFile: string;
}): Promise<PostgresCluster> {
  const { process: serverProcess, superuserUrl } = await startPostgresServer({ dir, name: 'postgres', port, logFile });
  const password = randomBytes(12).toString('hex');
  const admin = new Client({ connectionString: superuserUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE order_engine LOGIN PASSWORD '${password}'`);
    await admin.query('CREATE DATABASE order_engine OWNER order_engine');
  } finally {
    await admin.end();
  }
  const databaseUrl = `postgres://order_engine:${password}@127.0.0.1:${port}/order_engine`;
  await run(
    path.join(root, 'node_modules/.bin/node-pg-migrate'),
    ['up', '-m', 'db/migrations', '--migration-file-language', 'sql', '-d', 'DATABASE_URL', '--no-verbose'],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    },
  );
  return { process: serverProcess, databaseUrl };
}
