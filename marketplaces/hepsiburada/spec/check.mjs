// Checks the locally generated Hepsiburada subset (build.mjs; not committed, README.md "Licence"): valid
// OpenAPI 3.0, every $ref resolving, every operation the connector needs present.
//   node marketplaces/hepsiburada/spec/check.mjs   exits 1 if the document is invalid, 0 with a notice if it was not generated
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOpenApi } from '../../../carriers/spec-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(here, 'oms-external.subset.json');
if (!fs.existsSync(file)) {
  console.log('oms-external.subset.json not generated here (see README.md, "Licence"): nothing to check');
  process.exit(0);
}
const { spec } = await loadOpenApi(file);
const operations = Object.values(spec.paths).flatMap((item) => Object.keys(item)).length;
const wanted = spec['x-order-engine-sources'].operations.length;
console.log(`${operations} of ${wanted} operations present`);
if (operations !== wanted) process.exit(1);
