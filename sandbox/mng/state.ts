// The MNG sandbox's memory (a CarrierState): orders keyed by the merchant's referenceId (outbound
// from createOrder, returns from createReturnOrder), the shipment createbarcode adds to an outbound
// one (MNG's shipment id, ZPL labels), their movements, issued tokens, and the faults to inject.
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { TokenStore } from '../auth';
import { CarrierState } from '../state';

export const MNG_OPERATIONS = [
  'token',
  'calculate',
  'createOrder',
  'createReturnOrder',
  'cancelorder',
  'createbarcode',
  'cancelshipment',
  'getorder',
  'trackshipment',
  'getcities',
  'getdistricts',
] as const;
export type MngOperation = (typeof MNG_OPERATIONS)[number];

/** The gateway's pair (X-IBM-Client-Id/Secret headers) and the account's pair (the token call's body). */
export interface MngCredentials {
  clientId: string;
  clientSecret: string;
  customerNumber: string;
  password: string;
}

/**
 * shipmentStatusCode (REST) → MNG's text, as carriers/mng/spec/README.md lists them (1–8, no other).
 * Written again on purpose, not imported from carriers/mng/statuses.ts: a double sharing the adapter's
 * table would repeat its mistakes, and the tests could not see them (issue 27).
 */
export const STATUS_CODES: Record<number, string> = {
  1: 'Gönderi Hazırlandı',
  2: 'Transfer Aşamasında',
  3: 'Teslimat Birimine Ulaştı',
  4: 'Alıcı Adresine Yönlendirildi',
  5: 'Teslim Edildi',
  6: 'Teslim Edilemedi',
  7: 'Geri Geliyor',
  8: 'Destek Gerekiyor',
};

/** The path a parcel takes when nothing goes wrong: after a failed attempt it goes out again, a held one reaches the delivery unit. A parcel coming back (7) has no further code. */
const NEXT_CODE: Record<number, number> = { 0: 1, 1: 2, 2: 3, 3: 4, 4: 5, 6: 4, 8: 3 };

/** The merchant's registered address: the sender of its parcels, the receiver of its returns. */
export const ACCOUNT_ADDRESS = { name: 'MNG Sandbox Merchant', cityName: 'İstanbul', districtName: 'Esenyurt' };

export interface Movement {
  /** The movement's number within its shipment, from 1. */
  sequence: number;
  /** The status code it sets; a movement with a text of its own (a test's unknown one) leaves the code as it was. */
  code: number;
  text: string;
  at: Date;
  location: string;
}

export interface Piece {
  barcode: string;
  desi: number;
  kg: number;
  content: string;
}

interface Party {
  fullName: string;
  address: string;
  cityName: string;
  districtName?: string;
}

/** What createbarcode adds: MNG's shipment id, invoice and one ZPL label per piece. */
interface Shipment {
  shipmentId: string;
  invoiceId: string;
  codAmount?: number;
  labels: Array<{ pieceNumber: number; barcode: string; zpl: string }>;
}

export interface SandboxOrder {
  referenceId: string;
  kind: 'shipment' | 'return';
  service: 'standard' | 'express';
  /** The customer: the recipient of a shipment, the shipper of a return. Only what labels need. */
  customer: Party;
  orderInvoiceId: number;
  createdAt: Date;
  cancelled: boolean;
  shipment?: Shipment;
  movements: Movement[];
}

/** `get(referenceId)` finds an order by the merchant's key; `byShipment` by MNG's shipment id. */
export class MngState extends CarrierState<SandboxOrder> {
  readonly tokens = new TokenStore();
  private readonly byShipmentId = new Map<string, SandboxOrder>();
  private readonly signingKey = randomBytes(32);
  private readonly branchNumber = String(randomInt(100, 1000));
  /**
   * Where this instance's shipment ids start after the branch, at random: the ids outlive a sandbox
   * in the engine's database (unique per carrier), and a full test run starts hundreds of sandboxes
   * on one database. The sequence counts up from there.
   */
  private readonly firstShipment = randomInt(0, 999_000_000);
  private sequence = 0;
  /** Tokens handed out since the last reset, so tests can see an adapter reuse one. */
  tokensIssued = 0;

