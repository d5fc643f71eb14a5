import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __temporalDevServer?: ChildProcess }).__temporalDevServer;
  if (!server?.pid || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  process.kill(-server.pid, 'SIGTERM'); // the whole process group: the CLI and anything it started
  const giveUp = new AbortController();
  await Promise.race([exited, sleep(10_000, undefined, { signal: giveUp.signal }).catch(() => undefined)]);
  giveUp.abort();
}
