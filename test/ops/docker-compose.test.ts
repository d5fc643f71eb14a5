// docker-compose.yml and the Dockerfile, checked without a Docker engine: the services the
// production shape needs, each process's image holding every file and package it loads, addresses
// that name the right service and port, secrets required rather than defaulted, configuration the
// processes accept, and a start order that waits for what each service needs.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { TypedSearchAttributes } from '@temporalio/common';
import { parse } from 'yaml';
import { CARRIERS, carrierAdapters, carrierSecrets } from '../../carriers/registry';
import { loadConfig } from '../../lib/config';
import { searchAttributes } from '../../workflows/definitions';
import { ROOT } from '../helpers/env';

interface Service {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  restart?: string;
}

// Docker Compose merges `<<: *anchor` keys (YAML 1.1); the parser does so when asked.
const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const { services } = compose;
const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
// What `npm ci --omit=dev` installs: every locked package not marked dev-only.
const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
const installedInImage = (name: string) =>
  lock.packages[`node_modules/${name}`] !== undefined && !lock.packages[`node_modules/${name}`].dev;

/** Our own processes: built from the Dockerfile, each running one TypeScript entry point. */
const OWN = ['api', 'worker', 'sandbox'];
/** Where each service listens inside the network. */
const LISTENS: Record<string, number[]> = { postgres: [5432], temporal: [7233], sandbox: [4010, 1025], api: [3000] };
/** Secrets compose must refuse to start without (`${NAME:?…}`), never defaulted. */
const CARRIER_SECRETS = CARRIERS.flatMap((c) => c.secrets);
const REQUIRED_SECRETS = [
  'API_KEYS',
  'PAYLOAD_KEYS',
  'PAYLOAD_KEY_ID',
  'POSTGRES_PASSWORD',
  'SHOPIFY_WEBHOOK_SECRET',
  'SMS_API_KEY',
  'WEBHOOK_SUBSCRIBERS',
  'WOOCOMMERCE_WEBHOOK_SECRET',
  ...CARRIER_SECRETS,
].sort();

/** What `docker compose` would substitute, with test values for the variables a deployment sets. */
const DEPLOYMENT: Record<string, string> = {
  POSTGRES_PASSWORD: 'pw',
  API_KEYS: 'ops:ops:' + 'a'.repeat(64),
  PAYLOAD_KEYS: `prod-1:${Buffer.alloc(32, 7).toString('base64')}`,
  PAYLOAD_KEY_ID: 'prod-1',
  WEBHOOK_SUBSCRIBERS: '[{"id":"oms","kind":"webhook","url":"http://sandbox:4010/inbox/oms","secret":"a-real-subscriber-secret"}]',
  ...Object.fromEntries(
    ['SHOPIFY_WEBHOOK_SECRET', 'WOOCOMMERCE_WEBHOOK_SECRET', 'SMS_API_KEY', ...CARRIER_SECRETS].map((name) => [
      name,
      `real-${name}-0123456789`,
    ]),
  ),
};
function interpolate(value: string | number): string {
  return String(value).replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_m, name: string, op?: string, rest?: string) => {
    if (DEPLOYMENT[name] !== undefined) return DEPLOYMENT[name];
    if (op === '-') return rest ?? '';
    throw new Error(`${name} is required: ${rest}`);
  });
}
const envOf = (service: string) =>
  Object.fromEntries(Object.entries(services[service].environment ?? {}).map(([k, v]) => [k, interpolate(v)]));

test('every service of the production shape is there: PostgreSQL, Temporal (auto-setup on PostgreSQL) and its UI, the API, the worker, the carrier sandbox', () => {
  expect(Object.keys(services)).toEqual(
    expect.arrayContaining(['postgres', 'temporal', 'temporal-ui', 'api', 'worker', 'sandbox', 'migrate']),
  );
  expect(services.postgres.image).toMatch(/^postgres:\d+/);
  expect(services.temporal.image).toMatch(/^temporalio\/auto-setup:/);
  expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
  const temporal = envOf('temporal');
  const postgres = envOf('postgres');
  expect(temporal).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres', DB_PORT: '5432' });
  expect([temporal.POSTGRES_USER, temporal.POSTGRES_PWD]).toEqual([postgres.POSTGRES_USER, postgres.POSTGRES_PASSWORD]);
  expect(services.worker).toMatchObject({ deploy: { replicas: expect.any(Number) } });
});

