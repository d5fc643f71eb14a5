// Property-based fuzzing of every operation in the OpenAPI document (api/openapi.ts), against the
// app wired to the real Temporal dev server and PostgreSQL: whatever arrives, the API answers
// without a 5xx, and every rejection is a 4xx JSON error that says what is wrong (a 400 names
// each bad field). Valid orders the fuzzer happens to make are started, then terminated.
import { Client, Connection } from '@temporalio/client';
import fc from 'fast-check';
import type { Pool } from 'pg';
import request from 'supertest';
import type { Express } from 'express';
import { operations } from '../../api/openapi';
import { createPool } from '../../lib/db';
import { createTestApp, TEST_KEYS } from '../helpers/api-harness';
import { devServerAddress, TEST_DATABASE_URL } from '../helpers/env';
import { sampleOrder } from '../helpers/orders';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA, payloadDataConverter } from '../../lib/payload-codec';
import { gzipSync } from 'node:zlib';

const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 40);

let connection: Connection;
let client: Client;
let pool: Pool;
let app: Express;
const started = new Set<string>();

beforeAll(async () => {
  connection = await Connection.connect({ address: devServerAddress() });
  client = new Client({ connection, dataConverter: payloadDataConverter() });
  pool = createPool(TEST_DATABASE_URL);
  app = createTestApp(client, pool);
});

afterAll(async () => {
  for (const id of started)
    await client.workflow
      .getHandle(id)
      .terminate('fuzzed order')
      .catch(() => undefined);
  await pool?.end();
  await connection?.close();
});

/** Strings that break naive code: Unicode, SQL and HTML metacharacters, control characters, huge and empty. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    "'; DROP TABLE orders;--",
    '<script>alert(1)</script>',
    'ğüşıöçİ',
    '\u0000',
    '../../etc/passwd',
    '%00',
    'null',
    '-1',
    '1e309',
    'x'.repeat(5000),
  ),
);

/** Bodies: anything JSON, and the valid order with one field swapped for junk (the likeliest bugs hide near valid input). */
const junk = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 3 }),
  fc.dictionary(nasty, nasty, { maxKeys: 3 }),
);
const mutatedOrder = fc
  .tuple(fc.constantFrom(...Object.keys(sampleOrder())), junk)
  .map(([field, value]) => ({ ...sampleOrder(), [field]: value }));
const body = fc.oneof(fc.jsonValue({ maxDepth: 4 }), mutatedOrder);

function pathFor(template: string, values: string[]): string {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++] ?? 'x'));
}

interface Outcome {
  status: number;
  problem?: string;
}

/** What is wrong with a response, if anything. */
function problemWith(res: request.Response): string | undefined {
  if (res.status >= 500) return `${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`;
  if (res.status < 400) return undefined;
  if (res.headers['content-type']?.includes('text/html')) return undefined; // the public tracking page answers HTML to browsers
  if (typeof res.body?.error !== 'string' || typeof res.body?.message !== 'string') return `${res.status} without {error, message}`;
  if (
    res.body.error === 'validation_failed' &&
    !(res.body.issues ?? []).every((i: { path?: unknown }) => typeof i.path === 'string' && i.path.length > 0)
  ) {
    return '400 without the field named';
  }
  return undefined;
}

const tally: Record<string, { tried: number; failures: string[] }> = {};

test.each(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
  '%s: no 5xx and a clear 4xx for whatever arrives',
  async (name, op) => {
    const params = fc.array(nasty, { minLength: 3, maxLength: 3 });
    const query = fc.dictionary(
      fc.constantFrom('status', 'carrier', 'limit', 'cursor', 'from', 'to', 'format', 'sku', 'channel', 'needsAttention'),
      nasty,
      { maxKeys: 4 },
    );
    const record: { tried: number; failures: string[] } = { tried: 0, failures: [] };
    tally[name] = record;

    await fc.assert(
      fc.asyncProperty(params, query, body, fc.boolean(), async (values, q, payload, withKey) => {
        record.tried += 1;
        const agent = request(app);
        const url = pathFor(op.path, values);
        let req = agent[op.method](url).query(q);
        if (withKey) req = req.set('Authorization', `Bearer ${TEST_KEYS.all}`);
        // Serialized here: any JSON value is a body a client may send, a bare number included.
        const res = op.method === 'get' ? await req : await req.set('Content-Type', 'application/json').send(JSON.stringify(payload));
        if (res.status === 202 && op.path === '/v1/orders') started.add(res.body.workflowId);
        const outcome: Outcome = { status: res.status, problem: problemWith(res) };
        if (outcome.problem) record.failures.push(`${pathFor(op.path, values)} → ${outcome.problem}`);
        return outcome.problem === undefined;
      }),
      { numRuns: RUNS_PER_OPERATION, seed: Number(process.env.FUZZ_SEED ?? 20261123) },
    );
  },
  120_000,
);

