// The worker's CPU by where it goes, from V8's profiles (`npm run bench -- --profile-worker DIR`
// starts the worker with --cpu-prof; Node writes one profile per thread when the worker exits):
// each sample's time goes to the first frame up its stack that belongs to a known part (the SDK's
// sandbox, its core bridge, pg, our code…), so a native call (vm's runInContext, a socket write)
// counts for whoever made it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a .cpuprofile this reads (V8's Profiler.Profile). */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ThreadProfile {
  /**
   * The main thread (core bridge, activities), a workflow thread (the SDK's sandbox runs there), or
   * another (tsx's module loader).
   */
  thread: 'main' | 'workflow' | 'other';
  /** Busy ms: every sample but idle. */
  busyMs: number;
  /** Busy ms by part, largest first. */
  byPart: [string, number][];
}

/** Known parts, by the script's path (the first match wins); frames of none are attributed up the stack. */
const SANDBOX = 'SDK: workflow sandbox (vm context, its promise hooks)';
const PARTS: [string, RegExp][] = [
  [SANDBOX, /@temporalio\/worker\/lib\/workflow\/(vm|vm-shared|reusable-vm|workflow-worker-thread)\.js/],
  ['the workflow bundle (our workflows, the SDK workflow library)', /workflow-bundle|\/@temporalio\/workflow\//],
  ['SDK: core bridge and worker (rxjs, message passing)', /@temporalio\/(worker|core-bridge)\/|\/rxjs\//],
  ['SDK: payloads, protobuf, client', /@temporalio\/(common|proto|client)\/|\/protobufjs\/|\/long\//],
  ['pg (PostgreSQL client)', /\/node_modules\/pg[^/]*\//],
  ['HTTP to carriers (undici, fetch, XML)', /undici|node:internal\/deps\/undici|fast-xml-parser|\/soap\//],
  ['the payload codec and crypto', /payload-codec|node:crypto|node:internal\/crypto/],
  ['tsx (loading TypeScript)', /\/tsx\/|esbuild/],
];
/** Our own code: outside node_modules, in the project's folders. */
const OURS = /\/(activities|carriers|lib|domain|workers|bench|marketplaces|storefronts|api)\/.*\.ts/;

/** Frames V8 names for what is no script's: their time is theirs. */
const V8_OWN: Record<string, string> = {
  '(garbage collector)': 'garbage collection',
  '(program)': 'V8 and Node internals (program)',
};

function partOf(url: string): string | undefined {
  if (!url) return undefined;
  const known = PARTS.find(([, pattern]) => pattern.test(url))?.[0];
  if (known) return known;
  const library = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (library) return `library: ${library}`;
  return OURS.test(url) ? 'our code (activities, carriers, lib)' : undefined;
}

/**
 * One thread's busy time by part; `main` says it is the process's main thread (Node's thread id 0),
 * else a thread most of whose time is the SDK's sandbox is a workflow thread. `(idle)` samples are
 * not busy; a frame of no known part takes its caller's.
 */
export function summarizeProfile(profile: CpuProfile, main = false): ThreadProfile {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const part = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = part.get(id);
    if (known) return known;
    const { functionName, url } = byId.get(id)!.callFrame;
    const up = parent.get(id);
    const own = V8_OWN[functionName] ?? partOf(url) ?? (up === undefined ? 'Node internals' : resolve(up));
    part.set(id, own);
    return own;
  };
  const totals = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const { functionName } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') return;
    const us = profile.timeDeltas[i] ?? 0;
    const name = resolve(id);
    totals.set(name, (totals.get(name) ?? 0) + us);
    busyUs += us;
  });
  const byPart = [...totals].map(([name, us]): [string, number] => [name, us / 1000]).sort((a, b) => b[1] - a[1]);
  const sandboxMs = byPart.find(([name]) => name === SANDBOX)?.[1] ?? 0;
  const thread = main ? 'main' : sandboxMs > busyUs / 1000 / 4 ? 'workflow' : 'other';
  return { thread, busyMs: busyUs / 1000, byPart };
}

/**
 * Every profile Node wrote into `dir` (named CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile;
 * thread 0 is the main one), the workflow threads merged into one.
 */
export function summarizeProfiles(dir: string): ThreadProfile[] {
  const threads = readdirSync(dir)
    .filter((file) => file.endsWith('.cpuprofile'))
    .map((file) => summarizeProfile(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile, file.split('.')[4] === '0'));
  return (['main', 'workflow', 'other'] as const).flatMap((thread) => {
    const of = threads.filter((t) => t.thread === thread);
    if (of.length === 0) return [];
    const totals = new Map<string, number>();
    for (const t of of) for (const [name, ms] of t.byPart) totals.set(name, (totals.get(name) ?? 0) + ms);
    return [{ thread, busyMs: of.reduce((sum, t) => sum + t.busyMs, 0), byPart: [...totals].sort((a, b) => b[1] - a[1]) }];
  });
}

/** The profiles as a table, each part's share of its thread's busy time. */
export function formatProfiles(threads: ThreadProfile[]): string[] {
  const lines = ['| worker thread | part | busy s | share |', '| --- | --- | --- | --- |'];
  for (const { thread, busyMs, byPart } of threads) {
    lines.push(`| ${thread} | all | ${(busyMs / 1000).toFixed(1)} | 100 % |`);
    for (const [name, ms] of byPart.filter(([, ms]) => ms / busyMs >= 0.01))
      lines.push(`| ${thread} | ${name} | ${(ms / 1000).toFixed(1)} | ${Math.round((100 * ms) / busyMs)} % |`);
  }
  return lines;
}
