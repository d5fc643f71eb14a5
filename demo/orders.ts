// The demo's orders: made from the seed, shaped like what storefronts and marketplaces send
// (OrderInputSchema, domain/order.ts), each with a fate: what the demo will make happen to it
// once the engine has taken it (delivered, stopped on the way, cancelled, returned, …).
import type { Address, OrderInput } from '../domain/order';
import {
  FOREIGN_NAMES,
  FOREIGN_PLACES,
  OVERSEAS_PLACES,
  TURKISH_FIRST_NAMES,
  TURKISH_LAST_NAMES,
  TURKISH_NEIGHBOURHOODS,
  TURKISH_PLACES,
  TURKISH_STREETS,
  plateOf,
  type ForeignPlace,
} from './addresses';
import { seededRandom, type Random } from './random';

/** The SKUs db/migrations seeds (IST-1 and ANK-1 stock them), with shop prices in TRY. */
export const DEMO_SKUS = { 'TSHIRT-RED-M': 349.9, 'MUG-WHITE': 189.9, 'SNEAKER-42': 2899 } as const;
export type DemoSku = keyof typeof DEMO_SKUS;
export const DEMO_WAREHOUSES = ['IST-1', 'ANK-1'] as const;
export const CHANNELS = ['shopify', 'woocommerce', 'trendyol', 'hepsiburada', 'amazon', 'manual'] as const;
/** The channels whose buyers order on the marketplace (the sandbox's double) for the stack to pull (demo/marketplaces.ts). */
export const MARKETPLACE_DOORS = ['amazon', 'trendyol', 'hepsiburada'] as const;
export type MarketplaceDoor = (typeof MARKETPLACE_DOORS)[number];
export const isMarketplaceDoor = (door: string): door is MarketplaceDoor => (MARKETPLACE_DOORS as readonly string[]).includes(door);

/** What the demo does with an order once the engine has it. */
export const FATES = [
  'deliver',
  'picked_up',
  'in_transit',
  'out_for_delivery',
  'delivery_failed',
  'return_to_sender',
  'return_after_delivery',
  'return_label_only',
  'cancel',
  'wait',
  'fix_address',
  'bad_address',
  'backorder_wait',
  'backorder_cancel',
] as const;
export type Fate = (typeof FATES)[number];

export interface PlannedOrder {
  order: OrderInput;
  /** POST /v1/orders one by one, in a POST /v1/orders/batch, or placed by a buyer on a marketplace (the sandbox's double) and pulled. */
  door: 'single' | 'batch' | MarketplaceDoor;
  /** Sent as the Idempotency-Key header (single orders only), as some OMSs do. */
  idempotencyKey?: string;
  fate: Fate;
  /** For `fix_address`: what the customer corrects the address to. */
  correctedAddress?: Address;
}

export interface GeneratorOptions {
  seed: number;
  count: number;
  /** Makes the order ids unique to this run (the database keeps every earlier run's orders). */
  runTag: string;
  /** Promised delivery dates are counted from this day. */
  today: Date;
}

/** A bulk order larger than any stock the demo keeps: it waits as a backorder. */
export const BACKORDER_QUANTITY = 2500;

const NORMAL_FATES: Record<Exclude<Fate, 'fix_address' | 'bad_address' | 'backorder_wait' | 'backorder_cancel'>, number> = {
  deliver: 32,
  picked_up: 5,
  in_transit: 9,
  out_for_delivery: 8,
  delivery_failed: 7,
  return_to_sender: 4,
  return_after_delivery: 8,
  return_label_only: 4,
  cancel: 9,
  wait: 10,
};

const ASCII: Record<string, string> = { ç: 'c', ğ: 'g', ı: 'i', i̇: 'i', ö: 'o', ş: 's', ü: 'u', ä: 'a', é: 'e', í: 'i', ß: 'ss' };
/** Ayşe Yılmaz → ayse.yilmaz: email local parts are ASCII. */
function emailName(name: string): string {
  return name
    .toLocaleLowerCase('tr-TR')
    .replace(/i̇|[çğıöşüäéíß]/g, (c) => ASCII[c] ?? c)
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.|\.$/g, '');
}

