// The UPS sandbox's memory (a CarrierState): shipments by their 1Z number (shipment and package
// alike: one package per shipment), the references they carry, OAuth tokens, Track Alert
// subscriptions and the faults to inject.
import { randomBytes, randomInt } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { TokenStore } from '../auth';
import { CarrierState } from '../state';
import type { ReceivedForms } from './customs';
import { UpsWebhookSender } from './webhooks';

export const UPS_OPERATIONS = [
  'token',
  'rate',
  'ship',
  'return',
  'lookup',
  'void',
  'track',
  'subscribe',
  'pickup',
  'cancel-pickup',
  'landed-cost',
] as const;
export type UpsOperation = (typeof UPS_OPERATIONS)[number];

/**
 * Scans as UPS reports them: `type` (Track Alert's D, I, M, MV, U, X) and a 2-character `code`
 * (out for delivery is I/OT, delivered D/FS in UPS's own examples; a pickup is I/PU, the sandbox's
 * reading, since Track Alert has no pickup type). Keyed `type/code`, or the type alone where the
 * sandbox sends no code. `RS` (returned to shipper, UPS's older Tracking guide) is tracked, not pushed.
 */
export const SCAN_DESCRIPTIONS: Record<string, string> = {
  'M/MP': 'Shipper created a label, UPS has not received the package yet.',
  MV: 'Shipment voided',
  'I/PU': 'Pickup Scan',
  P: 'Pickup Scan',
  'I/OR': 'Origin Scan',
  'I/OT': 'Out For Delivery Today',
  'D/FS': 'DELIVERED',
  X: 'The package is held up (exception)',
  'X/CH': 'Your package is being held by the customs agency.',
  'X/SR': 'Your package was released by the customs agency.',
  U: 'The delivery date has been updated',
  RS: 'Returned to shipper',
};

/** The path a parcel takes when nothing goes wrong (after an exception, it goes out again; customs hold it, then release it). */
const NEXT_SCAN: Record<string, string> = {
  'M/MP': 'I/PU',
  'I/PU': 'I/OR',
  'I/OR': 'I/OT',
  'I/OT': 'D/FS',
  X: 'I/OT',
  'X/CH': 'X/SR',
  'X/SR': 'I/OT',
};
/** Across a customs border, customs at the far end hold the parcel after the origin scan before releasing it. */
const CUSTOMS_PATH: Record<string, string> = { ...NEXT_SCAN, 'I/OR': 'X/CH' };
/** The types Track Alert pushes (UPSTrackAlert.yaml's activityStatus.type): others are seen by polling only. */
const PUSHED_TYPES = new Set(['D', 'I', 'M', 'MV', 'U', 'X']);
/** Where the parcel is at the customer's end of its trip. */
const AT_CUSTOMER = new Set(['I/OT', 'D/FS', 'X', 'X/CH', 'X/SR']);

/** How long a Track Alert subscription lasts (UPSTrackAlert.yaml's FAQ). */
const SUBSCRIPTION_MS = 14 * 86_400_000;

export interface Scan {
  /** `type/code` or the type alone, as the admin API takes it. */
  raw: string;
  type: string;
  code?: string;
  description: string;
  at: Date;
  city: string;
  countryCode: string;
}

export interface SandboxShipment {
  /** The 1Z number: ShipmentIdentificationNumber and the one package's TrackingNumber. */
  id: string;
  kind: 'shipment' | 'return';
  /** Every ReferenceNumber value the request carried (shipment and package level). */
  references: string[];
  service: string;
  status: 'active' | 'voided';
  createdAt: Date;
  /** The customer's end (ship-to, or ship-from for a return): only what scans and labels need, no names, streets or phones. */
  customer: { city: string; stateProvinceCode?: string; postalCode: string; countryCode: string };
  /** The commercial invoice as received (product data only), for a parcel across a customs border. */
  customs?: ReceivedForms;
  /** The IOSS number a parcel into the EU carried (ShipFrom.VendorInfo, type 0356). */
  iossNumber?: string;
  /** Whether the parcel crosses a customs border (not within TR + EU): its happy path passes customs. */
  crossesCustoms: boolean;
  label: string;
  scans: Scan[];
}

/** An on-call pickup as booked: when and where (the address's city, postal code and country only), how many pieces. */
export interface SandboxPickup {
  /** The Pickup Request Number: 11 characters (Pickup.yaml). */
  prn: string;
  /** yyyyMMdd, ReadyTime and CloseTime HHmm, as sent. */
  date: string;
  readyTime: string;
  closeTime: string;
  address: { postalCode: string; countryCode: string; city: string };
  pieces: number;
  reference?: string;
  status: 'scheduled' | 'cancelled';
  createdAt: Date;
}

export interface UpsCredentials {
  clientId: string;
  clientSecret: string;
  /** The shipper's 6-character account: the only ShipperNumber the double books for, and the middle of its 1Z numbers. */
  accountNumber: string;
}

/** A 4x6 ZPL label as UPS issues one (simplified: no MaxiCode), with the 1Z number as Code 128. */
function zplLabel(trackingNumber: string, kind: SandboxShipment['kind'], customer: SandboxShipment['customer']): string {
  const place = [customer.postalCode, customer.stateProvinceCode, customer.countryCode].filter(Boolean).join(' ');
  const where = `${kind === 'return' ? 'RETURN FROM' : 'SHIP TO'} ${place}`;
  return [
    '^XA',
    '^FO40,40^A0N,50,50^FDUPS SANDBOX^FS',
    `^FO40,120^A0N,34,34^FD${where}^FS`,
    `^FO60,300^BY3^BCN,220,Y,N,N^FD${trackingNumber}^FS`,
    '^XZ',
  ].join('\n');
}

