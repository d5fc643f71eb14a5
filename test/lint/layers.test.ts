// The lint rules bite: eslint.config.mjs, through ESLint's Node API, on small snippets placed at
// virtual paths in the tree (nothing is written to disk). The layers are those of
// ../shared/STYLE.md; the config says how each is enforced.
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import type { Linter } from 'eslint';

const ROOT = path.resolve(__dirname, '../..');
// Typed snippets are linted as this file (on disk it holds nothing): its own small tsconfig.json
// spares TypeScript loading the whole tree's project, which takes 15-25 s.
const TYPED_PROBE = 'test/lint/probe/snippet.ts';

// ESLint runs in a child process (see eslint-child.mjs for why), one for the whole file.
let child: ChildProcess;
let nextId = 0;
const pending = new Map<number, { resolve: (m: Linter.LintMessage[]) => void; reject: (e: Error) => void }>();

beforeAll(() => {
  child = fork(path.join(__dirname, 'eslint-child.mjs'), [ROOT], { cwd: ROOT, execArgv: [] });
  child.on('message', (reply: { id: number; messages?: Linter.LintMessage[]; error?: string }) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error !== undefined) waiting?.reject(new Error(reply.error));
    else waiting?.resolve(reply.messages ?? []);
  });
  child.on('exit', (code) => {
    for (const { reject } of pending.values()) reject(new Error(`the ESLint process exited (${code})`));
    pending.clear();
  });
});

afterAll(() => {
  child.disconnect();
});

/** ESLint's messages for `code` as if it were the file at `filePath` (relative to the root). */
async function lint(filePath: string, code: string, { typed = false } = {}): Promise<Linter.LintMessage[]> {
  const id = nextId++;
  const messages = await new Promise<Linter.LintMessage[]>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    child.send({ id, filePath: path.join(ROOT, filePath), code, typed });
  });
  const fatal = messages.filter((m) => m.fatal);
  if (fatal.length) throw new Error(`ESLint could not parse ${filePath}: ${fatal.map((m) => m.message).join('; ')}`);
  return messages;
}