test('api, worker, sandbox and migrations build from the Dockerfile and run a file the image holds', () => {
  // COPY <source>... <destination>: every word but the last is in the image.
  const copied = [...dockerfile.matchAll(/^COPY\s+(.+)$/gm)].flatMap((m) => m[1].trim().split(/\s+/).slice(0, -1));
  for (const name of [...OWN, 'migrate']) {
    const { build, command } = services[name];
    expect([name, build]).toEqual([name, '.']);
    expect([name, command?.[0]]).toEqual([name, expect.stringMatching(/^node_modules\/\.bin\/(tsx|node-pg-migrate)$/)]);
  }
  for (const name of OWN) {
    const entry = services[name].command![1];
    expect([name, existsSync(path.join(ROOT, entry))]).toEqual([name, true]);
    const missing = [...loadedFiles(entry)].map((file) => file.split('/')[0]).filter((top) => !copied.includes(top));
    expect([name, [...new Set(missing)]]).toEqual([name, []]);
  }
  expect(copied).toContain('db'); // the migrations
  expect(dockerfile).toMatch(/^FROM node:(\d+)/m);
  expect(Number(/^FROM node:(\d+)/m.exec(dockerfile)![1])).toBeGreaterThanOrEqual(Number(/\d+/.exec(pkg.engines.node)![0]));
  expect(dockerfile).toMatch(/^USER node$/m); // not root
});

test('every package the processes load at run time is installed in the image (npm ci --omit=dev: no devDependencies)', () => {
  expect(dockerfile).toContain('npm ci --omit=dev');
  const outside: string[] = [];
  for (const name of OWN) {
    for (const file of loadedFiles(services[name].command![1])) {
      for (const specifier of importsOf(file).filter((s) => !s.startsWith('.'))) {
        const pkgName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        if (!builtinModules.includes(pkgName) && !specifier.startsWith('node:') && !installedInImage(pkgName))
          outside.push(`${pkgName} (${file})`);
      }
    }
  }
  expect([...new Set(outside)]).toEqual([]);
});

