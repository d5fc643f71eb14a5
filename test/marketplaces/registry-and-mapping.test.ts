// The marketplace registry and the mapping of a package into our order input, without servers:
// a made-up connector registered beside Amazon gets its adapter from an account's settings and
// credentials; production refuses an account without credentials; a package maps into an input
// OrderInputSchema accepts, or names the field it cannot take.
import { z } from 'zod';
import type { MarketplacePackage } from '../../marketplaces/adapter';
import { defineMarketplace } from '../../marketplaces/connector';
import { toOrderInput } from '../../marketplaces/mapping';
import { MARKETPLACES, marketplaceAdapter, marketplaceCredentials } from '../../marketplaces/registry';

const fake = defineMarketplace({
  name: 'pazarfake',
  displayName: 'Pazar Fake',
  channel: 'pazarfake',
  pull: { every: '2 minutes', pagesPerRun: 3, pagesAtOnce: 3, pageSpacing: '10 seconds', detailsPerRun: 10, activitiesPerSecond: 1 },
  push: { events: ['shipment.tracking_updated'], perSecond: 1 },
  credentials: z.object({ apiKey: z.string().min(8) }),
  accountSettings: z.object({ storeId: z.string().min(1) }),
  orderId: (account, packageId) => `pf-${account.sellerRef}-${packageId}`,
  create: (account, credentials) => ({
    marketplace: `pazarfake:${account.settings.storeId}:${credentials.apiKey.length}`,
    list: () => Promise.resolve({ packages: [], next: {}, more: false }),
    details: () => Promise.resolve({ lines: [] }),
    pushShipped: () => Promise.resolve(),
  }),
});
const registered = [...MARKETPLACES, fake];
const account = { accountId: 'pazarfake-42', marketplace: 'pazarfake', sellerRef: '42', settings: { storeId: 'S1' } };

test("a registered connector's account gets its adapter from its settings and credentials", () => {
  const adapter = marketplaceAdapter(account, { 'pazarfake-42': { apiKey: 'secret-key' } }, { timeoutMs: 1_000 }, registered);
  expect(adapter.marketplace).toBe('pazarfake:S1:10');
  expect(fake.orderId(account, '987')).toBe('pf-42-987');
});

test('bad settings or credentials are named by field, never by value', () => {
  expect(() => marketplaceAdapter({ ...account, settings: {} }, {}, { timeoutMs: 1_000 }, registered)).toThrow(
    'invalid settings of pazarfake-42: storeId',
  );
  expect(() => marketplaceAdapter(account, { 'pazarfake-42': { apiKey: 'short' } }, { timeoutMs: 1_000 }, registered)).toThrow(
    /invalid credentials of pazarfake-42: apiKey: (?!.*short)/,
  );
});

test("Amazon's development defaults serve an account without credentials, except in production", () => {
  const amazon = {
    accountId: 'amazon-s1-a33avaj2pdy3ev',
    marketplace: 'amazon',
    sellerRef: 'S1',
    settings: { marketplaceId: 'A33AVAJ2PDY3EV' },
  };
  expect(marketplaceAdapter(amazon, {}, { timeoutMs: 1_000 }).marketplace).toBe('amazon');
  expect(() => marketplaceAdapter(amazon, {}, { timeoutMs: 1_000, requireCredentials: true })).toThrow(
    'no credentials for amazon-s1-a33avaj2pdy3ev in MARKETPLACE_CREDENTIALS',
  );
});

test('MARKETPLACE_CREDENTIALS is JSON of objects keyed by account id', () => {
  expect(marketplaceCredentials({})).toEqual({});
  expect(marketplaceCredentials({ MARKETPLACE_CREDENTIALS: '{"a":{"k":"v"}}' })).toEqual({ a: { k: 'v' } });
  expect(() => marketplaceCredentials({ MARKETPLACE_CREDENTIALS: '{"a":' })).toThrow('is not JSON');
  expect(() => marketplaceCredentials({ MARKETPLACE_CREDENTIALS: '{"a":"v"}' })).toThrow('object of objects');
});

