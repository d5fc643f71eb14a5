// Checks the Amazon subset: each document valid Swagger 2.0 (@seriousme/openapi-schema-validator, through
// carriers/spec-check.mjs), every $ref resolving, no unreferenced definition, and each of Amazon's sandbox
// cases read against its operation: the response body against the response schema (Ajv, draft-04 as
// Swagger 2.0 has it, read leniently) and the request's parameter names against the operation's parameters.
//   node marketplaces/amazon/spec/check.mjs     exits 1 if a document is invalid or a $ref does not resolve
// Cases that do not match are listed, not failed: they are Amazon's, and the README says which.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { loadOpenApi } from '../../../carriers/spec-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const docs = {};
for (const file of ['orders-v0.json', 'tokens-2021-03-01.json']) {
  const { spec, refs } = await loadOpenApi(path.join(here, file));
  const used = new Set(refs.map((r) => r.split('/')[2]));
  const unused = Object.keys(spec.definitions).filter((d) => !used.has(d));
  console.log(`${file}: ${unused.length ? `unreferenced definitions: ${unused.join(', ')}` : 'no unreferenced definitions'}`);
  docs[file] = spec;
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const orders = docs['orders-v0.json'];
ajv.addSchema({ $id: 'orders', definitions: orders.definitions });
const { examples } = JSON.parse(fs.readFileSync(path.join(here, 'examples', 'index.json'), 'utf8'));
let mismatched = 0;
for (const ex of examples) {
  const operation = orders.paths[ex.source.path]?.[ex.source.method];
  if (!operation) continue; // a tokens case: no response body schema worth checking here
  const value = JSON.parse(fs.readFileSync(path.join(here, 'examples', ex.name), 'utf8'));
  const problems = [];
  const names = new Set(
    [...(orders.paths[ex.source.path].parameters ?? []), ...(operation.parameters ?? [])].map((p) => (p.in === 'body' ? 'body' : p.name)),
  );
  for (const name of Object.keys(value.request?.parameters ?? {}))
    if (!names.has(name)) problems.push(`request parameter ${name} is not defined`);
  const schema = operation.responses[ex.status]?.schema;
  if (schema && value.response && Object.keys(value.response).length) {
    const validate = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/definitions\//g, '"orders#/definitions/')));
    if (!validate(value.response)) problems.push(...validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`));
  }
  if (problems.length) {
    mismatched++;
    console.log(`case ${ex.name} does not match its operation: ${problems.join('; ')}`);
  }
}
console.log(`${examples.length - mismatched} of ${examples.length} sandbox cases match their operations`);
