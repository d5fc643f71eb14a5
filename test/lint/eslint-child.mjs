// ESLint's Node API in a plain Node process, for test/lint/layers.test.ts: inside Jest, ESLint
// cannot load eslint.config.mjs (its dynamic import needs --experimental-vm-modules there). The
// test forks this file once and sends snippets over the IPC channel:
// { id, filePath, code, typed } in, { id, messages } or { id, error } out.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const cwd = process.argv[2];
const instances = {
  // The repository's config as it is, with type information (for snippets at test/lint/probe/).
  typed: new ESLint({ cwd }),
  // The same config without type information: the import rules need none, and the snippets can
  // then sit at any virtual path without TypeScript loading the whole tree's project for them.
  untyped: new ESLint({ cwd, overrideConfig: [tseslint.configs.disableTypeChecked] }),
};

process.on('message', ({ id, filePath, code, typed }) => {
  instances[typed ? 'typed' : 'untyped'].lintText(code, { filePath }).then(
    ([result]) => process.send({ id, messages: result.messages }),
    (err) => process.send({ id, error: err instanceof Error ? err.stack : String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