export class UpsState extends CarrierState<SandboxShipment> {
  readonly tokens = new TokenStore();
  /** Track Alert subscriptions: tracking number → when it lapses. */
  readonly subscriptions = new Map<string, number>();
  /**
   * Where this instance's 1Z numbers start in the 8 characters after the service code, at random:
   * the numbers outlive a sandbox in the engine's database (unique per carrier), and a full test run
   * starts hundreds of sandboxes on one database. The sequence counts up from there.
   */
  private readonly firstNumber = randomInt(0, 36 ** 8 - 1_000_000);
  private sequence = 0;
  /** Per instance, so pickup numbers from two sandboxes rarely collide. */
  private readonly pickupTag = randomBytes(2).toString('hex').toUpperCase().slice(0, 3);

  /** On-call pickups by PRN, cancelled ones included. */
  readonly pickups = new Map<string, SandboxPickup>();
  private pickupSequence = 0;

  /** Pushes subscribed parcels' scans to the webhook registered in the "portal" (the admin API). */
  readonly webhooks: UpsWebhookSender;

  constructor(
    readonly credentials: UpsCredentials,
    readonly tokenTtlSeconds: number,
    logger: Logger = pino({ level: 'silent' }),
  ) {
    super();
    this.webhooks = new UpsWebhookSender(logger);
  }

  issueToken(): { token: string; expiresIn: number } {
    const token = randomBytes(24).toString('base64url');
    this.tokens.add(token, Date.now() + this.tokenTtlSeconds * 1000);
    return { token, expiresIn: this.tokenTtlSeconds };
  }

  byReference(reference: string): SandboxShipment[] {
    return this.list().filter((s) => s.references.includes(reference));
  }

  protected isLive(shipment: SandboxShipment): boolean {
    return shipment.status === 'active';
  }

  create(
    input: Pick<SandboxShipment, 'kind' | 'references' | 'service' | 'customer' | 'customs' | 'iossNumber' | 'crossesCustoms'>,
  ): SandboxShipment {
    this.sequence += 1;
    const tail = (this.firstNumber + this.sequence).toString(36).toUpperCase().padStart(8, '0');
    const id = `1Z${this.credentials.accountNumber}${input.service.padStart(2, '0')}${tail}`;
    const shipment: SandboxShipment = {
      ...input,
      id,
      status: 'active',
      createdAt: new Date(),
      label: zplLabel(id, input.kind, input.customer),
      scans: [],
    };
    this.addScan(shipment, 'M/MP');
    this.bookings.set(id, shipment);
    return shipment;
  }

  /**
   * Books an on-call pickup, or finds the one already scheduled at the address on that day: Pickup.yaml's
   * PRN "Same PRN will be returned if a pickup request already exists for a pickup address/point".
   */
  schedulePickup(input: Omit<SandboxPickup, 'prn' | 'status' | 'createdAt'>): SandboxPickup {
    const sameAddress = (p: SandboxPickup) =>
      p.status === 'scheduled' &&
      p.date === input.date &&
      p.address.postalCode === input.address.postalCode &&
      p.address.countryCode === input.address.countryCode;
    const existing = [...this.pickups.values()].find(sameAddress);
    if (existing) return existing;
    this.pickupSequence += 1;
    const prn = `2${this.pickupTag}${String(this.pickupSequence).padStart(7, '0')}`;
    const pickup: SandboxPickup = { ...input, prn, status: 'scheduled', createdAt: new Date() };
    this.pickups.set(prn, pickup);
    return pickup;
  }

  subscribe(trackingNumber: string): void {
    this.subscriptions.set(trackingNumber, Date.now() + SUBSCRIPTION_MS);
  }

  /** A label can be voided only before UPS has scanned the parcel. */
  voidable(shipment: SandboxShipment): boolean {
    return shipment.scans.every((s) => s.type === 'M');
  }

  void(shipment: SandboxShipment): void {
    shipment.status = 'voided';
    this.addScan(shipment, 'MV');
  }

  /** The next scan on the happy path, or the named one; undefined when the path has ended. */
  advance(shipment: SandboxShipment, raw?: string): Scan | undefined {
    const path = shipment.crossesCustoms ? CUSTOMS_PATH : NEXT_SCAN;
    const next = raw ?? path[shipment.scans.at(-1)?.raw ?? ''];
    return next ? this.addScan(shipment, next) : undefined;
  }

  reset(): void {
    super.reset();
    this.tokens.revoke();
    this.subscriptions.clear();
    this.pickups.clear();
    this.webhooks.reset();
  }

  private addScan(shipment: SandboxShipment, raw: string): Scan {
    const [type, code] = raw.split('/');
    // A shipment reaches the customer at the end; a return leaves the customer at pickup.
    const atCustomer = shipment.kind === 'shipment' ? AT_CUSTOMER.has(raw) : raw === 'I/PU';
    const scan: Scan = {
      raw,
      type,
      code,
      description: SCAN_DESCRIPTIONS[raw] ?? 'Status update',
      at: this.scanTime(shipment.scans.at(-1)),
      city: atCustomer ? shipment.customer.city : 'Istanbul Hub',
      countryCode: atCustomer ? shipment.customer.countryCode : 'TR',
    };
    shipment.scans.push(scan);
    // Track Alert sends what happens after the subscription: a new label is news to no one.
    const subscribed = (this.subscriptions.get(shipment.id) ?? 0) > Date.now();
    if (subscribed && PUSHED_TYPES.has(type)) this.webhooks.scanned(shipment.id, scan);
    return scan;
  }
}
