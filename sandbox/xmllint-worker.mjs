// xmllint (libxml2 in WebAssembly, from xmllint-wasm) for sandbox/wsdl.ts, in a thread of its own:
// one message a run, one reply with its exit code and its own stderr. Unlike the package's worker
// script, the WebAssembly module is compiled once for the thread (each run instantiates it, 4 ms
// instead of 8 ms to read and compile it afresh) and a run's stderr is its own (the package's
// appends every run's to the last and posts all of it back each time).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parentPort } from 'node:worker_threads';

const TAG = 'sandbox-xmllint';
const require = createRequire(import.meta.url);
const dir = dirname(require.resolve('xmllint-wasm'));
// Emscripten's factory; the worker listener the file also starts ignores messages without its own tag.
const xmllint = require(join(dir, 'xmllint-node.js'));
const wasm = new WebAssembly.Module(readFileSync(join(dir, 'xmllint.wasm')));

parentPort.on('message', (data) => {
  if (data?.[TAG] !== true) return;
  let stderr = '';
  let replied = false;
  const reply = (exitCode, text) => {
    if (replied) return;
    replied = true;
    parentPort.postMessage({ [TAG]: true, exitCode, stderr: text });
  };
  xmllint({
    inputFiles: data.inputFiles,
    arguments: data.args,
    print: () => undefined,
    printErr: (text) => {
      stderr += `${text}\n`;
    },
    onExit: (exitCode) => reply(exitCode, stderr),
    onAbort: (reason) => reply(-1, `WASM Abort: ${reason}`),
    instantiateWasm(imports, receive) {
      const instance = new WebAssembly.Instance(wasm, imports);
      receive(instance, wasm);
      return instance.exports;
    },
    wasmMemory: new WebAssembly.Memory({ initial: data.initialMemory, maximum: data.maxMemory }),
  }).catch((err) => reply(-1, `xmllint failed: ${err}`));
});
