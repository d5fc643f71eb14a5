// Builds the Amazon SP-API subset (orders-v0.json, tokens-2021-03-01.json, examples/*.json) from Amazon's own
// Swagger 2.0 models (amzn/selling-partner-api-models, Apache-2.0): only the operations the marketplace
// connector makes, every definition they reach, nothing rewritten but the additions the README lists
// (x-order-engine-source on each operation, x-order-engine-sources at the root). Run from the repository root:
//   node marketplaces/amazon/spec/build.mjs <git dir of amzn/selling-partner-api-models> [commit]
//   node marketplaces/amazon/spec/check.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [gitDir, commitArg = 'HEAD'] = process.argv.slice(2);
if (!gitDir) {
  console.error('usage: node marketplaces/amazon/spec/build.mjs <git dir of amzn/selling-partner-api-models> [commit]');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const commit = git('rev-parse', `${commitArg}^{commit}`).trim();
const REPOSITORY = 'https://github.com/amzn/selling-partner-api-models';

/** Each upstream model, the file we write from it, and the operations (by operationId) we take. */
const SOURCES = [
  {
    file: 'models/orders-api-model/ordersV0.json',
    out: 'orders-v0.json',
    ops: ['getOrders', 'getOrder', 'getOrderItems', 'getOrderAddress', 'confirmShipment', 'updateShipmentStatus'],
  },
  {
    file: 'models/tokens-api-model/tokens_2021-03-01.json',
    out: 'tokens-2021-03-01.json',
    ops: ['createRestrictedDataToken'],
  },
];

const license = git('show', `${commit}:LICENSE`).replace(/\r/g, '').trim();
const notice = git('show', `${commit}:NOTICE`).replace(/\r/g, '').trim();
const examples = [];
const summary = [];

for (const source of SOURCES) {
  const doc = JSON.parse(git('show', `${commit}:${source.file}`));
  const wanted = new Set();
  const definitions = {};
  // Copies a value, noting every definition it reaches (and what those reach).
  const copy = (value) => {
    if (Array.isArray(value)) return value.map(copy);
    if (!value || typeof value !== 'object') return value;
    const result = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') {
        const m = /^#\/definitions\/(.+)$/.exec(v);
        if (!m) throw new Error(`${source.file}: unexpected $ref ${v}`);
        if (!wanted.has(m[1])) {
          wanted.add(m[1]);
          if (!doc.definitions?.[m[1]]) throw new Error(`${source.file}: ${v} does not resolve`);
          definitions[m[1]] = copy(doc.definitions[m[1]]);
        }
        result[k] = v;
      } else result[k] = copy(v);
    }
    return result;
  };

  const paths = {};
  const taken = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!source.ops.includes(operation?.operationId)) continue;
      paths[p] ??= {};
      if (item.parameters) paths[p].parameters = copy(item.parameters);
      paths[p][method] = { ...copy(operation), 'x-order-engine-source': { file: source.file, path: p, method } };
      taken.push(`${method.toUpperCase()} ${p} (${operation.operationId})`);
      // Amazon's sandbox cases: request parameters and the response each answers with.
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        for (const [i, sandboxCase] of (response['x-amzn-api-sandbox']?.static ?? []).entries()) {
          examples.push({ opId: operation.operationId, status, i, value: sandboxCase, file: source.file, path: p, method });
        }
      }
    }
  }
  const missing = source.ops.filter((op) => !taken.some((t) => t.endsWith(`(${op})`)));
  if (missing.length) throw new Error(`${source.file}: operations not found: ${missing.join(', ')}`);

  const out = {
    swagger: doc.swagger,
    info: {
      ...doc.info,
      description: [
        doc.info.description,
        '',
        `A SUBSET for the order-to-delivery engine (marketplaces/amazon/spec/build.mjs): the operations ${source.ops.join(', ')}`,
        `and every definition they reach, copied unchanged from ${source.file} at commit ${commit} of ${REPOSITORY}.`,
        'Additions: x-order-engine-source on each operation, x-order-engine-sources at the root.',
        '',
        'Upstream NOTICE:',
        '',
        notice,
        '',
        'Licensed under the Apache License, Version 2.0 (LICENSE in this folder, copied from the upstream repository).',
      ].join('\n'),
    },
    host: doc.host,
    schemes: doc.schemes,
    consumes: doc.consumes,
    produces: doc.produces,
    paths,
    definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))),
    'x-order-engine-sources': {
      repository: REPOSITORY,
      commit,
      file: source.file,
      blob: git('rev-parse', `${commit}:${source.file}`).trim(),
      lastChangedIn: git('log', '-1', '--format=%H', commit, '--', source.file).trim(),
      license: 'Apache-2.0',
      taken,
    },
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  fs.writeFileSync(path.join(here, source.out), `${JSON.stringify(out, null, 2)}\n`);
  summary.push(`${source.out}: ${taken.length} operations, ${Object.keys(out.definitions).length} definitions`);
}

fs.writeFileSync(path.join(here, 'LICENSE'), `${license}\n`);
fs.writeFileSync(path.join(here, 'NOTICE'), `${notice}\n`);

// Amazon's static sandbox cases, one per file: <operationId>.<status>.<n>.json ({request: {parameters}, response}).
const exampleDir = path.join(here, 'examples');
fs.rmSync(exampleDir, { recursive: true, force: true });
fs.mkdirSync(exampleDir);
const index = examples.map((ex) => {
  const name = `${ex.opId}.${ex.status}.${String(ex.i + 1).padStart(2, '0')}.json`;
  fs.writeFileSync(path.join(exampleDir, name), `${JSON.stringify(ex.value, null, 2)}\n`);
  return { name, operationId: ex.opId, status: ex.status, source: { file: ex.file, path: ex.path, method: ex.method, case: ex.i } };
});
fs.writeFileSync(path.join(exampleDir, 'index.json'), `${JSON.stringify({ commit, examples: index }, null, 2)}\n`);
console.log(`${summary.join('; ')}; ${examples.length} sandbox cases`);
