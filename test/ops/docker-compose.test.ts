// docker-compose.yml and the Dockerfile, checked without a Docker engine: the services the
// production shape needs, each process's image holding every file and package it loads, addresses
// that name the right service and port, secrets required rather than defaulted, configuration the
// processes accept, a start order that waits for what each service needs, and what is exposed:
// only the API published, the Temporal UI and the carrier sandbox behind opt-in profiles, the
// engine on a PostgreSQL role of its own (whose grants are tried on the real server).
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { TypedSearchAttributes } from '@temporalio/common';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { parse } from 'yaml';
import { createOrderActivities } from '../../activities/orders';
import { CARRIERS, carrierAdapters, carrierSecrets } from '../../carriers/registry';
import { loadConfig } from '../../lib/config';
import { SANDBOX_INBOX_SECRETS } from '../../sandbox/inbox';
import { startSandbox } from '../../sandbox/main';
import { SANDBOX_SMS_API_KEY } from '../../sandbox/sms';
import { searchAttributes } from '../../workflows/definitions';
import { ROOT, TEST_DATABASE_URL, uniqueOrderId } from '../helpers/env';
import { sampleOrder } from '../helpers/orders';

interface Service {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  profiles?: string[];
  restart?: string;
  volumes?: string[];
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
  'RATING_TOKEN_SECRET',
  'SHOPIFY_WEBHOOK_SECRET',
  'SMS_API_KEY',
  'WEBHOOK_SUBSCRIBERS',
  'WOOCOMMERCE_WEBHOOK_SECRET',
  ...CARRIER_SECRETS,
].sort();

/** A compose env file's variables: KEY=value lines, the value optionally quoted. */
function readEnvFile(file: string): Record<string, string> {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const pairs = lines.filter((line) => /^\w+=/.test(line)).map((line) => /^(\w+)=(.*)$/.exec(line)!.slice(1));
  return Object.fromEntries(pairs.map(([key, value]) => [key, value.replace(/^'(.*)'$|^"(.*)"$/, '$1$2')]));
}
/** The dev profile's variables: the sandbox's endpoints and the development credentials it accepts. */
const DEV = readEnvFile('deploy/compose/dev.env');
/** What a production deployment sets: its own accounts and endpoints (here the dev file's), and real secrets, none a development default. */
const DEPLOYMENT: Record<string, string> = {
  ...Object.fromEntries(Object.entries(DEV).filter(([name]) => name !== 'ENGINE_NODE_ENV')),
  POSTGRES_PASSWORD: 'pw',
  POSTGRES_APP_PASSWORD: 'app-pw',
  API_KEYS: 'ops:ops:' + 'a'.repeat(64),
  PAYLOAD_KEYS: `prod-1:${Buffer.alloc(32, 7).toString('base64')}`,
  PAYLOAD_KEY_ID: 'prod-1',
  WEBHOOK_SUBSCRIBERS: '[{"id":"oms","kind":"webhook","url":"https://oms.example/webhooks","secret":"a-real-subscriber-secret"}]',
  ...Object.fromEntries(
    ['SHOPIFY_WEBHOOK_SECRET', 'WOOCOMMERCE_WEBHOOK_SECRET', 'SMS_API_KEY', 'RATING_TOKEN_SECRET', ...CARRIER_SECRETS].map((name) => [
      name,
      `real-${name}-0123456789`,
    ]),
  ),
};
/** What `docker compose` would substitute with these variables set (`${X-d}`, unlike `${X:-d}`, keeps an empty X: here none is). */
function interpolate(value: string | number, variables: Record<string, string>): string {
  return String(value).replace(/\$\{(\w+)(?::?([?-])([^}]*))?\}/g, (_m, name: string, op?: string, rest?: string) => {
    if (variables[name] !== undefined) return variables[name];
    if (op === '-') return rest ?? '';
    throw new Error(`${name} is required: ${rest}`);
  });
}
const envOf = (service: string, variables = DEPLOYMENT) =>
  Object.fromEntries(Object.entries(services[service].environment ?? {}).map(([k, v]) => [k, interpolate(v, variables)]));

