// What a parcel asks of a carrier beyond where and how heavy (issue 19): cash on delivery collected by
// card, and several boxes in one booking. It goes only to the carriers whose capabilities say they
// take it (card: Sürat, Aras; boxes: Sürat); the others are left out by selection, and refuse it
// themselves before any call should they be asked anyway.
import type { Pool } from 'pg';
import { createCarrierSelectionActivities } from '../../activities/carriers/selection';
import { carrierAdapters } from '../../carriers/registry';
import type { ShipmentRequest } from '../../domain/shipment';
import { createPool } from '../../lib/db';
import { failureOf } from '../helpers/failures';
import { ISTANBUL_CUSTOMER } from '../helpers/carrier-contract';
import { TEST_DATABASE_URL } from '../helpers/env';

// The development defaults: no sandbox runs here, so a carrier that called out instead of refusing
// first would fail as unavailable, not refused.
const adapters = carrierAdapters({}, { timeoutMs: 1_000 });
let pool: Pool;

beforeAll(() => {
  pool = createPool(TEST_DATABASE_URL);
});
afterAll(() => pool.end());

const parcel = (cashOnDelivery?: ShipmentRequest['cashOnDelivery'], pieces?: number): ShipmentRequest => ({
  shipmentId: 'shipment-CARD-1-1',
  orderId: 'CARD-1',
  warehouseId: 'IST-CARD-TEST', // no merchant rule names this warehouse
  to: ISTANBUL_CUSTOMER,
  parcel: { weightGrams: 1_000, lengthCm: 30, widthCm: 20, heightCm: 10, pieces },
  service: 'standard',
  cashOnDelivery,
});

test('a card collection is offered to the carriers that take a card at the door only, and each says why the others are left out', async () => {
  const selection = createCarrierSelectionActivities(adapters, pool);
  const card = await selection.eligibleCarriers({ request: parcel({ amount: 150, currency: 'TRY', collectionType: 'card' }) });
  expect(card.carriers.sort()).toEqual(['aras', 'surat']);
  const cash = await selection.eligibleCarriers({ request: parcel({ amount: 150, currency: 'TRY' }) });
  expect(cash.carriers.sort()).toEqual(['aras', 'mng', 'ptt', 'surat', 'yurtici']);
  expect(card.excluded).toEqual(expect.arrayContaining([expect.stringMatching(/^yurtici: cannot carry this parcel/)]));
});

test.each(['yurtici', 'mng', 'ptt'])('%s refuses a card collection before any call, naming it', async (name) => {
  const carrier = adapters.find((a) => a.name === name)!;
  expect(carrier.capabilities).toMatchObject({ cashOnDelivery: true, cardOnDelivery: false });
  const failure = await failureOf(carrier.book(parcel({ amount: 150, currency: 'TRY', collectionType: 'card' }), 'S-card:book'));
  expect(failure).toMatchObject({ type: 'CarrierRefused', nonRetryable: true });
  expect(failure.message).toContain('no card at the door');
});

test('a shipment in several boxes is offered to the carriers that book them in one call only; one box, to every carrier serving Turkey', async () => {
  const selection = createCarrierSelectionActivities(adapters, pool);
  expect((await selection.eligibleCarriers({ request: parcel(undefined, 3) })).carriers).toEqual(['surat']);
  expect((await selection.eligibleCarriers({ request: parcel(undefined, 1) })).carriers.sort()).toEqual([
    'aras',
    'mng',
    'ptt',
    'surat',
    'ups',
    'yurtici',
  ]);
});

test.each(['yurtici', 'aras', 'mng', 'ptt'])('%s refuses several boxes before any call, naming them', async (name) => {
  const carrier = adapters.find((a) => a.name === name)!;
  expect(carrier.capabilities.maxPieces).toBe(1);
  const failure = await failureOf(carrier.book(parcel(undefined, 3), 'S-boxes:book'));
  expect(failure).toMatchObject({ type: 'CarrierRefused', nonRetryable: true });
  expect(failure.message).toContain('3 boxes: at most 1 per booking');
});