function isoDay(date: Date, plusDays: number): string {
  return new Date(date.getTime() + plusDays * 86_400_000).toISOString().slice(0, 10);
}

function digits(random: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(random.int(0, 9));
  return s;
}

function turkishAddress(random: Random, name: string): Address {
  const place = random.weighted(Object.fromEntries(TURKISH_PLACES.map((p, i) => [String(i), p.weight])));
  const { province, districts } = TURKISH_PLACES[Number(place)];
  const plate = String(plateOf(province)).padStart(2, '0');
  return {
    name,
    line1: `${random.pick(TURKISH_NEIGHBOURHOODS)}, ${random.pick(TURKISH_STREETS)} No: ${random.int(1, 180)}`,
    ...(random.chance(0.6) ? { line2: `D: ${random.int(1, 24)}` } : {}),
    city: province,
    district: random.pick(districts),
    postalCode: `${plate}${digits(random, 3)}`,
    countryCode: 'TR',
  };
}

function foreignAddress(random: Random, name: string, place: ForeignPlace): Address {
  const number = random.int(1, 120);
  return {
    name,
    line1: ['US', 'GB'].includes(place.countryCode) ? `${number} ${place.street}` : `${place.street} ${number}`,
    city: place.city,
    ...(place.stateCode && { stateCode: place.stateCode }),
    postalCode: place.postalCode,
    countryCode: place.countryCode,
  };
}

function externalIdFor(channel: string, random: Random): string | undefined {
  switch (channel) {
    case 'shopify':
      return `${random.int(5, 6)}${digits(random, 12)}`;
    case 'woocommerce':
      return String(random.int(10_000, 99_999));
    case 'trendyol':
    case 'hepsiburada':
      return `${random.int(1, 9)}${digits(random, 9)}`;
    case 'amazon':
      return `40${random.int(2, 8)}-${digits(random, 7)}-${digits(random, 7)}`;
    default:
      return undefined;
  }
}

function linesFor(random: Random): OrderInput['lines'] {
  const skus = Object.keys(DEMO_SKUS) as DemoSku[];
  const count = random.weighted({ 1: 65, 2: 28, 3: 7 });
  const shuffled = [...skus];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const chosen = shuffled.slice(0, Number(count));
  return chosen.map((sku) => ({
    sku,
    quantity: sku === 'SNEAKER-42' ? 1 : Number(random.weighted({ 1: 80, 2: 15, 3: 5 })),
    unitPrice: DEMO_SKUS[sku],
  }));
}

