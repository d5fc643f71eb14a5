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
  samples: [2, 3, 4, 5, 8, 8, 2],
  timeDeltas: [7000, 1000, 1000, 1000, 1000, 1000, 9000],
};

test('each sample goes to the first known part up its stack: a native call counts for its caller, idle for none', () => {
  expect(summarizeProfile(workflowThread)).toEqual({
    thread: 'workflow',
    busyMs: 5,
    byPart: [
      ['pg (PostgreSQL client)', 2],
      ['garbage collection', 1],
      ['SDK: workflow sandbox (vm context, its promise hooks)', 1],
      ['the workflow bundle (our workflows, the SDK workflow library)', 1],
    ],
  });
});

test('the main thread is told from the workflow threads, and the workflow threads are merged', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpu-profile-'));
  const main: CpuProfile = {
    nodes: [frame(1, '(root)', '', [2]), frame(2, 'poll', `${SDK}/worker.js`)],
    samples: [2, 2],
    timeDeltas: [2000, 2000],
  };
  writeFileSync(path.join(dir, 'CPU.1.main.cpuprofile'), JSON.stringify(main));
  writeFileSync(path.join(dir, 'CPU.2.thread.cpuprofile'), JSON.stringify(workflowThread));
  writeFileSync(path.join(dir, 'CPU.3.thread.cpuprofile'), JSON.stringify(workflowThread));
  const [mainThread, workflowThreads] = summarizeProfiles(dir);
  expect(mainThread).toEqual({ thread: 'main', busyMs: 4, byPart: [['SDK: core bridge and worker (rxjs, message passing)', 4]] });
  expect(workflowThreads.thread).toBe('workflow');
  expect(workflowThreads.busyMs).toBe(10);
  expect(workflowThreads.byPart[0]).toEqual(['pg (PostgreSQL client)', 4]);
});
