// The worker's CPU by part, read from V8's profiles (bench/cpu-profile.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { summarizeProfile, summarizeProfiles, type CpuProfile } from '../../bench/cpu-profile';

const SDK = '/app/node_modules/@temporalio/worker/lib';
const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url },
  children,
});

/** A workflow thread: the sandbox enters the bundle through vm's runInContext; pg's socket write on another branch. */
const workflowThread: CpuProfile = {
  nodes: [
    frame(1, '(root)', '', [2, 3, 6, 7]),
    frame(2, '(idle)', ''),
    frame(3, '(garbage collector)', ''),
    frame(6, 'activate', `${SDK}/workflow/reusable-vm.js`, [4]),
    frame(4, 'runInContext', 'node:vm', [5]),
    frame(5, 'orderWorkflow', 'file:///tmp/workflow-bundle-1a2b.js'),
    frame(7, 'query', '/app/node_modules/pg/lib/client.js', [8]),
    frame(8, 'writeGeneric', 'node:internal/stream_base_commons'),
  ],
  samples: [2, 3, 4, 4, 4, 5, 8, 8, 2],
  timeDeltas: [7000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 9000],
};

test('each sample goes to the first known part up its stack: a native call counts for its caller, idle for none', () => {
  expect(summarizeProfile(workflowThread)).toEqual({
    thread: 'workflow', // not the main thread, and mostly the sandbox
    busyMs: 7,
    byPart: [
      ['SDK: workflow sandbox (vm context, its promise hooks)', 3],
      ['pg (PostgreSQL client)', 2],
      ['garbage collection', 1],
      ['the workflow bundle (our workflows, the SDK workflow library)', 1],
    ],
  });
});

test('a library of no known part is named by its package; our own code by its folder', () => {
  const profile: CpuProfile = {
    nodes: [
      frame(1, '(root)', '', [2, 3]),
      frame(2, 'render', '/app/node_modules/restructure/dist/main.cjs'),
      frame(3, 'quote', '/app/carriers/aras/adapter.ts'),
    ],
    samples: [2, 3, 3],
    timeDeltas: [1000, 1000, 1000],
  };
  expect(summarizeProfile(profile, true)).toEqual({
    thread: 'main',
    busyMs: 3,
    byPart: [
      ['our code (activities, carriers, lib)', 2],
      ['library: restructure', 1],
    ],
  });
});

test("Node's thread 0 is the main thread; the workflow threads are merged, a thread of neither (tsx's loader) is other", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpu-profile-'));
  const main: CpuProfile = {
    nodes: [frame(1, '(root)', '', [2]), frame(2, 'poll', `${SDK}/worker.js`)],
    samples: [2, 2],
    timeDeltas: [2000, 2000],
  };
  const loader: CpuProfile = {
    nodes: [frame(1, '(root)', '', [2]), frame(2, 'resolve', '/app/node_modules/tsx/dist/x.cjs')],
    samples: [2],
    timeDeltas: [500],
  };
  writeFileSync(path.join(dir, 'CPU.20261204.203958.26879.0.001.cpuprofile'), JSON.stringify(main));
  writeFileSync(path.join(dir, 'CPU.20261204.203959.26879.1.002.cpuprofile'), JSON.stringify(loader));
  writeFileSync(path.join(dir, 'CPU.20261204.204001.26879.2.003.cpuprofile'), JSON.stringify(workflowThread));
  writeFileSync(path.join(dir, 'CPU.20261204.204001.26879.3.004.cpuprofile'), JSON.stringify(workflowThread));
  const [mainThread, workflowThreads, other] = summarizeProfiles(dir);
  expect(mainThread).toEqual({ thread: 'main', busyMs: 4, byPart: [['SDK: core bridge and worker (rxjs, message passing)', 4]] });
  expect(workflowThreads.thread).toBe('workflow');
  expect(workflowThreads.busyMs).toBe(14);
  expect(workflowThreads.byPart[0]).toEqual(['SDK: workflow sandbox (vm context, its promise hooks)', 6]);
  expect(other).toEqual({ thread: 'other', busyMs: 0.5, byPart: [['tsx (loading TypeScript)', 0.5]] });
});