test('every service of the production shape is there: PostgreSQL, its Temporal schema job, the Temporal server and its UI, the API, the worker, the carrier sandbox', () => {
  expect(Object.keys(services)).toEqual(
    expect.arrayContaining([
      'postgres',
      'temporal-schema',
      'temporal',
      'temporal-setup',
      'temporal-ui',
      'api',
      'worker',
      'sandbox',
      'migrate',
    ]),
  );
  expect(services.postgres.image).toMatch(/^postgres:\d+/);
  expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
  // Temporal's databases are the owner's (the image's POSTGRES_USER), as the migrations are.
  const postgres = envOf('postgres');
  const schema = envOf('temporal-schema');
  const server = envOf('temporal');
  expect([schema.SQL_USER, schema.SQL_PASSWORD]).toEqual([postgres.POSTGRES_USER, postgres.POSTGRES_PASSWORD]);
  expect([server.TEMPORAL_DB_USER, server.TEMPORAL_DB_PASSWORD]).toEqual([postgres.POSTGRES_USER, postgres.POSTGRES_PASSWORD]);
  expect(services.worker).toMatchObject({ deploy: { replicas: expect.any(Number) } });
});

// --- the Temporal server (issue 22): the server image, a schema job with the release's tool and schema, our own config ---

/** The server release scripts/cluster builds (scripts/lib.sh), which the images must be. */
const SERVER_VERSION = /^TEMPORAL_SERVER_VERSION="v([\d.]+)"$/m.exec(readFileSync(path.join(ROOT, 'scripts/lib.sh'), 'utf8'))![1];
const TEMPORAL_SERVERS = ['temporal', 'temporal-history', 'temporal-matching', 'temporal-worker'];
/** The admin-tools image's schema files (the server repository's schema/ at the release, copied to /etc/temporal/schema). */
const IMAGE_SCHEMA = '/etc/temporal/schema/postgresql/v12';

test('no service runs the deprecated auto-setup image: the server image and the admin-tools image of the release scripts/cluster builds', () => {
  for (const [name, service] of Object.entries(services))
    expect([name, service.image ?? '']).not.toEqual([name, expect.stringMatching(/auto-setup/)]);
  for (const name of TEMPORAL_SERVERS) expect([name, services[name].image]).toEqual([name, `temporalio/server:${SERVER_VERSION}`]);
  // admin-tools tags name the server release first, then the tctl and CLI versions they carry.
  for (const name of ['temporal-schema', 'temporal-setup'])
    expect([name, services[name].image]).toEqual([
      name,
      expect.stringMatching(new RegExp(`^temporalio/admin-tools:${SERVER_VERSION}-tctl-[\\d.]+-cli-[\\d.]+$`)),
    ]);
});