describe('mapping a package', () => {
  const pkg: MarketplacePackage = {
    packageId: '123-1234567-1234567',
    orderNumber: '123-1234567-1234567',
    status: 'Unshipped',
    intake: 'take',
    cancelled: false,
    lines: [{ lineId: '1', marketplaceSku: 'AMZ-1', quantity: 2, unitPrice: 49.95, currency: 'TRY' }],
    shipTo: { name: 'Ayşe Yılmaz', line1: 'Bağdat Cad. 1', city: 'İstanbul', district: 'Kadıköy', postalCode: '34710', countryCode: 'TR' },
    service: 'standard',
    lastModified: '2026-12-01T10:00:00Z',
  };
  const context = {
    orderId: 'amz-123-1234567-1234567',
    account: { marketplace: 'amazon', accountId: 'amazon-eu-1' },
    channel: 'amazon',
    skuOf: (sku: string) => (sku === 'AMZ-1' ? 'TOWEL-1' : undefined),
  };

  test('into an order input with our SKU, the marketplace order as externalId and an e-mail that reaches no one', () => {
    expect(toOrderInput(pkg, context)).toEqual({
      order: expect.objectContaining({
        orderId: 'amz-123-1234567-1234567',
        channel: 'amazon',
        externalId: '123-1234567-1234567',
        customer: { name: 'Ayşe Yılmaz', email: 'amz-123-1234567-1234567@marketplace.invalid' },
        lines: [{ sku: 'TOWEL-1', quantity: 2, unitPrice: 49.95 }],
        shippingAddress: expect.objectContaining({ city: 'İstanbul', district: 'Kadıköy', countryCode: 'TR' }),
      }),
    });
  });

  test('a SKU neither mapped nor a product, or none at all, names the line', () => {
    const lines = [pkg.lines[0], { ...pkg.lines[0], lineId: '2', marketplaceSku: '' }];
    expect(toOrderInput({ ...pkg, lines }, context)).toEqual({
      unmappable: { field: 'lines.1.sku', reason: 'the marketplace sent no SKU' },
    });
  });

  test("the marketplace's delivery promise is the order's promised date, the day it ends in Türkiye; one already past is left out", () => {
    const promised = (deliverBy?: string) => {
      const mapped = toOrderInput({ ...pkg, deliverBy }, context);
      return 'order' in mapped ? mapped.order.promisedDeliveryDate : mapped;
    };
    const inDays = (n: number) => new Date(Date.now() + n * 86_400_000);
    // Amazon's windows end at 23:59:59 Istanbul time, 20:59:59 UTC: the Istanbul day.
    const end = inDays(3);
    end.setUTCHours(20, 59, 59, 0);
    expect(promised(end.toISOString())).toBe(end.toISOString().slice(0, 10));
    const afterMidnight = inDays(3);
    afterMidnight.setUTCHours(22, 30, 0, 0); // 01:30 the next day in Istanbul
    expect(promised(afterMidnight.toISOString())).toBe(inDays(4).toISOString().slice(0, 10));
    expect(promised(inDays(-3).toISOString())).toBeUndefined();
    expect(promised(undefined)).toBeUndefined();
    expect(promised('not a date')).toBeUndefined();
  });

  test("a package on the marketplace's own contract with a carrier of ours carries that contract into the order; another carrier is held for ops", () => {
    const assigned = { carrierCode: 'aras', carrierName: 'Aras Kargo Marketplace', trackingNumber: '7330000000123' };
    expect(toOrderInput({ ...pkg, assigned }, context)).toEqual({
      order: expect.objectContaining({
        orderId: 'amz-123-1234567-1234567',
        marketplaceShipping: {
          marketplace: 'amazon',
          accountId: 'amazon-eu-1',
          packageId: pkg.packageId,
          carrier: 'aras',
          trackingNumber: '7330000000123',
        },
      }),
    });
    const tex = { carrierCode: 'marketplace:trendyol:trendyol-express', carrierName: 'Trendyol Express', trackingNumber: '7270000000456' };
    expect(toOrderInput({ ...pkg, assigned: tex }, context)).toEqual({
      unmappable: { field: 'assigned', reason: expect.stringMatching(/Trendyol Express, not a carrier of ours/) },
    });
    const own = toOrderInput(pkg, context);
    expect('order' in own && own.order.marketplaceShipping).toBe(undefined);
  });

  test('an address our orders cannot take names the field, not its value', () => {
    const mapped = toOrderInput({ ...pkg, shipTo: { ...pkg.shipTo, countryCode: 'Turkey' } }, context);
    expect(mapped).toEqual({ unmappable: { field: 'shippingAddress.countryCode', reason: expect.not.stringContaining('Turkey') } });
  });
});
