// npm run demo, without a stack: its orders are what the API accepts, realistic and repeatable
// for a seed, and its command line says what it does not understand. (The demo itself runs
// against a dev stack: `npm run demo -- --orders 60 --faults`.)
import { OrderInputSchema } from '../../domain/order';
import { ProductSchema } from '../../domain/customs';
import { DEMO_CATALOGUE } from '../../demo/catalogue';
import { TURKISH_PROVINCES } from '../../domain/turkish-provinces';
import { parseArgs, UsageError } from '../../demo/args';
import { main } from '../../demo/run';
import { BACKORDER_QUANTITY, CHANNELS, DEMO_SKUS, demandOf, generateOrders, MARKETPLACE_DOORS } from '../../demo/orders';
import { OUTBOUND_STEPS, SCANS, stepsFor } from '../../demo/parcels';
import { renderProgress } from '../../demo/progress';

const today = new Date();
const orders = generateOrders({ seed: 42, count: 400, runTag: 'T3ST', today });

describe('the demo order generator', () => {
  it('makes orders the API accepts, every one parsed by its own schema', () => {
    for (const { order } of orders) {
      const parsed = OrderInputSchema.safeParse(order);
      if (!parsed.success) throw new Error(`${order.orderId}: ${JSON.stringify(parsed.error.issues)}`);
    }
    expect(new Set(orders.map((p) => p.order.orderId)).size).toBe(orders.length);
    expect(orders.every((p) => p.order.orderId.startsWith('DEMO-T3ST-'))).toBe(true);
  });

  it('ships to real Turkish provinces, with Turkish letters in names, districts and streets', () => {
    const turkish = orders.filter(
      (p) => p.order.shippingAddress.countryCode === 'TR' && p.fate !== 'fix_address' && p.fate !== 'bad_address',
    );
    expect(turkish.length).toBeGreaterThan(orders.length / 2);
    for (const { order } of turkish) {
      expect(TURKISH_PROVINCES).toContain(order.shippingAddress.city);
      // Turkish postal codes begin with the province's plate number.
      expect(Number(order.shippingAddress.postalCode.slice(0, 2))).toBe(TURKISH_PROVINCES.indexOf(order.shippingAddress.city as never) + 1);
    }
    const text = turkish
      .map((p) => `${p.order.customer.name} ${p.order.shippingAddress.line1} ${p.order.shippingAddress.district}`)
      .join(' ');
    for (const letter of ['ğ', 'ü', 'ş', 'ı', 'ö', 'ç', 'İ']) expect(text).toContain(letter);
  });

  it('mixes channels, countries, services, cash on delivery, promised dates and preferred carriers', () => {
    const distinct = (f: (p: (typeof orders)[number]) => unknown) => new Set(orders.map(f).filter((v) => v !== undefined));
    expect(distinct((p) => p.order.channel)).toEqual(new Set(CHANNELS));
    const countries = distinct((p) => p.order.shippingAddress.countryCode);
    for (const c of ['TR', 'DE', 'NL']) expect(countries).toContain(c);
    expect(countries.size).toBeGreaterThanOrEqual(6);
    expect(distinct((p) => p.order.service).size).toBeGreaterThanOrEqual(2);
    expect(orders.filter((p) => p.order.cashOnDelivery).length).toBeGreaterThan(10);
    expect(orders.filter((p) => p.order.promisedDeliveryDate).length).toBeGreaterThan(50);
    expect(distinct((p) => p.order.preferredCarriers?.[0]).size).toBeGreaterThanOrEqual(3);
    expect(distinct((p) => p.door)).toEqual(new Set(['single', 'batch', ...MARKETPLACE_DOORS]));
    // Through a marketplace only what it can carry: its own channel, no bulk or broken orders, no
    // customs terms, and no cash on delivery where the marketplace collects (Trendyol, Hepsiburada).
    for (const p of orders.filter((o) => (MARKETPLACE_DOORS as readonly string[]).includes(o.door))) {
      expect(p.order.channel).toBe(p.door);
      expect(['GB', 'US']).not.toContain(p.order.shippingAddress.countryCode);
      expect(['fix_address', 'bad_address', 'backorder_wait', 'backorder_cancel']).not.toContain(p.fate);
      expect(p.order.cashOnDelivery).toBeUndefined();
    }
    for (const m of MARKETPLACE_DOORS) expect(orders.filter((p) => p.door === m).length).toBeGreaterThan(10);
    expect(distinct((p) => p.fate).size).toBeGreaterThanOrEqual(10);
    for (const { order } of orders) for (const l of order.lines) expect(Object.keys(DEMO_SKUS)).toContain(l.sku);
    // Cash on delivery only where Turkish carriers collect it.
    for (const { order } of orders.filter((p) => p.order.cashOnDelivery)) expect(order.shippingAddress.countryCode).toBe('TR');
  });

  it('gives corrected addresses the API accepts, and keeps bulk backorders out of the stock sync', () => {
    const fixes = orders.filter((p) => p.fate === 'fix_address');
    expect(fixes.length).toBeGreaterThan(0);
    for (const p of fixes) {
      expect(p.order.shippingAddress.postalCode).toBe('00000');
      expect(OrderInputSchema.shape.shippingAddress.safeParse(p.correctedAddress).success).toBe(true);
    }
    const demand = demandOf(orders);
    expect(demand.get('SNEAKER-42')).toBeLessThan(BACKORDER_QUANTITY);
  });

  it('sends some orders beyond the EU, declared for customs from a catalogue of every SKU, to ship rather than wait (issue 25)', () => {
    const overseas = orders.filter((p) => ['GB', 'US'].includes(p.order.shippingAddress.countryCode));
    expect(overseas.length).toBeGreaterThan(0);
    for (const p of overseas) {
      expect(p.order.customs).toMatchObject({ reasonForExport: 'sale', dutiesTerms: expect.stringMatching(/^(DAP|DDP)$/) });
      expect(p.fate).not.toBe('wait');
    }
    // UPS books a US parcel only with its state.
    for (const p of overseas.filter((o) => o.order.shippingAddress.countryCode === 'US'))
      expect(p.order.shippingAddress.stateCode).toBe('NY');
    expect(Object.keys(DEMO_CATALOGUE).sort()).toEqual(Object.keys(DEMO_SKUS).sort());
    for (const product of Object.values(DEMO_CATALOGUE))
      expect(ProductSchema.safeParse({ ...product, originCountry: 'TR', currency: 'TRY' }).success).toBe(true);
  });

  it('is deterministic for a seed, and another seed gives other orders', () => {
    expect(generateOrders({ seed: 42, count: 400, runTag: 'T3ST', today })).toEqual(orders);
    expect(generateOrders({ seed: 43, count: 400, runTag: 'T3ST', today })).not.toEqual(orders);
  });
});

