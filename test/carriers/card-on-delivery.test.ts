// Card at the door (issue 19): an order whose cash on delivery is collected by card goes only to the
// carriers that say they take it (Sürat, Aras); the others are left out by selection, and refuse it
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

const parcel = (cashOnDelivery?: ShipmentRequest['cashOnDelivery']): ShipmentRequest => ({
  shipmentId: 'shipment-CARD-1-1',
  orderId: 'CARD-1',
  warehouseId: 'IST-CARD-TEST', // no merchant rule names this warehouse
  to: ISTANBUL_CUSTOMER,
  parcel: { weightGrams: 1_000, lengthCm: 30, widthCm: 20, heightCm: 10 },
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
