// Customer data never sits in Temporal's histories in clear: every payload is AES-256-GCM
// encrypted with a key named in its metadata; the API's codec server lets ops (and only ops, from
// the UI's origin) read them. Against the real dev server, a worker and PostgreSQL.
import { ApplicationFailure } from '@temporalio/activity';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { ADDRESS_REJECTED } from '../../domain/carrier-failures';
import type { Booking, ShipmentRequest } from '../../domain/shipment';
import { AesGcmCodec, codecFrom, COMPRESSED_ENCODING, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../lib/payload-codec';
import { eventually, startApiHarness, TEST_KEYS, TEST_UI_ORIGIN, type ApiHarness } from '../helpers/api-harness';
import { MemoryCarrier } from '../helpers/memory-carrier';
import { stockedOrder } from '../helpers/stock';
import { parcelHandle } from '../helpers/parcels';

const key = (fill: number) => Buffer.alloc(32, fill);
const plain: Payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"name":"Gülşen Çakır"}') };

describe('the codec', () => {
  test('round trip; a rotated key still reads old payloads; an unknown key or a tampered byte is refused', async () => {
    const before = new AesGcmCodec(new Map([['k1', key(1)]]), 'k1');
    const [sealed] = await before.encode([plain]);
    expect(Buffer.from(sealed.metadata!.encoding).toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(sealed.metadata![KEY_ID_METADATA]).toString()).toBe('k1');
    expect(Buffer.from(sealed.data!).includes(Buffer.from('Gülşen'))).toBe(false);
    expect(await before.decode([sealed])).toEqual([expect.objectContaining({ data: Uint8Array.from(plain.data!) })]);

    const rotated = new AesGcmCodec(
      new Map([
        ['k1', key(1)],
        ['k2', key(2)],
      ]),
      'k2',
    );
    const [fresh] = await rotated.encode([plain]);
    expect(Buffer.from(fresh.metadata![KEY_ID_METADATA]).toString()).toBe('k2');
    expect(Buffer.from((await rotated.decode([sealed]))[0].data!).toString()).toBe('{"name":"Gülşen Çakır"}');

    const withoutK1 = new AesGcmCodec(new Map([['k2', key(2)]]), 'k2');
    await expect(withoutK1.decode([sealed])).rejects.toThrow('payload encrypted with key k1, which is not configured');
    const tampered = { ...sealed, data: Buffer.from(sealed.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(before.decode([tampered])).rejects.toThrow();
  });

  test('PAYLOAD_COMPRESSION=deflate: a large payload is compressed, then encrypted, and read back by a codec with compression off; a small one stays as it was', async () => {
    const keys = new Map([['k1', key(1)]]);
    const compressing = codecFrom({
      PAYLOAD_KEYS: `k1:${key(1).toString('base64')}`,
      PAYLOAD_KEY_ID: 'k1',
      PAYLOAD_COMPRESSION: 'deflate',
    });
    const reader = new AesGcmCodec(keys, 'k1'); // a process of this release left at the default
    const scans = Array.from({ length: 8 }, (_, i) => ({
      status: 'in_transit',
      location: 'İstanbul Transfer Merkezi',
      at: `2026-12-0${i + 1}T10:00:00Z`,
    }));
    const report: Payload = {
      metadata: { encoding: Buffer.from('json/plain') },
      data: Buffer.from(JSON.stringify({ name: 'Gülşen Çakır', scans })),
    };

    const [packed] = await compressing.encode([report]);
    const [plainSealed] = await reader.encode([report]);
    expect(Buffer.from(packed.metadata!.encoding).toString()).toBe(COMPRESSED_ENCODING);
    expect(packed.data!.length).toBeLessThan(plainSealed.data!.length / 2);
    expect(Buffer.from(packed.data!).includes(Buffer.from('Gülşen'))).toBe(false);
    for (const codec of [reader, compressing])
      expect(Buffer.from((await codec.decode([packed]))[0].data!)).toEqual(Buffer.from(report.data!));

    const [small] = await compressing.encode([plain]);
    expect(Buffer.from(small.metadata!.encoding).toString()).toBe(ENCRYPTED_ENCODING); // too small to gain
    expect(await reader.decode([small])).toEqual([expect.objectContaining({ data: Uint8Array.from(plain.data!) })]);

    const tampered = { ...packed, data: Buffer.from(packed.data!).map((b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(reader.decode([tampered])).rejects.toThrow();
    // Neither form can be passed off as the other.
    const asForm = (p: Payload, encoding: string) => ({ ...p, metadata: { ...p.metadata, encoding: Buffer.from(encoding) } });
    await expect(reader.decode([asForm(packed, ENCRYPTED_ENCODING)])).rejects.toThrow();
    await expect(reader.decode([asForm(plainSealed, COMPRESSED_ENCODING)])).rejects.toThrow();
  });

  test('a compressed payload that would inflate past 8 MiB is refused, not read into memory', async () => {
    const compressing = new AesGcmCodec(new Map([['k1', key(1)]]), 'k1', true);
    const huge: Payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.alloc(9 * 1024 * 1024, 0x20) };
    const [bomb] = await compressing.encode([huge]);
    expect(bomb.data!.length).toBeLessThan(64 * 1024);
    await expect(compressing.decode([bomb])).rejects.toThrow(/buffer|length|large/i);
  });
});

/** Refuses streets named 'Bulunamaz' quoting the address back, as real carriers' error texts do. */
class AddressQuotingCarrier extends MemoryCarrier {
  async book(request: ShipmentRequest, idempotencyKey: string): Promise<Booking> {
    if (!request.to.line1.startsWith('Bulunamaz')) return super.book(request, idempotencyKey);
    throw ApplicationFailure.nonRetryable(
      `${this.name}: receiver address not found: ${request.to.line1}, ${request.to.name}`,
      ADDRESS_REJECTED,
    );
  }
}

const asJson = (payload: Payload) => ({
  metadata: Object.fromEntries(Object.entries(payload.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(payload.data!).toString('base64'),
});

describe('an order run with encryption on', () => {
  let harness: ApiHarness;
  beforeAll(async () => {
    harness = await startApiHarness([new AddressQuotingCarrier('cargo', 50)]);
  }, 120_000);
  afterAll(() => harness?.stop());

  test('its history holds ciphertext only; the codec server shows it to ops, and to no one else', async () => {
    const { order: base } = await stockedOrder(harness.pool);
    const secret = { name: 'Şükrü Öğütçü-İnceçiçek', email: 'sukru.secret@example.com' };
    const order = {
      ...base,
      customer: { ...base.customer, ...secret },
      shippingAddress: { ...base.shippingAddress, name: secret.name, line1: 'Gizli Sk. 7' },
    };
    await harness.api.post('/v1/orders').send(order).expect(202);
    const labelled = await eventually(
      () => harness.api.get(`/v1/orders/${order.orderId}`),
      (r) => r.body.status === 'labelled',
    );

    // Read the history as anyone with server access would: without the codec.
    const raw = new Client({ connection: harness.client.connection });
    const history = await raw.workflow.getHandle(`order-${order.orderId}`).fetchHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    // What ops search by stays readable (the parcel's tracking number, upserted): the scan sees clear text.
    expect(bytes.includes(Buffer.from(labelled.body.shipments[0].trackingNumber))).toBe(true);
    for (const text of [secret.name, secret.email, 'Gizli Sk.']) {
      expect(bytes.includes(Buffer.from(text))).toBe(false);
      expect(bytes.includes(Buffer.from(Buffer.from(text).toString('base64')))).toBe(false);
    }
    const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    expect(Buffer.from(input.metadata!.encoding).toString()).toBe(ENCRYPTED_ENCODING);

    const decoded = await request(harness.app)
      .post('/codec/decode')
      .set('Authorization', `Bearer ${TEST_KEYS.ops}`)
      .set('Origin', TEST_UI_ORIGIN)
      .send({ payloads: [asJson(input)] })
      .expect(200);
    expect(decoded.headers['access-control-allow-origin']).toBe(TEST_UI_ORIGIN);
    expect(JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString()).customer).toMatchObject(secret);

    await request(harness.app)
      .post('/codec/decode')
      .send({ payloads: [asJson(input)] })
      .expect(401);
    await request(harness.app)
      .post('/codec/decode')
      .set('Origin', TEST_UI_ORIGIN)
      .send({ payloads: [asJson(input)] })
      .expect(401); // keyless only when configured (dev)
    await request(harness.app)
      .post('/codec/decode')
      .set('Authorization', `Bearer ${TEST_KEYS.wms}`)
      .send({ payloads: [asJson(input)] })
      .expect(403);
    const preflight = await request(harness.app)
      .options('/codec/decode')
      .set('Origin', TEST_UI_ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,x-namespace');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(TEST_UI_ORIGIN);
    expect(preflight.headers['access-control-allow-headers']).toMatch(/Authorization/);
    await harness.client.workflow.getHandle(`order-${order.orderId}`).terminate('test done');
  });

  test("a carrier's failure quoting the address is stored encrypted, and the codec server shows it to ops", async () => {
    const { order: base } = await stockedOrder(harness.pool);
    const street = 'Bulunamaz Sk. 13';
    const name = 'Zeynep Gizlioğlu';
    const order = { ...base, shippingAddress: { ...base.shippingAddress, name, line1: street } };
    await harness.api.post('/v1/orders').send(order).expect(202);
    await eventually(
      () => harness.api.get(`/v1/orders/${order.orderId}`),
      (r) => r.body.status === 'address_invalid',
    );

    const raw = new Client({ connection: harness.client.connection });
    const history = await raw.workflow
      .getHandle((await parcelHandle(harness.client, harness.pool, order.orderId)).workflowId)
      .fetchHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    for (const text of [street, name, 'receiver address not found']) expect(bytes.includes(Buffer.from(text))).toBe(false);
    const failure = history.events!.find((e) => e.activityTaskFailedEventAttributes)!.activityTaskFailedEventAttributes!.failure!;
    expect(failure.applicationFailureInfo?.type).toBe(ADDRESS_REJECTED); // the type stays readable: the workflow and chaos classify by it
    expect(Buffer.from(failure.encodedAttributes!.metadata!.encoding).toString()).toBe(ENCRYPTED_ENCODING);

    const decoded = await request(harness.app)
      .post('/codec/decode')
      .set('Authorization', `Bearer ${TEST_KEYS.ops}`)
      .send({ payloads: [asJson(failure.encodedAttributes!)] })
      .expect(200);
    const attributes = JSON.parse(Buffer.from(decoded.body.payloads[0].data, 'base64').toString());
    expect(attributes.message).toBe(`cargo: receiver address not found: ${street}, ${name}`);
    await harness.client.workflow.getHandle(`order-${order.orderId}`).terminate('test done');
  });
});
