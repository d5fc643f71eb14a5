// The UPS sandbox's memory (a CarrierState): shipments (by id, idempotency key and tracking
// number), OAuth tokens and the faults to inject.
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { TokenStore } from '../auth';
import { CarrierState } from '../state';
import { UpsWebhookSender } from './webhooks';
import { labelPdf } from '../pdf';

export const UPS_OPERATIONS = ['token', 'rate', 'ship', 'void', 'lookup', 'return', 'track'] as const;
export type UpsOperation = (typeof UPS_OPERATIONS)[number];

/** The carrier's own scan codes (activity status.type) and their descriptions. */
export const SCAN_CODES: Record<string, string> = {
  M: 'Shipper created a label; the carrier has not received the package yet',
  MV: 'Shipment voided',
  P: 'Pickup scan',
  I: 'In transit',
  O: 'Out for delivery',
  D: 'Delivered',
  X: 'Exception: the package is held up',
  RS: 'Returned to shipper',
};

/** The path a parcel takes when nothing goes wrong (after an exception, it goes out again). */
const NEXT_SCAN: Record<string, string> = { M: 'P', P: 'I', I: 'O', O: 'D', X: 'O' };

export interface Scan {
  code: string;
  description: string;
  at: Date;
  city: string;
  countryCode: string;
}

export interface SandboxShipment {
  id: string;
  kind: 'shipment' | 'return';
  idempotencyKey: string;
  trackingNumber: string;
  service: string;
  status: 'active' | 'voided';
  createdAt: Date;
  /** The customer's end (ship-to, or collect-from for a return): only what scans and labels need, no names, streets or phones. */
  customer: { city: string; postalCode: string; countryCode: string };
  label: Buffer;
  scans: Scan[];
}

export interface UpsCredentials {
  clientId: string;
  clientSecret: string;
}

/** `get(id)` finds a shipment by the carrier's shipment id. */
export class UpsState extends CarrierState<SandboxShipment> {
  readonly tokens = new TokenStore();
  private readonly byKey = new Map<string, SandboxShipment>();
  private readonly byTracking = new Map<string, SandboxShipment>();
  /** Per instance, so tracking numbers from two sandboxes rarely collide; the sequence makes them unique within one. */
  private readonly shipperNumber = randomBytes(3).toString('hex').toUpperCase();
  private sequence = 0;

  /** Pushes scans to a subscriber (the engine's webhook endpoint), when one is set. */
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

  byIdempotencyKey(key: string): SandboxShipment | undefined {
    return this.byKey.get(key);
  }

  byTrackingNumber(trackingNumber: string): SandboxShipment | undefined {
    return this.byTracking.get(trackingNumber);
  }

  protected isLive(shipment: SandboxShipment): boolean {
    return shipment.status === 'active';
  }

  create(input: Pick<SandboxShipment, 'kind' | 'idempotencyKey' | 'service' | 'customer'>): SandboxShipment {
    this.sequence += 1;
    const serviceCode = input.kind === 'return' ? '90' : input.service === 'express' ? '01' : '11';
    const trackingNumber = `1Z${this.shipperNumber}${serviceCode}${String(this.sequence).padStart(8, '0')}`;
    const shipment: SandboxShipment = {
      ...input,
      id: `shp_${this.shipperNumber.toLowerCase()}_${this.sequence}`,
      trackingNumber,
      status: 'active',
      createdAt: new Date(),
      label: labelPdf([
        'UPS SANDBOX',
        trackingNumber,
        `${input.kind === 'return' ? 'RETURN FROM' : 'TO'} ${input.customer.postalCode} ${input.customer.countryCode}`,
      ]),
      scans: [],
    };
    this.addScan(shipment, 'M');
    this.bookings.set(shipment.id, shipment);
    this.byKey.set(shipment.idempotencyKey, shipment);
    this.byTracking.set(trackingNumber, shipment);
    return shipment;
  }

  /** A label can be voided only before the carrier has scanned the parcel. */
  voidable(shipment: SandboxShipment): boolean {
    return shipment.scans.every((s) => s.code === 'M');
  }

  void(shipment: SandboxShipment): void {
    shipment.status = 'voided';
    this.addScan(shipment, 'MV');
  }

  /** The next scan on the happy path, or the named code; undefined when the path has ended. */
  advance(shipment: SandboxShipment, code?: string): Scan | undefined {
    const last = shipment.scans[shipment.scans.length - 1];
    const next = code ?? (last && NEXT_SCAN[last.code]);
    return next ? this.addScan(shipment, next) : undefined;
  }

  reset(): void {
    super.reset();
    this.byKey.clear();
    this.byTracking.clear();
    this.tokens.revoke();
    this.webhooks.reset();
  }

  private addScan(shipment: SandboxShipment, code: string): Scan {
    const at = this.scanTime(shipment.scans.at(-1));
    // A shipment reaches the customer at the end; a return leaves the customer at pickup.
    const atCustomer = shipment.kind === 'shipment' ? ['O', 'D', 'X'].includes(code) : code === 'P';
    const scan: Scan = {
      code,
      description: SCAN_CODES[code] ?? 'Status update',
      at,
      city: atCustomer ? shipment.customer.city : 'Istanbul Hub',
      countryCode: atCustomer ? shipment.customer.countryCode : 'TR',
    };
    shipment.scans.push(scan);
    if (code !== 'M') this.webhooks.scanned(shipment.trackingNumber, scan); // a new label is news to no one
    return scan;
  }
}
