// Builds ups-openapi.yaml and examples/*.json from UPS's own OpenAPI definitions (UPS-API/api-documentation,
// MIT): only the calls the engine makes, the components they reach, nothing rewritten but what the README's
// "How the subset was made" lists. Run from the repository root with a clone (bare or not) of that repository:
//   node carriers/ups/spec/build.mjs <git dir of UPS-API/api-documentation> [commit]
//   npx prettier --write carriers/ups/spec && node carriers/ups/spec/check.mjs
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsYaml from 'js-yaml';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const [gitDir, commitArg = 'HEAD'] = process.argv.slice(2);
if (!gitDir) {
  console.error('usage: node carriers/ups/spec/build.mjs <git dir of UPS-API/api-documentation> [commit]');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const commit = git('rev-parse', `${commitArg}^{commit}`).trim();

/** Each upstream file: where its paths are served from (its `servers`, without the host), and what we take. */
const SOURCES = [
  { file: 'OAuthClientCredentials.yaml', prefix: '', ops: [['/security/v1/oauth/token', 'post']] },
  { file: 'Rating.yaml', prefix: '/api', ops: [['/rating/{version}/{requestoption}', 'post']] },
  {
    file: 'Shipping.yaml',
    prefix: '/api',
    ops: [
      ['/shipments/{version}/ship', 'post'],
      ['/shipments/{version}/void/cancel/{shipmentidentificationnumber}', 'delete'],
      ['/labels/{version}/recovery', 'post'],
    ],
  },
  {
    file: 'Tracking.yaml',
    prefix: '/api',
    ops: [
      ['/track/v1/details/{inquiryNumber}', 'get'],
      ['/track/v1/reference/details/{referenceNumber}', 'get'],
    ],
  },
  {
    file: 'Pickup.yaml',
    prefix: '/api',
    ops: [
      ['/pickupcreation/{version}/pickup', 'post'],
      ['/shipments/{version}/pickup/{CancelBy}', 'delete'],
    ],
  },
  // Landed Cost Quote (issue 25): duties and taxes of a DDP parcel, added to its quote. Its server is .../api, like Rating's.
  { file: 'LandedCost.yaml', prefix: '/api', ops: [['/landedcost/{version}/quotes', 'post']] },
  {
    file: 'UPSTrackAlert.yaml',
    prefix: '/api/track/{version}',
    ops: [['/subscription/{type}/package', 'post']],
    webhooks: ['TrackingEvent'],
  },
];

// Parsed with js-yaml (3.x, here through jest), which is lenient as UPS's own tooling must be: Shipping.yaml has tabs inside a
// double-quoted scalar (ShipmentRequest_Shipment.Description) that the strict `yaml` package rejects. Its default schema
// reads an unquoted 011 as octal 9 (UPSTrackAlert.yaml's `descriptionCode: 011`, Shipping.yaml's `example: 03`) and
// 9999-12-31 as a Date: here digits with a leading zero and dates stay the strings written.
const leadingZero = /^[-+]?0[0-9]+$/;
const [nullType, boolType, intType, floatType] = ['null', 'bool', 'int', 'float'].map((t) =>
  jsYaml.CORE_SCHEMA.compiledImplicit.find((type) => type.tag === `tag:yaml.org,2002:${t}`),
);
const numberType = (base) =>
  new jsYaml.Type(base.tag, {
    kind: 'scalar',
    resolve: (d) => !leadingZero.test(d) && base.resolve(d),
    construct: base.construct,
    predicate: base.predicate,
    represent: base.represent,
    defaultStyle: base.defaultStyle,
  });
const SCHEMA = new jsYaml.Schema({
  include: [jsYaml.FAILSAFE_SCHEMA],
  implicit: [nullType, boolType, numberType(intType), numberType(floatType)],
});

const KINDS = ['schemas', 'parameters', 'securitySchemes', 'responses', 'requestBodies', 'headers', 'examples'];
const stem = (file) => file.replace(/\.yaml$/, '');
/** Component names are prefixed with their file's name: of the components reached, Rating.yaml and Shipping.yaml share 77 names, 71 defined differently. */
const rename = (file, name) => `${stem(file)}.${name}`;

function rewriteRef(file, ref) {
  const m = /^#\/components\/([^/]+)\/([^/]+)(\/.*)?$/.exec(ref.trim());
  if (!m) throw new Error(`${file}: unexpected $ref ${ref}`);
  return `#/components/${m[1]}/${rename(file, m[2])}${m[3] ?? ''}`;
}

const out = {
  components: Object.fromEntries(KINDS.map((k) => [k, {}])),
  paths: {},
  webhooks: {},
};
const sources = [];
const examples = [];

for (const source of SOURCES) {
  const { file, prefix, ops } = source;
  const text = git('show', `${commit}:${file}`);
  const doc = jsYaml.load(text, { schema: SCHEMA });
  const components = doc.components ?? {};
  const wanted = new Set(); // "kind/name"

  // Copies a value, renaming $refs and security scheme names, and noting every component it reaches.
  // An empty `description:` (YAML null: Pickup.yaml's Smart Pickup wrappers) is left out: JSON Schema wants a string.
  const copy = (value) => {
    if (Array.isArray(value)) return value.map(copy);
    if (!value || typeof value !== 'object') return value;
    const result = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'description' && v === null) continue;
      if (k === '$ref' && typeof v === 'string') {
        const [, , kind, name] = v.trim().split('/');
        if (!wanted.has(`${kind}/${name}`)) {
          wanted.add(`${kind}/${name}`);
          if (!components[kind]?.[name]) throw new Error(`${file}: ${v} does not resolve`);
          out.components[kind][rename(file, name)] = copy(components[kind][name]);
        }
        result[k] = rewriteRef(file, v);
      } else result[k] = copy(v);
    }
    return result;
  };
  const copySecurity = (requirements) =>
    requirements?.map((req) =>
      Object.fromEntries(
        Object.entries(req).map(([scheme, scopes]) => {
          out.components.securitySchemes[rename(file, scheme)] = copy(components.securitySchemes[scheme]);
          return [rename(file, scheme), scopes];
        }),
      ),
    );
  const copyOperation = (operation, where) => {
    const op = copy(operation);
    op.security = copySecurity(operation.security ?? doc.security);
    delete op.servers; // the document's servers are the same hosts (OAuthClientCredentials.yaml had them per operation)
    op['x-ups-source'] = { file, ...where };
    const opId = operation.operationId.replace(/[^A-Za-z0-9]+/g, '');
    const collect = (content, kind) => {
      const media = content?.['application/json'];
      if (!media) return;
      if (media.example !== undefined) examples.push({ opId, kind, key: 'example', summary: undefined, value: media.example, file, where });
      for (const [key, ex] of Object.entries(media.examples ?? {}))
        examples.push({ opId, kind, key, summary: ex.summary ?? ex.description, value: ex.value, file, where });
    };
    collect(operation.requestBody?.content, 'request');
    for (const [status, response] of Object.entries(operation.responses ?? {})) collect(response.content, `response-${status}`);
    return op;
  };

  for (const [p, method] of ops) {
    const item = doc.paths[p];
    const full = `${prefix}${p}`;
    out.paths[full] ??= {};
    if (item.parameters) out.paths[full].parameters = copy(item.parameters);
    out.paths[full][method] = copyOperation(item[method], { path: p, method });
  }
  for (const name of source.webhooks ?? []) {
    out.webhooks[name] = { post: copyOperation(doc.webhooks[name].post, { webhook: name, method: 'post' }) };
  }
  sources.push({
    file,
    blob: git('rev-parse', `${commit}:${file}`).trim(),
    lastChangedIn: git('log', '-1', '--format=%H', commit, '--', file).trim(),
    openapi: doc.openapi,
    title: doc.info?.title,
    servers: doc.servers ?? ops.flatMap(([p, m]) => doc.paths[p][m].servers ?? []),
    pathPrefix: prefix,
    taken: [...ops.map(([p, m]) => `${m.toUpperCase()} ${p}`), ...(source.webhooks ?? []).map((w) => `webhook ${w}`)],
    components: [...wanted].sort().length,
    description: doc.info?.description,
  });
}

