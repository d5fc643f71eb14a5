// The chaos run's own processes: each a child it can SIGKILL, stop gracefully and start again,
// with its output appended to a log file in the run's directory (a file, not a pipe: a killed
// process's last lines are kept, and a busy runner never blocks a child's writes).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  /** Run as this user (as root: PostgreSQL refuses to run as root). */
  user?: { uid: number; gid: number };
  /** The signal that asks for a graceful stop. */
  stopSignal?: NodeJS.Signals;
  /** Resolves once the process serves; gets the log offset this start writes from. */
  ready(logOffset: number): Promise<void>;
}

export interface ExitRecord {
  name: string;
  at: Date;
  code: number | null;
  signal: string | null;
}

/** Process groups still running: killed when the runner exits, however it exits (Ctrl-C included). */
const running = new Set<number>();
let exitHooked = false;
function remember(pid: number): void {
  running.add(pid);
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const group of running) signalGroup(group, 'SIGKILL');
  });
}

export class ManagedProcess {
  private child?: ChildProcess;
  private exited: Promise<void> = Promise.resolve();
  /** True once the process served and while the runner means it to run: an exit then is a crash. */
  private wanted = false;
  /** Exits nobody asked for, after the process had served (a crash; failing to start is start()'s error). */
  readonly unexpectedExits: ExitRecord[] = [];
  starts = 0;
  onUnexpectedExit?: (exit: ExitRecord) => void;

  constructor(readonly spec: ProcessSpec) {}

  get name(): string {
    return this.spec.name;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(timeoutMs = 120_000): Promise<void> {
    if (this.child) throw new Error(`${this.name} is already running`);
    const { command, args, env, cwd, logFile, user } = this.spec;
    const offset = existsSync(logFile) ? statSync(logFile).size : 0;
    const out = openSync(logFile, 'a');
    // Its own process group, so a kill reaches anything it started too.
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', out, out], detached: true, ...(user ?? {}) });
    closeSync(out);
    this.child = child;
    this.wanted = false;
    this.starts += 1;
    if (child.pid) remember(child.pid);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (child.pid) running.delete(child.pid);
        if (this.child === child) this.child = undefined;
        if (this.wanted) {
          const exit = { name: this.name, at: new Date(), code, signal };
          this.unexpectedExits.push(exit);
          this.wanted = false;
          this.onUnexpectedExit?.(exit);
        }
        resolve();
      });
      child.once('error', () => {
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
    const died = this.exited.then(() => {
      throw new Error(`${this.name} exited while starting; see ${logFile}`);
    });
    const late = sleep(timeoutMs, undefined, { ref: false }).then(() => {
      throw new Error(`${this.name} was not ready within ${timeoutMs / 1000} s; see ${logFile}`);
    });
    try {
      await Promise.race([this.spec.ready(offset), died, late]);
    } catch (err) {
      await this.kill();
      throw err;
    }
    this.wanted = this.child === child;
  }

  /** SIGKILL to the whole process group: no chance to clean up, as in a crash. */
  async kill(): Promise<void> {
    this.wanted = false;
    const child = this.child;
    if (!child?.pid) return;
    signalGroup(child.pid, 'SIGKILL');
    await this.exited;
  }

  /** The graceful signal, then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    this.wanted = false;
    const child = this.child;
    if (!child?.pid) return;
    signalGroup(child.pid, this.spec.stopSignal ?? 'SIGTERM');
    const gone = await Promise.race([this.exited.then(() => true), sleep(graceMs, undefined, { ref: false }).then(() => false)]);
    if (!gone) await this.kill();
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Polls `probe` until it resolves true. */
export async function until(probe: () => Promise<boolean>, everyMs = 250): Promise<void> {
  for (;;) {
    if (await probe().catch(() => false)) return;
    await sleep(everyMs);
  }
}

/** Ready when an HTTP GET answers 2xx. */
export function httpReady(url: string): () => Promise<void> {
  return () => until(async () => (await fetch(url, { signal: AbortSignal.timeout(2_000) })).ok);
}

/** What a log file holds from `offset` on. */
export function readLogFrom(file: string, offset: number): string {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  if (size <= offset) return '';
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Ready when the log, from this start on, contains `text`. */
export function logReady(file: string, text: string): (offset: number) => Promise<void> {
  return (offset) => until(async () => readLogFrom(file, offset).includes(text), 300);
}
