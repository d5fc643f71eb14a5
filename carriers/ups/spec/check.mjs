// Checks ups-openapi.yaml: valid OpenAPI (@seriousme/openapi-schema-validator), every $ref resolves, and
// each upstream example body against the schema it illustrates (Ajv, JSON Schema 2020-12 as OpenAPI 3.1 has it).
//   node carriers/ups/spec/check.mjs          exits 1 if the document is invalid or a $ref does not resolve
// Examples that do not match their schema are listed, not failed: they are UPS's, and the README says which.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { loadOpenApi } from '../../spec-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { spec, refs } = await loadOpenApi(path.join(here, 'ups-openapi.yaml'));

// Components nothing refers to (the subset should hold none).
const used = new Set(refs.map((r) => r.split('/').slice(0, 4).join('/')));
const security = [];
const walkSecurity = (node) => {
  if (Array.isArray(node)) return node.forEach(walkSecurity);
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node))
    k === 'security' && Array.isArray(v) ? v.forEach((req) => security.push(...Object.keys(req))) : walkSecurity(v);
};
walkSecurity({ paths: spec.paths, webhooks: spec.webhooks });
security.forEach((s) => used.add(`#/components/securitySchemes/${s}`));
const unused = Object.entries(spec.components).flatMap(([kind, all]) =>
  Object.keys(all)
    .filter((name) => !used.has(`#/components/${kind}/${name}`))
    .map((n) => `${kind}/${n}`),
);
console.log(unused.length ? `unreferenced components: ${unused.join(', ')}` : 'no unreferenced components');

// The examples against their schemas.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addKeyword({ keyword: 'xml' });
ajv.addSchema({ $id: 'ups', components: spec.components });
const { examples } = JSON.parse(fs.readFileSync(path.join(here, 'examples', 'index.json'), 'utf8'));
let mismatched = 0;
for (const ex of examples) {
  const operation = ex.source.webhook
    ? spec.webhooks[ex.source.webhook].post
    : Object.values(spec.paths).find((item) => item[ex.source.method]?.['x-ups-source']?.path === ex.source.path)[ex.source.method];
  const content = ex.body === 'request' ? operation.requestBody.content : operation.responses[ex.body.replace('response-', '')].content;
  const schema = JSON.parse(JSON.stringify(content['application/json'].schema).replace(/"#\/components\//g, '"ups#/components/'));
  const value = JSON.parse(fs.readFileSync(path.join(here, 'examples', ex.name), 'utf8'));
  const validate = ajv.compile(schema);
  if (!validate(value)) {
    mismatched++;
    console.log(
      `example ${ex.name} does not match its schema:`,
      validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; '),
    );
  }
}
console.log(`${examples.length - mismatched} of ${examples.length} examples match their schemas`);
