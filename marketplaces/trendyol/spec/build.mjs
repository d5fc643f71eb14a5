// Builds the Trendyol order-integration subset (trendyol.subset.json) from Trendyol's own OpenAPI 3.0.3
// definitions as its developer portal publishes them (developers.trendyol.com is a ReadMe site: each API
// reference page's Markdown rendering, <page>.md, embeds the page's OpenAPI document under
// "# OpenAPI definition"). Only the operations the marketplace connector makes, every component they
// reach, the User-Agent header the portal's Authorization guide requires, and x-order-engine-source.
//
// The output is NOT committed (.gitignore; README.md, "Licence"). Two ways to feed it:
//   node marketplaces/trendyol/spec/build.mjs --pages <dir>   a folder of the reference pages' .md renderings,
//        saved from https://developers.trendyol.com/reference/<page>.md (PAGES below)
//   node marketplaces/trendyol/spec/build.mjs --lonca <dir>   loncadev/lonca's specs/trendyol/ (marketplace.json, common-label.json),
//        the same definitions merged per API definition (its README: "byte-for-byte" apart from x-lonca-*)
//   node marketplaces/trendyol/spec/check.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [mode, dir] = process.argv.slice(2);

/** The reference page of each operation we take (https://developers.trendyol.com/reference/<page>). */
const PAGES = {
  getShipmentPackages: 'getshipmentpackages',
  getShipmentPackagesStream: 'getshipmentpackagesstream',
  updatePackageStatus: 'updatepackagestatus',
  cancelOrderPackageItem: 'cancelorderpackageitem',
  changeCargoProvider: 'changecargoprovider',
  splitShipmentPackage: 'splitshipmentpackage',
  extendAgreedDeliveryDate: 'extendagreeddeliverydate',
  getClaims: 'getclaims',
  approveClaimLineItems: 'approveclaimlineitems',
  createCommonLabel: 'createcommonlabel',
  getCommonLabel: 'getcommonlabel',
};

/** Every source document: {doc, where} pairs. */
let documents;
if (mode === '--pages' && dir) {
  documents = Object.values(PAGES).map((page) => {
    const text = fs.readFileSync(path.join(dir, `${page}.md`), 'utf8');
    const m = /# OpenAPI definition\s*```json\s*([\s\S]*?)```/.exec(text);
    if (!m) throw new Error(`${page}.md: no "# OpenAPI definition" block`);
    const updatedAt = /updatedAt:\s*(\S+)/.exec(text)?.[1];
    return {
      doc: JSON.parse(m[1]),
      where: { page: `https://developers.trendyol.com/reference/${page}`, portalUpdatedAt: updatedAt },
      tag: page,
    };
  });
} else if (mode === '--lonca' && dir) {
  documents = ['marketplace.json', 'common-label.json'].map((file) => ({
    doc: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')),
    where: { capture: 'https://github.com/loncadev/lonca', file: `specs/trendyol/${file}` },
    tag: path.basename(file, '.json'),
  }));
} else {
  console.error(
    'usage: node marketplaces/trendyol/spec/build.mjs --pages <dir of reference .md pages> | --lonca <dir of lonca specs/trendyol>',
  );
  process.exit(2);
}

// Drop the capture's own additions (x-lonca-*, ReadMe's x-readme): what remains is Trendyol's.
const clean = (value) => {
  if (Array.isArray(value)) return value.map(clean);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !k.startsWith('x-lonca') && k !== 'x-readme')
      .map(([k, v]) => [k, clean(v)]),
  );
};

const out = { paths: {}, components: { schemas: {}, securitySchemes: {}, parameters: {} } };
let base;
const found = new Set();
for (const { doc, where, tag } of documents) {
  base ??= doc;
  // A component another definition already gave under the same name but differently (both define their own
  // `Error`: `{error, message}` and `{error{status, errors[]}}`) is kept under `<name>-<tag>`, its $refs rewritten.
  const renamed = {};
  const resolveRefs = (value) => {
    if (Array.isArray(value)) return value.map(resolveRefs);
    if (!value || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (k !== '$ref' || typeof v !== 'string') return [k, resolveRefs(v)];
        const [, , kind, name] = v.split('/');
        if (kind === 'parameters' && name === 'UserAgent') return [k, v]; // ours, added below
        const key = `${kind}/${name}`;
        if (!(key in renamed)) {
          const target = doc.components?.[kind]?.[name];
          if (!target) throw new Error(`${v} does not resolve`);
          out.components[kind] ??= {};
          const held = out.components[kind][name];
          const own = held === undefined || JSON.stringify(held) === JSON.stringify(clean(target)) ? name : `${name}-${tag}`;
          renamed[key] = own;
          if (!out.components[kind][own]) {
            out.components[kind][own] = {}; // claimed before recursing (cyclic schemas)
            out.components[kind][own] = resolveRefs(clean(target));
          }
        }
        return [k, `#/components/${kind}/${renamed[key]}`];
      }),
    );
  };
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!(operation?.operationId in PAGES) || found.has(operation.operationId)) continue;
      found.add(operation.operationId);
      const op = resolveRefs(clean(operation));
      // The portal's Authorization guide makes User-Agent mandatory on every call (403 without); no reference page declares it.
      op.parameters = [
        ...(op.parameters ?? []).filter((x) => x.$ref !== '#/components/parameters/UserAgent'),
        { $ref: '#/components/parameters/UserAgent' },
      ];
      op['x-order-engine-source'] = {
        ...where,
        page: `https://developers.trendyol.com/reference/${PAGES[operation.operationId]}`,
        path: p,
        method,
      };
      out.paths[p] ??= {};
      out.paths[p][method] = op;
    }
    for (const kind of ['securitySchemes']) Object.assign(out.components[kind], clean(doc.components?.[kind] ?? {}));
  }
}
const missing = Object.keys(PAGES).filter((op) => !found.has(op));
if (missing.length) throw new Error(`operations not found: ${missing.join(', ')}`);

out.components.parameters.UserAgent = {
  name: 'User-Agent',
  in: 'header',
  required: true,
  description:
    '"{sellerId} - {integrator name}" or "{sellerId} - SelfIntegration"; alphanumeric name, at most 30 characters; 403 without (https://developers.trendyol.com/docs/2-authorization)',
  schema: { type: 'string' },
};
const spec = {
  openapi: base.openapi,
  info: {
    title: 'Trendyol: the order-integration calls the order-to-delivery engine makes (a subset)',
    version: base.info?.version ?? '1.0.0',
    description:
      'Operations copied from the OpenAPI definitions Trendyol publishes on developers.trendyol.com (© Trendyol, DSM Grup Danışmanlık İletişim ve Satış Ticaret A.Ş.; published without a licence: generated locally, not redistributed; README.md, "Licence"). Additions: components.parameters.UserAgent, x-order-engine-source.',
  },
  servers: base.servers,
  security: base.security,
  paths: Object.fromEntries(Object.entries(out.paths).sort(([a], [b]) => a.localeCompare(b))),
  components: out.components,
};
fs.writeFileSync(path.join(here, 'trendyol.subset.json'), `${JSON.stringify(spec, null, 2)}\n`);
console.log(`trendyol.subset.json: ${found.size} operations, ${Object.keys(out.components.schemas).length} schemas (not committed)`);