/** Runs a property over requests: every answer no 5xx and a clear 4xx, failures tallied like the operations'. */
async function fuzz<T>(name: string, input: fc.Arbitrary<T>, send: (value: T) => Promise<request.Response>): Promise<void> {
  const record: { tried: number; failures: string[] } = { tried: 0, failures: [] };
  tally[name] = record;
  await fc.assert(
    fc.asyncProperty(input, async (value) => {
      record.tried += 1;
      const problem = problemWith(await send(value));
      if (problem) record.failures.push(`${name} ${JSON.stringify(value).slice(0, 200)} → ${problem}`);
      return problem === undefined;
    }),
    { numRuns: RUNS_PER_OPERATION, seed: Number(process.env.FUZZ_SEED ?? 20261123) },
  );
}

const bytes = fc.uint8Array({ maxLength: 2_000 }).map((a) => Buffer.from(a));
const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64');
const b64url = (value: string) => Buffer.from(value).toString('base64url');

describe('encodings, cursors and codec inputs (issue 18, finding 8)', () => {
  const post = (path: string) =>
    request(app).post(path).set('Authorization', `Bearer ${TEST_KEYS.all}`).set('Content-Type', 'application/json');

  test('a body that is not what its Content-Encoding says is a 400 naming the encoding', async () => {
    const res = await post('/v1/orders').set('Content-Encoding', 'gzip').send(Buffer.from('not gzip at all'));
    expect([res.status, res.body.error, res.body.message]).toEqual([
      400,
      'invalid_content_encoding',
      expect.stringContaining('Content-Encoding'),
    ]);
  });

  test('bodies with any Content-Encoding, garbage or well-formed: no 5xx', () =>
    fuzz(
      'POST /v1/orders (encodings)',
      fc.tuple(
        fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip'),
        fc.oneof(
          bytes,
          body.map((v) => gzipSync(JSON.stringify(v))),
        ),
      ),
      ([encoding, payload]) => post('/v1/orders').set('Content-Encoding', encoding).send(payload),
    ));

  test('a cursor that decodes to the wrong things is a 400 naming cursor', async () => {
    const res = await request(app)
      .get(`/v1/orders?cursor=${b64url(JSON.stringify(['not a time', 'x']))}`)
      .set('Authorization', `Bearer ${TEST_KEYS.all}`);
    expect([res.status, res.body.issues?.[0]?.path]).toEqual([400, 'cursor']);
  });

  test('list cursors, junk or well-formed around junk: no 5xx', () =>
    fuzz(
      'GET /v1/orders (cursors)',
      fc.oneof(
        nasty,
        fc.jsonValue({ maxDepth: 2 }).map((v) => b64url(JSON.stringify(v))),
        fc.tuple(nasty, nasty).map((t) => b64url(JSON.stringify(t))),
      ),
      (cursor) => request(app).get('/v1/orders').query({ cursor }).set('Authorization', `Bearer ${TEST_KEYS.all}`),
    ));

  const encrypted = (keyId: string, data: string) => ({
    metadata: { encoding: b64(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: b64(keyId) },
    data,
  });

  test('a codec payload naming an unknown key id is a 400 naming the payload and the key', async () => {
    const res = await post('/codec/decode').send({ payloads: [encrypted('no-such-key', b64('x'.repeat(40)))] });
    expect([res.status, res.body.error, res.body.issues?.[0]?.path]).toEqual([400, 'payload_not_decodable', 'payloads.0']);
    expect(res.body.message).toContain('no-such-key');
  });

  test('codec payloads with any key id, encoding and bytes: no 5xx', () =>
    fuzz(
      'POST /codec/decode (payloads)',
      fc.array(fc.tuple(fc.oneof(nasty, fc.constantFrom('dev-2026', '')), bytes, fc.boolean()), { maxLength: 3 }),
      (items) =>
        post('/codec/decode').send({
          payloads: items.map(([keyId, data, isEncrypted]) =>
            isEncrypted ? encrypted(keyId, b64(data)) : { metadata: { encoding: b64(keyId) }, data: b64(data) },
          ),
        }),
    ));
});

afterAll(() => {
  const tried = Object.values(tally).reduce((n, t) => n + t.tried, 0);
  const failures = Object.values(tally).flatMap((t) => t.failures);
  console.log(
    `[fuzz] ${Object.keys(tally).length} operations, ${tried} cases tried, ${failures.length} failures${failures.length ? `:\n${failures.join('\n')}` : ''}`,
  );
});