/** The layer findings for a snippet: the rule's messages, or none. */
async function boundaryFindings(filePath: string, code: string): Promise<string[]> {
  return (await lint(filePath, code)).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('workflows/: deterministic code only', () => {
  it('may not import a package other than the workflow SDK (pg)', async () => {
    expect(await boundaryFindings('workflows/x.ts', "import { Pool } from 'pg';\nexport const p = Pool;\n")).toEqual([
      expect.stringContaining('workflows/ import only @temporalio/workflow and @temporalio/common'),
    ]);
  });

  it('may not import a Node built-in, with or without node:', async () => {
    for (const source of ['node:fs', 'fs', 'node:crypto', 'fs/promises']) {
      expect(await boundaryFindings('workflows/x.ts', `import fs from '${source}';\nexport const f = fs;\n`)).toEqual([
        expect.stringContaining('Node built-ins are not deterministic'),
      ]);
    }
  });

  // The workflow SDK, @temporalio/common, domain/ and its own files; each alone, as the file's only import.
  it.each([
    "import { proxyActivities } from '@temporalio/workflow';",
    "import { ApplicationFailure } from '@temporalio/common';",
    "import { msToNumber } from '@temporalio/common/lib/time';",
    "import { orderSchema } from '../domain/order';",
    "import { searchAttributes } from './definitions';",
    // Anything as a type: activities, lib, a package, a built-in.
    "import type { Activities } from '../activities';",
    "import type * as orderActivities from '../activities/orders';",
    "import type { Config } from '../lib/config';",
    "import type { Pool } from 'pg';",
    "import type { Readable } from 'node:stream';",
  ])('may import %s', async (line) => {
    expect(await boundaryFindings('workflows/x.ts', `${line}\nexport const used = true;\n`)).toEqual([]);
  });

  it('may not import activities or lib at run time', async () => {
    const code =
      "import { createActivities } from '../activities';\nimport { config } from '../lib/config';\nexport const a = [createActivities, config];\n";
    expect(await boundaryFindings('workflows/x.ts', code)).toHaveLength(2);
  });

  it('may not import the sandbox or tests, not even as a type', async () => {
    expect(
      await boundaryFindings('workflows/x.ts', "import type { Sandbox } from '../sandbox/server';\nexport type S = Sandbox;\n"),
    ).toEqual([expect.stringContaining('production code never imports')]);
  });
});

describe('the layers below and beside', () => {
  // Each import alone, as the only one of its file: what the layer rule says of it (the gist of
  // each message), or nothing where it lets the import through.
  const [DOMAIN, LIB, API, ACTIVITIES, CARRIERS, NEVER, UNNORMALIZED, BUILTIN] = [
    'domain/ is shapes and pure decisions: it imports nothing of ours outside domain/',
    'lib/ imports only lib/ and domain/',
    'api/ never imports workers/, nor activities/',
    'activities/ never import api/ or workers/',
    'carriers/ is protocol mapping: it imports only carriers/, domain/ and lib/',
    'production code never imports',
    'write the import path normalized',
    'Node built-ins are not deterministic',
  ];
  it.each<[file: string, imports: string, findings: string[]]>([
    ['domain/x.ts', "import { x } from '../activities/y';", [DOMAIN]],
    ['domain/x.ts', "import { x } from '../lib/config';", [DOMAIN]],
    ['domain/x.ts', "import { z } from 'zod';", []],
    ['domain/x.ts', "import { s } from './statuses';", []],
    ['lib/x.ts', "import { subscribers } from '../activities/webhooks/subscribers';", [LIB]],
    ['lib/x.ts', "import { o } from '../domain/order';", []],
    ['lib/x.ts', "import { p } from './db';", []],
    // api/ takes only types from activities/.
    ['api/x.ts', "import { sendSms } from '../activities/notifications/sms';", [API]],
    ['api/x.ts', "import type { Activities } from '../activities';", []],
    ['api/x.ts', "import { type Activities } from '../activities';", []],
    ['api/x.ts', "import { main } from '../workers/main';", [API]],
    ['api/x.ts', "import { orderWorkflowId } from '../workflows/definitions';", []],
    // The depth of the file decides what ../carriers means: activities/carriers/ is the activity
    // wrapper folder, and ../api from there is still inside activities/.
    ['activities/x.ts', "import { app } from '../api/app';", [ACTIVITIES]],
    ['activities/x.ts', "import { a } from '../carriers/adapter';", []],
    ['activities/carriers/x.ts', "import { a } from '../../api/app';", [ACTIVITIES]],
    ['activities/carriers/x.ts', "import { a } from '../../carriers/adapter';", []],
    ['carriers/ups/x.ts', "import { a } from '../../activities/carriers';", [CARRIERS]],
    ['carriers/ups/x.ts', "import { s } from '../../sandbox/ups';", [NEVER]],
    ['carriers/ups/x.ts', "import { t } from '../transport/http';", []],
    ['carriers/ups/x.ts', "import { f } from '../../domain/carrier-failures';", []],
    ['carriers/ups/x.ts', "import { l } from '../../lib/logger';", []],
    // A path not written normalized cannot sneak past the rules that read it as written.
    ['carriers/ups/x.ts', "import { app } from './../../api/app';", [UNNORMALIZED]],
    ['carriers/ups/x.ts', "import { app } from '../../carriers/../api/app';", [UNNORMALIZED]],
    // Workflows import domain/ at run time, so domain/ keeps their rule on Node built-ins.
    ['domain/x.ts', "import { createHash } from 'node:crypto';", [BUILTIN]],
    ['domain/x.ts', "import type { Hash } from 'node:crypto';", []],
    // api/ and activities/ take the names the workflows share, never the process code itself.
    ['api/x.ts', "import { orderWorkflow } from '../workflows/order';", [API]],
    ['activities/x.ts', "import { shipmentWorkflow } from '../workflows/shipment';", [ACTIVITIES]],
    ['activities/x.ts', "import { ORDER_TASK_QUEUE } from '../workflows/definitions';", []],
  ])('%s: %s', async (file, imports, findings) => {
    const messages = await boundaryFindings(file, `${imports}\nexport const used = true;\n`);
    expect(messages).toEqual(findings.map((gist) => expect.stringContaining(gist)));
  });
});

describe('typed rules', () => {
  it('reports a floating promise in an async function', async () => {
    const code = 'async function save(): Promise<void> {}\nexport async function run(): Promise<void> {\n  save();\n  await save();\n}\n';
    const floating = (await lint(TYPED_PROBE, code, { typed: true })).filter((m) => m.ruleId === '@typescript-eslint/no-floating-promises');
    expect(floating.map((m) => m.line)).toEqual([3]);
  });

  it('reports a promise where a void callback is expected', async () => {
    const code =
      "import { EventEmitter } from 'node:events';\nexport function on(e: EventEmitter): void {\n  e.on('x', async () => {});\n}\n";
    expect((await lint(TYPED_PROBE, code, { typed: true })).map((m) => m.ruleId)).toContain('@typescript-eslint/no-misused-promises');
  });
});