for (const kind of KINDS) {
  if (Object.keys(out.components[kind]).length === 0) delete out.components[kind];
  else out.components[kind] = Object.fromEntries(Object.entries(out.components[kind]).sort(([a], [b]) => a.localeCompare(b)));
}

const license = execFileSync('git', ['--git-dir', gitDir, 'show', `${commit}:LICENSE`], { encoding: 'utf8' })
  .replace(/\r/g, '')
  .trim();
const short = commit.slice(0, 12);
const spec = {
  openapi: '3.1.0',
  info: {
    title: 'UPS: the calls the order-to-delivery engine makes (a subset of UPS-API/api-documentation)',
    version: `UPS-API/api-documentation@${short}`,
    description: [
      `The token, Rate, Ship (outbound, and returns with Shipment.ReturnService), Void, Label Recovery, Track by inquiry number,`,
      `Track by reference number, Pickup Creation, Pickup Cancel, Landed Cost Quote and Track Alert (package subscription, and the event it pushes`,
      `to us) operations, copied`,
      `from UPS's OpenAPI definitions at commit ${commit} of https://github.com/UPS-API/api-documentation, with every`,
      `component they reach. Component names are the upstream names prefixed with their file's name (of the components`,
      `reached, Rating.yaml and Shipping.yaml share 77 names, 71 defined differently). Paths are full paths from the host (each file's server path`,
      `prefixed). Where each part came from: x-ups-source on every operation, x-ups-sources at the root. See README.md.`,
      '',
      'Upstream license:',
      '',
      license,
    ].join('\n'),
    license: { name: 'MIT', identifier: 'MIT' },
  },
  servers: [
    {
      url: 'https://wwwcie.ups.com',
      description: 'Customer Integration Environment (CIE). Track Alert: integration testing only, it creates no subscription.',
    },
    { url: 'https://onlinetools.ups.com', description: 'Production' },
  ],
  tags: [
    { name: 'OAuth Client Credentials' },
    { name: 'Rating' },
    { name: 'Shipping' },
    { name: 'Tracking' },
    { name: 'Pickup' },
    { name: 'Landed Cost' },
    { name: 'UPS Track Alert', description: 'Endpoints related to tracking subscriptions' },
  ],
  paths: out.paths,
  webhooks: out.webhooks,
  components: out.components,
  'x-ups-sources': { repository: 'https://github.com/UPS-API/api-documentation', commit, license: 'MIT', files: sources },
};

