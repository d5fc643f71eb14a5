// The MNG sandbox's memory (a CarrierState): orders keyed by the merchant's referenceId, the
// shipment (carrier number, ZPL labels) createbarcode adds to one, their movements (scans), issued
// tokens, and the faults to inject.
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { TokenStore } from '../auth';
import { CarrierState } from '../state';

export const MNG_OPERATIONS = [
  'token',
  'calculate',
  'createOrder',
  'cancelorder',
  'createbarcode',
  'cancelshipment',
  'getshipmentstatus',
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
 * shipmentStatusCode → the carrier's text. 0–8 as third-party integrations quote MNG's own
 * descriptions (they disagree on 1 and 7; see README.md); 9 and 10 are the sandbox's.
 */
export const STATUS_CODES: Record<number, string> = {
  0: 'Henüz işlem yapılmadı',
  1: 'Gönderi kargoya verildi',
  2: 'Transfer aşamasında',
  3: 'Teslimat birimine ulaştı',
  4: 'Alıcı adresine yönlendirildi',
  5: 'Teslim edildi',
  6: 'Teslim edilemedi',
  7: 'Geri geliyor',
  8: 'Destek gerekiyor',
  9: 'İptal edildi',
  10: 'Göndericiye teslim edildi',
};
export const CANCELLED = 9;

/** The path a parcel takes when nothing goes wrong: after a failed attempt it goes out again, a parcel coming back reaches the sender, a held one the delivery branch. */
const NEXT_CODE: Record<number, number> = { 0: 1, 1: 2, 2: 3, 3: 4, 4: 5, 6: 4, 7: 10, 8: 3 };

/** The merchant's registered address: the sender of its parcels, the receiver of its returns. */
export const ACCOUNT_ADDRESS = { name: 'MNG Sandbox Merchant', cityName: 'İstanbul', districtName: 'Esenyurt' };

export interface Movement {
  /** The movement's number within its shipment, from 1. */
  sequence: number;
  code: number;
  at: Date;
  unitName: string;
  cityName: string;
  districtName: string;
}

export interface Piece {
  barcode: string;
  desi: number;
  kg: number;
  content: string;
}

interface Recipient {
  fullName: string;
  address: string;
  cityName: string;
  districtName?: string;
}

/** What createbarcode adds: the carrier's shipment number, invoice and one ZPL label per piece. */
interface Shipment {
  shipmentId: string;
  invoiceId: string;
  codAmount?: number;
  labels: Array<{ pieceNumber: number; barcode: string; zpl: string }>;
}

export interface SandboxOrder {
  referenceId: string;
  /** The sandbox's isReturn flag: collected at the recipient's address for the merchant. */
  kind: 'shipment' | 'return';
  service: 'standard' | 'express';
  /** Only what its labels need. */
  recipient: Recipient;
  orderInvoiceId: number;
  createdAt: Date;
  shipment?: Shipment;
  movements: Movement[];
}

/** `get(referenceId)` finds an order by the merchant's key; `byShipment` by the carrier's number. */
export class MngState extends CarrierState<SandboxOrder> {
  readonly tokens = new TokenStore();
  private readonly byShipmentId = new Map<string, SandboxOrder>();
  private readonly signingKey = randomBytes(32);
  /** Per instance, so shipment numbers from two sandboxes rarely collide; the sequence makes them unique within one. */
  private readonly branchNumber = String(randomInt(1000, 10_000));
  private sequence = 0;
  /** Tokens handed out since the last reset, so tests can see an adapter reuse one. */
  tokensIssued = 0;

  constructor(
    readonly credentials: MngCredentials,
    readonly tokenTtlSeconds: number,
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

  byShipment(shipmentId: string): SandboxOrder | undefined {
    return this.byShipmentId.get(shipmentId);
  }

  /** The order's shipmentStatusCode: its last movement's, 0 before the first. */
  statusCode(order: SandboxOrder): number {
    return order.movements.at(-1)?.code ?? 0;
  }

  protected isLive(order: SandboxOrder): boolean {
    return this.statusCode(order) !== CANCELLED;
  }

  createOrder(input: Pick<SandboxOrder, 'referenceId' | 'kind' | 'service' | 'recipient'>): SandboxOrder {
    this.sequence += 1;
    const order: SandboxOrder = { ...input, orderInvoiceId: 500_000 + this.sequence, createdAt: new Date(), movements: [] };
    this.bookings.set(order.referenceId, order);
    return order;
  }

  /** Numbers the shipment and keeps its labels; the first movement (0) follows. */
  addShipment(order: SandboxOrder, make: (shipmentId: string) => Omit<Shipment, 'shipmentId'>): Shipment {
    this.sequence += 1;
    const shipmentId = `${this.branchNumber}${String(this.sequence).padStart(9, '0')}`;
    order.shipment = { shipmentId, ...make(shipmentId) };
    this.byShipmentId.set(shipmentId, order);
    this.addMovement(order, 0);
    return order.shipment;
  }

  /** The carrier lets an order be cancelled only before it has the parcel. */
  cancellable(order: SandboxOrder): boolean {
    return this.statusCode(order) === 0;
  }

  cancel(order: SandboxOrder): void {
    this.addMovement(order, CANCELLED);
  }

  /** The next movement on the happy path, or the named code; undefined when the path has ended. */
  advance(order: SandboxOrder, code?: number): Movement | undefined {
    const next = code ?? NEXT_CODE[this.statusCode(order)];
    return next === undefined ? undefined : this.addMovement(order, next);
  }

  reset(): void {
    super.reset();
    this.byShipmentId.clear();
    this.tokens.revoke();
    this.tokensIssued = 0;
  }

  private addMovement(order: SandboxOrder, code: number): Movement {
    const at = this.scanTime(order.movements.at(-1));
    // An outbound parcel is at the customer's branch from code 3 on; a return leaves it at 1.
    const atCustomer = order.kind === 'shipment' ? code >= 3 && code <= 6 : code <= 1;
    const place = atCustomer
      ? {
          cityName: order.recipient.cityName,
          districtName: order.recipient.districtName ?? '',
          unitName: `${order.recipient.districtName ?? order.recipient.cityName} Şube`,
        }
      : { cityName: ACCOUNT_ADDRESS.cityName, districtName: ACCOUNT_ADDRESS.districtName, unitName: 'Esenyurt Aktarma Merkezi' };
    const movement: Movement = { sequence: order.movements.length + 1, code, at, ...place };
    order.movements.push(movement);
    return movement;
  }
}