/** One order and its fate. */
function plan(random: Random, orderId: string, today: Date): PlannedOrder {
  const special = random.weighted({ normal: 94, badAddress: 3, backorder: 2, sameDay: 1 });
  const destination = special === 'backorder' || special === 'sameDay' ? 'tr' : random.weighted({ tr: 82, eu: 16, overseas: 2 });
  const turkish = destination === 'tr';
  const channel =
    special === 'backorder'
      ? 'manual'
      : turkish
        ? random.weighted({ shopify: 28, trendyol: 18, hepsiburada: 10, woocommerce: 17, amazon: 15, manual: 12 })
        : random.weighted({ shopify: 45, amazon: 35, woocommerce: 20 });

  const foreign =
    destination === 'eu' ? random.pick(FOREIGN_PLACES) : destination === 'overseas' ? random.pick(OVERSEAS_PLACES) : undefined;
  const name =
    special === 'backorder'
      ? `${random.pick(TURKISH_LAST_NAMES)} Spor Mağazaları Ltd. Şti.`
      : turkish
        ? `${random.pick(TURKISH_FIRST_NAMES)} ${random.pick(TURKISH_LAST_NAMES)}`
        : random.pick(FOREIGN_NAMES);
  const phone = turkish ? `+905${random.int(30, 59)}${digits(random, 7)}` : `${foreign!.phonePrefix}${digits(random, 6)}`;
  const address = foreign ? foreignAddress(random, name, foreign) : turkishAddress(random, name);
  if (random.chance(0.2)) address.phone = phone;

  const lines = special === 'backorder' ? [{ sku: 'SNEAKER-42', quantity: BACKORDER_QUANTITY, unitPrice: 2200 }] : linesFor(random);
  const total = Math.round(lines.reduce((sum, l) => sum + l.quantity * (l.unitPrice ?? 0), 0) * 100) / 100;
  const service = special === 'sameDay' ? 'same_day' : random.weighted({ standard: turkish ? 80 : 70, express: turkish ? 20 : 30 });

  const order: OrderInput = {
    orderId,
    channel,
    customer: {
      name,
      email: `${emailName(name)}${random.int(1, 999)}@${random.pick(['example.com', 'example.com.tr', 'example.org', 'example.net'])}`,
      ...(random.chance(0.9) ? { phone } : {}),
      ...(random.chance(0.7) ? { locale: turkish ? ('tr' as const) : ('en' as const) } : {}),
    },
    shippingAddress: address,
    lines,
    service,
  };
  const externalId = externalIdFor(channel, random);
  if (externalId) order.externalId = externalId;
  if (random.chance(0.3)) order.promisedDeliveryDate = isoDay(today, random.int(2, 7));
  // Cash on delivery: Turkish shops (and marketplace orders sent to the API), within what Turkish carriers collect.
  if (turkish && channel !== 'amazon' && special === 'normal' && total <= 5000 && random.chance(0.15)) {
    order.cashOnDelivery = { amount: total, currency: 'TRY' };
  }
  // Across a customs border: declared from the catalogue (demo/catalogue.ts), duties paid by the customer or the shop.
  if (destination === 'overseas') order.customs = { reasonForExport: 'sale', dutiesTerms: random.chance(0.7) ? 'DAP' : 'DDP' };
  if (turkish && special === 'normal') {
    const preferred = random.weighted({ none: 30, ups: 44, mng: 8, yurtici: 6, aras: 6, surat: 4, ptt: 2 });
    if (preferred !== 'none') order.preferredCarriers = [preferred];
    else if (random.chance(0.15)) order.carrierPolicy = 'fastest';
  }

  let fate: Fate = random.weighted(NORMAL_FATES);
  let correctedAddress: Address | undefined;
  if (special === 'backorder') fate = random.chance(0.5) ? 'backorder_wait' : 'backorder_cancel';
  if (special === 'sameDay') fate = 'wait'; // no carrier serves it: ops will see it
  if (special === 'badAddress') {
    // The district typed as the city and no postal code: every carrier rejects it.
    fate = random.chance(0.65) ? 'fix_address' : 'bad_address';
    correctedAddress = { ...address };
    order.shippingAddress = { ...address, city: turkish ? address.district! : address.city, postalCode: '00000' };
  }
  const batched = random.chance(0.2);
  // A marketplace's orders come through it, where the plan allows: no bulk or broken ones, no customs
  // terms to give, and none a marketplace would not make (Trendyol and Hepsiburada collect the payment:
  // no cash on delivery). The others of its channel are sent to the API as an OMS would.
  const viaMarketplace =
    isMarketplaceDoor(channel) && special === 'normal' && destination !== 'overseas' && !(order.cashOnDelivery && channel !== 'amazon');
  const door = viaMarketplace ? channel : batched ? 'batch' : 'single';
  const keyed = !batched && random.chance(0.3); // drawn for the marketplaces' too: their door does not change the draws
  return {
    order,
    door,
    ...(door === 'single' && keyed ? { idempotencyKey: `demo-${orderId}` } : {}),
    fate,
    ...(correctedAddress ? { correctedAddress } : {}),
  };
}

/** `count` orders from the seed: the same seed, tag and day give the same orders. */
export function generateOrders({ seed, count, runTag, today }: GeneratorOptions): PlannedOrder[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => plan(random, `DEMO-${runTag}-${String(i + 1).padStart(5, '0')}`, today));
}

/** Units of each SKU the orders ask for (the stock sync makes room for them). */
export function demandOf(planned: PlannedOrder[]): Map<string, number> {
  const demand = new Map<string, number>();
  for (const { order, fate } of planned) {
    if (fate === 'backorder_wait' || fate === 'backorder_cancel') continue; // meant to wait
    for (const l of order.lines) demand.set(l.sku, (demand.get(l.sku) ?? 0) + l.quantity);
  }
  return demand;
}