test('addresses inside the network name the service and the port it listens on, never localhost', () => {
  // PUBLIC_BASE_URL and TEMPORAL_UI_ORIGIN are seen from a reader's browser, outside the network.
  const internal =
    /^(DATABASE_URL|TEMPORAL_ADDRESS|POSTGRES_SEEDS|(?!PUBLIC_)\w+_BASE_URL|SMTP_URL|SANDBOX_UPS_WEBHOOK_URL|WEBHOOK_SUBSCRIBERS)$/;
  const checked: string[] = [];
  for (const name of Object.keys(services)) {
    for (const [key, value] of Object.entries(envOf(name)).filter(([k]) => internal.test(k))) {
      const addresses = key === 'WEBHOOK_SUBSCRIBERS' ? (JSON.parse(value) as { url: string }[]).map((s) => s.url) : [value];
      for (const address of addresses) {
        const { hostname, port } =
          key === 'POSTGRES_SEEDS' ? { hostname: address, port: '5432' } : new URL(/:\/\//.test(address) ? address : `grpc://${address}`);
        expect([name, key, hostname, LISTENS[hostname]?.includes(Number(port))]).toEqual([name, key, hostname, true]);
        checked.push(`${name}.${key}`);
      }
    }
  }
  expect(checked).toEqual(
    expect.arrayContaining([
      'api.DATABASE_URL',
      'worker.DATABASE_URL',
      'api.TEMPORAL_ADDRESS',
      'worker.TEMPORAL_ADDRESS',
      'temporal-ui.TEMPORAL_ADDRESS',
      'worker.UPS_BASE_URL',
      'worker.MNG_BASE_URL',
      'sandbox.SANDBOX_UPS_WEBHOOK_URL',
    ]),
  );
  expect(envOf('sandbox').SANDBOX_HOST).toBe('0.0.0.0'); // reachable from the other containers
  // The API decodes what the worker encodes, and both read the same records.
  for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE', 'PAYLOAD_KEYS', 'PAYLOAD_KEY_ID'])
    expect([key, envOf('api')[key]]).toEqual([key, envOf('worker')[key]]);
  expect(envOf('sandbox').UPS_WEBHOOK_SECRET).toBe(envOf('api').UPS_WEBHOOK_SECRET);
});

test('secrets are required from the deployment, and the API and worker accept their configuration', () => {
  const raw = readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
  const required = new Set([...raw.matchAll(/\$\{(\w+):\?/g)].map((m) => m[1]));
  expect([...required].sort()).toEqual(REQUIRED_SECRETS);
  for (const name of ['api', 'worker']) {
    const env = envOf(name);
    // The image runs in production mode (NODE_ENV=production): every secret set, none a development default.
    const config = loadConfig({ ...env, NODE_ENV: 'production' }, { connectors: CARRIERS, secretsOf: carrierSecrets });
    expect(() => carrierAdapters(env, { timeoutMs: config.CARRIER_TIMEOUT_MS })).not.toThrow();
    // Every variable set is one the process reads (its own or a carrier connector's): a misspelt name would silently fall back to a default.
    const carrierSettings = CARRIERS.flatMap((c) => Object.keys(c.settings.shape));
    const unknown = Object.keys(env).filter((key) => !(key in config) && !carrierSettings.includes(key));
    expect([name, unknown]).toEqual([name, []]);
  }
  expect(loadConfig(envOf('api')).API_KEYS).toBe(DEPLOYMENT.API_KEYS);
});

test('start order: each service waits until what it needs is healthy, migrated or registered', () => {
  for (const [name, service] of Object.entries(services)) {
    for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
      expect([name, dependency, dependency in services]).toEqual([name, dependency, true]);
      // Waiting for health needs a healthcheck; waiting for completion, a one-shot job.
      if (condition === 'service_healthy')
        expect([name, dependency, services[dependency].healthcheck !== undefined]).toEqual([name, dependency, true]);
      if (condition === 'service_completed_successfully')
        expect([name, dependency, services[dependency].restart]).toEqual([name, dependency, 'no']);
      expect(['service_healthy', 'service_completed_successfully']).toContain(condition);
    }
  }
  const waitsFor = (name: string) => Object.keys(services[name].depends_on ?? {});
  const before = (name: string, seen = new Set<string>()): Set<string> => {
    for (const dep of waitsFor(name)) if (!seen.has(dep)) before(dep, seen.add(dep));
    return seen;
  };
  for (const name of ['api', 'worker'])
    expect([name, [...before(name)].sort()]).toEqual([name, expect.arrayContaining(['migrate', 'postgres', 'temporal', 'temporal-setup'])]);
  expect(before('worker')).toContain('sandbox');
  for (const name of Object.keys(services)) expect([name, before(name).has(name)]).toEqual([name, false]); // no cycles
  for (const name of ['postgres', 'temporal', 'sandbox', 'api'])
    expect([name, services[name].healthcheck?.test[0]]).toEqual([name, expect.stringMatching(/^CMD/)]);
});

test('the search attributes the workflows set are registered before any worker starts, each with its type', () => {
  const script = services['temporal-setup'].command!.join(' ');
  const registered: Record<string, string> = {};
  for (const call of script.split('&&')) {
    const type = /--type (\w+)/.exec(call)?.[1];
    for (const [, name] of call.matchAll(/--name (\w+)/g)) registered[name] = type!;
  }
  const expected = Object.fromEntries(
    Object.values(searchAttributes).map((key) => [key.name, TypedSearchAttributes.toMetadataType(key.type)]),
  );
  expect(registered).toEqual(expected);
  expect(script).toContain('--address temporal:7233');
});

// --- what an entry point loads: its relative imports, followed; package and built-in specifiers ---

/** Specifiers a file loads at run time: type-only imports are erased and load nothing. */
function importsOf(file: string): string[] {
  const source = readFileSync(path.join(ROOT, file), 'utf8');
  const patterns = [
    /^\s*(?:import|export)\s+(?!type\s)[^'";]*?\bfrom\s+'([^']+)'/gm,
    /^\s*import\s+'([^']+)'/gm,
    /\brequire(?:\.resolve)?\('([^']+)'\)/g,
    /\bimport\('([^']+)'\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((m) => m[1]));
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.join(path.dirname(from), specifier);
  const found = [base, `${base}.ts`, path.join(base, 'index.ts')].find(
    (candidate) => existsSync(path.join(ROOT, candidate)) && candidate.match(/\.(ts|json)$/),
  );
  if (!found) throw new Error(`${from} imports ${specifier}, which does not exist`);
  return found;
}

/** Every repository file an entry point loads, relative to the root. */
function loadedFiles(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (!file.endsWith('.ts')) return;
    for (const specifier of importsOf(file).filter((s) => s.startsWith('.'))) visit(resolveRelative(file, specifier));
  };
  visit(path.normalize(entry));
  return seen;
}
