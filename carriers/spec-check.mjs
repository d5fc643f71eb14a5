// What every REST carrier's captured definition (carriers/<carrier>/spec/*-openapi.yaml) must be:
// valid OpenAPI, and every $ref resolving. Used by each spec's check.mjs (test/carriers/specs.test.ts
// runs them all in npm test).
import fs from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import YAML from 'yaml';

/** The OpenAPI document at `file`, read, validated and its $refs checked (exits 1 when it is not sound), with every $ref it holds. */
export async function loadOpenApi(file) {
  const spec = YAML.parse(fs.readFileSync(file, 'utf8'), { maxAliasCount: -1 });
  const validator = new Validator();
  const result = await validator.validate(spec);
  if (!result.valid) {
    console.error(`NOT valid OpenAPI ${validator.version}:`, JSON.stringify(result.errors, null, 2));
    process.exit(1);
  }
  console.log(`valid OpenAPI ${validator.version}`);
  // Every $ref, by hand as well: resolveRefs() follows only what it reaches.
  const pointer = (ref) =>
    ref
      .slice(2)
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((node, key) => (node === undefined ? undefined : node[key]), spec);
  const refs = [];
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) k === '$ref' && typeof v === 'string' ? refs.push(v) : walk(v);
  };
  walk(spec);
  const broken = [...new Set(refs)].filter((r) => !r.startsWith('#/') || pointer(r) === undefined);
  validator.resolveRefs();
  if (broken.length) {
    console.error('unresolved $ref:', broken);
    process.exit(1);
  }
  console.log(`${refs.length} $refs (${new Set(refs).size} distinct) all resolve`);
  return { spec, refs };
}