test('the schema job creates and updates both Temporal databases with the schema tool and directories of the release, before any server starts', () => {
  const script = services['temporal-schema'].command!.join(' ');
  const calls = script.split('&&').map((call) => call.trim().split(/\s+/));
  const server = envOf('temporal');
  expect(envOf('temporal-schema')).toMatchObject({ SQL_PLUGIN: 'postgres12', SQL_HOST: 'postgres', SQL_PORT: '5432' });
  // As scripts/cluster does from the server's Go module: setup-schema -v 0.0 (version tables only), then update-schema.
  const expected = [
    [server.TEMPORAL_DB, 'temporal'],
    [server.TEMPORAL_VISIBILITY_DB, 'visibility'],
  ].flatMap(([db, dir]) => [
    ['temporal-sql-tool', '--db', db, 'create'],
    ['temporal-sql-tool', '--db', db, 'setup-schema', '-v', '0.0'],
    ['temporal-sql-tool', '--db', db, 'update-schema', '-d', `${IMAGE_SCHEMA}/${dir}/versioned`],
  ]);
  expect(calls).toEqual(expected);
  const cluster = readFileSync(path.join(ROOT, 'scripts/cluster'), 'utf8');
  for (const words of [
    'schema/postgresql/v12',
    'setup-schema -v 0.0',
    'update-schema -d',
    '--plugin postgres12',
    'schema/postgresql/v12/${db#*:}/versioned',
    ':temporal" "$CLUSTER_VISIBILITY_DB:visibility"',
  ])
    expect([words, cluster.includes(words)]).toEqual([words, true]);
  expect(services['temporal-schema']).toMatchObject({ restart: 'no', depends_on: { postgres: { condition: 'service_healthy' } } });
  // Every server container waits for the job: the all-in-one directly, the split services through it.
  expect(services.temporal.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
  for (const name of TEMPORAL_SERVERS.slice(1))
    expect([name, services[name].depends_on]).toEqual([name, { temporal: { condition: 'service_healthy' } }]);
});

/** The server config the containers read: the image's start script runs `temporal-server --env docker start`. */
function mountedConfig(service: string) {
  const env = envOf(service);
  const configDir = path.posix.join(env.TEMPORAL_ROOT, env.TEMPORAL_CONFIG_DIR);
  const mounts = (services[service].volumes ?? []).map((volume) => volume.split(':'));
  const source = mounts.find(([, target]) => target === configDir)?.[0];
  const dynamic = mounts.find(([, target]) => target === env.TEMPORAL_DYNAMIC_CONFIG)?.[0];
  return { env, source, dynamic, file: source && path.join(ROOT, source, 'docker.yaml') };
}

test('the server reads our config (8 history shards, SQL visibility on PostgreSQL) and the dynamic config of npm run cluster', () => {
  for (const name of TEMPORAL_SERVERS) {
    const { source, dynamic, file } = mountedConfig(name);
    expect([name, source, dynamic]).toEqual([name, './deploy/temporal', './scripts/cluster-config/dynamicconfig.yaml']);
    for (const volume of services[name].volumes!) expect([name, volume]).toEqual([name, expect.stringMatching(/:ro$/)]);
    expect(existsSync(file!)).toBe(true);
  }
  const { env, file } = mountedConfig('temporal');
  const template = readFileSync(file!, 'utf8');
  // The server renders the file itself only when a comment in its first 1 KB says so.
  expect(template.slice(0, 1024)).toMatch(/^# enable-template$/m);
  const config = parse(template.replace(/\{\{[^}]*\}\}/g, 'x')) as {
    persistence: {
      numHistoryShards: number;
      visibilityStore: string;
      defaultStore: string;
      datastores: Record<string, { sql?: { pluginName: string } }>;
    };
  };
  const clusterShards = /CLUSTER_SHARDS="\$\{CLUSTER_SHARDS:-(\d+)\}"/.exec(readFileSync(path.join(ROOT, 'scripts/cluster'), 'utf8'))![1];
  expect(config.persistence.numHistoryShards).toBe(8);
  expect(String(config.persistence.numHistoryShards)).toBe(clusterShards);
  for (const store of [config.persistence.defaultStore, config.persistence.visibilityStore])
    expect([store, config.persistence.datastores[store].sql?.pluginName]).toEqual([store, 'postgres12']);
  // Every variable the template reads is set by the compose file, but those with a default and those the image's entrypoint exports.
  const read = [...template.matchAll(/env "(\w+)"( \| default)?/g)].filter((m) => !m[2]).map((m) => m[1]);
  const fromEntrypoint = ['BIND_ON_IP', 'TEMPORAL_BROADCAST_ADDRESS'];
  expect([...new Set(read)].filter((name) => env[name] === undefined && !fromEntrypoint.includes(name))).toEqual([]);
  expect([env.TEMPORAL_FRONTEND_ADDRESS, env.TEMPORAL_ADDRESS]).toEqual(['temporal:7233', 'temporal:7233']);
});

/** The local build of the same release (scripts/setup), when there is one. */
const SERVER_BIN = path.join(ROOT, '.tools/bin/temporal-server');
(existsSync(SERVER_BIN) ? test : test.skip)(
  'the server of the same release renders the config with the values the compose file passes',
  () => {
    const { env, source } = mountedConfig('temporal');
    const rendered = spawnSync(SERVER_BIN, ['--env', 'docker', '--config', path.join(ROOT, source!), 'render-config'], {
      env: { PATH: process.env.PATH, ...env, BIND_ON_IP: '172.18.0.5' },
      encoding: 'utf8',
    });
    expect([rendered.status, rendered.stderr]).toEqual([0, expect.any(String)]);
    const config = parse(rendered.stdout) as Record<string, unknown>;
    expect(config).toMatchObject({
      persistence: {
        numHistoryShards: 8,
        datastores: {
          'postgres-default': { sql: { connectAddr: 'postgres:5432', databaseName: 'temporal', user: 'order_engine' } },
          'postgres-visibility': { sql: { connectAddr: 'postgres:5432', databaseName: 'temporal_visibility' } },
        },
      },
      services: { frontend: { rpc: { grpcPort: 7233, bindOnIP: '172.18.0.5' } }, history: { rpc: { grpcPort: 7234 } } },
      publicClient: { hostPort: 'temporal:7233' },
      dynamicConfigClient: { filepath: env.TEMPORAL_DYNAMIC_CONFIG },
    });
  },
);

test('the temporal-services profile runs history, matching and the worker service apart, the `temporal` container then the frontend only', () => {
  expect(interpolate(services.temporal.environment!.SERVICES, DEPLOYMENT)).toBe('frontend:history:matching:worker');
  expect(interpolate(services.temporal.environment!.SERVICES, { ...DEPLOYMENT, TEMPORAL_SERVICES: 'frontend' })).toBe('frontend');
  const { SERVICES: _all, ...shared } = envOf('temporal');
  for (const role of ['history', 'matching', 'worker']) {
    const name = `temporal-${role}`;
    expect([name, services[name].profiles]).toEqual([name, ['temporal-services']]);
    const { SERVICES, ...rest } = envOf(name);
    expect([name, SERVICES, rest]).toEqual([name, role, shared]);
    expect([name, services[name].volumes]).toEqual([name, services.temporal.volumes]);
    expect([name, services[name].ports]).toEqual([name, undefined]);
  }
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
    /^(DATABASE_URL|TEMPORAL_(DB_|FRONTEND_)?ADDRESS|SQL_HOST|(?!PUBLIC_)\w+_BASE_URL|SMTP_URL|SANDBOX_UPS_WEBHOOK_URL|WEBHOOK_SUBSCRIBERS)$/;
  const checked: string[] = [];
  for (const name of Object.keys(services)) {
    // The dev profile's variables: there the carriers and providers are the sandbox's services.
    const env = envOf(name, DEV);
    for (const [key, value] of Object.entries(env).filter(([k]) => internal.test(k))) {
      const addresses = key === 'WEBHOOK_SUBSCRIBERS' ? (JSON.parse(value) as { url: string }[]).map((s) => s.url) : [value];
      for (const address of addresses) {
        const { hostname, port } =
          key === 'SQL_HOST' ? { hostname: address, port: env.SQL_PORT } : new URL(/:\/\//.test(address) ? address : `grpc://${address}`);
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
      'temporal.TEMPORAL_DB_ADDRESS',
      'temporal.TEMPORAL_FRONTEND_ADDRESS',
      'temporal-history.TEMPORAL_FRONTEND_ADDRESS',
      'temporal-schema.SQL_HOST',
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
  expect(REQUIRED_SECRETS.filter((name) => !required.has(name))).toEqual([]);
  for (const name of ['api', 'worker']) {
    const env = envOf(name);
    // The image runs in production mode (NODE_ENV=production): every secret set, none a development default.
    const config = loadConfig({ ...env, NODE_ENV: 'production' }, { connectors: CARRIERS, secretsOf: carrierSecrets });
    expect(() => carrierAdapters(env, { timeoutMs: config.CARRIER_TIMEOUT_MS })).not.toThrow();
    // Every variable set is one the process reads (its own or a carrier connector's): a misspelt name would silently fall back to a default.
    const carrierSettings = CARRIERS.flatMap((c) => Object.keys(c.settings.shape));
    // NODE_ENV is read by isProduction (lib/config.ts), not kept in the configuration.
    const unknown = Object.keys(env).filter((key) => !(key in config) && !carrierSettings.includes(key) && key !== 'NODE_ENV');
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
    expect([name, [...before(name)].sort()]).toEqual([
      name,
      expect.arrayContaining(['migrate', 'postgres', 'temporal', 'temporal-schema', 'temporal-setup']),
    ]);
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
  // The namespace the engine uses, made first when missing (the server image makes none).
  const namespace = envOf('worker').TEMPORAL_NAMESPACE;
  expect(script.indexOf(`namespace create --address temporal:7233 --namespace ${namespace} `)).toBeGreaterThan(-1);
  expect(script.indexOf('namespace create')).toBeLessThan(script.indexOf('search-attribute create'));
});

// --- exposure (issue 18, finding 4): what is published, what only a profile starts, the engine's database role ---

const byDefault = () => Object.entries(services).filter(([, service]) => service.profiles === undefined);

test('only the API is published: PostgreSQL, Temporal gRPC and the worker metrics stay on the compose network', () => {
  const published = byDefault()
    .filter(([, service]) => (service.ports ?? []).length > 0)
    .map(([name]) => name);
  expect(published).toEqual(['api']);
  expect(services.api.ports).toEqual(['3000:3000']);
});

test('the Temporal UI starts only with the ui profile, the carrier sandbox only with dev, each on the host loopback only', () => {
  expect(services['temporal-ui'].profiles).toEqual(['ui']);
  expect(services.sandbox.profiles).toEqual(['dev']);
  for (const name of ['temporal-ui', 'sandbox'])
    for (const port of services[name].ports ?? []) expect([name, port]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/)]);
  // Started without a profile, no service may wait for one only a profile starts: compose would refuse to start.
  for (const [name, service] of byDefault())
    for (const dependency of Object.keys(service.depends_on ?? {}))
      expect([name, dependency, services[dependency].profiles]).toEqual([name, dependency, undefined]);
});

/** The carriers' and providers' endpoints and accounts: a deployment's own, never the sandbox's. */
const ENDPOINTS_AND_ACCOUNTS = [
  ...CARRIERS.flatMap((c) => Object.keys(c.settings.shape)).filter((name) => !CARRIER_SECRETS.includes(name)),
  'SMTP_URL',
  'MAIL_FROM',
  'SMS_BASE_URL',
  'SMS_SENDER',
  'SHOP_NAME',
];

test('without the dev profile the carriers and providers are the deployment: every endpoint and account comes from its environment', () => {
  for (const service of ['api', 'worker']) {
    const raw = services[service].environment!;
    for (const name of ENDPOINTS_AND_ACCOUNTS) {
      // Endpoints and accounts are required; only settings that name no account may keep a default.
      const form = /_(URL|USERNAME|CLIENT_ID|NUMBER|CODE)$/.test(name) ? '\\?' : '[?-]';
      expect([service, name, String(raw[name])]).toEqual([service, name, expect.stringMatching(new RegExp(`^\\$\\{${name}:${form}`))]);
    }
  }
});

test('the engine runs in production mode unless the dev profile env file says otherwise, and production mode refuses that file', () => {
  for (const name of ['api', 'worker']) {
    expect([name, envOf(name).NODE_ENV]).toEqual([name, 'production']);
    expect([name, envOf(name, DEV).NODE_ENV]).toEqual([name, 'development']);
    expect(() => loadConfig(envOf(name, DEV), { connectors: CARRIERS, secretsOf: carrierSecrets })).not.toThrow();
  }
  // The file's values are public: with them in production mode the engine would not start.
  const production = { ...envOf('worker', DEV), NODE_ENV: 'production' };
  expect(() => loadConfig(production, { connectors: CARRIERS, secretsOf: carrierSecrets })).toThrow(/production mode/);
});

test('in the dev profile the engine books, texts and posts webhooks with the credentials the sandbox accepts', async () => {
  const sandboxEnv = envOf('sandbox', DEV);
  // What sandbox/main.ts makes of its environment: UPS's client from it, an unset one the double's own.
  const ups = { clientId: sandboxEnv.SANDBOX_UPS_CLIENT_ID, clientSecret: sandboxEnv.SANDBOX_UPS_CLIENT_SECRET };
  const sandbox = await startSandbox({ port: 0, ups: Object.fromEntries(Object.entries(ups).filter(([, v]) => v !== undefined)) });
  try {
    const worker = Object.fromEntries(
      Object.entries(envOf('worker', DEV)).map(([k, v]) => [k, v.replace('http://sandbox:4010', sandbox.url)]),
    );
    // Cancelling a booking never made is answered only once the carrier accepted the credentials.
    const answers = await Promise.all(
      carrierAdapters(worker, { timeoutMs: 5_000 }).map((adapter) =>
        adapter.cancel(`compose-${adapter.name}`).then(
          () => [adapter.name, 'accepted'],
          (err: Error) => [adapter.name, err.message],
        ),
      ),
    );
    expect(answers).toEqual(CARRIERS.map((c) => [c.name, 'accepted']));
  } finally {
    await sandbox.close();
  }
  expect(envOf('worker', DEV).SMS_API_KEY).toBe(SANDBOX_SMS_API_KEY);
  const subscribers = JSON.parse(envOf('worker', DEV).WEBHOOK_SUBSCRIBERS) as { id: string; secret: string }[];
  expect(subscribers.map((s) => [s.id, s.secret])).toEqual(Object.entries(SANDBOX_INBOX_SECRETS));
  // The sandbox pushes UPS scans to the API with the client the API checks.
  for (const key of ['UPS_WEBHOOK_CLIENT_ID', 'UPS_WEBHOOK_SECRET']) expect([key, sandboxEnv[key]]).toEqual([key, envOf('api', DEV)[key]]);
});

const APP_ROLE_SCRIPT = 'deploy/compose/postgres-init/10-app-role.sh';

test('the engine connects to PostgreSQL as its own role, made by the init script; only the migrations use the owner', () => {
  const postgres = envOf('postgres');
  const owner = postgres.POSTGRES_USER;
  const userOf = (url: string) => new URL(url).username;
  for (const name of ['api', 'worker']) expect([name, userOf(envOf(name).DATABASE_URL)]).toEqual([name, postgres.POSTGRES_APP_USER]);
  expect(postgres.POSTGRES_APP_USER).not.toBe(owner);
  expect(new URL(envOf('api').DATABASE_URL).password).toBe(postgres.POSTGRES_APP_PASSWORD);
  expect(userOf(envOf('migrate').DATABASE_URL)).toBe(owner);
  expect(services.postgres.volumes).toContain(`./${path.dirname(APP_ROLE_SCRIPT)}:/docker-entrypoint-initdb.d:ro`);
  expect(String(services.api.environment!.DATABASE_URL)).toContain('${POSTGRES_APP_PASSWORD:?');
});

describe('the init script role, on the real PostgreSQL', () => {
  const suffix = randomUUID().slice(0, 8);
  const database = `compose_roles_${suffix}`;
  const app = { user: `compose_app_${suffix}`, password: randomUUID() };
  // The cluster's superuser, as the image's POSTGRES_USER is: it owns the database and runs the migrations.
  const ownerUrl = (db: string) => {
    const url = new URL(TEST_DATABASE_URL);
    Object.assign(url, { username: 'postgres', password: process.env.PG_SUPERUSER_PASSWORD ?? 'postgres-dev-only', pathname: `/${db}` });
    return url.toString();
  };
  const appUrl = () => Object.assign(new URL(ownerUrl(database)), { username: app.user, password: app.password }).toString();
  let admin: Client;
  let pool: Pool;

  beforeAll(async () => {
    admin = new Client({ connectionString: ownerUrl('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const { hostname, port, username, password } = new URL(ownerUrl(database));
    const script = spawnSync('sh', [path.join(ROOT, APP_ROLE_SCRIPT)], {
      env: {
        ...process.env,
        ...{ PGHOST: hostname, PGPORT: port, PGPASSWORD: password },
        ...{ POSTGRES_USER: username, POSTGRES_DB: database, POSTGRES_APP_USER: app.user, POSTGRES_APP_PASSWORD: app.password },
      },
      encoding: 'utf8',
    });
    expect([script.status, script.stderr]).toEqual([0, '']);
    const migrate = spawnSync(services.migrate.command![0], [...services.migrate.command!.slice(1), '--no-verbose'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: ownerUrl(database) },
      encoding: 'utf8',
    });
    expect([migrate.status, migrate.stderr]).toEqual([0, '']);
    pool = new Pool({ connectionString: appUrl(), max: 2 });
  });

  afterAll(async () => {
    await pool?.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS ${app.user}`);
    await admin.end();
  });

  test('it records an order and moves its status as the engine does (triggers writing the outbox included)', async () => {
    const orders = createOrderActivities(pool);
    const order = sampleOrder({ orderId: uniqueOrderId('COMPOSE') });
    await orders.recordOrder({ order, workflowId: `order-${order.orderId}`, receivedAt: new Date().toISOString() });
    await orders.recordStatus({ orderId: order.orderId, seq: 1, status: 'allocated', at: new Date().toISOString() });
    const { rows } = await pool.query('SELECT status FROM orders WHERE order_id = $1', [order.orderId]);
    expect(rows).toEqual([{ status: 'allocated' }]);
    const outbox = await pool.query('SELECT count(*)::int AS n FROM outbound_events WHERE order_id = $1', [order.orderId]);
    expect(outbox.rows[0].n).toBeGreaterThan(0);
  });

  test.each([
    ['DROP TABLE orders'],
    ['TRUNCATE orders'],
    ['ALTER TABLE orders ADD COLUMN x int'],
    ['CREATE TABLE stolen (x int)'],
    [`CREATE ROLE intruder_${suffix} SUPERUSER`],
    [`CREATE DATABASE intruder_${suffix}`],
  ])('it cannot %s', async (statement) => {
    await expect(pool.query(statement)).rejects.toMatchObject({ code: '42501' }); // insufficient_privilege
  });
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
