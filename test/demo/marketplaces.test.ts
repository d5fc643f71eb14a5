// The demo's marketplace buyers without a stack: each marketplace's double (alone, over HTTP) takes
// what its buyers place through its admin API, under the dev stack's account and SKU map; the
// engine's own adapter reads each placed package back and maps it into the order the demo planned
// (its SKUs, quantities and address), as the stack's pull would; the pull is asked of the account's
// id; and the summary counts only the pushes the double took for the demo's own orders.
import { marketplaceConnector, marketplaceAdapter } from '../../marketplaces/registry';
import type { MarketplaceAdapter } from '../../marketplaces/adapter';
import { toOrderInput } from '../../marketplaces/mapping';
import { MarketplaceBuyers } from '../../demo/marketplaces';
import { sandboxClient, type HttpClient } from '../../demo/http';
import { DEMO_SKUS, generateOrders, MARKETPLACE_DOORS, type MarketplaceDoor, type PlannedOrder } from '../../demo/orders';
import { marketplaceLine } from '../../demo/summary';
import { amazonDouble } from '../../sandbox/marketplaces/amazon';
import { hepsiburadaDouble } from '../../sandbox/marketplaces/hepsiburada';
import { trendyolDouble } from '../../sandbox/marketplaces/trendyol';
import { sandboxAccount } from '../../sandbox/marketplaces/accounts';
import { startDouble, type DoubleSandbox } from '../helpers/carrier-sandbox';

type AnyState = { pushes: Record<string, unknown>[] };
const doubles = {} as Record<MarketplaceDoor, DoubleSandbox<AnyState>>;

beforeAll(async () => {
  doubles.amazon = (await startDouble(amazonDouble)) as unknown as DoubleSandbox<AnyState>;
  doubles.trendyol = (await startDouble(trendyolDouble)) as unknown as DoubleSandbox<AnyState>;
  doubles.hepsiburada = (await startDouble(hepsiburadaDouble, { requestsPerMinute: 1_000 })) as unknown as DoubleSandbox<AnyState>;
});
afterAll(async () => {
  for (const d of Object.values(doubles)) await d?.close();
});

const planned = generateOrders({ seed: 42, count: 400, runTag: 'T3ST', today: new Date() });

/** The API as the buyers use it: only the pull, recorded. */
function fakeApi(): HttpClient & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    request: <T>(method: string, path: string) => {
      calls.push(`${method} ${path}`);
      return Promise.resolve({ status: 202, body: {} as T, headers: new Headers() });
    },
  } as unknown as HttpClient & { calls: string[] };
}

const sandboxOf = (m: MarketplaceDoor) => sandboxClient(doubles[m].baseUrl.replace(new RegExp(`/${m}$`), ''));

function adapterOf(m: MarketplaceDoor): MarketplaceAdapter {
  const account = sandboxAccount(m);
  const baseUrl = doubles[m].baseUrl;
  const credentials = {
    amazon: { baseUrl, lwaUrl: `${baseUrl}/auth/o2/token` },
    trendyol: { baseUrl: `${baseUrl}/integration` },
    hepsiburada: { baseUrl },
  }[m];
  return marketplaceAdapter(
    { accountId: account.accountId, marketplace: m, sellerRef: account.sellerRef, settings: account.settings },
    { [account.accountId]: credentials },
    { timeoutMs: 5_000 },
  );
}