const header = [
  ` UPS OpenAPI subset for the order-to-delivery engine: GENERATED by carriers/ups/spec/build.mjs, do not edit by hand.`,
  ``,
  ` Source: https://github.com/UPS-API/api-documentation at commit ${commit}`,
  ...sources.map((s) => ` - ${s.file} (OpenAPI ${s.openapi}; blob ${s.blob}; last changed in ${s.lastChangedIn}): ${s.taken.join(', ')}`),
  ``,
  ` Copied under UPS's MIT license; its notice, as the LICENSE file of that repository has it:`,
  ``,
  ...license.split('\n').map((l) => (l ? ` ${l}` : '')),
].join('\n');

const comment = header
  .split('\n')
  .map((l) => `#${l}`.trimEnd())
  .join('\n');
const body = new YAML.Document(spec, { aliasDuplicateObjects: false }).toString({ lineWidth: 0 });
fs.writeFileSync(path.join(here, 'ups-openapi.yaml'), `${comment}\n${body}`);

// Example bodies, one file each: <operationId>.<request|response-STATUS>.<key>.json
const exampleDir = path.join(here, 'examples');
fs.rmSync(exampleDir, { recursive: true, force: true });
fs.mkdirSync(exampleDir);
const index = [];
for (const ex of examples) {
  const key = ex.key.replace(/[^A-Za-z0-9]+/g, '-');
  const name = `${ex.opId}.${ex.kind}.${/^\d+$/.test(key) ? key.padStart(2, '0') : key}.json`;
  fs.writeFileSync(path.join(exampleDir, name), `${JSON.stringify(ex.value, null, 2)}\n`);
  index.push({ name, operationId: ex.opId, body: ex.kind, summary: ex.summary, source: { file: ex.file, ...ex.where, example: ex.key } });
}
fs.writeFileSync(path.join(exampleDir, 'index.json'), `${JSON.stringify({ commit, examples: index }, null, 2)}\n`);
console.log(
  `ups-openapi.yaml: ${Object.keys(out.paths).length} paths, ${Object.keys(out.webhooks).length} webhook, ${Object.keys(out.components.schemas).length} schemas; ${examples.length} examples`,
);
