// The carriers' published definitions as captured in the project (carriers/<carrier>/spec/, issue 27)
// stay sound: each spec's own check (valid OpenAPI or well-formed WSDL/XSD, every reference resolving,
// the captured examples read against their schemas) passes. A broken capture fails npm test here.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CARRIERS } from '../../carriers/registry';
import { ROOT } from '../helpers/env';

const run = promisify(execFile);

test.each(CARRIERS.map((c) => c.name))('%s: the captured definition passes its check', async (carrier) => {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'carriers', carrier, 'spec', 'check.mjs')], { cwd: ROOT });
  expect(stdout).toMatch(/valid OpenAPI|well-formed/i);
});
