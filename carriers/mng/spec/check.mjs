// Checks mng-openapi.yaml: valid OpenAPI (@seriousme/openapi-schema-validator), every $ref resolves, every
// operation names its sources and evidence, and each example body matches the schema of its operation (Ajv,
// JSON Schema 2020-12 as OpenAPI 3.1 has it).
//   node carriers/mng/spec/check.mjs          exits 1 on an invalid document, a broken $ref, or a mismatched example
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import { loadOpenApi } from '../../spec-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { spec } = await loadOpenApi(path.join(here, 'mng-openapi.yaml'));

const operations = Object.values(spec.paths).flatMap((item) => Object.values(item));
const unsourced = operations.filter((op) => !op['x-mng-evidence'] || !op['x-mng-sources']?.length).map((op) => op.operationId);
if (unsourced.length) {
  console.error('operations without x-mng-evidence/x-mng-sources:', unsourced);
  process.exit(1);
}
const byEvidence = {};
for (const op of operations) (byEvidence[op['x-mng-evidence']] ??= []).push(op);
console.log(
  `${operations.length} operations, each with sources: ${Object.entries(byEvidence)
    .map(([k, ops]) => `${ops.length} ${k}`)
    .join(', ')}`,
);

const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'mng', components: spec.components });
const { examples } = JSON.parse(fs.readFileSync(path.join(here, 'examples', 'index.json'), 'utf8'));
let failed = 0;
for (const ex of examples) {
  const operation = operations.find((op) => op.operationId === ex.operationId);
  const content = ex.body === 'request' ? operation.requestBody.content : operation.responses[ex.body.replace('response-', '')].content;
  const schema = JSON.parse(JSON.stringify(content['application/json'].schema).replace(/"#\/components\//g, '"mng#/components/'));
  const value = JSON.parse(fs.readFileSync(path.join(here, 'examples', ex.name), 'utf8'));
  const validate = ajv.compile(schema);
  if (!validate(value)) {
    failed++;
    console.error(`example ${ex.name}:`, validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; '));
  }
}
console.log(`${examples.length - failed} of ${examples.length} examples match their schemas`);
if (failed) process.exit(1);
