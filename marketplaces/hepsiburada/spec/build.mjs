// Builds the Hepsiburada order-integration subset (oms-external.subset.json) from an OpenAPI 3.0 capture of
// the definition Hepsiburada publishes on its developer portal (developers.hepsiburada.com, product
// "siparis-olusturma-entegrasyonu", server oms-external-sit.hepsiburada.com): only the operations the
// marketplace connector makes, every component they reach, plus x-order-engine-source on each operation.
//
// The output is NOT committed (see .gitignore and README.md, "Licence"): Hepsiburada publishes the
// definition without a licence, so until that is settled each developer regenerates it locally from a
// capture. Two public captures are known (README.md, "Source"); either works:
//   node marketplaces/hepsiburada/spec/build.mjs --git <git dir of resobyte/ambar-hub> [commit]
//        (reads apps/api/.api/apis/hb-poc/openapi.json: the portal's ReadMe registry download, @hb-poc/v1.0#ak72fkmggg4c9i)
//   node marketplaces/hepsiburada/spec/build.mjs --file <path of loncadev/lonca specs/hepsiburada/oms-external.json>
//   node marketplaces/hepsiburada/spec/check.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [mode, where, commitArg = 'HEAD'] = process.argv.slice(2);
const CAPTURE_PATH = 'apps/api/.api/apis/hb-poc/openapi.json';
let doc;
let provenance;
if (mode === '--git' && where) {
  const git = (...args) => execFileSync('git', ['--git-dir', where, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const commit = git('rev-parse', `${commitArg}^{commit}`).trim();
  doc = JSON.parse(git('show', `${commit}:${CAPTURE_PATH}`));
  provenance = {
    capture: 'https://github.com/resobyte/ambar-hub',
    commit,
    path: CAPTURE_PATH,
    blob: git('rev-parse', `${commit}:${CAPTURE_PATH}`).trim(),
    registry: '@hb-poc/v1.0#ak72fkmggg4c9i (apps/api/.api/api.json: the ReadMe registry the portal publishes its definitions to)',
  };
} else if (mode === '--file' && where) {
  doc = JSON.parse(fs.readFileSync(where, 'utf8'));
  provenance = { capture: 'https://github.com/loncadev/lonca', path: 'specs/hepsiburada/oms-external.json', file: path.resolve(where) };
} else {
  console.error('usage: node marketplaces/hepsiburada/spec/build.mjs --git <git dir> [commit] | --file <oms-external.json>');
  process.exit(2);
}

/** What the connector calls, by method and path as the portal writes them (the path parameters' case varies upstream). */
const OPS = [
  ['get', '/packages/merchantid/{merchantId}'], // the pull: packages, paged by offset/limit
  ['get', '/orders/merchantid/{merchantId}'], // paid line items not yet packed
  ['get', '/orders/merchantid/{merchantId}/ordernumber/{orderNumber}'],
  ['get', '/orders/merchantid/{merchantId}/cancelled'],
  ['post', '/packages/merchantid/{merchantId}'], // packing lines into a package
  ['get', '/packages/merchantid/{merchantId}/packagenumber/{packagenumber}'], // the package's carrier and tracking
  ['get', '/packages/merchantid/{merchantId}/packagenumber/{packagenumber}/labels'], // common barcode (label)
  ['put', '/packages/merchantid/{merchantId}/packagenumber/{packageNumber}/invoice'],
  ['post', '/packages/merchantid/{merchantId}/packagenumber/{packagenumber}/intransit'],
  ['post', '/packages/merchantid/{merchantId}/packagenumber/{packagenumber}/deliver'],
  ['post', '/packages/merchantid/{merchantId}/packagenumber/{packagenumber}/undeliver'],
  ['post', '/packages/merchantid/{merchantId}/packagenumber/{packagenumber}/unpack'],
  ['post', '/packages/merchantid/{merchantId}/packagenumber/{packagenumber}/split'],
  ['get', '/packages/merchantid/{merchantId}/packagenumber/{packageNumber}/changablecargocompanies'],
  ['put', '/packages/merchantid/{merchantId}/packagenumber/{packageNumber}/changecargocompany'],
  ['post', '/lineitems/merchantid/{merchantId}/id/{lineId}/cancelbymerchant'],
  ['get', '/packages/merchantid/{merchantId}/shipped'],
  ['get', '/packages/merchantid/{merchantId}/delivered'],
  ['get', '/packages/merchantid/{merchantId}/undelivered'],
  ['get', '/packages/merchantid/{merchantId}/status/unpacked'],
];

const find = (method, p) => {
  const key = Object.keys(doc.paths).find((k) => k.toLowerCase() === p.toLowerCase() && doc.paths[k][method]);
  if (!key) throw new Error(`not in the capture: ${method.toUpperCase()} ${p}`);
  return key;
};

const components = {};
const copy = (value) => {
  if (Array.isArray(value)) return value.map(copy);
  if (!value || typeof value !== 'object') return value;
  const result = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$ref' && typeof v === 'string') {
      const [, , kind, name] = v.split('/');
      components[kind] ??= {};
      if (!components[kind][name]) {
        const target = doc.components?.[kind]?.[name];
        if (!target) throw new Error(`${v} does not resolve`);
        components[kind][name] = {};
        components[kind][name] = copy(target);
      }
      result[k] = v;
    } else result[k] = copy(v);
  }
  return result;
};

const paths = {};
for (const [method, p] of OPS) {
  const key = find(method, p);
  paths[key] ??= {};
  paths[key][method] = { ...copy(doc.paths[key][method]), 'x-order-engine-source': { path: key, method } };
}
const securitySchemes = doc.components?.securitySchemes ?? {};
const out = {
  openapi: doc.openapi,
  info: {
    ...doc.info,
    description: [
      'A SUBSET for the order-to-delivery engine (marketplaces/hepsiburada/spec/build.mjs) of the order-integration',
      'definition Hepsiburada publishes on developers.hepsiburada.com. © Hepsiburada (D-Market Elektronik Hizmetler ve Ticaret A.Ş.);',
      'published without a licence: generated locally for conformance checks, not redistributed (README.md, "Licence").',
    ].join(' '),
  },
  servers: doc.servers ?? [{ url: 'https://oms-external-sit.hepsiburada.com' }],
  paths,
  components: {
    ...Object.fromEntries(
      Object.entries(components).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))]),
    ),
    securitySchemes,
  },
  'x-order-engine-sources': { ...provenance, operations: OPS.map(([m, p]) => `${m.toUpperCase()} ${p}`) },
};
fs.writeFileSync(path.join(here, 'oms-external.subset.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`oms-external.subset.json: ${OPS.length} operations, ${Object.keys(components.schemas ?? {}).length} schemas (not committed)`);