describe('the demo parcel scripts', () => {
  it('names a scan of each carrier for the steps that carrier has', () => {
    expect(stepsFor('ups', OUTBOUND_STEPS.deliver)).toEqual(['pickup', 'transit', 'out', 'deliver']);
    expect(stepsFor('yurtici', OUTBOUND_STEPS.delivery_failed)).toEqual(['pickup', 'transit', 'out']); // no failed-delivery scan
    expect(SCANS.mng.fail).toEqual({ code: 6 });
  });

  it('draws a progress bar', () => {
    expect(
      renderProgress({
        phase: 'orders',
        sent: 50,
        total: 100,
        figures: [
          ['labelled', 40],
          ['cancelled', 0],
        ],
        faults: ['ups: down'],
      }),
    ).toBe('orders   [############------------]  50% · orders 50/100 · labelled 40 · faults: ups: down');
  });
});

describe('the demo command line', () => {
  const env = { API_PORT: '3301', SANDBOX_PORT: '4301' };

  it('has defaults from the dev stack environment', () => {
    expect(parseArgs([], env, 12_345)).toEqual({
      orders: 100,
      faults: false,
      seed: 12_345,
      rate: 5,
      apiUrl: 'http://127.0.0.1:3301',
      sandboxUrl: 'http://127.0.0.1:4301',
      temporalUiUrl: 'http://127.0.0.1:8233',
    });
    expect(parseArgs([], {}, 1)).toMatchObject({ apiUrl: 'http://127.0.0.1:3000', sandboxUrl: 'http://127.0.0.1:4010' });
  });

  it('reads every flag, with = or a separate value', () => {
    expect(
      parseArgs(
        ['--orders', '500', '--faults', '--seed=7', '--rate', '2.5', '--api', 'http://localhost:9000/', '--sandbox=http://127.0.0.1:4999'],
        env,
      ),
    ).toEqual({
      orders: 500,
      faults: true,
      seed: 7,
      rate: 2.5,
      apiUrl: 'http://localhost:9000',
      sandboxUrl: 'http://127.0.0.1:4999',
      temporalUiUrl: 'http://127.0.0.1:8233',
    });
    expect(parseArgs(['--help'])).toBe('help');
    expect(parseArgs(['--orders', '3', '-h'])).toBe('help');
  });

  it.each([
    [['--orders', '0'], /--orders needs a positive whole number/],
    [['--orders', '2.5'], /--orders needs a positive whole number/],
    [['--orders'], /--orders needs a positive whole number, got nothing/],
    [['--rate', 'fast'], /--rate needs a positive number/],
    [['--seed', '-1'], /--seed needs a whole number/],
    [['--api', 'localhost:3000'], /--api needs an http\(s\) URL/],
    [['--faults=yes'], /--faults takes no value/],
    [['--order', '5'], /unknown option "--order"/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv, env)).toThrow(UsageError);
    expect(() => parseArgs(argv, env)).toThrow(message);
  });

  it('says which URL it tried when the stack is not running', async () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      // Port 9 (discard) on loopback: nothing listens there.
      expect(await main(['--api', 'http://127.0.0.1:9', '--sandbox', 'http://127.0.0.1:9'])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toMatch(/cannot reach the API at http:\/\/127\.0\.0\.1:9\/healthz .*npm run dev/);
  });
});