describe.each(MARKETPLACE_DOORS)('%s buyers', (m) => {
  test('place the planned orders in the double under the account’s SKU map, and the engine’s reading maps each back to the order planned', async () => {
    const mine = planned.filter((p) => p.door === m).slice(0, 4);
    expect(mine.length).toBeGreaterThan(1);
    const api = fakeApi();
    const buyers = new MarketplaceBuyers(m, api, sandboxOf(m));
    const byOrderId = new Map<string, PlannedOrder>();
    for (const p of mine) {
      const placed = await buyers.place(p.order);
      if (!('orderId' in placed)) throw new Error(placed.refused);
      byOrderId.set(placed.orderId, p);
    }
    expect(buyers.orderIds).toEqual(new Set(byOrderId.keys()));

    // The listing holds every placed package; each maps, with the SKU map's seller SKUs or our own, into the order planned.
    const account = sandboxAccount(m);
    const connectorAccount = { accountId: account.accountId, marketplace: m, sellerRef: account.sellerRef, settings: account.settings };
    const parsed = { ...connectorAccount, settings: marketplaceConnector(m).accountSettings.parse(account.settings) };
    const skuMap = new Map(account.skuMap);
    const skuOf = (sku: string) => skuMap.get(sku) ?? (sku in DEMO_SKUS ? sku : undefined);
    const adapter = adapterOf(m);
    const page = await adapter.list(undefined, new Date());
    const seen = new Set<string>();
    const sellerSkus = new Set<string>();
    for (const pkg of page.packages) {
      const orderId = marketplaceConnector(m).orderId(parsed, pkg.packageId);
      const p = byOrderId.get(orderId);
      if (!p) continue;
      seen.add(orderId);
      expect(pkg.intake).toBe('take');
      const details = await adapter.details(pkg);
      for (const line of details.lines) sellerSkus.add(line.marketplaceSku);
      const mapping = toOrderInput(
        { ...pkg, ...details },
        { orderId, account: { marketplace: m, accountId: parsed.accountId }, channel: m, skuOf },
      );
      if (!('order' in mapping)) throw new Error(`${orderId}: ${JSON.stringify(mapping.unmappable)}`);
      const units = (lines: { sku: string; quantity: number }[]) => lines.map((l) => `${l.sku}×${l.quantity}`).sort();
      expect(units(mapping.order.lines)).toEqual(units(p.order.lines));
      expect(mapping.order.shippingAddress).toMatchObject({
        city: p.order.shippingAddress.city,
        postalCode: p.order.shippingAddress.postalCode,
        countryCode: p.order.shippingAddress.countryCode,
        district: p.order.shippingAddress.district,
      });
    }
    expect(seen).toEqual(new Set(byOrderId.keys()));
    // Seller SKUs where the account maps ours, ours where it does not.
    for (const sku of sellerSkus) expect([...account.skuMap.map(([seller]) => seller), 'SNEAKER-42']).toContain(sku);
    expect(account.skuMap.some(([seller]) => sellerSkus.has(seller))).toBe(true);

    // The pull is asked of the account while a placed order is not listed yet, not after.
    await buyers.nudge(new Set());
    await buyers.nudge(new Set(byOrderId.keys()), Date.now() + 60_000);
    expect(api.calls).toEqual([`POST /v1/marketplace-accounts/${encodeURIComponent(account.accountId)}/pull`]);
  });
});

test('the summary counts per marketplace the pushes its double took for the demo’s own orders, by operation', async () => {
  const api = fakeApi();
  const buyers = new MarketplaceBuyers('trendyol', api, sandboxOf('trendyol'));
  const p = planned.find((o) => o.door === 'trendyol')!;
  const placed = await buyers.place(p.order);
  if (!('orderId' in placed)) throw new Error(placed.refused);
  const target = placed.orderId.replace(/^ty-/, '');
  const push = (operation: string, target: string, status: number) => ({ operation, target, status, body: {}, at: '' });
  doubles.trendyol.state.pushes.push(
    push('updatePackageStatus', target, 200),
    push('updateTrackingNumber', target, 400),
    push('updateTrackingNumber', target, 200),
    push('updatePackageStatus', '999', 200), // another run's
  );
  const pushed = await buyers.pushed();
  expect(pushed).toEqual([
    ['updatePackageStatus', 1],
    ['updateTrackingNumber', 1],
  ]);
  expect(marketplaceLine({ marketplace: 'trendyol', label: 'Trendyol', placed: 1, pulled: 1, pushed })).toBe(
    "  Trendyol: 1 placed by buyers in the sandbox's Trendyol, 1 pulled as orders, pushed back: updatePackageStatus 1, updateTrackingNumber 1 (/_admin/trendyol/pushes)",
  );
});