  constructor(
    readonly credentials: MngCredentials,
    readonly tokenTtlSeconds: number,
    /** API products (a path's first segment, e.g. `barcodecmdapi`) the application is not subscribed to. */
    readonly unsubscribed: readonly string[] = [],
    /** Whether createbarcode refuses the caller's IP address (MNG's allow-list for single barcodes). */
    readonly barcodeIpRefused = false,
  ) {
    super();
  }

  /** A JWT-shaped token, opaque to clients; its expiry is whole seconds, as jwtExpireDate states it. */
  issueToken(): { token: string; expiresAt: Date } {
    const expiresAt = new Date(Math.floor((Date.now() + this.tokenTtlSeconds * 1000) / 1000) * 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: this.credentials.customerNumber, jti: randomBytes(8).toString('hex'), exp: expiresAt.getTime() / 1000 })}`;
    const token = `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
    this.tokens.add(token, expiresAt.getTime());
    this.tokensIssued += 1;
    return { token, expiresAt };
  }

  /** A parcel by MNG's shipment id, or (a return before it has one) by its referenceId. */
  byShipment(trackingNumber: string): SandboxOrder | undefined {
    return this.byShipmentId.get(trackingNumber) ?? this.get(trackingNumber);
  }

  /** The order's shipmentStatusCode: its last coded movement's, 0 before the first. */
  statusCode(order: SandboxOrder): number {
    return order.movements.at(-1)?.code ?? 0;
  }

  protected isLive(order: SandboxOrder): boolean {
    return !order.cancelled;
  }

  createOrder(input: Pick<SandboxOrder, 'referenceId' | 'kind' | 'service' | 'customer'>): SandboxOrder {
    this.sequence += 1;
    const order: SandboxOrder = {
      ...input,
      orderInvoiceId: 500_000 + this.sequence,
      createdAt: new Date(),
      cancelled: false,
      movements: [],
    };
    this.bookings.set(order.referenceId, order);
    return order;
  }

  /** Numbers the shipment (12 digits, as in the examples seen) and keeps its labels; its first movement is "prepared" (1). */
  addShipment(order: SandboxOrder, make: (shipmentId: string) => Omit<Shipment, 'shipmentId'>): Shipment {
    this.sequence += 1;
    const shipmentId = `${this.branchNumber}${String(this.firstShipment + this.sequence).padStart(9, '0')}`;
    order.shipment = { shipmentId, ...make(shipmentId) };
    this.byShipmentId.set(shipmentId, order);
    this.addMovement(order, 1);
    return order.shipment;
  }

  /** Until a branch accepts the parcel (anything past "prepared"), it can be cancelled. */
  cancellable(order: SandboxOrder): boolean {
    return this.statusCode(order) <= 1;
  }

  /** The next movement on the happy path, the named code, or a movement with a text of its own; undefined when the path has ended. */
  advance(order: SandboxOrder, { code, text }: { code?: number; text?: string }): Movement | undefined {
    if (text) return this.addMovement(order, this.statusCode(order), text);
    const next = code ?? NEXT_CODE[this.statusCode(order)];
    return next === undefined ? undefined : this.addMovement(order, next);
  }

  reset(): void {
    super.reset();
    this.byShipmentId.clear();
    this.tokens.revoke();
    this.tokensIssued = 0;
  }

  private addMovement(order: SandboxOrder, code: number, text = STATUS_CODES[code]): Movement {
    const at = this.scanTime(order.movements.at(-1));
    // An outbound parcel is at the customer's branch from code 3 on; a return starts there.
    const atCustomer = order.kind === 'shipment' ? code >= 3 && code <= 6 : code <= 2;
    const { districtName, cityName } = atCustomer ? order.customer : ACCOUNT_ADDRESS;
    const location = atCustomer ? `${districtName ?? cityName} Şube, ${cityName}` : 'Esenyurt Aktarma Merkezi, İstanbul';
    const movement: Movement = { sequence: order.movements.length + 1, code, text, at, location };
    order.movements.push(movement);
    return movement;
  }
}
